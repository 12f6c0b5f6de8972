/**
 * The window's audit exports: started by an administrator's window (main asks where to save through the
 * shell's native save dialog; the window sends only the filters and never receives rows), followed by
 * polling for progress, and cancellable. One export at a time per window; each job answers only the window
 * that started it. Every export is audited with its outcome and row count, never the rows.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Clock } from '../clock';
import { ScError } from '../errors';
import type { AuditLog } from './audit-log';
import { exportAuditToFile, type AuditExportQuery } from './csv-export';

/** Asks the person where to save (the shell: dialog.showSaveDialog); null when they cancel. */
export type ChooseExportFile = (suggestedName: string) => Promise<string | null>;

export interface ExportJob {
  id: string;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  rows: number;
  estimate: number;
  file: string;
  bytes: number;
  /** Why it failed, fit to show. */
  message: string | null;
}

interface Entry {
  owner: string;
  job: ExportJob;
  abort: AbortController;
}

/** Finished jobs kept for their window to read the outcome. */
const KEEP_FINISHED = 16;

export class AuditExports {
  private readonly jobs = new Map<string, Entry>();
  /** Windows with an export starting or running (reserved before the save dialog opens). */
  private readonly busy = new Set<string>();
  /** Each window's export whose save dialog is open: aborted when the window closes or the app quits. */
  private readonly choosing = new Map<string, AbortController>();
  private closed = false;

  constructor(
    private readonly deps: {
      audit: AuditLog;
      dataDir: string;
      clock: Clock;
      chooseFile?: ChooseExportFile;
    },
  ) {}

  /** Asks where to save, then starts; null when the person cancelled the dialog. */
  async start(owner: string, actor: string, query: AuditExportQuery): Promise<ExportJob | null> {
    const { chooseFile } = this.deps;
    if (!chooseFile) throw new ScError('internal', 'This window cannot save files.');
    if (this.busy.has(owner))
      throw new ScError('conflict', 'An export is already running in this window. Wait for it or cancel it.');
    this.busy.add(owner);
    const abort = new AbortController();
    this.choosing.set(owner, abort);
    let file: string | null;
    try {
      const day = new Date(this.deps.clock.now()).toISOString().slice(0, 10);
      file = await chooseFile(`system-configurator-audit-${day}.csv`);
    } catch (error) {
      this.busy.delete(owner);
      throw error;
    } finally {
      this.choosing.delete(owner);
    }
    // The window closed or the app quit while the dialog was open: no one is left to follow (or audit) it.
    if (!file || abort.signal.aborted) {
      this.busy.delete(owner);
      return null;
    }
    const entry: Entry = {
      owner,
      abort,
      job: { id: randomUUID(), state: 'running', rows: 0, estimate: 0, file, bytes: 0, message: null },
    };
    this.jobs.set(entry.job.id, entry);
    void this.run(entry, actor, query);
    return { ...entry.job };
  }

  status(owner: string, id: string): ExportJob {
    return { ...this.entry(owner, id).job };
  }

  /** Stops after the current batch; the partial file is removed. */
  cancel(owner: string, id: string): ExportJob {
    const entry = this.entry(owner, id);
    entry.abort.abort();
    return { ...entry.job };
  }

  /** Cancels every export a window started (it closed or signed out). */
  cancelAll(owner: string): void {
    this.choosing.get(owner)?.abort();
    for (const entry of this.jobs.values()) if (entry.owner === owner) entry.abort.abort();
  }

  private async run(entry: Entry, actor: string, query: AuditExportQuery): Promise<void> {
    const { job } = entry;
    const { audit } = this.deps;
    let written = false;
    try {
      const result = await exportAuditToFile({
        audit,
        dataDir: this.deps.dataDir,
        query,
        file: job.file,
        // The save dialog asked before replacing a file.
        replace: true,
        signal: entry.abort.signal,
        onStart: (estimate) => (job.estimate = estimate),
        onProgress: (progress) => {
          job.rows = progress.rows;
          job.estimate = progress.estimate;
        },
      });
      written = true;
      this.record({
        actor,
        action: 'audit.exported',
        target: 'file',
        outcome: 'success',
        details: { rows: result.rows },
      });
      Object.assign(job, { state: 'done', rows: result.rows, bytes: result.bytes });
    } catch (error) {
      // An export of the audit log that the audit log cannot record is not left behind.
      if (written) await rm(job.file, { force: true }).catch(() => undefined);
      const cancelled = error instanceof ScError && error.code === 'cancelled';
      Object.assign(job, {
        state: cancelled ? 'cancelled' : 'failed',
        message: cancelled
          ? null
          : error instanceof ScError
            ? error.message
            : 'The export stopped unexpectedly.',
      });
      try {
        this.record({
          actor,
          action: 'audit.exported',
          target: 'file',
          outcome: cancelled ? 'failure' : 'error',
          details: { rows: job.rows, ...(cancelled ? { cancelled: true } : {}) },
        });
      } catch {
        // The audit log itself cannot be written (a broken disk): the job's state says the export failed,
        // and nothing is left to throw at (run is not awaited).
      }
    } finally {
      this.busy.delete(entry.owner);
      // Kept in the order they finished: an export that ran while many others finished is the newest
      // outcome now, not the oldest one to forget.
      this.jobs.delete(job.id);
      this.jobs.set(job.id, entry);
      this.forgetOldFinished();
    }
  }

  /** Audits an export's end; the app may be closing (then the export was cancelled with it). */
  private record(entry: Parameters<AuditLog['append']>[0]): void {
    if (this.closed) return;
    this.deps.audit.append(entry);
  }

  /** The app is closing: every export stops and leaves no partial file. */
  close(): void {
    this.closed = true;
    for (const abort of this.choosing.values()) abort.abort();
    for (const entry of this.jobs.values()) entry.abort.abort();
  }

  private entry(owner: string, id: string): Entry {
    const entry = this.jobs.get(id);
    // Another window's export reads as no export at all.
    if (!entry || entry.owner !== owner) throw new ScError('not-found', 'There is no such export.');
    return entry;
  }

  /** Forgets the finished jobs beyond the newest KEEP_FINISHED; a running job is never forgotten. */
  private forgetOldFinished(): void {
    const finished = [...this.jobs.values()].filter((e) => e.job.state !== 'running');
    for (const entry of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
      this.jobs.delete(entry.job.id);
  }
}
