import type { Clock } from '../clock';
import type { Db } from '../db/database';

export type AuditOutcome = 'success' | 'failure' | 'denied' | 'error';

/** Every action the audit log knows. New ones are added here, so the filter list stays complete. */
export const AUDIT_ACTIONS = [
  'logon.password',
  'logon.sso',
  'logon.success',
  'logon.signout',
  'logon.timeout',
  'logon.cancel',
  'code.sent',
  'code.failure',
  'code.success',
  'code.refused',
  'account.locked',
  'account.unlocked',
  'password.changed',
  'policy.changed',
  'secret.set',
  'secret.deleted',
  'user.created',
  'user.changed',
  'user.deactivated',
  'verify.test',
  'admin.initialized',
  'audit.exported',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface AuditEntryInput {
  actor: string;
  action: AuditAction;
  target?: string | null;
  outcome: AuditOutcome;
  /** Facts only: never a secret, a code, a password, a hash or a token. */
  details?: AuditDetails;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: AuditAction;
  target: string | null;
  outcome: AuditOutcome;
  details: AuditDetails;
}

export interface AuditQuery {
  from?: number;
  to?: number;
  /** Matches actor or target (the user the entry is by or about), case-insensitive. */
  user?: string;
  action?: AuditAction;
  /** Rows older than this id (keyset paging, newest first). */
  beforeId?: number;
  limit?: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `beforeId` to get the next (older) page; null at the end. */
  nextBeforeId: number | null;
}

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  details: string | null;
}

/** Keys that must never be written to the audit log, whatever a caller passes. */
const FORBIDDEN_DETAIL_KEYS = /code$|secret|password|hash|token|authorization/i;
const ALLOWED_CODE_KEYS = new Set(['providerErrorCode', 'errorCode', 'countryCode']);

/** The append-only audit log (the table refuses UPDATE and DELETE). */
export class AuditLog {
  private readonly insert;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.insert = db.prepare(
      'INSERT INTO audit (at, actor, action, target, outcome, details) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  append(entry: AuditEntryInput): number {
    const details = sanitizeDetails(entry.details);
    const result = this.insert.run(
      this.clock.now(),
      entry.actor,
      entry.action,
      entry.target ?? null,
      entry.outcome,
      details ? JSON.stringify(details) : null,
    );
    return Number(result.lastInsertRowid);
  }

  query(query: AuditQuery = {}): AuditPage {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
    const { sql, params } = buildWhere(query);
    const rows = this.db
      .prepare(
        `SELECT id, at, actor, action, target, outcome, details FROM audit ${sql} ORDER BY id DESC LIMIT ?`,
      )
      .all(...params, limit + 1) as AuditRow[];
    const page = rows.slice(0, limit).map(toEntry);
    return { entries: page, nextBeforeId: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
  }

  /** Every matching row, newest first, as CSV (RFC 4180), streamed row by row from SQLite. */
  *exportCsv(query: Omit<AuditQuery, 'limit' | 'beforeId'> = {}): Generator<string> {
    const { sql, params } = buildWhere(query);
    yield 'id,time,actor,action,target,outcome,details\r\n';
    const statement = this.db.prepare(
      `SELECT id, at, actor, action, target, outcome, details FROM audit ${sql} ORDER BY id DESC`,
    );
    for (const row of statement.iterate(...params) as IterableIterator<AuditRow>) {
      yield (
        [
          row.id,
          new Date(row.at).toISOString(),
          row.actor,
          row.action,
          row.target ?? '',
          row.outcome,
          row.details ?? '',
        ]
          .map(csvField)
          .join(',') + '\r\n'
      );
    }
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
  }
}

function buildWhere(query: AuditQuery): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (query.from !== undefined) (clauses.push('at >= ?'), params.push(query.from));
  if (query.to !== undefined) (clauses.push('at <= ?'), params.push(query.to));
  if (query.user) {
    clauses.push('(actor = ? COLLATE NOCASE OR target = ? COLLATE NOCASE)');
    params.push(query.user, query.user);
  }
  if (query.action) (clauses.push('action = ?'), params.push(query.action));
  if (query.beforeId !== undefined) (clauses.push('id < ?'), params.push(query.beforeId));
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    target: row.target,
    outcome: row.outcome as AuditOutcome,
    details: row.details ? (JSON.parse(row.details) as AuditDetails) : {},
  };
}

function sanitizeDetails(details: AuditDetails | undefined): AuditDetails | undefined {
  if (!details) return undefined;
  const clean: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(details)) {
    if (FORBIDDEN_DETAIL_KEYS.test(key) && !ALLOWED_CODE_KEYS.has(key)) continue;
    clean[key] = value;
  }
  return Object.keys(clean).length ? clean : undefined;
}

/** Quotes a CSV field, and defuses spreadsheet formulas (a leading = + - @ becomes text). */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
