/**
 * The window's side of SSO: the button only when SSO is configured, the waiting screen, Cancel, and the
 * same path as a password afterwards. The identity provider is a stand-in here (SSO has its own suite).
 */
import { test, expect, ADMIN } from './fixtures';

test.describe('with SSO configured', () => {
  let release: ((username: string) => void) | null = null;
  test.use({
    sso: {
      isEnabled: () => true,
      authenticate: (signal: AbortSignal) =>
        new Promise<{ username: string; subject: string }>((resolve, reject) => {
          release = (username) => resolve({ username, subject: `sub-${username}` });
          signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    },
  });

  test('"Log on with SSO" waits for the browser, and Cancel returns to Log on', async ({ page, ui }) => {
    await expect(page.getByTestId('login-sso')).toHaveText('Log on with SSO');
    await page.getByTestId('login-sso').click();
    await expect(page.getByTestId('screen-sso')).toBeVisible();
    await ui.checkA11y('sso-waiting');
    await ui.screenshot('sso-waiting');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('screen-logon')).toBeVisible();
  });

  test('the identity provider’s answer continues like a password log-on', async ({ page, seed, ui }) => {
    await seed.twoFactor();
    await page.getByTestId('login-sso').click();
    await expect(page.getByTestId('screen-sso')).toBeVisible();
    await expect.poll(() => release !== null).toBe(true);
    release?.(ADMIN.username);
    await ui.enterCode(await ui.codeSentTo(ADMIN.mobile));
    await expect(page.getByTestId('shell-user')).toHaveText(ADMIN.displayName);
  });
});
