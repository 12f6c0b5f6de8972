/**
 * The machine's managed policy in the window: its fields are shown, marked "Managed by your organisation"
 * with the file they come from, and cannot be changed (the window disables them, and main refuses them
 * anyway); the others stay editable. An invalid managed policy: the window says what and where, no Log on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../main/core/create-core';
import { ManualClock } from '../../main/core/clock';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { ADMIN, TARGET, expect, test, writeManagedPolicyFile } from './fixtures';
import { AppHost } from './host/app-host';

test.describe('managed fields', () => {
  test.use({ managedPolicy: { version: 1, twoFactor: { maxAttempts: 4, lockMinutes: 60 } } });

  test('are read-only in the window with their source shown; the other fields stay editable', async ({
    page,
    ui,
    app,
    dataDir,
  }) => {
    await ui.signIn(ADMIN);
    await expect(page.getByTestId('screen-policy')).toBeVisible();
    await expect(page.getByTestId('policy-managed-notice')).toBeVisible();
    await expect(page.getByTestId('policy-managed-source')).toHaveText(
      path.join(dataDir, 'managed-policy.json'),
    );

    for (const [testId, value] of [
      ['policy-max-attempts', '4'],
      ['policy-lock-minutes', '60'],
    ] as const) {
      const field = page.getByTestId(testId);
      await expect(field).toHaveValue(value);
      await expect(field).toBeDisabled();
      await expect(field).toHaveAttribute('data-managed', 'true');
      await expect(page.locator(`#${await field.getAttribute('id')}-hint`)).toHaveText(
        'Managed by your organisation',
      );
    }
    await expect(page.getByTestId('policy-valid-minutes')).toBeEnabled();
    await expect(page.getByTestId('policy-2fa-enabled')).toBeEnabled();
    await ui.screenshot('policy-managed');
    await ui.checkA11y('policy with managed fields');

    // A local field saves; the managed ones keep the organisation's values.
    await page.getByTestId('policy-valid-minutes').fill('7');
    await page.getByTestId('policy-save').click();
    await expect(page.getByTestId('policy-saved')).toBeVisible();
    expect(app.core.policy.get().twoFactor).toMatchObject({
      validMinutes: 7,
      maxAttempts: 4,
      lockMinutes: 60,
    });

    // The window is not the guard: main refuses a managed field sent straight through the bridge.
    const refused = await page.evaluate(() => window.sc.policy.set({ twoFactor: { maxAttempts: 10 } }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'managed-by-organisation' } });
    expect(app.core.policy.get().twoFactor.maxAttempts).toBe(4);
  });
});

test('an invalid managed policy: the window says what is wrong and where instead of Log on, and it is audited', async ({
  browser,
  server,
}) => {
  test.skip(TARGET === 'electron', 'the packaged app shows this in its start-up dialog (test/shell)');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-e2e-managed-'));
  const managedPolicy = writeManagedPolicyFile(dataDir, { version: 1, twoFactor: { maxAttempts: 0 } });
  const host = new AppHost({
    dataDir,
    clock: new ManualClock(),
    keychain: new InMemoryKeychain(),
    appOrigin: server.origin,
    managedPolicy,
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await host.attach(page);
    await page.goto(`${server.origin}/index.html`);
    await expect(page.getByTestId('screen-managed-refused')).toBeVisible();
    await expect(page.getByTestId('login-username')).toHaveCount(0);
    const detail = page.getByTestId('managed-refused-detail');
    await expect(detail).toContainText(managedPolicy.path);
    await expect(detail).toContainText('twoFactor.maxAttempts: Allow at least 1 attempt.');
    await page.screenshot({ path: test.info().outputPath('managed-refused.png') });

    const core = createCore({ dataDir, keychain: new InMemoryKeychain() });
    const [entry] = core.audit.query({ action: 'policy.managedRefused' }).entries;
    core.close();
    expect(entry).toMatchObject({ actor: 'system', target: managedPolicy.path, outcome: 'failure' });
  } finally {
    await page.close();
    host.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
