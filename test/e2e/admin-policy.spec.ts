import { test, expect, ADMIN } from './fixtures';

test.beforeEach(async ({ seed }) => {
  await seed.user({ username: 'nina', displayName: 'Nina Ek' });
  await seed.user({ username: 'omar', displayName: 'Omar Said', mobile: '+46701234504' });
  await seed.user({ username: 'lisa', displayName: 'Lisa Wu', email: 'lisa.wu@example.com' });
});

test('shows the seed’s two blocks with their field names and defaults', async ({ page, ui, emulator }) => {
  await ui.signIn(ADMIN);
  await expect(page.getByTestId('screen-policy')).toBeVisible();
  const field = (label: string) => page.getByLabel(label, { exact: true });

  await expect(
    page.getByRole('group', { name: 'Two-factor authentication (2FA) for System Configurator' }),
  ).toBeVisible();
  await expect(field('Use two-factor authentication')).not.toBeChecked();
  await expect(field('Primary method')).toHaveValue('sms');
  await expect(page.getByTestId('policy-primary').locator('option')).toHaveText(['SMS', 'Email (beta)']);
  await expect(field('Fallback method')).toHaveValue('none');
  await expect(page.getByTestId('policy-fallback').locator('option')).toHaveText(['None', 'Email (beta)']);
  await expect(field('Verification code valid for (minutes)')).toHaveValue('5');
  await expect(field('Maximum attempts for 2FA')).toHaveValue('3');
  await expect(field('Locked for (minutes)')).toHaveValue('30');

  await expect(page.getByRole('group', { name: 'Sinch Verification API' })).toBeVisible();
  await expect(field('Endpoint URL')).toHaveValue(emulator.url);
  await expect(field('Authentication method')).toHaveValue('signed');
  await expect(page.getByTestId('sinch-auth').locator('option')).toHaveText([
    'Basic',
    'Application signed request',
  ]);
  await expect(field('Email sender address')).toHaveValue('noreply@sc.example');
  await expect(field('Email sender name')).toHaveValue('System Configurator');

  await expect(page.getByTestId('policy-email-risk')).toContainText('NIST SP 800-63B');
  await expect(page.getByTestId('policy-email-risk')).toContainText('beta');
});

test('inline validation from the contract, then a save that applies', async ({ page, ui, app }) => {
  await ui.signIn(ADMIN);
  const before = app.core.policy.get();

  await page.getByTestId('policy-valid-minutes').fill('0');
  await expect(page.getByTestId('policy-valid-minutes-error')).toHaveText(
    'A code must be valid for at least 1 minute.',
  );
  await page.getByTestId('policy-max-attempts').fill('abc');
  await expect(page.getByTestId('policy-max-attempts-error')).toHaveText('Enter a number of attempts.');
  await page.getByTestId('policy-lock-minutes').fill('2000');
  await expect(page.getByTestId('policy-lock-minutes-error')).toHaveText(
    'Lock for at most 1440 minutes (24 hours).',
  );
  await page.getByTestId('sinch-endpoint').fill('http://verification.example.com');
  await expect(page.getByTestId('sinch-endpoint-error')).toHaveText(
    'The endpoint must be an https:// URL (http:// only for 127.0.0.1 or localhost).',
  );
  await page.getByTestId('sinch-email-address').fill('not-an-address');
  await expect(page.getByTestId('sinch-email-address-error')).toHaveText(
    'Enter a valid e-mail address, like name@example.com.',
  );
  await expect(page.getByTestId('policy-valid-minutes')).toHaveAttribute('aria-invalid', 'true');

  await page.getByTestId('policy-save').click();
  await expect(page.getByTestId('policy-error')).toHaveText(
    'The policy was not saved: check the highlighted fields.',
  );
  await expect(page.getByTestId('policy-valid-minutes')).toBeFocused();
  expect(app.core.policy.get()).toEqual(before);
  await ui.screenshot('policy-errors');

  // Fix them, switch 2FA on with e-mail first and SMS as fallback, save with Enter.
  await page.getByTestId('policy-valid-minutes').fill('10');
  await page.getByTestId('policy-max-attempts').fill('5');
  await page.getByTestId('policy-lock-minutes').fill('60');
  await page.getByTestId('sinch-endpoint').fill('https://verification.api.sinch.com');
  await page.getByTestId('sinch-email-address').fill('no-reply@corp.example');
  await page.getByTestId('policy-2fa-enabled').check();
  await page.getByTestId('policy-primary').selectOption('email');
  await expect(page.getByTestId('policy-email-risk')).toHaveClass(/note-warning/);
  await page.getByTestId('policy-fallback').selectOption('sms');
  await expect(page.getByTestId('policy-dirty')).toHaveText('Unsaved changes');
  await page.getByTestId('sinch-email-name').press('Enter');

  await expect(page.getByTestId('policy-saved')).toHaveText('Policy saved. It applies from the next log-on.');
  await expect(page.getByTestId('policy-dirty')).toHaveCount(0);
  expect(app.core.policy.get().twoFactor).toEqual({
    enabled: true,
    primaryMethod: 'email',
    fallbackMethod: 'sms',
    validMinutes: 10,
    maxAttempts: 5,
    lockMinutes: 60,
  });
  expect(app.core.policy.get().sinch.emailSenderAddress).toBe('no-reply@corp.example');
  expect(app.core.audit.query({ action: 'policy.changed' }).entries[0]?.actor).toBe(ADMIN.username);
});

test('main’s own rule is shown on its field: e-mail needs a sender address', async ({ page, ui }) => {
  await ui.signIn(ADMIN);
  await page.getByTestId('sinch-email-address').fill('');
  await page.getByTestId('policy-2fa-enabled').check();
  await page.getByTestId('policy-primary').selectOption('email');
  await page.getByTestId('policy-save').click();
  await expect(page.getByTestId('sinch-email-address-error')).toHaveText(
    'Enter the e-mail sender address before using Email (beta) for 2FA.',
  );
  await expect(page.getByTestId('sinch-email-address')).toBeFocused();
  await expect(page.getByTestId('policy-error')).toContainText('The policy was not saved');
});

test('the readiness check lists, by name, who could not log in with the chosen methods', async ({
  page,
  ui,
}) => {
  await ui.signIn(ADMIN);
  const panel = page.getByTestId('policy-readiness');
  // SMS only: Nina (no contact) and Lisa (e-mail only) could not log in.
  await expect(panel.getByTestId('readiness-user')).toHaveText(
    ['Nina Ek (nina)', 'Lisa Wu (lisa)'].sort(byUsername),
  );
  await expect(panel.getByTestId('policy-readiness-summary')).toContainText('2 of 4 active users');
  await ui.screenshot('policy');

  // SMS with e-mail fallback: only Nina.
  await page.getByTestId('policy-fallback').selectOption('email');
  await expect(panel.getByTestId('readiness-user')).toHaveText(['Nina Ek (nina)']);
  await page.getByTestId('policy-2fa-enabled').check();
  await expect(panel.getByTestId('policy-readiness-summary')).toContainText(
    'With two-factor authentication on, they cannot log in.',
  );
});

function byUsername(a: string, b: string): number {
  const name = (s: string) => /\((.+)\)$/.exec(s)?.[1] ?? s;
  return name(a).localeCompare(name(b));
}
