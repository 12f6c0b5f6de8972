/**
 * The first view is the log-on flow alone: the window fetches the signed-in screens (the Shell chunk) and
 * the admin area's messages (`fi-admin-….js`) only once someone has signed in, and then shows them in the
 * window's language at once. (test/packaging/renderer-bundle.test.ts checks the build itself.)
 */
import type { Page } from '@playwright/test';
import { test, expect, ADMIN, type Ui } from './fixtures';

/**
 * Records the scripts the window fetches (by file name) from a reload on: the page's fake clock hides
 * Resource Timing, so the requests are watched instead (the host serves them with no-store).
 */
async function watchScripts(page: Page): Promise<string[]> {
  const fetched: string[] = [];
  page.on('request', (request) => {
    const file = new URL(request.url()).pathname.split('/').pop() ?? '';
    if (file.endsWith('.js')) fetched.push(file);
  });
  await page.reload();
  return fetched;
}

const SIGNED_IN_ONLY = /^(Shell|[a-z]{2}-admin)-/;

/** An administrator's log-on with a code: the scripts fetched before the code is entered, and after. */
async function scriptsAroundSignIn(page: Page, ui: Ui) {
  const fetched = await watchScripts(page);
  await expect(page.getByTestId('screen-logon')).toBeVisible();
  await ui.logOn(ADMIN.username, ADMIN.password);
  const code = await ui.codeSentTo(ADMIN.mobile);
  const beforeSignIn = [...fetched];
  await ui.enterCode(code);
  await expect(page.getByTestId('screen-shell')).toBeVisible();
  return { beforeSignIn, afterSignIn: [...fetched] };
}

test.beforeEach(async ({ seed }) => {
  await seed.twoFactor();
});

test('Log on and Code fetch no signed-in screen; signing in fetches the Shell chunk', async ({
  page,
  ui,
}) => {
  const { beforeSignIn, afterSignIn } = await scriptsAroundSignIn(page, ui);
  expect(beforeSignIn.length).toBeGreaterThan(0);
  expect(beforeSignIn.filter((file) => SIGNED_IN_ONLY.test(file))).toEqual([]);
  expect(afterSignIn.filter((file) => SIGNED_IN_ONLY.test(file))).toEqual([expect.stringMatching(/^Shell-/)]);
  await expect(page.getByTestId('nav-policy')).toHaveText('Authentication Policy');
});

test.describe('in Finnish', () => {
  test.use({ locale: 'fi-FI' });

  test('the log-on messages come first, the admin messages with the Shell, shown in Finnish', async ({
    page,
    ui,
  }) => {
    const { beforeSignIn, afterSignIn } = await scriptsAroundSignIn(page, ui);
    expect(beforeSignIn.filter((file) => file.startsWith('fi-'))).toEqual([
      expect.stringMatching(/^fi-logOn-/),
    ]);
    expect(beforeSignIn.filter((file) => SIGNED_IN_ONLY.test(file))).toEqual([]);
    expect(afterSignIn.filter((file) => SIGNED_IN_ONLY.test(file)).sort()).toEqual([
      expect.stringMatching(/^Shell-/),
      expect.stringMatching(/^fi-admin-/),
    ]);
    await expect(page.getByTestId('nav-policy')).toHaveText('Tunnistautumiskäytäntö');
  });
});
