/**
 * The administrator's "SSO identities" panel (issue 12, "admin-link"), against the real OpenID provider of
 * the SSO journeys: an identity that matches no user waits with what its provider claimed (shown as text,
 * never markup: its owner chose it), the administrator links it to a user found by a paged search, that
 * identity's SSO log-on then signs in as the user, and an unlink refuses it again.
 */
import { channelNames } from '../../main/contract/channel-names';
import { test, expect, ADMIN, PASSWORD, SAM, HOSTILE_IDP_ACCOUNT as EVE } from './fixtures';

const NOT_LINKED =
  'Your SSO account is not linked to a System Configurator account yet. An administrator must link it before you can log on with SSO.';

test.describe('with SSO configured ("admin-link")', () => {
  test.use({ sso: true });

  test.beforeEach(async ({ seed }) => {
    await seed.policy({ sso: { unknownUsers: 'admin-link' } });
    await seed.user(SAM);
    // More users whose names match "sam" than the dialog shows: the search must narrow, not list everyone.
    for (let i = 1; i <= 9; i++) await seed.user({ username: `sam${i}`, displayName: `Samuel Dahl ${i}` });
  });

  test('links a waiting identity to the chosen user; its SSO log-on then signs in as them; unlink refuses it again', async ({
    page,
    idp,
    ui,
    app,
  }) => {
    // The identity tries SSO first: refused, and held for an administrator.
    await page.getByTestId('login-sso').click();
    await idp.signIn(EVE.preferred_username);
    await expect(page.getByTestId('login-error')).toHaveText(NOT_LINKED);

    await ui.signIn(ADMIN);
    await page.getByTestId('nav-sso').click();
    await expect(page.getByTestId('screen-sso-identities')).toBeVisible();
    await expect(page).toHaveTitle('SSO identities · System Configurator');
    const waiting = page.locator(`[data-testid="sso-waiting-row"][data-subject="${EVE.sub}"]`);
    await expect(waiting.getByTestId('sso-subject')).toHaveText(EVE.sub);
    await expect(waiting.getByTestId('sso-issuer')).toHaveText(idp.issuer);
    await expect(waiting.getByTestId('sso-reason')).toHaveText('No user has this claim');
    // The claims as text: the markup is shown, not run; the terminal escape is shown escaped (by main).
    await expect(waiting.locator('[data-claim="name"] dd')).toHaveText(EVE.name);
    await expect(waiting.locator('[data-claim="preferred_username"] dd')).toHaveText('eve\\u{1b}[31m');
    await expect(waiting.locator('[data-claim="email_verified"] dd')).toHaveText('no');
    await expect(page.locator('img')).toHaveCount(0);
    await expect(page).not.toHaveTitle(/owned/);
    await expect(page.getByTestId('sso-linked-empty')).toHaveText('No SSO identity is linked to a user yet.');
    await ui.checkA11y('sso-identities');
    await ui.screenshot('sso-identities');

    // Link to user…: nothing is chosen for the administrator; the search asks main for a few users at a time.
    await waiting.getByTestId('sso-link-open').click();
    const dialog = page.getByTestId('sso-link-dialog');
    await expect(dialog.getByTestId('sso-link-search')).toBeFocused();
    await expect(dialog.getByTestId('sso-link-identity')).toContainText(EVE.sub);
    await dialog.getByTestId('sso-link-submit').click();
    await expect(dialog.getByTestId('sso-link-search-error')).toHaveText('Choose the user to link.');
    const listsBefore = app.requests(channelNames.users.list);
    await dialog.getByTestId('sso-link-search').fill('sam');
    await expect(dialog.getByTestId('sso-link-more')).toHaveText(
      '10 users match; the first 8 are shown. Type more to narrow it down.',
    );
    await expect(dialog.locator('input[type="radio"]')).toHaveCount(8);
    expect(app.requests(channelNames.users.list)).toBeGreaterThan(listsBefore);
    await dialog.getByTestId('sso-link-search').fill('Sam Berg');
    await expect(dialog.locator('input[type="radio"]')).toHaveCount(1);
    await ui.checkA11y('sso-link-dialog');
    await dialog.getByTestId(`sso-link-option-${SAM.username}`).check();
    await dialog.getByTestId('sso-link-submit').click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('sso-message')).toHaveText(`Linked ${EVE.sub} to ${SAM.username}.`);
    const linked = page.locator(`[data-testid="sso-link-row"][data-subject="${EVE.sub}"]`);
    await expect(linked.getByTestId('sso-link-user')).toHaveText(SAM.username);
    await expect(waiting).toHaveCount(0);
    expect(app.core.audit.query({ action: 'sso.linked' }).entries[0]).toMatchObject({
      actor: ADMIN.username,
      target: SAM.username,
      details: { issuer: idp.issuer, subject: EVE.sub, via: 'administrator' },
    });

    // That identity's SSO log-on now signs in as the linked user (2FA is off).
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-sso').click();
    await idp.signIn(EVE.preferred_username);
    await expect(page.getByTestId('shell-user')).toHaveText(SAM.displayName);
    await page.getByTestId('sign-out').click();

    // Unlink, confirmed (Cancel first changes nothing).
    await ui.signIn(ADMIN);
    await page.getByTestId('nav-sso').click();
    await linked.getByTestId('sso-unlink').click();
    await expect(page.getByTestId('sso-unlink-dialog')).toContainText(
      `${SAM.username} can no longer log on with the SSO identity ${EVE.sub}.`,
    );
    await page.getByTestId('sso-unlink-dialog-cancel').click();
    await expect(linked).toBeVisible();
    await linked.getByTestId('sso-unlink').click();
    await page.getByTestId('sso-unlink-dialog-confirm').click();
    await expect(page.getByTestId('sso-message')).toHaveText(`Unlinked ${EVE.sub} from ${SAM.username}.`);
    await expect(linked).toHaveCount(0);
    await expect(waiting.getByTestId('sso-reason')).toHaveText(
      'Unlinked by an administrator: refused until linked again',
    );
    await expect(waiting).toContainText(`by ${ADMIN.username}`);

    // Refused again, with the same words as before it was linked.
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-sso').click();
    await idp.signIn(EVE.preferred_username);
    await expect(page.getByTestId('login-error')).toHaveText(NOT_LINKED);
    await expect(page.getByTestId('screen-logon')).toBeVisible();
  });

  test('a refused link shows main’s reason: a user already linked to another identity', async ({
    page,
    idp,
    ui,
    app,
  }) => {
    app.core.ssoIdentities.link(
      { issuer: idp.issuer, subject: 'u-earlier-1', username: SAM.username },
      'e2e-seed',
    );
    await page.getByTestId('login-sso').click();
    await idp.signIn(EVE.preferred_username);
    await expect(page.getByTestId('login-error')).toHaveText(NOT_LINKED);

    await ui.signIn(ADMIN);
    await page.getByTestId('nav-sso').click();
    await page.getByTestId('sso-link-open').click();
    const dialog = page.getByTestId('sso-link-dialog');
    await dialog.getByTestId('sso-link-search').fill('Sam Berg');
    await dialog.getByTestId(`sso-link-option-${SAM.username}`).check();
    await dialog.getByTestId('sso-link-submit').click();
    await expect(dialog.getByTestId('sso-link-search-error')).toHaveText(
      `"${SAM.username}" is already linked to another identity of this provider. Unlink that one first.`,
    );
    await expect(dialog.getByTestId('sso-link-search')).toBeFocused();
    await dialog.getByTestId('sso-link-cancel').click();
    await expect(dialog).toHaveCount(0);
    expect(app.core.ssoIdentities.list().pending.map((p) => p.subject)).toEqual([EVE.sub]);
  });
});

test('only administrators see the SSO identities panel', async ({ page, ui, seed }) => {
  await seed.user({ username: 'rita', displayName: 'Rita Reader', roles: ['read-only'] });
  await ui.signIn({ username: 'rita', password: PASSWORD });
  await expect(page.getByTestId('nav-users')).toBeVisible();
  await expect(page.getByTestId('nav-sso')).toHaveCount(0);
  await page.getByTestId('sign-out').click();
  await ui.signIn(ADMIN);
  await expect(page.getByTestId('nav-sso')).toBeVisible();
});
