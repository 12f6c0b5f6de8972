import { test, expect, PASSWORD, SAM } from './fixtures';

type Journey = Parameters<Parameters<typeof test>[2]>[0];

/** Sam logs on while every Sinch call answers `status`; the window shows a refusal. */
async function logOnWhileSinchAnswers(
  status: number,
  { page, ui, seed, emulator }: Pick<Journey, 'page' | 'ui' | 'seed' | 'emulator'>,
): Promise<void> {
  await seed.twoFactorUser();
  emulator.injectFaults({ status, count: 20 });
  await ui.logOn(SAM.username, PASSWORD);
  await expect(page.getByTestId('screen-refused')).toBeVisible();
}

test('verification service unavailable: a clear message, no attempt counted, and Retry', async ({
  page,
  ui,
  seed,
  emulator,
  app,
}) => {
  await logOnWhileSinchAnswers(503, { page, ui, seed, emulator });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verification service unavailable');
  await expect(page.getByTestId('refused-message')).toContainText('No attempt was counted');
  await expect(page.getByTestId('refused-detail')).toBeVisible();
  await expect(page.getByTestId('refused-retry')).toBeFocused();
  await ui.screenshot('refused-unavailable');
  expect(app.core.users.get(SAM.username).failedCodeAttempts).toBe(0);

  // Still down: Retry answers the same, calmly.
  await page.getByTestId('refused-retry').click();
  await expect(page.getByTestId('refused-retry')).toHaveText('Retry');
  await expect(page.getByTestId('screen-refused')).toBeVisible();
  expect(app.core.users.get(SAM.username).failedCodeAttempts).toBe(0);

  emulator.clearFaults();
  await page.getByTestId('refused-retry').click();
  await expect(page.getByTestId('screen-code')).toBeVisible();
  await ui.enterCode(await ui.codeSentTo(SAM.mobile));
  await expect(page.getByTestId('screen-shell')).toBeVisible();
});

test('a missing Sinch secret is a setup problem: the reason, no Retry, contact the administrator', async ({
  page,
  ui,
  seed,
}) => {
  await seed.twoFactorUser();
  await seed.noSecret();
  await ui.logOn(SAM.username, PASSWORD);
  await expect(page.getByTestId('screen-refused')).toBeVisible();
  await expect(page.getByTestId('refused-message')).toHaveAttribute(
    'data-reason',
    'verification-misconfigured',
  );
  await expect(page.getByTestId('refused-detail')).toContainText('secret is not set');
  await expect(page.getByTestId('refused-retry')).toHaveCount(0);
  await expect(page.getByTestId('refused-next-step')).toContainText('Contact your administrator');
});

test('a wrong Sinch key or secret is a configuration problem, not an outage: no Retry that cannot help', async ({
  page,
  ui,
  seed,
  emulator,
  app,
}) => {
  await logOnWhileSinchAnswers(401, { page, ui, seed, emulator });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verification is not set up correctly');
  await expect(page.getByTestId('refused-message')).toContainText('configuration problem');
  await expect(page.getByTestId('refused-message')).not.toContainText('unavailable');
  await expect(page.getByTestId('refused-detail')).toContainText('did not accept the configured Sinch key');
  await expect(page.getByTestId('refused-retry')).toHaveCount(0);
  await expect(page.getByTestId('refused-next-step')).toContainText('Contact your administrator');
  await expect(page.getByTestId('refused-back')).toBeFocused();
  await ui.screenshot('refused-misconfigured');
  expect(app.core.users.get(SAM.username).failedCodeAttempts).toBe(0);
});

test('an administrator meeting a wrong key or secret is sent to the Secrets manager', async ({
  page,
  ui,
  seed,
  emulator,
}) => {
  await seed.twoFactorUser({ ...SAM, roles: ['administrator'] });
  emulator.injectFaults({ status: 401, count: 20 });
  await ui.logOn(SAM.username, PASSWORD);
  await expect(page.getByTestId('refused-next-step')).toContainText('Secrets manager');
  await expect(page.getByTestId('refused-next-step')).toContainText('sc-admin secret set');
});

test('no verification contact: told to ask the administrator, no Retry', async ({ page, ui, seed }) => {
  await seed.twoFactorUser(
    { username: 'nina', displayName: 'Nina Ek' },
    { primaryMethod: 'sms', fallbackMethod: 'email' },
  );
  await ui.logOn('nina', PASSWORD);
  await expect(page.getByTestId('screen-refused')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('No verification contact');
  await expect(page.getByTestId('refused-message')).toContainText('Ask your administrator');
  await expect(page.getByTestId('refused-retry')).toHaveCount(0);
  await ui.screenshot('refused-no-contact');
  await page.getByTestId('refused-back').click();
  await expect(page.getByTestId('screen-logon')).toBeVisible();
});
