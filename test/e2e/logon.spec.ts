import { test, expect, ADMIN, PASSWORD } from './fixtures';

test.describe('first run', () => {
  test.use({ firstRun: true });

  test('creates the first administrator, who then logs on', async ({ page, ui }) => {
    await expect(page.getByTestId('screen-first-run')).toBeVisible();
    await expect(page.getByTestId('firstrun-rules')).toContainText('At least 12 characters');
    await ui.checkA11y('first-run');
    await ui.screenshot('first-run');

    // Mistakes are shown per field before anything is sent.
    await page.getByTestId('firstrun-username').fill('root');
    await page.getByTestId('firstrun-password').fill('short');
    await page.getByTestId('firstrun-confirm').fill('different');
    await page.getByTestId('firstrun-submit').click();
    await expect(page.getByTestId('firstrun-password-error')).toContainText('at least 12 characters');
    await expect(page.getByTestId('firstrun-confirm-error')).toHaveText(/do not match/);
    await expect(page.getByTestId('firstrun-password')).toBeFocused();

    await page.getByTestId('firstrun-display-name').fill('Rosa Root');
    await page.getByTestId('firstrun-password').fill(PASSWORD);
    await page.getByTestId('firstrun-confirm').fill(PASSWORD);
    await page.getByTestId('firstrun-confirm').press('Enter');

    await expect(page.getByTestId('screen-logon')).toBeVisible();
    await ui.logOn('root', PASSWORD);
    await expect(page.getByTestId('shell-user')).toHaveText('Rosa Root');
    await expect(page.getByTestId('shell-role')).toHaveText('Administrator');
  });
});

test('logs on with 2FA off: password only, straight into the shell', async ({ page, ui, app }) => {
  await expect(page.getByTestId('screen-logon')).toBeVisible();
  await expect(page.getByTestId('login-sso')).toHaveCount(0);
  await ui.screenshot('log-on');
  await ui.logOn(ADMIN.username, ADMIN.password);
  await expect(page.getByTestId('screen-shell')).toBeVisible();
  await expect(page.getByTestId('shell-user')).toHaveText(ADMIN.displayName);
  for (const id of ['nav-policy', 'nav-secrets', 'nav-users', 'nav-audit']) {
    await expect(page.getByTestId(id)).toBeVisible();
  }
  const page1 = app.core.audit.query({ action: 'logon.success' });
  expect(page1.entries[0]?.actor).toBe(ADMIN.username);
});

test('a wrong password reads the same as an unknown user, and the form keeps the username', async ({
  page,
  ui,
}) => {
  await ui.logOn(ADMIN.username, 'not-the-password');
  await expect(page.getByTestId('login-error')).toHaveText('Invalid username or password.');
  await expect(page.getByTestId('login-username')).toHaveValue(ADMIN.username);
  await expect(page.getByTestId('login-password')).toHaveValue('');

  await ui.logOn('nobody', 'whatever-it-is');
  await expect(page.getByTestId('login-error')).toHaveText('Invalid username or password.');
});

test('empty fields are named before anything is sent; Enter submits', async ({ page }) => {
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-username-error')).toHaveText('Enter your username.');
  await expect(page.getByTestId('login-username')).toBeFocused();
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-username').press('Enter');
  await expect(page.getByTestId('login-password-error')).toHaveText('Enter your password.');
  await expect(page.getByTestId('login-password')).toBeFocused();
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-password').press('Enter');
  await expect(page.getByTestId('screen-shell')).toBeVisible();
});
