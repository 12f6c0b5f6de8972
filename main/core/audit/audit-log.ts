import type { Clock } from '../clock';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database';

export type AuditOutcome = 'success' | 'failure' | 'denied' | 'error';

export { AUDIT_ACTIONS } from '../../contract/domain';
import type { AuditAction } from '../../contract/domain';
import { auditName, auditText } from './untrusted-text';

type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

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
  /** Rows after this one in the page order, newest first (keyset paging: pass the last id of a page). */
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

/** An audit row as SQLite returns it in raw mode: the values in COLUMNS' order. */
export type RawAuditRow = [
  id: number,
  at: number,
  actor: string,
  action: string,
  target: string | null,
  outcome: string,
  details: string | null,
];

/** A row's place in the newest-first order: the next page starts after it (without `at`: after the id). */
interface Cursor {
  at?: number;
  id: number;
}

/** Actions whose target is a user (the others name a policy, a secret, a file or a masked destination). */
const TARGET_IS_A_USER = /^(logon|code|account|password|user|admin|sso)\./;

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

  /**
   * Appends one entry. The actor, and the target of an action about a user, are names: one that fails the
   * username rules (typed at the log-on screen, say) is stored escaped and visibly marked. Other text is
   * stored with its control characters escaped.
   */
  append(entry: AuditEntryInput): number {
    const details = sanitizeDetails(entry.details);
    const target =
      entry.target == null
        ? null
        : TARGET_IS_A_USER.test(entry.action)
          ? auditName(entry.target)
          : auditText(entry.target);
    const result = this.insert.run(
      this.clock.now(),
      auditName(entry.actor),
      entry.action,
      target,
      entry.outcome,
      details ? JSON.stringify(details) : null,
    );
    return Number(result.lastInsertRowid);
  }

  query(query: AuditQuery = {}): AuditPage {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
    const { sql, params } = this.select(query, limit + 1, this.cursorOf(query.beforeId));
    const rows = this.db.prepare(sql).all(...params) as AuditRow[];
    const page = rows.slice(0, limit).map(toEntry);
    return { entries: page, nextBeforeId: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
  }

  /**
   * Every matching row, newest first, as raw rows (arrays in COLUMNS' order), a page of `pageRows` at a
   * time: one keyset-paged SELECT per page, each starting after the last row of the one before (reading
   * whole pages costs less than stepping a million rows one by one). `reader`: the connection to read on
   * (an export's own read-only one, in a transaction of its own for one snapshot).
   */
  *exportPages(
    query: Omit<AuditQuery, 'limit' | 'beforeId'>,
    reader: Db,
    pageRows: number,
  ): Generator<RawAuditRow[]> {
    // The first page's SELECT differs from the others' (no cursor): each is prepared once.
    const statements = new Map<string, Statement<(string | number)[]>>();
    let cursor: Cursor | undefined;
    for (;;) {
      const { sql, params } = this.select(query, pageRows, cursor);
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, (statement = reader.prepare<(string | number)[]>(sql).raw(true)));
      const rows = statement.all(...params) as RawAuditRow[];
      if (rows.length > 0) yield rows;
      const last = rows.at(-1);
      if (!last || rows.length < pageRows) return;
      cursor = { at: last[1], id: last[0] };
    }
  }

  /** How many rows match a filter (an export's estimate). */
  countMatching(query: Omit<AuditQuery, 'limit' | 'beforeId'> = {}, reader: Db = this.db): number {
    if (!query.user && query.from === undefined && query.to === undefined && !query.action)
      return (reader.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
    const { sql, params } = this.select(query, -1, undefined);
    return (reader.prepare(`SELECT count(*) AS n FROM (${sql})`).get(...params) as { n: number }).n;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
  }

  /**
   * The SELECT for a filter, newest first, at most `limit` rows (-1: all). Written so that SQLite walks one
   * index in its order and stops after `limit` rows, whatever the table's size: by time (audit_by_time), by
   * action with or without time (audit_by_action), by user (audit_by_actor and audit_by_target, one arm
   * each, merged). Ordering by id instead made SQLite sort every matching row (a month, or one action, is
   * tens of thousands of rows at 1M), and `actor = ? OR target = ?` in one WHERE made it scan the table.
   */
  private select(
    query: AuditQuery,
    limit: number,
    cursor: Cursor | undefined,
  ): { sql: string; params: (string | number)[] } {
    const rest = conditions(query, cursor, query.user ? '+action' : 'action');
    if (!query.user) {
      return {
        sql: `SELECT ${COLUMNS} FROM audit ${where(rest.clauses)} ${NEWEST_FIRST} LIMIT ?`,
        params: [...rest.params, limit],
      };
    }
    const arm = (column: 'actor' | 'target') =>
      `SELECT * FROM (SELECT ${COLUMNS} FROM audit ${where([`${column} = ? COLLATE NOCASE`, ...rest.clauses])} ${NEWEST_FIRST} LIMIT ?)`;
    return {
      sql: `SELECT ${COLUMNS} FROM (${arm('actor')} UNION ${arm('target')}) ${NEWEST_FIRST} LIMIT ?`,
      params: [query.user, ...rest.params, limit, query.user, ...rest.params, limit, limit],
    };
  }

  /**
   * Where a page that starts after row `beforeId` starts. Audit rows are never deleted, so that row exists;
   * an id that never existed falls back to "older ids".
   */
  private cursorOf(beforeId: number | undefined): Cursor | undefined {
    if (beforeId === undefined) return undefined;
    const at = this.db.prepare('SELECT at FROM audit WHERE id = ?').pluck().get(beforeId) as
      number | undefined;
    return at === undefined ? { id: beforeId } : { at, id: beforeId };
  }
}

const COLUMNS = 'id, at, actor, action, target, outcome, details';
/** Newest first: by the recorded time, then by id (the order rows were written in) for equal times. */
const NEWEST_FIRST = 'ORDER BY at DESC, id DESC';

function conditions(
  query: AuditQuery,
  cursor: Cursor | undefined,
  /** `+action` keeps SQLite on the user's index when both filters are set (a user is the narrower one). */
  actionColumn: 'action' | '+action',
): { clauses: string[]; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const add = (clause: string, ...values: (string | number)[]): void => {
    clauses.push(clause);
    params.push(...values);
  };
  if (query.from !== undefined) add('at >= ?', query.from);
  if (query.to !== undefined) add('at <= ?', query.to);
  if (query.action) add(`${actionColumn} = ?`, query.action);
  // Keyset paging: the rows after the cursor row in the page order.
  if (cursor?.at !== undefined) add('(at, id) < (?, ?)', cursor.at, cursor.id);
  else if (cursor) add('id < ?', cursor.id);
  return { clauses, params };
}

function where(clauses: readonly string[]): string {
  return clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
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
    clean[auditText(key)] = typeof value === 'string' ? auditText(value) : value;
  }
  return Object.keys(clean).length ? clean : undefined;
}
