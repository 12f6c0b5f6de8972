/**
 * Structured log lines: an event name and named fields (`sinch.report status=400 errorCode=40003
 * durationMs=87`), written as logfmt. Redaction works on the field NAMES: a code, secret, password, token or
 * key is replaced, a contact (phone number, e-mail address) is masked; every other field survives as it is,
 * so error codes, ports, durations and years stay readable. Free text (an error's message) still passes
 * through a safety net for what is unambiguous in any context: credentials after an auth scheme, JWTs,
 * `secret=…` pairs, long opaque strings and E.164 numbers. Plain Node, no electron: the shell, sc-admin and
 * the core share it.
 */

type LogValue = string | number | boolean | null | undefined;
export type LogFields = Readonly<Record<string, LogValue>>;

/** The structured logger the core is given (the shell writes it to main.log; tests collect it). */
export type LogSink = (event: string, fields?: LogFields) => void;

export const REDACTED = '[redacted]';

/**
 * Field names whose value is never logged. `…Code` fields are one-time codes, except the ones listed in
 * NOT_SECRET (provider and HTTP codes are what diagnose a failure).
 */
const SECRET_FIELD =
  /^(code|otp|pin)$|Code$|pass(word)?|secret|token|authori[sz]ation|cookie|signature|credential|(api|app|application|private)[-_]?key$|^key$|hash$/i;
const NOT_SECRET = new Set(['errorCode', 'providerErrorCode', 'statusCode', 'exitCode', 'countryCode']);
/** Field names that hold a person's contact: logged masked, never in full. */
const CONTACT_FIELD = /^(to|destination|mobile|phone|phoneNumber|email|emailAddress|contact|recipient)$/i;

/** The value a field may be logged with, by its name. */
function redactField(name: string, value: LogValue): LogValue {
  if (value === null || value === undefined) return value;
  if (SECRET_FIELD.test(name) && !NOT_SECRET.has(name)) return REDACTED;
  if (CONTACT_FIELD.test(name)) return maskContact(String(value));
  return typeof value === 'string' ? redactText(value) : value;
}

/** "+46701234567" → "+46•••67"; "ada@example.com" → "a•••@example.com". */
export function maskContact(value: string): string {
  const at = value.lastIndexOf('@');
  if (at > 0) return `${value[0]}•••${value.slice(at)}`;
  const digits = value.replace(/[^\d+]/g, '');
  return digits.length > 4 ? `${digits.slice(0, 3)}•••${digits.slice(-2)}` : '•••';
}

const TEXT_RULES: readonly [RegExp, string][] = [
  // credentials after an HTTP auth scheme
  [/\b(Bearer|Basic|Application)\s+[A-Za-z0-9._~+/=:-]{8,}/g, `$1 ${REDACTED}`],
  // key=value / key: value where the key names a secret or a code
  [
    /\b(pass(?:word)?|secret|token|code|otp|pin|authori[sz]ation|api[-_]?key|client[-_]?secret)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi,
    `$1$2${REDACTED}`,
  ],
  // "code 123456", "OTP 123 456": digits right after a word naming a code
  [/\b(code|otp|pin)(\s+)\d{3}[ -]?\d{1,7}\b/gi, `$1$2${REDACTED}`],
  // JSON Web Tokens
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, REDACTED],
  // long opaque strings: keys, hashes, base64 secrets
  [/\b[A-Za-z0-9+/_-]{32,}={0,2}/g, REDACTED],
  // phone numbers in E.164 (a leading +), also spaced
  [/\+\d[\d ]{6,17}\d/g, REDACTED],
];

/** The safety net for free text: only what is a secret in any context, so numbers in general survive. */
export function redactText(text: string): string {
  return TEXT_RULES.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

/** Redacts every field by its name (undefined fields are dropped). */
function redactFields(fields: LogFields = {}): Record<string, Exclude<LogValue, undefined>> {
  const clean: Record<string, Exclude<LogValue, undefined>> = {};
  for (const [name, value] of Object.entries(fields)) {
    const safe = redactField(name, value);
    if (safe !== undefined) clean[name] = safe;
  }
  return clean;
}

/** `event a=1 b="two words"`: the event, then the redacted fields in logfmt. */
export function formatLogLine(event: string, fields?: LogFields): string {
  const parts = [event];
  for (const [name, value] of Object.entries(redactFields(fields))) {
    parts.push(`${name}=${logfmtValue(value)}`);
  }
  return parts.join(' ');
}

function logfmtValue(value: Exclude<LogValue, undefined>): string {
  const text = String(value);
  return /^[^\s"=\\]+$/.test(text) ? text : JSON.stringify(text);
}

/** An error as fields: its name and (redacted) message, never its stack or its attached objects. */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      error: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { errorCode: code } : {}),
    };
  }
  return { error: typeof error };
}
