import { test, expect, ADMIN } from './fixtures';

test('an administrator replaces the provisioned default with their own secret, then runs Test connection', async ({
  page,
  ui,
  app,
  emulator,
}) => {
  await ui.signIn(ADMIN);
  await page.getByTestId('nav-secrets').click();
  await expect(page.getByTestId('secret-state')).toHaveText('Provisioned default');
  await expect(page.getByTestId('secret-auth-id-value')).toHaveText(emulator.credentials.authId);
  await expect(page.getByTestId('secret-updated')).toContainText('by installer');

  await page.getByTestId('secret-auth-id').fill(emulator.credentials.authId);
  const secretField = page.getByTestId('secret-value');
  await expect(secretField).toHaveAttribute('type', 'password');
  await expect(secretField).toHaveValue('');
  await secretField.fill(emulator.credentials.secret);
  await secretField.press('Enter');

  await expect(page.getByTestId('secret-message')).toHaveText(
    'The secret was saved to the OS keychain. It is used from the next verification.',
  );
  await expect(page.getByTestId('secret-state')).toHaveText('Set');
  await expect(page.getByTestId('secret-updated')).toContainText(`by ${ADMIN.username}`);
  await expect(secretField).toHaveValue('');
  expect(await page.content()).not.toContain(emulator.credentials.secret);
  expect(app.core.secrets.info('sinch-verification-api')?.isDefault).toBe(false);

  // Test connection: a code to the administrator's own number, confirmed.
  await page.getByTestId('verify-method').selectOption('sms');
  await page.getByTestId('verify-start').click();
  await expect(page.getByTestId('verify-destination')).toHaveText('Code sent by SMS to +46 •• ••• •• 01.');
  await expect(page.getByTestId('verify-code')).toBeFocused();
  await ui.screenshot('secrets');
  await page.getByTestId('verify-code').fill(emulator.lastCodeFor(ADMIN.mobile)!);
  await page.getByTestId('verify-confirm').click();
  await expect(page.getByTestId('verify-outcome')).toHaveText(
    'The connection works: the code was verified by the Sinch Verification API.',
  );
});

test('Test connection says plainly when Sinch refuses the credentials', async ({
  page,
  ui,
  seed,
  emulator,
}) => {
  await seed.secret({ secret: 'd3Jvbmctc2VjcmV0', asDefault: false });
  await ui.signIn(ADMIN);
  await page.getByTestId('nav-secrets').click();
  await page.getByTestId('verify-start').click();
  await expect(page.getByTestId('verify-error')).toBeVisible();
  expect(emulator.outbox()).toHaveLength(0);
});

test('e-mail (beta) test connection goes to the administrator’s own address', async ({
  page,
  ui,
  emulator,
}) => {
  await ui.signIn(ADMIN);
  await page.getByTestId('nav-secrets').click();
  await page.getByTestId('verify-method').selectOption('email');
  await page.getByTestId('verify-start').click();
  await expect(page.getByTestId('verify-destination')).toHaveText(
    'Code sent by e-mail (beta) to a•••@example.com.',
  );
  await page
    .getByTestId('verify-code')
    .fill('000000' === emulator.lastCodeFor(ADMIN.email) ? '111111' : '000000');
  await page.getByTestId('verify-confirm').click();
  await expect(page.getByTestId('verify-outcome')).toContainText('The code was not right.');
});

test('deleting the secret asks first; Esc keeps it; confirming leaves it missing', async ({
  page,
  ui,
  app,
}) => {
  await ui.signIn(ADMIN);
  await page.getByTestId('nav-secrets').click();
  await page.getByTestId('secret-delete').click();
  const dialog = page.getByTestId('secret-delete-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('secret-delete-dialog-cancel')).toBeFocused();
  await ui.screenshot('secrets-delete-confirm');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('secret-delete')).toBeFocused();
  expect(app.core.secrets.info('sinch-verification-api')).not.toBeNull();

  await page.getByTestId('secret-delete').click();
  await page.getByTestId('secret-delete-dialog-confirm').click();
  await expect(page.getByTestId('secret-state')).toHaveText('Missing');
  await expect(page.getByTestId('secret-message')).toContainText('was deleted');
  await expect(page.getByTestId('secret-delete')).toHaveCount(0);
  expect(app.core.secrets.info('sinch-verification-api')).toBeNull();
  await ui.screenshot('secrets-missing');
});

test('the secret form names what is missing', async ({ page, ui }) => {
  await ui.signIn(ADMIN);
  await page.getByTestId('nav-secrets').click();
  await page.getByTestId('secret-auth-id').fill('');
  await page.getByTestId('secret-save').click();
  await expect(page.getByTestId('secret-auth-id-error')).toHaveText(
    'Enter the Authentication ID (the Sinch application key).',
  );
  await expect(page.getByTestId('secret-value-error')).toHaveText('Enter the secret.');
  await expect(page.getByTestId('secret-auth-id')).toBeFocused();
});
