/**
 * The window's languages: it opens in the OS (here: the browser's) language, the picker changes it on the
 * Log on screen and in the signed-in shell, main remembers the choice across a restart, and the
 * verification SMS goes out in it.
 */
import { test, expect, ADMIN } from './fixtures';

test.describe('with a Finnish OS', () => {
  test.use({ locale: 'fi-FI' });

  test('the window opens in Finnish', async ({ page }) => {
    await expect(page.getByTestId('screen-logon')).toBeVisible();
    await expect(page.locator('h1')).toHaveText('Kirjaudu sisään');
    await expect(page.getByTestId('login-submit')).toHaveText('Kirjaudu');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fi');
    await expect(page.getByTestId('language-picker')).toHaveValue('fi');
  });
});

test('the picker changes the language, and main remembers it across a restart', async ({ page, app }) => {
  await expect(page.locator('h1')).toHaveText('Log on');
  await page.getByTestId('login-username').fill('sam');
  await page.getByTestId('language-picker').selectOption('sv');
  await expect(page.locator('h1')).toHaveText('Logga in');
  // What was typed stays: only the words change
  await expect(page.getByTestId('login-username')).toHaveValue('sam');
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');

  const window = await app.restart();
  await expect(window.locator('h1')).toHaveText('Logga in');
  await expect(window.getByTestId('language-picker')).toHaveValue('sv');
});

test('the signed-in shell has the picker too', async ({ page, ui }) => {
  await ui.signIn(ADMIN);
  await expect(page.getByTestId('sign-out')).toHaveText('Sign out');
  await page.getByTestId('language-picker').selectOption('de');
  await expect(page.getByTestId('sign-out')).toHaveText('Abmelden');
  await expect(page.getByTestId('nav-policy')).toHaveText('Authentifizierungsrichtlinie');
  await expect(page).toHaveTitle(/Authentifizierungsrichtlinie/);
});
