/**
 * Layouts that fit (issue 15), checked by geometry (bounding boxes and what is on top, not pixels): the
 * policy screen's sticky Save bar never hides the Sinch Verification API block, the audit filters never
 * overlap and keep Apply and Export on screen, and long German words and 200% text stay inside their boxes.
 */
import type { Page } from '@playwright/test';
import { test, expect, ADMIN, PASSWORD, wrongCodeFor } from './fixtures';
import { seedSsoIdentities } from './sso-seed';
import {
  boxOf,
  expectInViewport,
  expectNoHorizontalScroll,
  expectUncovered,
  overflowingText,
  overlap,
  setTextSize,
} from './layout';

const SINCH_FIELDS = ['sinch-endpoint', 'sinch-auth', 'sinch-email-address', 'sinch-email-name'] as const;

/** The Sinch block's fields, and the bar's buttons, each brought into view the way a person gets there. */
async function expectSinchBlockClearOfSaveBar(page: Page, label: string): Promise<void> {
  const bar = page.locator('.actions-sticky');
  // By keyboard: focusing a field scrolls it into view; the bar must not be over it.
  for (const id of SINCH_FIELDS) {
    const field = page.getByTestId(id);
    await field.focus();
    await expectInViewport(page, field, `${label}: ${id} after focus`);
    expect(overlap(await boxOf(field), await boxOf(bar)), `${label}: the Save bar covers ${id}`).toBe(false);
    await expectUncovered(field, `${label}: ${id}`);
  }
  // Scrolled to the end: the bar (sticky or, with large text, in the flow) ends the page below the block.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const block = page.locator('fieldset', { has: page.getByTestId('sinch-endpoint') });
  expect(overlap(await boxOf(block), await boxOf(bar)), `${label}: the Save bar covers the Sinch block`).toBe(
    false,
  );
  for (const id of ['policy-save', 'policy-discard']) {
    await expectInViewport(page, page.getByTestId(id), `${label}: ${id}`);
    await expectUncovered(page.getByTestId(id), `${label}: ${id}`);
  }
}

test.describe('the policy screen at 1280×800', () => {
  test('the sticky Save bar never covers the Sinch Verification API block', async ({ page, ui }) => {
    await ui.signIn(ADMIN);
    await page.getByTestId('nav-policy').click();
    await expect(page.getByTestId('screen-policy')).toBeVisible();
    await expectSinchBlockClearOfSaveBar(page, 'unchanged');

    // The bar at its tallest: unsaved changes, then a refused save with its message; a longer page.
    await page.getByTestId('policy-primary').selectOption('email');
    await page.getByTestId('sinch-email-address').fill('not an address');
    await page.getByTestId('policy-save').click();
    await expect(page.getByTestId('policy-error')).toBeVisible();
    await expectSinchBlockClearOfSaveBar(page, 'refused save');
    await expectUncovered(page.getByTestId('sinch-email-address-error'), 'the field’s error');

    // In German, at 200% text.
    await page.getByTestId('language-picker').selectOption('de');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await setTextSize(page, 200);
    await expectSinchBlockClearOfSaveBar(page, 'German, 200% text');
  });
});

test.describe('the audit filters', () => {
  for (const width of [1024, 1280, 1920]) {
    test(`do not overlap, and Apply and Export stay in view, at ${width} px`, async ({ page, ui }) => {
      await page.setViewportSize({ width, height: 700 });
      await ui.signIn(ADMIN);
      for (const language of ['en', 'de'] as const) {
        await page.getByTestId('language-picker').selectOption(language);
        await expect(page.locator('html')).toHaveAttribute('lang', language);
        await page.getByTestId('nav-audit').click();
        await expect(page.getByTestId('screen-audit')).toBeVisible();
        const ids = ['audit-from', 'audit-to', 'audit-user', 'audit-action', 'audit-apply', 'audit-clear'];
        // Each control with its label: a label under the neighbouring field is an overlap too.
        const boxes = await Promise.all(
          ids.map(async (id) => {
            const control = page.getByTestId(id);
            const field = page.locator('.field', { has: control });
            return { id, box: await boxOf((await field.count()) ? field : control) };
          }),
        );
        for (const [i, a] of boxes.entries()) {
          for (const b of boxes.slice(i + 1)) {
            expect(overlap(a.box, b.box), `${language}: ${a.id} overlaps ${b.id}`).toBe(false);
          }
        }
        for (const id of ['audit-apply', 'audit-export']) {
          await expectInViewport(page, page.getByTestId(id), `${language}: ${id}`);
          await expectUncovered(page.getByTestId(id), `${language}: ${id}`);
        }
        await expectNoHorizontalScroll(page, `${language}: audit at ${width} px`);
      }
    });
  }
});

/** German at 200% text; returns a check that a screen is shown with all its text inside and no sideways scroll. */
async function germanAt200Percent(page: Page): Promise<(screen: string) => Promise<void>> {
  await page.getByTestId('language-picker').selectOption('de');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await setTextSize(page, 200);
  return async (screen: string) => {
    await expect(page.getByTestId(screen)).toBeVisible();
    expect(await overflowingText(page), `${screen}: text outside its box`).toEqual([]);
    await expectNoHorizontalScroll(page, screen);
  };
}

test.describe('long German words and 200% text', () => {
  test('Log on, Code, Change password and Locked keep their text inside', async ({
    page,
    ui,
    seed,
    emulator,
  }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await seed.twoFactor();
    await seed.user({ username: 'kim', mustChangePassword: true, mobile: '+46701234520' });
    const check = await germanAt200Percent(page);
    await check('screen-logon');
    await ui.logOn('kim', 'not-the-password');
    await expect(page.getByTestId('login-error')).toBeVisible();
    await check('screen-logon');

    await ui.logOn('kim', PASSWORD);
    await ui.enterCode(await ui.codeSentTo('+46701234520'));
    await check('screen-change-password');
    await page.getByTestId('pw-submit').click();
    await check('screen-change-password');
    await page.getByTestId('pw-cancel').click();

    await ui.logOn(ADMIN.username, ADMIN.password);
    await ui.codeSentTo(ADMIN.mobile);
    await page.getByTestId('code-input').fill('000');
    await page.getByTestId('code-submit').click();
    await check('screen-code');

    // Three wrong codes lock the account.
    const wrong = wrongCodeFor(emulator.lastCodeFor(ADMIN.mobile) ?? '');
    for (const left of [2, 1]) {
      await ui.enterCode(wrong);
      await expect(page.getByTestId('code-attempts-left')).toContainText(String(left));
    }
    await ui.enterCode(wrong);
    await check('screen-locked');
  });

  test('the shell, Policy, Secrets, Users, the user dialog, SSO identities and Audit keep their text inside', async ({
    page,
    ui,
    seed,
    app,
  }) => {
    await seed.user({ username: 'maria', displayName: 'Maria Svensson' });
    await seedSsoIdentities(app.core, seed, 'maria');
    await page.setViewportSize({ width: 1024, height: 700 });
    await ui.signIn(ADMIN);
    const check = await germanAt200Percent(page);
    for (const [nav, screen] of [
      ['nav-policy', 'screen-policy'],
      ['nav-secrets', 'screen-secrets'],
      ['nav-users', 'screen-users'],
      ['nav-sso', 'screen-sso-identities'],
      ['nav-audit', 'screen-audit'],
    ] as const) {
      await page.getByTestId(nav).click();
      await check(screen);
    }
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-new').click();
    await check('user-form');
    await page.getByTestId('user-cancel').click();
    await page.getByTestId('nav-sso').click();
    await page.getByTestId('sso-link-open').first().click();
    await page.getByTestId('sso-link-search').fill('a');
    await expect(page.getByTestId('sso-link-results')).toBeVisible();
    await check('sso-link-dialog');
  });
});
