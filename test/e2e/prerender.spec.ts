/**
 * The prerendered Log on (issue 15, first paint): the page comes with the Log on form in it, in the
 * window's language (tools/prerender), and the window's script takes that markup over (hydration,
 * renderer/src/main.tsx) without replacing it, without an error or a warning, and without losing what was
 * typed before. Before the script runs nothing can be sent: a submit goes nowhere. A window in any other
 * state gets the page without a screen. Ordering and content only: nothing here is timed.
 */
import type { Page, Response } from '@playwright/test';
import { channelNames } from '../../main/contract/channel-names';
import { test, expect, ADMIN } from './fixtures';

/** Holds the window's entry script until `release()`: the page as it is before its script has run. */
async function holdEntryScript(page: Page): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/assets/index-*.js', async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** Every console error and warning from now on (a hydration mismatch is reported as one). */
function consoleProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return problems;
}

/** Reloads without waiting for the (held) script: the document is in. */
async function reloadBeforeScript(page: Page): Promise<Response> {
  const response = await page.reload({ waitUntil: 'commit' });
  if (!response) throw new Error('the reload had no response');
  await expect(page.getByTestId('login-username')).toBeVisible();
  return response;
}

/** The form's elements, kept on the window: after hydration they must be the very same nodes. */
const FORM_NODES = ['logon-username', 'logon-password'];

async function keepFormNodes(page: Page): Promise<void> {
  await page.evaluate((ids) => {
    const scope = window as unknown as { __prerendered: (Element | null)[] };
    scope.__prerendered = [
      ...ids.map((id) => document.getElementById(id)),
      document.querySelector('form'),
      document.querySelector('[data-testid=login-submit]'),
    ];
  }, FORM_NODES);
}

async function sameFormNodes(page: Page): Promise<boolean> {
  return page.evaluate((ids) => {
    const kept = (window as unknown as { __prerendered: (Element | null)[] }).__prerendered;
    const now = [
      ...ids.map((id) => document.getElementById(id)),
      document.querySelector('form'),
      document.querySelector('[data-testid=login-submit]'),
    ];
    return kept.length === now.length && kept.every((node, i) => node !== null && node === now[i]);
  }, FORM_NODES);
}

/** The window's script has run and hydrated (App sets the step; the fixture's fake clock hides marks). */
async function hydrated(page: Page): Promise<void> {
  await expect(page.locator('body[data-step="signedOut"]')).toHaveCount(1);
}

test('Log on is in the page before its script runs; the script takes it over, keeping what was typed, with no error or warning', async ({
  page,
  app,
}) => {
  const release = await holdEntryScript(page);
  const problems = consoleProblems(page);
  const response = await reloadBeforeScript(page);
  const html = await response.text();
  expect(html).toContain('<html lang="en">');
  expect(html).toContain('data-prerendered="en"');
  expect(html).toContain('data-testid="screen-logon"');
  // No script has run: the window sets the step once it has.
  expect(await page.evaluate(() => document.body.dataset.step ?? null)).toBeNull();
  await expect(page.locator('h1')).toHaveText('Log on');

  await keepFormNodes(page);
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill(ADMIN.password);
  // A submit before the script: Enter and the button. Nothing is sent, the page does not navigate, and the
  // password never reaches a URL.
  await page.evaluate(() => Object.assign(window, { __samePage: true }));
  await page.getByTestId('login-password').press('Enter');
  await page.getByTestId('login-submit').click();
  expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
  expect(page.url()).not.toContain('?');
  expect(page.url()).not.toContain(ADMIN.password);
  expect(app.requests(channelNames.auth.logOn)).toBe(0);

  release();
  await hydrated(page);
  expect(await sameFormNodes(page), 'hydration kept the prerendered nodes (no client re-render)').toBe(true);
  await expect(page.getByTestId('login-username')).toHaveValue(ADMIN.username);
  await expect(page.getByTestId('login-password')).toHaveValue(ADMIN.password);

  // The form has what was typed: it sends it (no "enter your username" on an empty value).
  await page.getByTestId('login-submit').click();
  await expect.poll(() => app.requests(channelNames.auth.logOn)).toBe(1);
  await expect(page.getByTestId('screen-logon')).toHaveCount(0);
  expect(problems).toEqual([]);
});

for (const [locale, title] of [
  ['fi', 'Kirjaudu sisään'],
  ['sv', 'Logga in'],
  ['de', 'Anmelden'],
] as const) {
  test.describe(`with a ${locale} OS`, () => {
    test.use({ locale });

    test(`the page comes in ${locale} (lang, words) and is taken over without an error or warning`, async ({
      page,
    }) => {
      const release = await holdEntryScript(page);
      const problems = consoleProblems(page);
      const html = await (await reloadBeforeScript(page)).text();
      expect(html).toContain(`<html lang="${locale}">`);
      expect(html).toContain(`data-prerendered="${locale}"`);
      // That language's messages are preloaded, so the script need not wait for them.
      expect(html).toMatch(new RegExp(`<link rel="modulepreload"[^>]*href="\\./assets/${locale}-logOn-`));
      await expect(page.locator('h1')).toHaveText(title);
      // The page's notice for a script that never starts is in the page's language too (shown only then).
      await expect(page.locator('#start-failed')).toHaveCount(1);
      await expect(page.locator('#start-failed')).not.toContainText('could not start');
      await keepFormNodes(page);
      await page.getByTestId('login-username').fill('sam');

      release();
      await hydrated(page);
      expect(await sameFormNodes(page)).toBe(true);
      await expect(page.locator('h1')).toHaveText(title);
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await expect(page.getByTestId('login-username')).toHaveValue('sam');
      await expect(page.locator('#start-failed')).toHaveCount(0);
      expect(problems).toEqual([]);
    });
  });
}

test('a window whose script never starts says so after a while, instead of a form that does nothing; a started one never does', async ({
  page,
}) => {
  const release = await holdEntryScript(page);
  await reloadBeforeScript(page);
  const notice = page.locator('#start-failed');
  // Hidden while the script may still come (the stylesheet shows it after 10 s; no script can, it failed).
  await expect(notice).toBeHidden();
  await expect(notice).toBeVisible({ timeout: 20_000 });
  await expect(notice).toHaveAttribute('role', 'alert');
  await expect(notice).toContainText('System Configurator could not start.');

  release();
  await hydrated(page);
  await expect(notice).toHaveCount(0);
});

test.describe('a window in another state', () => {
  test.use({ firstRun: true });

  test('gets the page without a screen, never a prerendered Log on', async ({ page }) => {
    const response = await page.reload();
    const html = (await response?.text()) ?? '';
    expect(html).toContain('<div id="root"></div>');
    expect(html).not.toContain('data-prerendered');
    expect(html).not.toContain('screen-logon');
    await expect(page.locator('body[data-step="firstRun"]')).toHaveCount(1);
  });
});

test.describe('a prerendered page in another language than the window', () => {
  test.use({ locale: 'fi-FI' });

  test('is drawn again from scratch in the window’s language, without an error', async ({ page }) => {
    // The English page whatever the state (as when the state changed between the page and the script).
    await page.route('**/index.html', async (route) => route.fulfill({ response: await route.fetch() }));
    const problems = consoleProblems(page);
    const html = (await (await page.reload())?.text()) ?? '';
    expect(html).toContain('data-prerendered="en"');
    await expect(page.locator('body[data-step="signedOut"]')).toHaveCount(1);
    await expect(page.locator('h1')).toHaveText('Kirjaudu sisään');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fi');
    expect(problems).toEqual([]);
  });

  test('keeps what was typed before the script into the form it draws again', async ({ page }) => {
    await page.route('**/index.html', async (route) => route.fulfill({ response: await route.fetch() }));
    const release = await holdEntryScript(page);
    await reloadBeforeScript(page);
    await expect(page.locator('h1')).toHaveText('Log on');
    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill(ADMIN.password);
    release();
    await expect(page.locator('h1')).toHaveText('Kirjaudu sisään');
    await expect(page.getByTestId('login-username')).toHaveValue(ADMIN.username);
    await expect(page.getByTestId('login-password')).toHaveValue(ADMIN.password);
  });
});
