import { PASSWORD_MIN_LENGTH } from '../../contract/domain';
import type { PasswordRules } from '../../contract/ipc';
import { validationError } from '../errors';
import { verifyPassword } from '../users/passwords';

export const PASSWORD_RULES: PasswordRules = {
  minLength: PASSWORD_MIN_LENGTH,
  rules: [
    `At least ${PASSWORD_MIN_LENGTH} characters`,
    'Not your username',
    'Not your current password',
    'Both entries match',
  ],
};

/** The first administrator has no current password to differ from. */
export const FIRST_PASSWORD_RULES: PasswordRules = {
  ...PASSWORD_RULES,
  rules: PASSWORD_RULES.rules.filter((rule) => rule !== 'Not your current password'),
};

/**
 * Checks a new password against the policy (NIST SP 800-63B style: length, no composition rules). The
 * "not the current one" rule needs the current hash and is checked by the caller.
 */
export function checkNewPassword(input: {
  username: string;
  newPassword: string;
  confirmPassword: string;
}): void {
  const { username, newPassword, confirmPassword } = input;
  if ([...newPassword].length < PASSWORD_MIN_LENGTH) {
    throw validationError(
      'newPassword',
      `The new password needs at least ${PASSWORD_MIN_LENGTH} characters.`,
      { rule: 'tooShort', limit: PASSWORD_MIN_LENGTH },
    );
  }
  if (newPassword.trim().toLowerCase() === username.trim().toLowerCase()) {
    throw validationError('newPassword', 'The new password cannot be your username.', {
      rule: 'sameAsUsername',
    });
  }
  if (newPassword !== confirmPassword) {
    throw validationError('confirmPassword', 'The two passwords do not match.', { rule: 'mismatch' });
  }
}

/** A person's own password change: the policy above, and not the password they have now. */
export async function checkPasswordChange(
  user: { username: string; passwordHash: string | null },
  input: { newPassword: string; confirmPassword: string },
): Promise<void> {
  checkNewPassword({ username: user.username, ...input });
  if (user.passwordHash && (await verifyPassword(user.passwordHash, input.newPassword))) {
    throw validationError('newPassword', 'The new password must differ from your current one.', {
      rule: 'sameAsCurrent',
    });
  }
}
