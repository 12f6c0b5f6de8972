/**
 * Every screen in pictures (issue 15): Log on, Code, Change password, Locked, Refused, the signed-in shell,
 * Policy, Secrets, Users, the user dialog, SSO identities and Audit, at 1024×700 and 1920×1080, light and dark (the OS
 * setting, emulated), in English, Finnish, Swedish and German, written to
 * test-results/screenshots/matrix/<language>/<screen>-<width>x<height>-<theme>.png.
 *
 * One window for all of them: each screen is reached once per language, then the viewport and the colour
 * scheme change under it. `npm test` takes a subset (every screen: English at 1024×700 light and
 * 1920×1080 dark, German at 1024×700 dark; SSO identities only English at 1024×700 light);
 * `npm run screenshots` (SC_SCREENSHOTS=all) takes the whole matrix (192 pictures) and refreshes the README's
 * pictures in docs/screenshots/ (1280×800, English).
 *
 * Each picture is checked cheaply first: the screen is shown, in its language, in its colour scheme, and
 * the page does not scroll sideways.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, ADMIN, PASSWORD, SCREENSHOT_DIR, wrongCodeFor } from './fixtures';
import { expectNoHorizontalScroll } from './layout';
import { seedSsoIdentities } from './sso-seed';

const FULL = process.env.SC_SCREENSHOTS === 'all';
const MATRIX_DIR = path.join(SCREENSHOT_DIR, 'matrix');
const DOCS_DIR = path.resolve(SCREENSHOT_DIR, '../../docs/screenshots');

const LANGUAGES = ['en', 'fi', 'sv', 'de'] as const;
type Language = (typeof LANGUAGES)[number];
type Theme = 'light' | 'dark';
interface Variant {
  width: number;
  height: number;
  theme: Theme;
}
const VARIANTS: readonly Variant[] = [
  { width: 1024, height: 700, theme: 'light' },
  { width: 1024, height: 700, theme: 'dark' },
  { width: 1920, height: 1080, theme: 'light' },
  { width: 1920, height: 1080, theme: 'dark' },
];
/** The README's pictures: these screens, English, this size, both themes. */
const DOCS_SCREENS = new Set(['log-on', 'code', 'policy', 'users']);
const DOCS_SIZE = { width: 1280, height: 800 };

/**
 * Which pictures of each language: all of them with SC_SCREENSHOTS=all; in `npm test` a subset that still
 * has both sizes, both schemes and the longest words (English small light and large dark, German small dark).
 */
function variantsFor(language: Language): readonly Variant[] {
  if (FULL) return VARIANTS;
  if (language === 'en') return [VARIANTS[0]!, VARIANTS[3]!];
  if (language === 'de') return [VARIANTS[1]!];
  return [];
}
const LANGUAGES_SHOWN = LANGUAGES.filter((l) => variantsFor(l).length > 0);

/** The page's own background is dark in the dark scheme and light in the light one. */
async function backgroundIsDark(page: Page): Promise<boolean> {
  const rgb = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
}

/** A screen `npm test` takes once only (English, small, light): the full set takes it like every other. */
function onePictureInNpmTest(language: Language): readonly Variant[] {
  if (FULL) return variantsFor(language);
  return language === 'en' ? [VARIANTS[0]!] : [];
}

async function shoot(
  page: Page,
  name: string,
  testId: string,
  language: Language,
  chosen: readonly Variant[] = variantsFor(language),
): Promise<number> {
  await page.mouse.move(0, 0);
  let count = 0;
  const docs = FULL && language === 'en' && DOCS_SCREENS.has(name);
  const variants = docs
    ? [...chosen, { ...DOCS_SIZE, theme: 'light' as const }, { ...DOCS_SIZE, theme: 'dark' as const }]
    : chosen;
  for (const { width, height, theme } of variants) {
    const label = `${language} ${name} ${width}×${height} ${theme}`;
    await page.setViewportSize({ width, height });
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.getByTestId(testId), label).toBeVisible();
    await expect(page.locator('html'), label).toHaveAttribute('lang', language);
    expect(await backgroundIsDark(page), `${label}: the background follows the scheme`).toBe(
      theme === 'dark',
    );
    await expectNoHorizontalScroll(page, label);
    const file =
      width === DOCS_SIZE.width
        ? path.join(DOCS_DIR, `${name}-${theme}.png`)
        : path.join(MATRIX_DIR, language, `${name}-${width}x${height}-${theme}.png`);
    await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    expect(fs.statSync(file).size, `${label}: a picture was written`).toBeGreaterThan(0);
    count++;
  }
  return count;
}

test('every screen, both sizes, light and dark, in each language', async ({ page, ui, seed, app }) => {
  test.setTimeout(FULL ? 15 * 60_000 : 5 * 60_000);
  await seed.twoFactor({ primaryMethod: 'sms' });
  await seed.user({ username: 'maria', displayName: 'Maria Svensson', mobile: '+46701234511' });
  await seed.user({
    username: 'kim',
    displayName: 'Kim Andersen',
    mobile: '+46701234512',
    mustChangePassword: true,
  });
  await seed.user({ username: 'jonas', displayName: 'Jonas Eriksson', mobile: '+46701234513' });
  await seed.user({ username: 'li', displayName: 'Li Chen' });
  await seed.user({
    username: 'sam',
    displayName: 'Sam Virtanen',
    mobile: '+46701234514',
    email: 'sam.virtanen@example.com',
    roles: ['read-only'],
  });
  await seed.user({ username: 'noor', displayName: 'Noor Haddad', mobile: '+46701234515' });
  let shots = 0;

  // jonas is locked out once (three wrong codes); every later log-on with his password shows Locked.
  await ui.logOn('jonas', PASSWORD);
  const wrong = wrongCodeFor(await ui.codeSentTo('+46701234513'));
  for (const left of ['2 attempts left', '1 attempt left']) {
    await ui.enterCode(wrong);
    await expect(page.getByTestId('code-attempts-left')).toHaveText(left);
  }
  await ui.enterCode(wrong);
  await expect(page.getByTestId('screen-locked')).toBeVisible();
  await page.getByTestId('locked-back').click();

  // The log-on side, language by language (chosen on Log on, as a person does).
  for (const language of LANGUAGES_SHOWN) {
    await page.getByTestId('language-picker').selectOption(language);
    await expect(page.locator('html')).toHaveAttribute('lang', language);
    shots += await shoot(page, 'log-on', 'screen-logon', language);

    await ui.logOn('maria', PASSWORD);
    await ui.codeSentTo('+46701234511');
    shots += await shoot(page, 'code', 'screen-code', language);
    await page.getByTestId('code-cancel').click();

    await ui.logOn('kim', PASSWORD);
    await ui.enterCode(await ui.codeSentTo('+46701234512'));
    shots += await shoot(page, 'change-password', 'screen-change-password', language);
    await page.getByTestId('pw-cancel').click();

    await ui.logOn('jonas', PASSWORD);
    shots += await shoot(page, 'locked', 'screen-locked', language);
    await page.getByTestId('locked-back').click();

    await ui.logOn('li', PASSWORD);
    shots += await shoot(page, 'refused', 'screen-refused', language);
    await page.getByTestId('refused-back').click();

    await ui.signIn({ username: 'noor', password: PASSWORD }, '+46701234515');
    shots += await shoot(page, 'shell', 'shell-welcome', language);
    await page.getByTestId('sign-out').click();
    await expect(page.getByTestId('screen-logon')).toBeVisible();
  }

  // The administrator's side: one sign-in, the language changed in the top bar.
  await page.getByTestId('language-picker').selectOption('en');
  await ui.signIn(ADMIN, ADMIN.mobile);
  // A realistic endpoint in the pictures (the emulator's random port is for the log-ons above).
  await seed.policy({ sinch: { endpoint: 'https://verification.api.sinch.com' } });
  await seedSsoIdentities(app.core, seed, 'maria');
  await page.getByTestId('nav-audit').click();
  const screens = [
    { name: 'policy', nav: 'nav-policy', testId: 'screen-policy' },
    { name: 'secrets', nav: 'nav-secrets', testId: 'screen-secrets' },
    { name: 'users', nav: 'nav-users', testId: 'screen-users' },
    { name: 'audit', nav: 'nav-audit', testId: 'screen-audit' },
  ] as const;
  for (const language of LANGUAGES_SHOWN) {
    await page.getByTestId('language-picker').selectOption(language);
    await expect(page.locator('html')).toHaveAttribute('lang', language);
    for (const screen of screens) {
      await page.getByTestId(screen.nav).click();
      await expect(page.getByTestId(screen.testId)).toBeVisible();
      shots += await shoot(page, screen.name, screen.testId, language);
    }
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-new').click();
    shots += await shoot(page, 'user-dialog', 'user-form', language);
    await page.getByTestId('user-cancel').click();
    await expect(page.getByTestId('user-form')).toHaveCount(0);
    if (onePictureInNpmTest(language).length > 0) {
      await page.getByTestId('nav-sso').click();
      await expect(page.getByTestId('sso-waiting-row')).toHaveCount(2);
      shots += await shoot(page, 'sso', 'screen-sso-identities', language, onePictureInNpmTest(language));
    }
  }

  const planned = LANGUAGES.map((l) => variantsFor(l).length).reduce((a, b) => a + b, 0);
  expect(shots, 'every screen in every planned variant').toBeGreaterThanOrEqual(11 * planned);
});
