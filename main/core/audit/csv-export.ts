/**
 * The audit log's CSV export, streamed: rows come from SQLite one by one (better-sqlite3's iterate() on a
 * read-only connection of their own), are gathered in batches and written to a stream that is waited for
 * when it is full (back-pressure), so memory stays flat whatever the size. Between batches the event loop
 * runs, so the window's progress questions and Cancel are answered during an export. The window and
 * `sc-admin audit export` both use it; the CSV lines themselves come from AuditLog.exportCsv (the one
 * place that escapes and defuses fields).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { openReader } from '../db/database';
import { ScError } from '../errors';
import type { AuditLog, AuditQuery } from './audit-log';

export type AuditExportQuery = Omit<AuditQuery, 'limit' | 'beforeId'>;

export interface ExportProgress {
  /** Rows written so far (the header line is not a row). */
  rows: number;
  /** Rows the filter matched when the export started (rows added meanwhile come later, not in it). */
  estimate: number;
}

export interface StreamOptions {
  /** Rows per write (default 2,000). */
  batchRows?: number;
  /** Aborting stops the export after the current batch, with an ScError('cancelled'). */
  signal?: AbortSignal;
  /** Called after every batch. */
  onProgress?: (rows: number) => void;
}

const DEFAULT_BATCH_ROWS = 2_000;

/** Writes CSV lines (header first) to `out` in batches, honouring back-pressure. Returns the rows written. */
export async function streamCsv(
  lines: Iterable<string>,
  out: NodeJS.WritableStream,
  options: StreamOptions = {},
): Promise<number> {
  const batchRows = Math.max(1, options.batchRows ?? DEFAULT_BATCH_ROWS);
  let rows = -1;
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const chunk = batch.join('');
    batch = [];
    if ((out as Partial<Writable>).destroyed)
      throw new ScError('internal', 'The export output was closed while writing.');
    // Wait when the stream is full; otherwise still give the event loop a turn between batches.
    if (!out.write(chunk)) await drainOrClose(out);
    else await nextTurn();
    options.onProgress?.(rows);
    if (options.signal?.aborted) throw cancelled();
  };
  for (const line of lines) {
    batch.push(line);
    rows++;
    if (rows > 0 && rows % batchRows === 0) await flush();
  }
  await flush();
  return Math.max(rows, 0);
}

/**
 * Waits until a full stream drains (or closes), then removes both listeners: a 'close' listener left behind
 * at every wait would pile up over the hundreds of waits of a large export.
 */
async function drainOrClose(out: NodeJS.WritableStream): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race([
      once(out, 'drain', { signal: done.signal }),
      once(out, 'close', { signal: done.signal }),
    ]);
  } finally {
    done.abort();
  }
}

function cancelled(): ScError {
  return new ScError('cancelled', 'The export was cancelled.');
}

export interface FileExportOptions extends Omit<StreamOptions, 'onProgress'> {
  audit: AuditLog;
  dataDir: string;
  query: AuditExportQuery;
  file: string;
  /** True when the person chose to replace an existing file (a save dialog asked them); else it must be new. */
  replace?: boolean;
  onStart?: (estimate: number) => void;
  onProgress?: (progress: ExportProgress) => void;
}

/**
 * Exports to `file` (mode 600: the audit log names people). The rows go to a temporary file beside it,
 * which becomes `file` only when complete: on failure or cancel it is removed, and a file being replaced
 * stays as it was. Resolves with the rows written and the file's size.
 */
export async function exportAuditToFile(
  options: FileExportOptions,
): Promise<{ rows: number; bytes: number }> {
  const { file } = options;
  const partial = `${file}.${randomUUID().slice(0, 8)}.partial`;
  const reader = openReader(options.dataDir);
  let out: fs.WriteStream | undefined;
  try {
    if (!options.replace && fs.existsSync(file)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    const estimate = options.audit.countMatching(options.query, reader);
    options.onStart?.(estimate);
    out = fs.createWriteStream(partial, { flags: 'wx', mode: 0o600 });
    await once(out, 'open');
    const stream = out;
    const rows = await streamCsv(options.audit.exportCsv(options.query, reader), stream, {
      ...(options.batchRows !== undefined ? { batchRows: options.batchRows } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (written) => options.onProgress?.({ rows: written, estimate: Math.max(estimate, written) }),
    });
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    if (options.replace) fs.renameSync(partial, file);
    else {
      // link refuses an existing name: a file that appeared meanwhile is not written over.
      fs.linkSync(partial, file);
      fs.rmSync(partial);
    }
    return { rows, bytes: stream.bytesWritten };
  } catch (error) {
    if (out) {
      out.destroy();
      await once(out, 'close').catch(() => undefined);
    }
    fs.rmSync(partial, { force: true });
    throw asExportError(error, file);
  } finally {
    reader.close();
  }
}

function asExportError(error: unknown, file: string): unknown {
  if (error instanceof ScError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'EEXIST') return new ScError('conflict', `${file} already exists; choose a new file name.`);
  if (code === 'ENOSPC')
    return new ScError('file-not-writable', `The disk is full: ${file} was not written.`);
  if (code === 'ENOENT') return new ScError('file-not-writable', `The folder of ${file} does not exist.`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new ScError(
      'file-not-writable',
      `System Configurator may not write ${file}. Choose another folder.`,
    );
  return error;
}
