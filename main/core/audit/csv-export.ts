/**
 * The audit log's CSV export, streamed: rows come from SQLite a page at a time (keyset-paged SELECTs on a
 * read-only connection of its own, in one read transaction, so one snapshot), each page is encoded into
 * one Buffer and written to a stream that is waited for when it is full (back-pressure), so memory stays
 * flat whatever the size. Between pages the event loop runs, so the window's progress questions and Cancel
 * are answered during an export. The window and `sc-admin audit export` both use it; the CSV bytes come
 * from audit-csv.ts (the one place that escapes and defuses fields).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { openReader, type Db } from '../db/database';
import { ScError } from '../errors';
import { AUDIT_CSV_HEADER, AuditCsvEncoder } from './audit-csv';
import type { AuditLog, AuditQuery } from './audit-log';

export type AuditExportQuery = Omit<AuditQuery, 'limit' | 'beforeId'>;

export interface ExportProgress {
  /** Rows written so far (the header line is not a row). */
  rows: number;
  /** Rows the filter matched when the export started (rows added meanwhile come later, not in it). */
  estimate: number;
}

export interface StreamOptions {
  /** Aborting stops the export after the current page, with an ScError('cancelled'). */
  signal?: AbortSignal;
  /** Called after every page with the rows written so far. */
  onProgress?: (rows: number) => void;
}

/** A piece of the CSV and the rows in it (0 for the header). */
export interface CsvChunk {
  bytes: Buffer | string;
  rows: number;
}

/** Rows per SELECT page and per write: past ~1,000 a larger page saves nothing measurable. */
const DEFAULT_PAGE_ROWS = 2_000;
/** What a file may hold unwritten before the export waits: a few pages, so encoding the next page
 *  overlaps the disk write of the last one. */
const FILE_HIGH_WATER_MARK = 1 << 20;

/** The export's CSV: the header, then each page of matching rows (newest first) encoded in one Buffer. */
export function* auditCsvChunks(
  audit: AuditLog,
  query: AuditExportQuery,
  reader: Db,
  pageRows = DEFAULT_PAGE_ROWS,
): Generator<CsvChunk> {
  yield { bytes: AUDIT_CSV_HEADER, rows: 0 };
  const encoder = new AuditCsvEncoder();
  for (const page of audit.exportPages(query, reader, Math.max(1, pageRows)))
    yield { bytes: encoder.encode(page), rows: page.length };
}

/** Writes the chunks to `out` in order, honouring back-pressure. Returns the rows written. */
export async function streamCsv(
  chunks: Iterable<CsvChunk>,
  out: NodeJS.WritableStream,
  options: StreamOptions = {},
): Promise<number> {
  let rows = 0;
  for (const chunk of chunks) {
    if ((out as Partial<Writable>).destroyed)
      throw new ScError('internal', 'The export output was closed while writing.');
    // Wait when the stream is full; otherwise still give the event loop a turn between pages.
    if (!out.write(chunk.bytes)) await drainOrClose(out);
    else await nextTurn();
    if (chunk.rows === 0) continue;
    rows += chunk.rows;
    options.onProgress?.(rows);
    if (options.signal?.aborted) throw cancelled();
  }
  return rows;
}

export interface AuditStreamOptions extends StreamOptions {
  audit: AuditLog;
  dataDir: string;
  query: AuditExportQuery;
  /** Rows per page (default 2,000). */
  batchRows?: number;
  /** Called once before the first row, with the rows the filter matches. */
  onStart?: (estimate: number) => void;
}

/**
 * Streams every matching row to `out` from one snapshot of the database (a read-only connection of its
 * own, one read transaction: the estimate and the rows agree, and rows appended meanwhile are not in it).
 */
export async function streamAuditCsv(
  out: NodeJS.WritableStream,
  options: AuditStreamOptions,
): Promise<number> {
  const reader = openReader(options.dataDir);
  try {
    reader.exec('BEGIN');
    options.onStart?.(options.audit.countMatching(options.query, reader));
    return await streamCsv(auditCsvChunks(options.audit, options.query, reader, options.batchRows), out, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } finally {
    // Closing ends the read transaction.
    reader.close();
  }
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

export interface FileExportOptions extends Omit<AuditStreamOptions, 'onProgress'> {
  file: string;
  /** True when the person chose to replace an existing file (a save dialog asked them); else it must be new. */
  replace?: boolean;
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
  const { file, replace, onProgress, onStart, ...rest } = options;
  const partial = `${file}.${randomUUID().slice(0, 8)}.partial`;
  let out: fs.WriteStream | undefined;
  try {
    if (!replace && fs.existsSync(file)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    out = fs.createWriteStream(partial, { flags: 'wx', mode: 0o600, highWaterMark: FILE_HIGH_WATER_MARK });
    await once(out, 'open');
    const stream = out;
    let estimate = 0;
    const rows = await streamAuditCsv(stream, {
      ...rest,
      onStart: (matching) => {
        estimate = matching;
        onStart?.(matching);
      },
      onProgress: (written) => onProgress?.({ rows: written, estimate: Math.max(estimate, written) }),
    });
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    if (replace) fs.renameSync(partial, file);
    else {
      // link refuses an existing name: a file that appeared meanwhile is not written over.
      fs.linkSync(partial, file);
      fs.rmSync(partial);
    }
    return { rows, bytes: stream.bytesWritten };
  } catch (error) {
    if (out) {
      out.destroy();
      // A stream that failed to open (a missing folder, no permission) has closed already: waiting for its
      // 'close' would never end, and the export would hang as "running".
      if (!out.closed) await once(out, 'close').catch(() => undefined);
    }
    fs.rmSync(partial, { force: true });
    throw asExportError(error, file);
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
