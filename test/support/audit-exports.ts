/** What the audit-export suites share: an audit log with rows in it, a window's export jobs, and their end. */
import { AuditExports, type ChooseExportFile, type ExportJob } from '../../main/core/audit/export-jobs';
import type { testCore } from './core';

type Core = ReturnType<typeof testCore>;

/** Appends `rows` log-ons (by user0…user6) in one transaction. */
export function fillAuditLog(core: Core, rows: number): void {
  core.db.transaction(() => {
    for (let i = 0; i < rows; i++)
      core.audit.append({
        actor: `user${i % 7}`,
        action: 'logon.success',
        target: `user${i % 7}`,
        outcome: 'success',
      });
  })();
}

/** The window's export jobs of `core`, whose save dialog answers with `choose`. */
export function exportJobs(core: Core, choose: ChooseExportFile): AuditExports {
  return new AuditExports({
    audit: core.audit,
    dataDir: core.dataDir,
    clock: core.clock,
    chooseFile: choose,
  });
}

/** Waits until the export is no longer running and returns how it ended. */
export async function finishedExport(exports: AuditExports, owner: string, id: string): Promise<ExportJob> {
  for (;;) {
    const job = exports.status(owner, id);
    if (job.state !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
