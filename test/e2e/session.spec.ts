import { test, expect, ADMIN } from './fixtures';

test('Sign out returns to Log on, saying so', async ({ page, ui }) => {
  await ui.signIn(ADMIN);
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('screen-logon')).toBeVisible();
  await expect(page.getByTestId('login-notice')).toHaveText('You have signed out.');
  await expect(page.getByTestId('login-username')).toBeFocused();
});

test('idle time-out: after 30 minutes without input the window is back at Log on, saying why', async ({
  page,
  ui,
  clock,
  app,
}) => {
  await ui.signIn(ADMIN);
  await clock.advance(30 * 60_000 + 1_000);
  await expect(page.getByTestId('screen-logon')).toBeVisible();
  await expect(page.getByTestId('login-notice')).toHaveText(
    'Your session ended because you were inactive. Log on again to continue.',
  );
  await ui.screenshot('session-expired');
  expect(app.core.audit.query({ action: 'logon.timeout' }).entries[0]?.target).toBe(ADMIN.username);
});

test('input counts as activity: a session in use does not time out', async ({ page, ui, clock }) => {
  await ui.signIn(ADMIN);
  await clock.advance(20 * 60_000);
  await page.keyboard.press('Shift');
  // A call after the key press: by its answer, main has seen the activity.
  await page.getByTestId('nav-users').click();
  await expect(page.getByTestId('user-row-admin')).toBeVisible();
  await clock.advance(20 * 60_000);
  await page.getByTestId('nav-audit').click();
  await expect(page.getByTestId('screen-audit')).toBeVisible();
  await expect(page.getByTestId('screen-shell')).toBeVisible();
  await clock.advance(31 * 60_000);
  await expect(page.getByTestId('screen-logon')).toBeVisible();
});
