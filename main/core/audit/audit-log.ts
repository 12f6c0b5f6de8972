import type { Clock } from '../clock';
import type { Db } from '../db/database';

export type AuditOutcome = 'success' | 'failure' | 'denied' | 'error';

export { AUDIT_ACTIONS } from '../../contract/domain';
import type { AuditAction } from '../../contract/domain';
import { auditName, auditText, escapeControlCharacters } from './untrusted-text';

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
type RawAuditRow = [
  id: number,
  at: number,
  actor: string,
  action: string,
  target: string | null,
  outcome: string,
  details: string | null,
];

/**
 * `new Date(ms).toISOString()`, faster for rows in time order: the date part is formatted once per day.
 * (An export formats a million times; toISOString alone costs half as much as the SELECT.)
 */
export function utcTimeFormatter(): (ms: number) => string {
  const DAY_MS = 86_400_000;
  let day = NaN;
  let datePrefix = '';
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  return (ms) => {
    const msDay = Math.floor(ms / DAY_MS);
    if (msDay !== day) {
      const iso = new Date(ms).toISOString();
      // Years outside 0000–9999 are written with a sign and six digits: leave those to toISOString.
      if (iso.length !== 24) return iso;
      day = msDay;
      datePrefix = iso.slice(0, 11);
    }
    const inDay = ms - msDay * DAY_MS;
    const h = Math.floor(inDay / 3_600_000);
    const m = Math.floor((inDay % 3_600_000) / 60_000);
    const sec = Math.floor((inDay % 60_000) / 1000);
    const milli = inDay % 1000;
    return `${datePrefix}${two(h)}:${two(m)}:${two(sec)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
  };
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
    const { sql, params } = this.select(query, limit + 1);
    const rows = this.db.prepare(sql).all(...params) as AuditRow[];
    const page = rows.slice(0, limit).map(toEntry);
    return { entries: page, nextBeforeId: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
  }

  /**
   * Every matching row, newest first, as CSV (RFC 4180): the header line, then one line per row, streamed
   * row by row from SQLite. `reader`: the connection to read on (an export's own read-only one).
   */
  *exportCsv(query: Omit<AuditQuery, 'limit' | 'beforeId'> = {}, reader: Db = this.db): Generator<string> {
    const { sql, params } = this.select(query, -1);
    yield 'id,time,actor,action,target,outcome,details\r\n';
    // Raw rows (arrays in COLUMNS' order): at a million rows, building an object per row costs a third of
    // the SELECT. The id (an integer) and the time (ISO 8601, digits and `-:.TZ`) need no guard.
    const statement = reader.prepare(sql).raw(true);
    const time = utcTimeFormatter();
    for (const [id, at, actor, action, target, outcome, details] of statement.iterate(
      ...params,
    ) as IterableIterator<RawAuditRow>) {
      yield `"${id}","${time(at)}",${csvField(actor)},${csvField(action)},${csvField(target ?? '')},${csvField(outcome)},${csvField(details ?? '')}\r\n`;
    }
  }

  /** How many rows match a filter (an export's estimate). */
  countMatching(query: Omit<AuditQuery, 'limit' | 'beforeId'> = {}, reader: Db = this.db): number {
    if (!query.user && query.from === undefined && query.to === undefined && !query.action)
      return this.count();
    const { sql, params } = this.select(query, -1);
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
  private select(query: AuditQuery, limit: number): { sql: string; params: (string | number)[] } {
    const cursorAt =
      query.beforeId === undefined
        ? undefined
        : (this.db.prepare('SELECT at FROM audit WHERE id = ?').pluck().get(query.beforeId) as
            number | undefined);
    const rest = conditions(query, cursorAt, query.user ? '+action' : 'action');
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
}

const COLUMNS = 'id, at, actor, action, target, outcome, details';
/** Newest first: by the recorded time, then by id (the order rows were written in) for equal times. */
const NEWEST_FIRST = 'ORDER BY at DESC, id DESC';

function conditions(
  query: AuditQuery,
  cursorAt: number | undefined,
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
  if (query.beforeId !== undefined) {
    // Keyset paging: the rows after the cursor row in the page order. Audit rows are never deleted, so the
    // cursor row exists; an id that never existed falls back to "older ids".
    if (cursorAt === undefined) add('id < ?', query.beforeId);
    else add('(at, id) < (?, ?)', cursorAt, query.beforeId);
  }
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

/** Characters a spreadsheet reads as the start of a formula (OWASP CSV injection), full-width forms too. */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
/** Printable ASCII: nothing a terminal or spreadsheet could take as a control character. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * One CSV field: always quoted (RFC 4180), control characters escaped, and a leading formula character
 * defused with a `'` so a spreadsheet shows it as text.
 */
export function csvField(value: string | number): string {
  const raw = String(value);
  // Most fields (ids, times, names, actions) are printable ASCII without a quote: nothing to escape, so
  // the Unicode check below, which costs most of a large export's time, is skipped for them.
  // (The details column is JSON: printable ASCII with quotes, so the quotes are doubled on this path too.)
  if (PRINTABLE_ASCII.test(raw) && !FORMULA_START.test(raw)) return `"${raw.replaceAll('"', '""')}"`;
  let text = escapeControlCharacters(raw);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}
