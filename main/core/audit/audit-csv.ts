/**
 * The audit log as CSV (RFC 4180): every field quoted, control and Unicode format characters escaped, and a
 * leading formula character defused, so a spreadsheet shows the text instead of running it (OWASP CSV
 * injection). `csvField` and `auditCsvLine` are the rule; `AuditCsvEncoder` writes the same bytes a
 * million rows at a time, in one pass per row straight into a Buffer, and hands every field it cannot
 * prove plain to `csvField`.
 */
import type { RawAuditRow } from './audit-log';
import { escapeControlCharacters } from './untrusted-text';

export const AUDIT_CSV_HEADER = 'id,time,actor,action,target,outcome,details\r\n';

/** Characters a spreadsheet reads as the start of a formula, full-width forms too. */
const FORMULA_START_CHARS = '=+-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20';
const FORMULA_START = new RegExp(`^[${FORMULA_START_CHARS.replace('-', '\\-')}]`);
/** Printable ASCII: nothing a terminal or spreadsheet could take as a control character. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * One CSV field: always quoted (RFC 4180), control characters escaped, and a leading formula character
 * defused with a `'` so a spreadsheet shows it as text.
 */
export function csvField(value: string | number): string {
  const raw = String(value);
  // Most fields are printable ASCII: nothing to escape, so the Unicode pass is skipped for them.
  if (PRINTABLE_ASCII.test(raw) && !FORMULA_START.test(raw)) return `"${raw.replaceAll('"', '""')}"`;
  let text = escapeControlCharacters(raw);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * One audit row as a CSV line, every field through csvField: the id, the time (ISO 8601, UTC; a year
 * before 0000 is written with a leading `-`) and the text.
 */
export function auditCsvLine([id, at, actor, action, target, outcome, details]: RawAuditRow): string {
  return `${csvField(id)},${csvField(new Date(at).toISOString())},${csvField(actor)},${csvField(action)},${csvField(target ?? '')},${csvField(outcome)},${csvField(details ?? '')}\r\n`;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const ZERO = 0x30;
const DAY_MS = 86_400_000;
/** toISOString writes years 0000–9999 as four digits; others (with a sign and six) go the reference way. */
const FIRST_FOUR_DIGIT_YEAR_MS = -62_167_219_200_000;
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;
/** The printable-ASCII characters that may start a formula, by code (the others are not printable ASCII). */
const FORMULA_START_ASCII = new Uint8Array(128);
for (const char of FORMULA_START_CHARS) {
  const code = char.charCodeAt(0);
  if (code < 128) FORMULA_START_ASCII[code] = 1;
}

/**
 * Writes audit rows as CSV lines into one Buffer per batch, byte for byte what `auditCsvLine` gives (a
 * property test holds it to that): text fields of printable ASCII that do not start like a formula are
 * copied with their quotes doubled while they are checked, ids that are whole numbers from 0 up and times
 * in the years 0000–9999 are written from their digits (the date part once per day: nothing in them needs
 * a guard); any other field is written as `csvField` writes it.
 */
export class AuditCsvEncoder {
  private buf = Buffer.allocUnsafe(0);
  private pos = 0;
  private day = NaN;
  private readonly date = Buffer.alloc(11);

  /** The lines of `rows`, in order. */
  encode(rows: readonly RawAuditRow[]): Buffer {
    this.buf = Buffer.allocUnsafe(Math.max(4_096, rows.length * 128));
    this.pos = 0;
    for (const [id, at, actor, action, target, outcome, details] of rows) {
      this.id(id);
      this.time(at);
      this.text(actor);
      this.text(action);
      this.text(target ?? '');
      this.text(outcome);
      this.text(details ?? '');
      // The last field's comma becomes the line's end.
      this.reserve(1);
      this.buf[this.pos - 1] = 0x0d;
      this.buf[this.pos++] = 0x0a;
    }
    return this.buf.subarray(0, this.pos);
  }

  private id(id: number): void {
    if (!Number.isSafeInteger(id) || id < 0) return this.fallback(`${csvField(id)},`);
    let digits = 1;
    for (let limit = 10; limit <= id; limit *= 10) digits++;
    this.reserve(digits + 3);
    const { buf } = this;
    buf[this.pos] = QUOTE;
    let n = id;
    for (let i = this.pos + digits; i > this.pos; i--) {
      buf[i] = ZERO + (n % 10);
      n = Math.floor(n / 10);
    }
    this.pos += digits + 1;
    buf[this.pos++] = QUOTE;
    buf[this.pos++] = COMMA;
  }

  private time(ms: number): void {
    if (!Number.isInteger(ms) || ms < FIRST_FOUR_DIGIT_YEAR_MS || ms > LAST_FOUR_DIGIT_YEAR_MS)
      return this.fallback(`${csvField(new Date(ms).toISOString())},`);
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.date.write(new Date(ms).toISOString().slice(0, 11), 'latin1');
    }
    this.reserve(27);
    const { buf } = this;
    let pos = this.pos;
    buf[pos++] = QUOTE;
    pos += this.date.copy(buf, pos);
    const inDay = ms - day * DAY_MS;
    pos = twoDigits(buf, pos, Math.floor(inDay / 3_600_000));
    buf[pos++] = 0x3a; // :
    pos = twoDigits(buf, pos, Math.floor((inDay % 3_600_000) / 60_000));
    buf[pos++] = 0x3a;
    pos = twoDigits(buf, pos, Math.floor((inDay % 60_000) / 1000));
    buf[pos++] = 0x2e; // .
    const milli = inDay % 1000;
    buf[pos++] = ZERO + Math.floor(milli / 100);
    pos = twoDigits(buf, pos, milli % 100);
    buf[pos++] = 0x5a; // Z
    buf[pos++] = QUOTE;
    buf[pos++] = COMMA;
    this.pos = pos;
  }

  /** A text field and its comma: copied while checked when plain, else as csvField writes it. */
  private text(value: string): void {
    const length = value.length;
    const first = value.charCodeAt(0);
    if (first < 128 && FORMULA_START_ASCII[first] === 1) return this.fallback(`${csvField(value)},`);
    // Every character at most twice (a doubled quote), plus the quotes and the comma.
    this.reserve(2 * length + 3);
    const { buf } = this;
    let pos = this.pos;
    buf[pos++] = QUOTE;
    for (let i = 0; i < length; i++) {
      const c = value.charCodeAt(i);
      // Not printable ASCII: nothing written counts (this.pos is unchanged); the rule writes it.
      if (c < 0x20 || c > 0x7e) return this.fallback(`${csvField(value)},`);
      if (c === QUOTE) buf[pos++] = QUOTE;
      buf[pos++] = c;
    }
    buf[pos++] = QUOTE;
    buf[pos++] = COMMA;
    this.pos = pos;
  }

  private fallback(text: string): void {
    // UTF-8 takes at most 3 bytes for each UTF-16 code unit.
    this.reserve(3 * text.length);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const larger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + bytes));
    this.buf.copy(larger, 0, 0, this.pos);
    this.buf = larger;
  }
}

function twoDigits(buf: Buffer, pos: number, n: number): number {
  buf[pos] = ZERO + Math.floor(n / 10);
  buf[pos + 1] = ZERO + (n % 10);
  return pos + 2;
}
