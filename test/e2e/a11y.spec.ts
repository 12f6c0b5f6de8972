/**
 * axe-core (WCAG 2.x A/AA and best practices) on every screen: no serious or critical violation. Also a
 * screenshot of each screen, and keyboard-only journeys.
 */
import { test, expect, ADMIN, PASSWORD, SAM, wrongCodeFor } from './fixtures';

// Each test walks many screens and runs axe-core on each: they take longer than a single journey.
test.describe.configure({ timeout: 120_000 });

test('login screens: log on, code, change password, locked, refused, session expired', async ({
  page,
  ui,
  seed,
  emulator,
  clock,
}) => {
  await seed.twoFactor({ maxAttempts: 2 });
  await seed.user({ ...SAM, mustChangePassword: true });
  await seed.user({ username: 'nina', displayName: 'Nina Ek' });

  await ui.checkA11y('log-on');
  await ui.logOn(SAM.username, 'wrong-password');
  await expect(page.getByTestId('login-error')).toBeVisible();
  await ui.checkA11y('log-on-error');
  await ui.screenshot('log-on-error');

  await ui.logOn(SAM.username, PASSWORD);
  const code = await ui.codeSentTo(SAM.mobile);
  await ui.checkA11y('code');
  await ui.enterCode(wrongCodeFor(code));
  await expect(page.getByTestId('code-error')).toBeVisible();
  await ui.checkA11y('code-wrong');
  await ui.enterCode(await ui.codeSentTo(SAM.mobile));

  await expect(page.getByTestId('screen-change-password')).toBeVisible();
  await ui.checkA11y('change-password');
  await page.getByTestId('pw-submit').click();
  await expect(page.getByTestId('pw-new-error')).toBeVisible();
  await ui.checkA11y('change-password-errors');
  await page.getByTestId('pw-cancel').click();

  // Locked (two wrong codes with maxAttempts 2).
  await seed.policy({ twoFactor: { maxAttempts: 1 } });
  await ui.logOn(SAM.username, PASSWORD);
  await ui.enterCode(wrongCodeFor(await ui.codeSentTo(SAM.mobile)));
  await expect(page.getByTestId('screen-locked')).toBeVisible();
  await ui.checkA11y('locked');
  await page.getByTestId('locked-back').click();

  await ui.logOn('nina', PASSWORD);
  await expect(page.getByTestId('screen-refused')).toBeVisible();
  await ui.checkA11y('refused-no-contact');
  await page.getByTestId('refused-back').click();

  emulator.injectFaults({ status: 503, count: 10 });
  await ui.logOn(ADMIN.username, ADMIN.password);
  await expect(page.getByTestId('refused-retry')).toBeVisible();
  await ui.checkA11y('refused-unavailable');
  emulator.clearFaults();
  await page.getByTestId('refused-retry').click();
  await ui.enterCode(await ui.codeSentTo(ADMIN.mobile));
  await expect(page.getByTestId('screen-shell')).toBeVisible();

  await clock.advance(31 * 60_000);
  await expect(page.getByTestId('login-notice')).toBeVisible();
  await ui.checkA11y('session-expired');
});

test('administration screens, as administrator and as read-only user', async ({ page, ui, seed, app }) => {
  await seed.user({ username: 'rita', displayName: 'Rita Reader', roles: ['read-only'] });
  await seed.user({ username: 'nina', displayName: 'Nina Ek' });
  app.core.audit.append({
    actor: 'sc-admin',
    action: 'secret.set',
    target: 'sinch-verification-api',
    outcome: 'success',
  });
  await ui.signIn(ADMIN);

  await expect(page.getByTestId('policy-readiness-summary')).toBeVisible();
  await ui.checkA11y('policy');
  await page.getByTestId('policy-valid-minutes').fill('0');
  await page.getByTestId('policy-save').click();
  await expect(page.getByTestId('policy-error')).toBeVisible();
  await ui.checkA11y('policy-errors');

  await page.getByTestId('nav-secrets').click();
  await expect(page.getByTestId('secret-state')).toBeVisible();
  await ui.checkA11y('secrets');
  await page.getByTestId('secret-delete').click();
  await expect(page.getByTestId('secret-delete-dialog')).toBeVisible();
  await ui.checkA11y('secrets-delete-dialog');
  await page.keyboard.press('Escape');

  await page.getByTestId('nav-users').click();
  await expect(page.getByTestId('user-row-nina')).toBeVisible();
  await ui.checkA11y('users');
  await page.getByTestId('users-new').click();
  await page.getByTestId('user-mobile').fill('123');
  await page.getByTestId('user-save').click();
  await expect(page.getByTestId('user-mobile-error')).toBeVisible();
  await ui.checkA11y('users-new-dialog');
  await ui.screenshot('users-new');
  await page.keyboard.press('Escape');

  await page.getByTestId('nav-audit').click();
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  await ui.checkA11y('audit');

  await page.getByTestId('sign-out').click();
  await ui.signIn({ username: 'rita', password: PASSWORD });
  await expect(page.getByTestId('readonly-notice')).toBeVisible();
  await ui.checkA11y('read-only-policy');
  await page.getByTestId('nav-secrets').click();
  await ui.checkA11y('read-only-secrets');
});

test('keyboard only: Tab order, Enter submits, Esc cancels, all the way into the shell', async ({
  page,
  ui,
  seed,
}) => {
  await seed.twoFactor();
  // Focus starts in the username field; Tab goes to the password, then to Log on.
  await expect(page.getByTestId('login-username')).toBeFocused();
  await page.keyboard.type(ADMIN.username);
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('login-password')).toBeFocused();
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('login-submit')).toBeFocused();
  await page.keyboard.press('Enter');

  // Code screen: focus in the code field; Esc cancels back to Log on.
  await expect(page.getByTestId('code-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('screen-logon')).toBeVisible();

  await page.getByTestId('login-username').focus();
  await page.keyboard.type(ADMIN.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press('Enter');
  const code = await ui.codeSentTo(ADMIN.mobile);
  await expect(page.getByTestId('code-input')).toBeFocused();
  await page.keyboard.type(code.slice(0, 5));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('code-error')).toHaveText('Enter the 6-digit code.');
  await page.keyboard.type(code.slice(5));
  await expect(page.getByTestId('screen-shell')).toBeVisible();

  // The shell: a skip link first, then the navigation, reachable by Tab.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('language-picker')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('sign-out')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('nav-policy')).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('screen-secrets')).toBeVisible();
  await expect(page.getByTestId('nav-secrets')).toHaveAttribute('aria-current', 'page');
});
