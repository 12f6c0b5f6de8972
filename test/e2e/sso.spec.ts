/**
 * The window's side of SSO, against a real OpenID provider (oidc-provider on 127.0.0.1) and a scripted
 * system browser: the button only when SSO is configured, the waiting screen, Cancel, the same path as a
 * password afterwards, and a clear refusal. The protocol's own checks have their own suite
 * (test/integration/sso.test.ts).
 */
import type { SsoLinkInput } from '../../main/contract/domain';
import { test, expect, ADMIN } from './fixtures';

/** Whether anything still answers at `url` (the app's loopback listener must be gone after a log-on). */
async function isListening(url: string): Promise<boolean> {
  try {
    await fetch(url, { headers: { connection: 'close' } });
    return true;
  } catch {
    return false;
  }
}

function redirectUriOf(authorizationUrl: string | undefined): string {
  const redirectUri = authorizationUrl && new URL(authorizationUrl).searchParams.get('redirect_uri');
  if (!redirectUri) throw new Error(`no redirect_uri in ${authorizationUrl}`);
  return redirectUri;
}

/** An administrator is never linked by a claim: another administrator links their SSO identity first. */
function linkAdministrator(
  app: { core: { ssoIdentities: { link(input: SsoLinkInput, actor: string): unknown } } },
  idp: { issuer: string; subjectOf(username: string): string },
): void {
  const subject = idp.subjectOf(ADMIN.username);
  app.core.ssoIdentities.link({ issuer: idp.issuer, subject, username: ADMIN.username }, 'test');
}

test.describe('with SSO configured', () => {
  test.use({ sso: true });

  test('"Log on with SSO" opens the provider and waits for the browser; Cancel returns to Log on', async ({
    page,
    idp,
    ui,
  }) => {
    await expect(page.getByTestId('login-sso')).toHaveText('Log on with SSO');
    await page.getByTestId('login-sso').click();
    await expect(page.getByTestId('screen-sso')).toBeVisible();
    await expect.poll(() => idp.opened.length).toBe(1);
    expect(idp.opened[0]).toMatch(new RegExp(`^${idp.issuer}/auth\\?`));
    await ui.checkA11y('sso-waiting');
    await ui.screenshot('sso-waiting');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('screen-logon')).toBeVisible();
    // Cancel closed the app's loopback listener: the browser's answer could no longer arrive.
    await expect.poll(() => isListening(redirectUriOf(idp.opened[0]))).toBe(false);
  });

  test('signing in at the provider continues like a password log-on: the code, then signed in', async ({
    page,
    idp,
    seed,
    ui,
    app,
  }) => {
    await seed.twoFactor();
    linkAdministrator(app, idp);
    await page.getByTestId('login-sso').click();
    await expect(page.getByTestId('screen-sso')).toBeVisible();
    const answer = await idp.signIn(ADMIN.username);
    expect(answer.page?.body).toContain('You can return to System Configurator');
    await ui.enterCode(await ui.codeSentTo(ADMIN.mobile));
    await expect(page.getByTestId('shell-user')).toHaveText(ADMIN.displayName);
    expect(app.core.audit.query({ action: 'logon.success' }).entries[0]?.details.via).toBe('sso');
    expect(await isListening(redirectUriOf(idp.opened[0]))).toBe(false);
  });

  test('an SSO account with no System Configurator user is refused on Log on, clearly', async ({
    page,
    idp,
    emulator,
  }) => {
    await page.getByTestId('login-sso').click();
    await expect(page.getByTestId('screen-sso')).toBeVisible();
    await idp.signIn('mallory'); // a provider account; no SC user "mallory"
    await expect(page.getByTestId('screen-logon')).toBeVisible();
    await expect(page.getByTestId('login-error')).toHaveText(
      'Your SSO account is not allowed to use System Configurator. Ask your administrator.',
    );
    expect(emulator.outbox()).toHaveLength(0);
  });

  test('a failed send after SSO names the SSO sign-in, never a password', async ({
    page,
    idp,
    seed,
    emulator,
    app,
  }) => {
    await seed.twoFactor();
    linkAdministrator(app, idp);
    emulator.injectFaults({ status: 503, count: 20 });
    await page.getByTestId('login-sso').click();
    await idp.signIn(ADMIN.username);
    await expect(page.getByTestId('screen-refused')).toBeVisible();
    await expect(page.getByTestId('refused-message')).toContainText('Your SSO sign-in succeeded');
    await expect(page.getByTestId('screen-refused')).not.toContainText('password');
    await expect(page.getByTestId('refused-retry')).toBeVisible();
  });

  test('Cancel in the browser returns to Log on with the reason', async ({ page, idp }) => {
    await page.getByTestId('login-sso').click();
    await expect(page.getByTestId('screen-sso')).toBeVisible();
    await idp.cancel();
    await expect(page.getByTestId('screen-logon')).toBeVisible();
    await expect(page.getByTestId('login-error')).toHaveText('The SSO log-on was cancelled in the browser.');
  });
});
