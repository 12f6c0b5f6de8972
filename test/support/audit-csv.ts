import { expect } from 'vitest';
import type { AuditLog } from '../../main/core/audit/audit-log';
import { auditCsvChunks, type AuditExportQuery } from '../../main/core/audit/csv-export';
import { openReader } from '../../main/core/db/database';

/** The export's CSV as text, as the streamed export writes it (pages of `pageRows`). */
export function exportCsvText(
  core: { audit: AuditLog; dataDir: string },
  query: AuditExportQuery = {},
  pageRows?: number,
): string {
  const reader = openReader(core.dataDir);
  try {
    const chunks = [...auditCsvChunks(core.audit, query, reader, pageRows)];
    return Buffer.concat(chunks.map((c) => Buffer.from(c.bytes))).toString('utf8');
  } finally {
    reader.close();
  }
}

/** The export's CSV lines (the header first), each ending in CRLF. */
export function exportCsvLines(
  core: { audit: AuditLog; dataDir: string },
  query: AuditExportQuery = {},
): string[] {
  return exportCsvText(core, query)
    .split(/(?<=\r\n)/)
    .filter((line) => line !== '');
}

/** Splits one CSV record whose fields are all quoted, undoing the doubled quotes; fails if one is not quoted. */
export function quotedFields(record: string): string[] {
  const out: string[] = [];
  const pattern = /"((?:[^"]|"")*)"(,|$)/gy;
  let end = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(record)) !== null) {
    out.push((match[1] ?? '').replaceAll('""', '"'));
    end = pattern.lastIndex;
    if (match[2] === '') break;
  }
  expect(end, `every field of ${record} quoted`).toBe(record.length);
  return out;
}
