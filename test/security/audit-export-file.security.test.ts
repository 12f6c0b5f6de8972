/**
 * An export to a file (`sc-admin audit export --out FILE`) writes only a new file: a file that appears under
 * that name while the export runs (another process, a symlink planted meanwhile) is never written over,
 * and the export refuses instead of leaving part of the audit log behind. A window's export that the audit
 * log cannot record (its own write fails) leaves no file either, and says it failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { exportAuditToFile } from '../../main/core/audit/csv-export';
import { testCore } from '../support/core';
import { tempDir } from '../support/temp-dir';
import { exportJobs, fillAuditLog, finishedExport } from '../support/audit-exports';

/** A core whose audit log holds `rows` log-ons, and the file `audit.csv` in a fresh folder to export to. */
function coreWithRows(rows: number) {
  const core = testCore();
  fillAuditLog(core, rows);
  const dir = tempDir('sc-export-');
  return { core, dir, file: path.join(dir, 'audit.csv') };
}

describe('audit export to a new file', () => {
  it('never writes over a file that appeared under its name while it ran', async () => {
    const { core, dir, file } = coreWithRows(300);
    const error = await exportAuditToFile({
      audit: core.audit,
      dataDir: core.dataDir,
      query: {},
      file,
      batchRows: 100,
      onProgress: () => {
        if (!fs.existsSync(file)) fs.writeFileSync(file, 'not yours');
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'conflict' });
    expect(fs.readFileSync(file, 'utf8')).toBe('not yours');
    // The rows written so far are not left beside it.
    expect(fs.readdirSync(dir)).toEqual(['audit.csv']);
  });
});

describe('a window’s export that the audit log cannot record', () => {
  it('leaves no file, says it failed, and throws nowhere (main would see an unhandled rejection)', async () => {
    const { core, dir, file } = coreWithRows(30);
    const append = core.audit.append.bind(core.audit);
    // The disk under the database fails just as the export is to be recorded.
    vi.spyOn(core.audit, 'append').mockImplementation((entry) => {
      if (entry.action === 'audit.exported')
        throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      return append(entry);
    });
    const exports = exportJobs(core, async () => file);
    const job = (await exports.start('window-1', 'admin', {}))!;
    expect(await finishedExport(exports, 'window-1', job.id)).toMatchObject({
      state: 'failed',
      message: 'The export stopped unexpectedly.',
    });
    expect(fs.readdirSync(dir)).toEqual([]);
    // The window may try again.
    vi.restoreAllMocks();
    const again = (await exports.start('window-1', 'admin', {}))!;
    expect((await finishedExport(exports, 'window-1', again.id)).state).toBe('done');
    expect(fs.readdirSync(dir)).toEqual(['audit.csv']);
    exports.close();
  });

  it('a cancelled export over a file the person chose to replace leaves that file as it was', async () => {
    const { core, dir, file } = coreWithRows(1);
    fs.writeFileSync(file, 'last month’s export');
    const exports = exportJobs(core, async () => file);
    const job = (await exports.start('window-1', 'admin', {}))!;
    // Cancelled before its first row (the file is still opening): the export ends cancelled, deterministically.
    exports.cancel('window-1', job.id);
    expect((await finishedExport(exports, 'window-1', job.id)).state).toBe('cancelled');
    expect(fs.readdirSync(dir)).toEqual(['audit.csv']);
    expect(fs.readFileSync(file, 'utf8')).toBe('last month’s export');
    exports.close();
  });
});
