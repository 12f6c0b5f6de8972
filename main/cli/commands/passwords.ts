import { checkNewPassword } from '../../core/auth/password-policy';
import { UsageError } from '../args';
import type { CommandContext } from '../command';

/**
 * A new password from stdin: from a pipe one line, on a terminal typed twice without echo. Checked against
 * the password policy before anything is written.
 */
export async function readNewPassword(context: CommandContext, username: string): Promise<string> {
  const { input } = context;
  let password: string | null;
  let confirm: string | null;
  if (input.isTTY) {
    password = await input.readHidden(`New password for ${username}: `);
    confirm = password === null ? null : await input.readHidden('Type it again: ');
  } else {
    password = await input.readLine();
    confirm = password;
  }
  if (password === null || password === '') {
    throw new UsageError(
      'no password on stdin: pipe it in as one line, e.g. printf \'%s\\n\' "$PW" | sc-admin ...',
    );
  }
  if (confirm !== password) throw new UsageError('the two passwords do not match; nothing was changed');
  checkNewPassword({ username, newPassword: password, confirmPassword: password });
  return password;
}

/** A secret (the Sinch application secret) from stdin, the same way as a password. */
export async function readSecret(context: CommandContext, what: string): Promise<string> {
  const { input } = context;
  let secret: string | null;
  if (input.isTTY) {
    secret = await input.readHidden(`${what}: `);
    const confirm = secret === null ? null : await input.readHidden('Type it again: ');
    if (confirm !== secret) throw new UsageError('the two entries do not match; nothing was changed');
  } else {
    secret = await input.readLine();
  }
  const trimmed = secret?.trim() ?? '';
  if (trimmed === '') throw new UsageError(`no ${what.toLowerCase()} on stdin: pipe it in as one line`);
  return trimmed;
}
