/**
 * The administrator at full size (issue 13): 100,000 users and 1,000,000 audit rows (design.md's sizes),
 * generated once per worker by the benchmark's own generator (tools/bench/big-db.ts: SQL in one
 * transaction) into a temporary folder, and copied into each test's data folder (a file copy, not a new
 * generation). The core, the gateway and the window are the real ones; only the save dialog is the host's
 * stand-in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, ADMIN } from './fixtures';
import { DATABASE_FILE } from '../../main/core/db/database';
import { bigUsername, generateDatabase } from '../../tools/bench/big-db';

/** With ADMIN, whom every test adds, the database holds exactly 100,000 users. */
const USERS = 99_999;
const AUDIT_ROWS = 1_000_000;

const test = base.extend<{ dataDir: string }, { seededDir: string }>({
  seededDir: [
    // eslint-disable-next-line no-empty-pattern -- no dependencies
    async ({}, use) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-e2e-scale-seed-'));
      await generateDatabase(dir, { users: USERS, auditRows: AUDIT_ROWS });
      await use(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 240_000 },
  ],
  dataDir: async ({ seededDir }, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-e2e-scale-'));
    fs.copyFileSync(path.join(seededDir, DATABASE_FILE), path.join(dir, DATABASE_FILE));
    await use(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  },
});

test.describe.configure({ timeout: 120_000 });

test('100,000 users: the true count, search finds a user near the end, paging to the last page', async ({
  page,
  ui,
}) => {
  await ui.signIn(ADMIN);
  await page.getByTestId('nav-users').click();
  await expect(page.getByTestId('users-count')).toHaveText('1–50 of 100,000 users');
  await expect(page.getByTestId('users-table').locator('tbody tr')).toHaveCount(50);

  // A user near the end, by part of the name.
  const late = bigUsername(USERS - 1);
  await page.getByTestId('users-search').fill(late.slice(-6));
  await expect(page.getByTestId('users-count')).toHaveText('1–1 of 1 user');
  await expect(page.getByTestId(`user-row-${late}`)).toContainText(`User Number ${USERS - 1}`);
  await page.getByTestId('users-search').fill('User Number 9999');
  await expect(page.getByTestId('users-count')).toHaveText('1–11 of 11 users');
  await ui.screenshot('users-at-scale-search');

  // Paging over all of them.
  await page.getByTestId('users-search').fill('');
  await expect(page.getByTestId('users-count')).toHaveText('1–50 of 100,000 users');
  await page.getByTestId('users-pager-next').click();
  await expect(page.getByTestId('users-count')).toHaveText('51–100 of 100,000 users');
  await expect(page.getByTestId('users-pager-page')).toHaveText('Page 2 of 2,000');
  await page.getByTestId('users-pager-last').click();
  await expect(page.getByTestId('users-count')).toHaveText('99,951–100,000 of 100,000 users');
  await expect(page.getByTestId(`user-row-${bigUsername(USERS)}`)).toBeVisible();
  await page.getByTestId('users-pager-first').click();
  await expect(page.getByTestId('users-count')).toHaveText('1–50 of 100,000 users');
});

test('1,000,000 audit rows: an export with progress is cancelled (nothing left behind), then the full one, every row written', async ({
  page,
  ui,
  app,
  saveDialog,
}) => {
  await ui.signIn(ADMIN);
  await page.getByTestId('nav-audit').click();
  await expect(page.getByTestId('audit-row')).toHaveCount(50);

  await page.getByTestId('audit-export').click();
  const progress = page.getByTestId('audit-export-progress');
  await expect(progress).toContainText(/Exporting: [\d,]+ of about 1,000,0\d\d rows/);
  await page.getByTestId('audit-export-cancel').click();
  await expect(page.getByTestId('audit-export-message')).toHaveText(
    /^Export cancelled after [\d,]+ rows; nothing was saved\.$/,
  );
  expect(fs.readdirSync(saveDialog.dir)).toEqual([]);

  const rows = app.core.audit.count();
  expect(rows).toBeGreaterThan(AUDIT_ROWS);
  await page.getByTestId('audit-export').click();
  const file = path.join(saveDialog.dir, saveDialog.suggested[1]!);
  await expect(page.getByTestId('audit-export-message')).toHaveText(
    `${rows.toLocaleString('en')} rows written to ${file}.`,
    { timeout: 60_000 },
  );
  expect(fs.readdirSync(saveDialog.dir)).toEqual([path.basename(file)]);
  // Every row and the header, each a line; the last the oldest row the generator wrote (id 1).
  let lines = 0;
  let tail = '';
  for await (const chunk of fs.createReadStream(file)) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) lines++;
    tail = (tail + bytes.toString('latin1')).slice(-200);
  }
  expect(lines).toBe(rows + 1);
  expect(tail.trimEnd().split('\r\n').at(-1)).toMatch(/^"1","2025-01-01T00:00:31\.536Z","user\d{6}",/);
});
