import { test, expect, PASSWORD } from './fixtures';

test('a read-only user sees every administration screen without edit controls; main refuses edits anyway', async ({
  page,
  ui,
  seed,
  app,
}) => {
  await seed.user({ username: 'rita', displayName: 'Rita Reader', roles: ['read-only'] });
  await ui.signIn({ username: 'rita', password: PASSWORD });
  await expect(page.getByTestId('shell-role')).toHaveText('Read-only');

  await expect(page.getByTestId('screen-policy')).toBeVisible();
  await expect(page.getByTestId('readonly-notice')).toBeVisible();
  await expect(page.getByTestId('policy-valid-minutes')).toHaveValue('5');
  await expect(page.getByTestId('policy-valid-minutes')).toBeDisabled();
  await expect(page.getByTestId('policy-2fa-enabled')).toBeDisabled();
  await expect(page.getByTestId('sinch-endpoint')).toBeDisabled();
  await expect(page.getByTestId('policy-save')).toHaveCount(0);
  await expect(page.getByTestId('policy-readiness')).toBeVisible();
  await ui.screenshot('read-only-policy');

  await page.getByTestId('nav-secrets').click();
  await expect(page.getByTestId('secret-state')).toHaveText('Provisioned default');
  await expect(page.getByTestId('secret-save')).toHaveCount(0);
  await expect(page.getByTestId('secret-value')).toHaveCount(0);
  await expect(page.getByTestId('secret-delete')).toHaveCount(0);
  await expect(page.getByTestId('verify-start')).toHaveCount(0);

  await page.getByTestId('nav-users').click();
  await expect(page.getByTestId('user-row-rita')).toBeVisible();
  await expect(page.getByTestId('users-new')).toHaveCount(0);
  await expect(page.getByTestId('user-edit')).toHaveCount(0);
  await expect(page.getByTestId('user-unlock')).toHaveCount(0);

  await page.getByTestId('nav-audit').click();
  await expect(page.getByTestId('audit-row').first()).toBeVisible();

  // The window is not the guard: main refuses a change from a read-only session.
  const before = app.core.policy.get();
  const answer = await page.evaluate(() => window.sc.policy.set({ twoFactor: { validMinutes: 9 } }));
  expect(answer).toEqual({
    ok: false,
    error: { code: 'forbidden', message: 'Only an administrator can do this.' },
  });
  expect(app.core.policy.get()).toEqual(before);
});

test('a user without administration roles sees a welcome, no administration', async ({ page, ui, seed }) => {
  await seed.user({ username: 'una', displayName: 'Una User' });
  await ui.signIn({ username: 'una', password: PASSWORD });
  await expect(page.getByTestId('shell-welcome')).toContainText('Welcome, Una User');
  await expect(page.getByTestId('nav-policy')).toHaveCount(0);
});
