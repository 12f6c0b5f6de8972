/**
 * The shell's log: electron-log's Node logger (no IPC channel, no preload injected into pages) writing
 * `main.log` in the platform's log folder, rotated at 1 MiB (one `main.old.log` kept). Lines are structured
 * (`event field=value …`, see core/log-line.ts): fields are redacted by name, and every string that reaches
 * the file also passes the free-text safety net.
 */
import path from 'node:path';
import electronLog from 'electron-log/node';
import { REDACTED, formatLogLine, redactText, type LogFields } from '../core/log-line';

export const LOG_FILE = 'main.log';
export const LOG_MAX_BYTES = 1024 * 1024;

export interface ShellLog {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** Keys of objects handed to electron-log directly (not through ShellLog) that are never written. */
const SENSITIVE_KEY = /pass(word)?|secret|token|^code$|otp|pin|authori[sz]ation|cookie|signature|key$/i;

/** The safety net for anything electron-log is given: strings by pattern, objects also by key. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) return `${value.name}: ${redactText(value.message)}`;
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
    info: (event, fields) => log.info(formatLogLine(event, fields)),
    warn: (event, fields) => log.warn(formatLogLine(event, fields)),
    error: (event, fields) => log.error(formatLogLine(event, fields)),
  };
}
