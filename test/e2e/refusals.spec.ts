import { test, expect, PASSWORD } from './fixtures';

const SAM = { username: 'sam', displayName: 'Sam Berg', mobile: '+46701234502' };

test('verification service unavailable: a clear message, no attempt counted, and Retry', async ({
  page,
  ui,
  seed,
  emulator,
  app,
}) => {
  await seed.twoFactor();
  await seed.user(SAM);
  emulator.injectFaults({ status: 503, count: 20 });
  await ui.logOn(SAM.username, PASSWORD);

  await expect(page.getByTestId('screen-refused')).toBeVisible();
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

test('a missing Sinch secret reads as the service being unavailable, with the reason', async ({
  page,
  ui,
  seed,
}) => {
  await seed.twoFactor();
  await seed.user(SAM);
  await seed.noSecret();
  await ui.logOn(SAM.username, PASSWORD);
  await expect(page.getByTestId('screen-refused')).toBeVisible();
  await expect(page.getByTestId('refused-detail')).toContainText('secret is not set');
});

test('no verification contact: told to ask the administrator, no Retry', async ({ page, ui, seed }) => {
  await seed.twoFactor({ primaryMethod: 'sms', fallbackMethod: 'email' });
  await seed.user({ username: 'nina', displayName: 'Nina Ek' });
  await ui.logOn('nina', PASSWORD);
  await expect(page.getByTestId('screen-refused')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('No verification contact');
  await expect(page.getByTestId('refused-message')).toContainText('Ask your administrator');
  await expect(page.getByTestId('refused-retry')).toHaveCount(0);
  await ui.screenshot('refused-no-contact');
  await page.getByTestId('refused-back').click();
  await expect(page.getByTestId('screen-logon')).toBeVisible();
});
