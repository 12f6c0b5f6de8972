/**
 * A tour of the main screens with realistic data (pictures in test-results/screenshots/tour-*.png; the
 * README's pictures come from `npm run screenshots`, test/e2e/screenshots.spec.ts).
 */
import { test, expect, ADMIN, PASSWORD, wrongCodeFor } from './fixtures';

test('tour: log on, code, locked, policy, users, secrets', async ({ page, ui, seed, app }) => {
  test.setTimeout(90_000);
  await seed.twoFactor({ primaryMethod: 'sms', fallbackMethod: 'email' });
  await seed.user({
    username: 'jonas',
    displayName: 'Jonas Eriksson',
    mobile: '+46701234510',
    email: 'jonas.eriksson@example.com',
    roles: ['read-only'],
  });
  await seed.user({ username: 'maria', displayName: 'Maria Svensson', mobile: '+46701234511' });
  await seed.user({ username: 'li', displayName: 'Li Chen', email: 'li.chen@example.com' });
  await seed.user({ username: 'kim', displayName: 'Kim Andersen', mustChangePassword: true });

  await page.getByTestId('login-username').fill('maria');
  await ui.screenshot('tour-log-on');

  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  const first = await ui.codeSentTo('+46701234511');
  await ui.enterCode(wrongCodeFor(first));
  await expect(page.getByTestId('code-attempts-left')).toHaveText('2 attempts left');
  await page.getByTestId('code-input').fill('4');
  await ui.screenshot('tour-code');
  await page.getByTestId('code-input').fill('');
  await ui.enterCode(wrongCodeFor(await ui.codeSentTo('+46701234511')));
  await expect(page.getByTestId('code-attempts-left')).toHaveText('1 attempt left');
  await ui.enterCode(wrongCodeFor(await ui.codeSentTo('+46701234511')));
  await expect(page.getByTestId('screen-locked')).toBeVisible();
  await ui.screenshot('tour-locked');
  await page.getByTestId('locked-back').click();

  await ui.signIn(ADMIN, ADMIN.mobile);
  await page.getByTestId('policy-fallback').selectOption('none');
  await expect(page.getByTestId('readiness-user')).toHaveCount(2);
  await page.mouse.move(0, 0);
  await ui.screenshot('tour-policy');

  await page.getByTestId('nav-users').click();
  await expect(page.getByTestId('user-row-maria').getByTestId('user-lock')).toBeVisible();
  await page.mouse.move(0, 0);
  await ui.screenshot('tour-users');

  await page.getByTestId('nav-secrets').click();
  await page.getByTestId('verify-start').click();
  await expect(page.getByTestId('verify-destination')).toBeVisible();
  await ui.screenshot('tour-secrets');
  expect(app.core.users.get('maria').scLockedUntil).not.toBeNull();
});
