import { once } from 'node:events';
import type { UserView } from '../contract/domain';
import { escapeControlCharacters, escapeJsonText } from '../core/audit/untrusted-text';

/**
 * stdout for results: JSON with --json, else lines for a person. Diagnostics go to stderr, never here.
 * Every line is written with its control characters escaped: a value someone else typed (a username, an
 * identity provider's claim) cannot move the administrator's cursor or fake an extra line.
 */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream,
  ) {}

  /** Prints `data` as one line of JSON under --json (a command with two events prints two), else text. */
  result(data: unknown, human: () => string | readonly string[]): void {
    if (this.json) {
      this.stdout.write(escapeJsonText(JSON.stringify(data)) + '\n');
      return;
    }
    const text = human();
    const lines = typeof text === 'string' ? [text] : text;
    if (lines.length > 0) this.stdout.write(lines.map(escapeControlCharacters).join('\n') + '\n');
  }

  /** Writes a stream of chunks honouring back-pressure. */
  async stream(chunks: Iterable<string>): Promise<void> {
    for (const chunk of chunks) {
      if (!this.stdout.write(chunk)) await once(this.stdout, 'drain');
    }
  }

  /** Where results go, for a writer of its own (the streamed audit export). */
  get writable(): NodeJS.WritableStream {
    return this.stdout;
  }
}

/** Left-aligned columns, two spaces apart; the header row first. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (row: readonly string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)];
}

export function isoTime(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString();
}

/** Whether the user's System Configurator lock is still running at `now`. */
export function isLocked(user: Pick<UserView, 'scLockedUntil'>, now: number): boolean {
  return user.scLockedUntil !== null && user.scLockedUntil > now;
}

export function userStatus(user: UserView, now: number): string {
  if (!user.active) return 'deactivated';
  if (isLocked(user, now)) return `locked until ${isoTime(user.scLockedUntil)}`;
  return 'active';
}

export function userLines(user: UserView, now: number): string[] {
  return [
    `Username:              ${user.username}`,
    `Display name:          ${user.displayName}`,
    `E-mail address:        ${user.email ?? '(none)'}`,
    `Mobile number:         ${user.mobile ?? '(none)'}`,
    `Roles:                 ${user.roles.join(', ') || '(none)'}`,
    `Status:                ${userStatus(user, now)}`,
    `Password:              ${user.hasPassword ? 'set' : 'not set (SSO only)'}`,
    `Must change password:  ${user.mustChangePassword ? 'yes' : 'no'}`,
    `Failed code attempts:  ${user.failedCodeAttempts}`,
    `Created:               ${isoTime(user.createdAt)}`,
    `Updated:               ${isoTime(user.updatedAt)}`,
  ];
}
