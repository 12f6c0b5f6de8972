import { test, expect, PASSWORD } from './fixtures';

const PAT = { username: 'pat', displayName: 'Pat Nyström', mobile: '+46701234503', mustChangePassword: true };
const NEW_PASSWORD = 'pat-Brand-New-Secret-9';

test('must change password: policy shown first, errors per field, then a second code', async ({
  page,
  ui,
  seed,
  emulator,
}) => {
  await seed.twoFactorUser(PAT);
  await ui.enterCode(await ui.logOnForCode(PAT));

  await expect(page.getByTestId('screen-change-password')).toBeVisible();
  await expect(page.getByTestId('pw-rules')).toContainText('At least 12 characters');
  await expect(page.getByTestId('pw-new')).toBeFocused();
  await ui.screenshot('change-password');

  // Checked in the window: length and confirmation.
  await ui.choosePassword('short', 'other');
  await expect(page.getByTestId('pw-new-error')).toHaveText('Use at least 12 characters (5 so far).');
  await expect(page.getByTestId('pw-confirm-error')).toHaveText('The two passwords do not match.');
  await expect(page.getByTestId('pw-new')).toBeFocused();
  await expect(page.getByTestId('pw-new')).toHaveAttribute('aria-invalid', 'true');
  await ui.screenshot('change-password-errors');

  // Checked in main, shown on its field: the current password is not a new one.
  await page.getByTestId('pw-new').fill(PASSWORD);
  await page.getByTestId('pw-confirm').fill(PASSWORD);
  await page.getByTestId('pw-confirm').press('Enter');
  await expect(page.getByTestId('pw-new-error')).toHaveText(
    'The new password must differ from your current one.',
  );

  const sent = emulator.outbox().length;
  await ui.choosePassword(NEW_PASSWORD);

  // The second code.
  await expect(page.getByTestId('code-after-password-change')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirm with a new code');
  expect(emulator.outbox().length).toBe(sent + 1);
  await ui.screenshot('code-after-password-change');
  await ui.enterCode(await ui.codeSentTo(PAT.mobile));
  await expect(page.getByTestId('shell-user')).toHaveText(PAT.displayName);

  // The new password is the one that works now.
  await page.getByTestId('sign-out').click();
  await ui.logOn(PAT.username, PASSWORD);
  await expect(page.getByTestId('login-error')).toHaveText('Invalid username or password.');
  await ui.signIn({ username: PAT.username, password: NEW_PASSWORD }, PAT.mobile);
});

test('with 2FA off a required password change leads straight in', async ({ page, ui, seed }) => {
  await seed.user(PAT);
  await ui.logOn(PAT.username, PASSWORD);
  await expect(page.getByTestId('screen-change-password')).toBeVisible();
  await ui.choosePassword(NEW_PASSWORD);
  await expect(page.getByTestId('screen-shell')).toBeVisible();
});

test('Esc on the password screen cancels the log-on', async ({ page, ui, seed }) => {
  await seed.user(PAT);
  await ui.logOn(PAT.username, PASSWORD);
  await expect(page.getByTestId('pw-new')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('screen-logon')).toBeVisible();
});
