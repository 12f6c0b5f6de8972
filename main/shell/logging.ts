/**
 * The shell's log: electron-log's Node logger (no IPC channel, no preload injected into pages) writing
 * `main.log` in the platform's log folder, rotated at 1 MiB (one `main.old.log` kept). Every message goes
 * through `redact` first, so a code, a secret, a token or a phone number never reaches the file.
 */
import path from 'node:path';
import electronLog from 'electron-log/node';

export const LOG_FILE = 'main.log';
export const LOG_MAX_BYTES = 1024 * 1024;

export interface ShellLog {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

const REDACTED = '[redacted]';
const SENSITIVE_KEY = /pass(word)?|secret|token|code|otp|pin|authori[sz]ation|cookie|signature|key/i;
const RULES: readonly [RegExp, string][] = [
  // HTTP auth schemes
  [/\b(Bearer|Basic|Application)\s+[A-Za-z0-9._~+/=:-]{8,}/g, `$1 ${REDACTED}`],
  // key=value / key: value where the key names a secret
  [
    /\b(pass(?:word)?|secret|token|code|otp|pin|authori[sz]ation|api[-_]?key|client[-_]?secret)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi,
    `$1$2${REDACTED}`,
  ],
  // JSON Web Tokens
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, REDACTED],
  // long opaque strings: keys, hashes, base64 secrets
  [/\b[A-Za-z0-9+/_-]{32,}={0,2}/g, REDACTED],
  // phone numbers in E.164
  [/\+\d[\d ]{6,17}\d/g, REDACTED],
  // one-time codes: 4 to 10 digits, also "123 456" and "123-456"
  [/\b\d{3}[ -]\d{3}\b/g, REDACTED],
  [/\b\d{4,10}\b/g, REDACTED],
];

export function redact(text: string): string {
  return RULES.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

/** Redacts strings, and in objects also every value whose key names a secret. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value instanceof Error) return `${value.name}: ${redact(value.message)}`;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 4) return '[object]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SENSITIVE_KEY.test(key) ? REDACTED : redactValue(inner, depth + 1),
    ]),
  );
}

export interface LoggingOptions {
  /** Electron's `app.getPath('logs')` (moved under the data dir with --data-dir). */
  logsDir: string;
  /** Also print to the console (development runs). */
  console: boolean;
}

export function configureLogging(options: LoggingOptions): ShellLog {
  const log = electronLog.create({ logId: `system-configurator-${Date.now()}` });
  log.transports.file.resolvePathFn = () => path.join(options.logsDir, LOG_FILE);
  log.transports.file.maxSize = LOG_MAX_BYTES;
  log.transports.file.level = 'info';
  log.transports.console.level = options.console ? 'debug' : false;
  log.hooks.push((message) => ({ ...message, data: message.data.map((item) => redactValue(item)) }));
  return {
    info: (line) => log.info(line),
    warn: (line) => log.warn(line),
    error: (line) => log.error(line),
  };
}
