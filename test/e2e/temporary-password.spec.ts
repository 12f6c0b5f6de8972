import { test, expect, ADMIN } from './fixtures';

/** Imported from a file: no password (issue 14). */
const DANA = { username: 'dana', displayName: 'Dana Berg', mobile: '+46701234507' };
const TEMPORARY = 'Temporary-Heron-6628';
const OWN = 'dana-Own-Choice-Kestrel-4';

test('an administrator sets a temporary password; the user logs on with it and must change it', async ({
  page,
  ui,
  seed,
  app,
}) => {
  await seed.twoFactor();
  await app.core.users.create({ ...DANA, roles: ['read-only'] }, 'sc-admin');

  await ui.signIn(ADMIN, ADMIN.mobile);
  await page.getByTestId('nav-users').click();
  await page.getByTestId('user-row-dana').getByTestId('user-edit').click();
  const dialog = page.getByTestId('user-form');
  await page.getByTestId('user-temp-password-open').click();
  await expect(page.getByTestId('user-temp-password')).toBeFocused();

  // Checked in the window first: the two entries, the length.
  await page.getByTestId('user-temp-password').fill(TEMPORARY);
  await page.getByTestId('user-temp-password-confirm').fill(`${TEMPORARY}x`);
  await page.getByTestId('user-temp-password-save').click();
  await expect(page.getByTestId('user-temp-password-confirm-error')).toHaveText(
    'The two passwords do not match.',
  );
  await page.getByTestId('user-temp-password').fill('too-short');
  await page.getByTestId('user-temp-password-save').click();
  await expect(page.getByTestId('user-temp-password-error')).toHaveText(
    'Use at least 12 characters (9 so far).',
  );
  await expect(page.getByTestId('user-temp-password')).toBeFocused();
  await ui.screenshot('users-temporary-password');

  await page.getByTestId('user-temp-password').fill(TEMPORARY);
  await page.getByTestId('user-temp-password-confirm').fill(TEMPORARY);
  await page.getByTestId('user-temp-password-confirm').press('Enter');
  await expect(page.getByTestId('user-temp-password-done')).toHaveText(
    'A temporary password was set for dana. They must change it at their next log on.',
  );
  // The fields are gone and emptied: the password stays nowhere in the window.
  await expect(page.getByTestId('user-temp-password')).toHaveCount(0);
  expect(await page.content()).not.toContain(TEMPORARY);
  await page.getByTestId('user-cancel').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('user-row-dana')).toContainText('Must change password');
  expect(app.core.audit.query({ action: 'password.set' }).entries[0]).toMatchObject({
    actor: ADMIN.username,
    target: 'dana',
    details: { mustChange: true },
  });

  // Dana: the temporary password, the code, then a password of her own, then a second code.
  await page.getByTestId('sign-out').click();
  await ui.logOn(DANA.username, TEMPORARY);
  await ui.enterCode(await ui.codeSentTo(DANA.mobile));
  await expect(page.getByTestId('screen-change-password')).toBeVisible();
  await page.getByTestId('pw-new').fill(OWN);
  await page.getByTestId('pw-confirm').fill(OWN);
  await page.getByTestId('pw-submit').click();
  await expect(page.getByTestId('code-after-password-change')).toBeVisible();
  await ui.enterCode(await ui.codeSentTo(DANA.mobile));
  await expect(page.getByTestId('shell-user')).toHaveText(DANA.displayName);

  // The temporary password no longer works; her own does.
  await page.getByTestId('sign-out').click();
  await ui.logOn(DANA.username, TEMPORARY);
  await expect(page.getByTestId('login-error')).toHaveText('Invalid username or password.');
});
