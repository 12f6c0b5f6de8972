/**
 * An export to a file (`sc-admin audit export --out FILE`) writes only a new file: a file that appears under
 * that name while the export runs (another process, a symlink planted meanwhile) is never written over,
 * and the export refuses instead of leaving part of the audit log behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportAuditToFile } from '../../main/core/audit/csv-export';
import { testCore } from '../support/core';
import { tempDir } from '../support/temp-dir';

describe('audit export to a new file', () => {
  it('never writes over a file that appeared under its name while it ran', async () => {
    const core = testCore();
    core.db.transaction(() => {
      for (let i = 0; i < 300; i++)
        core.audit.append({ actor: 'alice', action: 'logon.success', target: 'alice', outcome: 'success' });
    })();
    const dir = tempDir('sc-export-');
    const file = path.join(dir, 'audit.csv');
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
