import fs from 'node:fs';
import path from 'node:path';
import { test, expect, ADMIN } from './fixtures';

test('newest first, filters by action, user and time, pages through older entries', async ({
  page,
  ui,
  app,
  clock,
}) => {
  for (let i = 0; i < 60; i++) {
    app.core.audit.append({
      actor: 'sc-admin',
      action: 'user.changed',
      target: `user${i}`,
      outcome: 'success',
    });
  }
  await clock.advance(2 * 60 * 60_000); // two hours later…
  await ui.signIn(ADMIN);
  await page.getByTestId('nav-audit').click();

  const rows = page.getByTestId('audit-row');
  await expect(rows).toHaveCount(50);
  const ids = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-id'))));
  expect(ids).toEqual([...ids].sort((a, b) => b - a));
  await expect(rows.first()).toHaveAttribute('data-action', 'logon.success');
  await expect(page.getByTestId('audit-count')).toHaveText('Showing 50 entries (more available).');
  await ui.screenshot('audit');

  await page.getByTestId('audit-more').click();
  await expect(rows).toHaveCount(app.core.audit.count());
  await expect(page.getByTestId('audit-more')).toHaveCount(0);

  // By action.
  await page.getByTestId('audit-action').selectOption('logon.success');
  await page.getByTestId('audit-apply').click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(ADMIN.username);

  // By user (the actor or the user an entry is about).
  await page.getByTestId('audit-action').selectOption('');
  await page.getByTestId('audit-user').fill('user7');
  await page.getByTestId('audit-user').press('Enter');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-action', 'user.changed');

  // By time: only what happened in the last hour (the log-on), in the window's local time.
  await page.getByTestId('audit-user').fill('');
  const from = await page.evaluate((at) => {
    const d = new Date(at - 60 * 60_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }, clock.now());
  await page.getByTestId('audit-from').fill(from);
  await page.getByTestId('audit-apply').click();
  await expect(rows.first()).toHaveAttribute('data-action', 'logon.success');
  await expect(rows.filter({ hasText: 'user.changed' })).toHaveCount(0);

  // "From" after "To" is caught in the window.
  await page.getByTestId('audit-to').fill('2020-01-01T00:00');
  await page.getByTestId('audit-apply').click();
  await expect(page.getByTestId('audit-to-error')).toHaveText('“From” must be before “To”.');

  await page.getByTestId('audit-clear').click();
  await expect(rows).toHaveCount(50);
});

test('exports the filtered log as CSV to the file chosen in the save dialog (no secrets, no codes)', async ({
  page,
  ui,
  seed,
  emulator,
  saveDialog,
}) => {
  await seed.twoFactor();
  await ui.signIn(ADMIN, ADMIN.mobile);
  const code = emulator.lastCodeFor(ADMIN.mobile)!;
  await page.getByTestId('nav-audit').click();
  await page.getByTestId('audit-action').selectOption('code.sent');
  await page.getByTestId('audit-apply').click();
  await expect(page.getByTestId('audit-row')).toHaveCount(1);
  await expect(page.getByTestId('audit-row').first()).toContainText('Code sent');
  // Details in words: "Method: SMS", not "method: sms".
  await expect(page.getByTestId('audit-row').first().locator('dt').first()).toHaveText('Method');
  await expect(page.getByTestId('audit-row').first().locator('dd').first()).toHaveText('SMS');

  // Cancelling the dialog starts nothing.
  saveDialog.answer(null);
  await page.getByTestId('audit-export').click();
  await expect(page.getByTestId('audit-export')).toBeEnabled();
  await expect(page.getByTestId('audit-export-message')).toHaveCount(0);

  await page.getByTestId('audit-export').click();
  const file = path.join(saveDialog.dir, saveDialog.suggested[1]!);
  await expect(page.getByTestId('audit-export-message')).toHaveText(`1 row written to ${file}.`);
  expect(saveDialog.suggested[1]).toMatch(/^system-configurator-audit-\d{4}-\d\d-\d\d\.csv$/);
  const csv = fs.readFileSync(file, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe('id,time,actor,action,target,outcome,details');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('code.sent');
  expect(csv).not.toContain(code);
  expect(csv).not.toContain(emulator.credentials.secret);
});
