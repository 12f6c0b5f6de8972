/**
 * The browser test host itself: the page is served with the app's CSP, the real preload's `window.sc` is
 * the only bridge, and the gateway answers only the app's own origin.
 */
import { test, expect } from './fixtures';

test('the window is served with the CSP and gets the frozen window.sc bridge', async ({ page }) => {
  const response = await page.request.get(page.url());
  expect(response.headers()['content-security-policy']).toContain("default-src 'none'");
  expect(response.headers()['content-security-policy']).toContain("script-src 'self'");
  const bridge = await page.evaluate(() => ({
    areas: Object.keys(window.sc).sort(),
    frozen: Object.isFrozen(window.sc.auth),
    noRawIpc: !('ipcRenderer' in window) && !('require' in window) && !('process' in window),
  }));
  expect(bridge).toEqual({
    areas: [
      'audit',
      'auth',
      'initialAuthState',
      'onAuthState',
      'policy',
      'secrets',
      'sso',
      'users',
      'verify',
    ],
    frozen: true,
    noRawIpc: true,
  });
});

test.describe('provoking the CSP', () => {
  test.use({ allowCspViolations: true });

  test('an inline style or script is refused by the CSP', async ({ page }) => {
    const violations = await page.evaluate(async () => {
      const seen: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__inline = true';
      document.body.append(script);
      const style = document.createElement('style');
      style.textContent = 'body { color: red }';
      document.head.append(style);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { seen, ran: '__inline' in window };
    });
    expect(violations.ran).toBe(false);
    expect(violations.seen).toEqual(expect.arrayContaining(['script-src-elem', 'style-src-elem']));
  });
});

test('a window from another origin is refused by the gateway', async ({ page, app }) => {
  const other = page.url().replace('127.0.0.1', 'localhost');
  await page.goto(other);
  await expect(page.getByTestId('loading-error')).toHaveText(
    'This window may not talk to System Configurator.',
  );
  expect(app.core.audit.count()).toBeGreaterThan(0);
});
