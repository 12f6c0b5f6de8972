/**
 * The new-password policy (main/core/auth/password-policy.ts): at least 12 characters, not the username,
 * not the current password, both entries alike. Each refusal names its field and rule, which the window
 * shows next to that field, and says why in English, which sc-admin prints.
 */
import { describe, expect, it } from 'vitest';
import { checkNewPassword, checkPasswordChange } from '../../main/core/auth/password-policy';
import { hashPassword } from '../../main/core/users/passwords';
import { isScError } from '../../main/core/errors';

const NEW = 'a brand new passphrase';

interface Refusal {
  field: unknown;
  rule: unknown;
  message: string;
}

/** The field, rule and message of the validation error `check` throws, or null when it accepts. */
async function refusal(check: () => void | Promise<void>): Promise<Refusal | null> {
  try {
    await check();
    return null;
  } catch (error) {
    if (!isScError(error) || error.code !== 'validation') throw error;
    return { field: error.details.field, rule: error.details.rule, message: error.message };
  }
}

function newPassword(username: string, password: string, confirm = password) {
  return refusal(() => checkNewPassword({ username, newPassword: password, confirmPassword: confirm }));
}

describe('a new password', () => {
  it('needs 12 characters, counted as characters, not UTF-16 units', async () => {
    expect(await newPassword('alice', 'x'.repeat(12))).toBeNull();
    const tooShort = {
      field: 'newPassword',
      rule: 'tooShort',
      message: 'The new password needs at least 12 characters.',
    };
    expect(await newPassword('alice', 'x'.repeat(11))).toEqual(tooShort);
    // Eleven emoji are 22 UTF-16 units but eleven characters.
    expect(await newPassword('alice', '🔑'.repeat(11))).toEqual(tooShort);
  });

  it('cannot be the username, whatever its case and surrounding spaces', async () => {
    const same = {
      field: 'newPassword',
      rule: 'sameAsUsername',
      message: 'The new password cannot be your username.',
    };
    expect(await newPassword('Alexander.Hamilton', ' alexander.hamilton ')).toEqual(same);
    expect(await newPassword(' alexander.hamilton', 'ALEXANDER.HAMILTON')).toEqual(same);
    expect(await newPassword('alexander.hamilton', 'alexander.hamilton!')).toBeNull();
  });

  it('refuses two entries that differ, on the confirmation field', async () => {
    expect(await newPassword('alice', NEW, `${NEW} `)).toEqual({
      field: 'confirmPassword',
      rule: 'mismatch',
      message: 'The two passwords do not match.',
    });
  });

  it("cannot be the person's current password; an account without one has nothing to differ from", async () => {
    const current = 'the current passphrase';
    const user = { username: 'alice', passwordHash: await hashPassword(current) };
    const change = (password: string) =>
      refusal(() => checkPasswordChange(user, { newPassword: password, confirmPassword: password }));
    expect(await change(current)).toEqual({
      field: 'newPassword',
      rule: 'sameAsCurrent',
      message: 'The new password must differ from your current one.',
    });
    expect(await change(NEW)).toBeNull();
    expect(
      await refusal(() =>
        checkPasswordChange(
          { username: 'alice', passwordHash: null },
          { newPassword: NEW, confirmPassword: NEW },
        ),
      ),
    ).toBeNull();
  });
});
