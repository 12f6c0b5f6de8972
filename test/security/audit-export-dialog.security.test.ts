/**
 * A window's audit export asks where to save (the native save dialog) before it starts. The window may
 * close, or the app quit, while that dialog is open: what the person then picks must start no export. Else
 * the audit log is written out for a window that is gone, or after the app closed, when nothing audits it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testCore } from '../support/core';
import { tempDir } from '../support/temp-dir';
import { exportJobs, fillAuditLog, finishedExport } from '../support/audit-exports';

/** Exports whose save dialogs stay open until the test answers them, each with the next file of `dir`. */
function withOpenDialogs(core: ReturnType<typeof testCore>, dir: string) {
  const answers: (() => void)[] = [];
  let n = 0;
  const exports = exportJobs(core, (name) => {
    const file = path.join(dir, `${n++}-${name}`);
    return new Promise((resolve) => answers.push(() => resolve(file)));
  });
  const asked = async (count: number) => {
    while (answers.length < count) await new Promise((resolve) => setImmediate(resolve));
  };
  return { exports, answers, asked };
}

describe('an export whose save dialog is still open', () => {
  it('starts nothing once its window closed, for 40 windows at once; other windows’ exports go on', async () => {
    const core = testCore();
    fillAuditLog(core, 50);
    const dir = tempDir('sc-export-');
    const { exports, answers, asked } = withOpenDialogs(core, dir);
    const starts = Array.from({ length: 40 }, (_, i) => exports.start(`window-${i}`, 'admin', {}));
    const kept = exports.start('window-kept', 'admin', {});
    await asked(41);
    for (let i = 0; i < 40; i++) exports.cancelAll(`window-${i}`);
    for (const answer of answers) answer();
    expect(await Promise.all(starts)).toEqual(Array.from({ length: 40 }, () => null));
    const job = (await kept)!;
    expect((await finishedExport(exports, 'window-kept', job.id)).state).toBe('done');
    expect(fs.readdirSync(dir)).toEqual([path.basename(job.file)]);
    // The window may export again when it comes back (nothing is left reserved).
    const again = exports.start('window-0', 'admin', {});
    await asked(42);
    answers[41]!();
    expect(await again).not.toBeNull();
    exports.close();
  });

  it('starts nothing once the app is closing: no file, and no export that nothing audits', async () => {
    const core = testCore();
    fillAuditLog(core, 50);
    const dir = tempDir('sc-export-');
    const { exports, answers, asked } = withOpenDialogs(core, dir);
    const started = exports.start('window-1', 'admin', {});
    await asked(1);
    exports.close();
    answers[0]!();
    expect(await started).toBeNull();
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(core.audit.query({ action: 'audit.exported' }).entries).toEqual([]);
  });
});
