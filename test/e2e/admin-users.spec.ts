import { test, expect, ADMIN, PASSWORD } from './fixtures';

test.beforeEach(async ({ seed }) => {
  await seed.user({
    username: 'omar',
    displayName: 'Omar Said',
    mobile: '+46701234504',
    roles: ['read-only'],
  });
  await seed.user({ username: 'lisa', displayName: 'Lisa Wu', email: 'lisa.wu@example.com' });
});

test('lists users with search', async ({ page, ui }) => {
  await ui.signIn(ADMIN);
  await page.getByTestId('nav-users').click();
  await expect(page.getByTestId('users-table').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('user-row-omar')).toContainText('+46 70 123 45 04');
  await expect(page.getByTestId('user-row-omar')).toContainText('Read-only');
  await ui.screenshot('users');

  await page.getByTestId('users-search').fill('wu');
  await expect(page.getByTestId('users-table').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('user-row-lisa')).toBeVisible();
  await expect(page.getByTestId('users-count')).toHaveText('1–1 of 1 user');
  await page.getByTestId('users-search').fill('zzz');
  await expect(page.getByTestId('users-empty')).toHaveText('No users match “zzz”.');
});

test('creates a user: contract validation inline (E.164), main’s checks on their field', async ({
  page,
  ui,
  app,
}) => {
  await ui.signIn(ADMIN);
  await page.getByTestId('nav-users').click();
  await page.getByTestId('users-new').click();
  const dialog = page.getByTestId('user-form');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('user-username')).toBeFocused();

  await page.getByTestId('user-username').fill('carl');
  await page.getByTestId('user-email').fill('carl@');
  await page.getByTestId('user-mobile').fill('0701234567');
  await page.getByTestId('user-save').click();
  await expect(page.getByTestId('user-email-error')).toHaveText(
    'Enter a valid e-mail address, like name@example.com.',
  );
  await expect(page.getByTestId('user-mobile-error')).toHaveText(
    'Enter the mobile number in international E.164 form, like +46701234567.',
  );
  await expect(page.getByTestId('user-email')).toBeFocused();
  await ui.screenshot('users-new-errors');

  // Right shape, but no such number: main says so, on the field.
  await page.getByTestId('user-email').fill('carl.ek@example.com');
  await page.getByTestId('user-mobile').fill('+46 123');
  await page.getByTestId('user-save').click();
  await expect(page.getByTestId('user-mobile-error')).toContainText('E.164');
  await page.getByTestId('user-mobile').fill('+999 1234 5678');
  await page.getByTestId('user-save').click();
  await expect(page.getByTestId('user-mobile-error')).toHaveText(
    '+99912345678 is not a valid phone number for its country code.',
  );

  await page.getByTestId('user-display-name').fill('Carl Ek');
  await page.getByTestId('user-mobile').fill('+46 70 123 45 05');
  await page.getByTestId('user-role-read-only').check();
  await page.getByTestId('user-password').fill(PASSWORD);
  await page.getByTestId('user-save').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('users-message')).toHaveText('User carl was created.');
  const row = page.getByTestId('user-row-carl');
  await expect(row).toContainText('Carl Ek');
  await expect(row).toContainText('+46 70 123 45 05');
  await expect(row).toContainText('Must change password');
  expect(app.core.users.get('carl')).toMatchObject({ roles: ['read-only'], mustChangePassword: true });

  // A second "carl" is refused by main, on the username field.
  await page.getByTestId('users-new').click();
  await page.getByTestId('user-username').fill('carl');
  await page.getByTestId('user-save').click();
  await expect(page.getByTestId('user-username-error')).toHaveText('A user named "carl" already exists.');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('edits a user: contacts, roles, must change password, deactivate', async ({ page, ui, app }) => {
  await ui.signIn(ADMIN);
  await page.getByTestId('nav-users').click();
  await page.getByTestId('user-row-lisa').getByTestId('user-edit').click();
  await expect(page.getByTestId('user-username')).toHaveAttribute('readonly', '');
  await expect(page.getByTestId('user-display-name')).toBeFocused();
  await page.getByTestId('user-mobile').fill('+46701234506');
  await page.getByTestId('user-email').fill('');
  await page.getByTestId('user-role-administrator').check();
  await page.getByTestId('user-must-change').check();
  await ui.screenshot('users-edit');
  await page.getByTestId('user-save').click();
  await expect(page.getByTestId('users-message')).toHaveText('Changes to lisa were saved.');
  expect(app.core.users.get('lisa')).toMatchObject({
    mobile: '+46701234506',
    email: null,
    roles: ['administrator'],
    mustChangePassword: true,
  });

  await page.getByTestId('user-row-omar').getByTestId('user-edit').click();
  // The number as people read it; saved as E.164 again (main normalises it).
  await expect(page.getByTestId('user-mobile')).toHaveValue('+46 70 123 45 04');
  await page.getByTestId('user-display-name').fill('');
  await page.getByTestId('user-save').click();
  await expect(page.getByTestId('user-display-name-error')).toHaveText('Display name is required.');
  await page.getByTestId('user-display-name').fill('Omar Said');
  await page.getByTestId('user-active').uncheck();
  await page.getByTestId('user-save').click();
  await expect(page.getByTestId('user-row-omar')).toContainText('Inactive');
  expect(app.core.users.get('omar').active).toBe(false);
});

test('the last administrator cannot be demoted', async ({ page, ui }) => {
  await ui.signIn(ADMIN);
  await page.getByTestId('nav-users').click();
  await page.getByTestId(`user-row-${ADMIN.username}`).getByTestId('user-edit').click();
  await page.getByTestId('user-role-administrator').uncheck();
  await page.getByTestId('user-save').click();
  await expect(page.getByTestId('user-roles-error')).toHaveText(
    'This is the last active administrator: make another user an administrator first.',
  );
});
