/**
 * Users as a file, for provisioning a fleet: CSV with a header, or JSON `{ "version": 1, "users": [...] }`.
 * Reading checks every row with the same rules as the window and names each bad one (line, reason); it
 * never takes a password. Writing (the export) holds what reading takes, so export → import is a no-op.
 * CSV is read by csv-parse (the csv project, tens of millions of weekly downloads, RFC 4180 quoting and
 * multi-line cells, a BOM, and the line of each record), not by a hand-rolled split on commas.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import {
  displayNameSchema,
  emailSchema,
  firstIssue,
  roleSchema,
  usernameSchema,
  type Role,
  type UserView,
} from '../../contract/domain';
import { csvField } from '../audit/audit-csv';
import { isScError } from '../errors';
import { normalizeMobile } from './contacts';

/** One user as a file gives it; an absent field leaves an existing user's value as it is. */
export interface UserFileRow {
  /** Where the row is, for the report: "line 12" (CSV) or "user 3" (JSON). */
  where: string;
  username: string;
  displayName?: string;
  email?: string | null;
  mobile?: string | null;
  roles?: Role[];
  active?: boolean;
  mustChangePassword?: boolean;
}

export interface RowProblem {
  where: string;
  reason: string;
}

export type UserFileFormat = 'csv' | 'json';

const USER_FILE_COLUMNS = [
  'username',
  'displayName',
  'email',
  'mobile',
  'roles',
  'active',
  'mustChangePassword',
] as const;
type Column = (typeof USER_FILE_COLUMNS)[number];

/** A fleet's users fit many times over; the bound keeps one transaction and the report sane. */
const USER_FILE_MAX_ROWS = 250_000;
export const USER_FILE_MAX_BYTES = 64 * 1024 * 1024;
const USER_FILE_VERSION = 1;

const SECRET_COLUMN = /pass|hash|secret|token/i;
const SECRET_COLUMN_REASON = 'passwords never come from a file (new users log on with SSO)';

export class UserFileError extends Error {
  override readonly name = 'UserFileError';
}

/** Reads a user file; the whole file is checked, and every bad row is reported, before anything is used. */
export function parseUserFile(
  text: string,
  format: UserFileFormat,
): { rows: UserFileRow[]; problems: RowProblem[] } {
  const rows = format === 'csv' ? csvRecords(text) : jsonRecords(text);
  if (rows.length > USER_FILE_MAX_ROWS) {
    throw new UserFileError(`more than ${USER_FILE_MAX_ROWS} users in one file; split it`);
  }
  const problems: RowProblem[] = [];
  const parsed: UserFileRow[] = [];
  const seen = new Map<string, string>();
  for (const { where, fields, problem } of rows) {
    try {
      if (problem) throw new RowError(problem);
      const row = toRow(where, fields);
      const key = row.username.toLowerCase();
      const first = seen.get(key);
      if (first) throw new RowError(`username ${row.username} is already in ${first}`);
      seen.set(key, where);
      parsed.push(row);
    } catch (error) {
      problems.push({ where, reason: reasonOf(error) });
    }
  }
  return { rows: parsed, problems };
}

/** What a file cell or JSON value may be before the rules are applied. */
type RawFields = Partial<Record<Column, unknown>>;
/** A record as found, or what is wrong with its shape. */
type RawRecord = { where: string; fields: RawFields; problem?: string };

function csvRecords(text: string): RawRecord[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: 64 * 1024,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw new UserFileError(`not valid CSV (${(error as Error).message})`);
  }
  const [header, ...body] = records;
  if (!header) throw new UserFileError('the file is empty; the first line must name the columns');
  const columns = header.record.map((name) => name.trim());
  checkColumns(columns);
  return body.map(({ record, info }) => {
    const where = `line ${info.lines}`;
    if (record.length !== columns.length) {
      return { where, fields: {}, problem: 'the number of cells differs from the header' };
    }
    const fields: RawFields = {};
    columns.forEach((column, index) => {
      fields[column as Column] = undefuse(record[index] ?? '');
    });
    return { where, fields };
  });
}

function checkColumns(columns: readonly string[]): void {
  const unknown = columns.filter((name) => !(USER_FILE_COLUMNS as readonly string[]).includes(name));
  const secret = unknown.find((name) => SECRET_COLUMN.test(name));
  if (secret) throw new UserFileError(`column "${secret}" is refused: ${SECRET_COLUMN_REASON}`);
  if (unknown.length > 0) {
    throw new UserFileError(
      `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (the columns are ${USER_FILE_COLUMNS.join(', ')})`,
    );
  }
  const twice = columns.find((name, index) => columns.indexOf(name) !== index);
  if (twice) throw new UserFileError(`column ${twice} is named twice`);
  if (!columns.includes('username')) throw new UserFileError('the header needs a username column');
}

const jsonFileSchema = z
  .object({
    version: z.literal(USER_FILE_VERSION, { error: `The user file needs "version": ${USER_FILE_VERSION}.` }),
    users: z.array(z.record(z.string(), z.unknown())),
  })
  .strict();

function jsonRecords(text: string): RawRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UserFileError(`not valid JSON (${(error as Error).message})`);
  }
  const file = jsonFileSchema.safeParse(json);
  if (!file.success) {
    const { field, message } = firstIssue(file.error);
    throw new UserFileError(field ? `${field}: ${message}` : message);
  }
  return file.data.users.map((entry, index) => {
    const where = `user ${index + 1}`;
    const unknown = Object.keys(entry).filter(
      (key) => !(USER_FILE_COLUMNS as readonly string[]).includes(key),
    );
    const secret = unknown.find((key) => SECRET_COLUMN.test(key));
    if (secret)
      return { where, fields: {}, problem: `field "${secret}" is refused: ${SECRET_COLUMN_REASON}` };
    if (unknown.length > 0) {
      const known = USER_FILE_COLUMNS.join(', ');
      return { where, fields: {}, problem: `unknown field ${unknown.join(', ')} (the fields are ${known})` };
    }
    return { where, fields: entry as RawFields };
  });
}

class RowError extends Error {}

/** One row through the window's rules: the same schemas, and libphonenumber for the mobile. */
function toRow(where: string, fields: RawFields): UserFileRow {
  const row: UserFileRow = { where, username: check('username', usernameSchema, fields.username) };
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value.trim() : undefined);
  if (fields.displayName !== undefined && text(fields.displayName) !== '') {
    row.displayName = check('displayName', displayNameSchema, fields.displayName);
  }
  if (fields.email !== undefined) {
    row.email =
      fields.email === null || text(fields.email) === ''
        ? null
        : check('email', emailSchema, text(fields.email) ?? fields.email);
  }
  if (fields.mobile !== undefined) {
    const mobile = fields.mobile === null ? '' : text(fields.mobile);
    if (mobile === undefined) throw new RowError('mobile: Enter the mobile number as text.');
    row.mobile = mobile === '' ? null : normalizeMobile(mobile);
  }
  if (fields.roles !== undefined) row.roles = rolesOf(fields.roles);
  if (fields.active !== undefined && text(fields.active) !== '') {
    row.active = booleanOf('active', fields.active);
  }
  if (fields.mustChangePassword !== undefined && text(fields.mustChangePassword) !== '') {
    row.mustChangePassword = booleanOf('mustChangePassword', fields.mustChangePassword);
  }
  return row;
}

function check<T extends z.core.$ZodType>(field: Column, schema: T, value: unknown): z.output<T> {
  const result = z.safeParse(schema, value);
  if (!result.success) throw new RowError(`${field}: ${firstIssue(result.error).message}`);
  return result.data;
}

/** CSV: "administrator;read-only" (; , | or spaces); JSON: an array. Empty: no roles. */
function rolesOf(value: unknown): Role[] {
  const names = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(/[;,|\s]+/).filter(Boolean)
      : [value];
  return [...new Set(names.map((name) => check('roles', roleSchema, name)))].sort();
}

function booleanOf(field: Column, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const word = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (['true', 'yes', '1'].includes(word)) return true;
  if (['false', 'no', '0'].includes(word)) return false;
  throw new RowError(`${field}: use true or false, not "${String(value)}".`);
}

function reasonOf(error: unknown): string {
  if (error instanceof RowError) return error.message;
  if (isScError(error)) {
    const field = typeof error.details.field === 'string' ? `${error.details.field}: ` : '';
    return field + error.message;
  }
  throw error;
}

/** The export defuses spreadsheet formulas with a leading apostrophe ('+46…); reading takes it off. */
function undefuse(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

// ---- Writing (sc-admin user export): no hashes, nothing secret ----

export function* writeUsersCsv(users: Iterable<UserView>): Generator<string> {
  yield USER_FILE_COLUMNS.join(',') + '\r\n';
  for (const user of users) {
    yield (
      [
        user.username,
        user.displayName,
        user.email ?? '',
        user.mobile ?? '',
        user.roles.join(';'),
        String(user.active),
        String(user.mustChangePassword),
      ]
        .map(csvField)
        .join(',') + '\r\n'
    );
  }
}

export function* writeUsersJson(users: Iterable<UserView>): Generator<string> {
  yield `{\n  "version": ${USER_FILE_VERSION},\n  "users": [`;
  let first = true;
  for (const user of users) {
    const entry = {
      username: user.username,
      displayName: user.displayName,
      email: user.email,
      mobile: user.mobile,
      roles: user.roles,
      active: user.active,
      mustChangePassword: user.mustChangePassword,
    };
    yield `${first ? '' : ','}\n    ${JSON.stringify(entry)}`;
    first = false;
  }
  yield first ? ']\n}\n' : '\n  ]\n}\n';
}
