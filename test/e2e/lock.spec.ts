import { test, expect, ADMIN, PASSWORD, SAM, wrongCodeFor } from './fixtures';

test('wrong code × maximum locks SC access; the lock survives a restart; an administrator unlocks it', async ({
  page,
  ui,
  seed,
  app,
  clock,
}) => {
  await seed.twoFactor({ maxAttempts: 3, lockMinutes: 30 });
  await seed.user(SAM);
  await ui.logOn(SAM.username, PASSWORD);

  for (const left of [2, 1]) {
    await ui.enterCode(wrongCodeFor(await ui.codeSentTo(SAM.mobile)));
    await expect(page.getByTestId('code-attempts-left')).toHaveText(
      `${left} attempt${left === 1 ? '' : 's'} left`,
    );
  }
  await ui.enterCode(wrongCodeFor(await ui.codeSentTo(SAM.mobile)));

  await expect(page.getByTestId('screen-locked')).toBeVisible();
  await expect(page.getByTestId('locked-message')).toHaveText(
    /^Too many incorrect codes\. System Configurator is locked for this account until \d\d:\d\d \(30 min\)\.$/,
  );
  await expect(page.getByTestId('code-resend')).toHaveCount(0);
  await ui.screenshot('locked');

  // Live: the minutes count down with main's clock.
  await clock.advance(10 * 60_000);
  await expect(page.getByTestId('locked-remaining')).toHaveText('20 min');

  // A restart changes nothing: the right password still meets the lock, and no code is sent.
  const window = await app.restart();
  await expect(window.getByTestId('screen-logon')).toBeVisible();
  const sentBefore = app.core.audit.query({ action: 'code.sent' }).entries.length;
  await ui.logOn(SAM.username, PASSWORD);
  await expect(window.getByTestId('screen-locked')).toBeVisible();
  await expect(window.getByTestId('locked-remaining')).toHaveText('20 min');
  expect(app.core.audit.query({ action: 'code.sent' }).entries.length).toBe(sentBefore);
  await window.getByTestId('locked-back').click();

  // The administrator sees the lock and the failed attempts, and unlocks.
  await ui.signIn(ADMIN, ADMIN.mobile);
  await window.getByTestId('nav-users').click();
  const row = window.getByTestId('user-row-sam');
  await expect(row.getByTestId('user-lock')).toHaveText(/^Locked until \d\d:\d\d$/);
  await expect(row.getByTestId('user-failed')).toHaveText('3 failed codes');
  await ui.screenshot('users-locked');
  await row.getByTestId('user-unlock').click();
  await expect(window.getByTestId('users-message')).toHaveText(
    'Sam Berg (sam) is unlocked and their failed attempts are reset.',
  );
  await expect(row.getByTestId('user-lock')).toHaveCount(0);
  await expect(row.getByTestId('user-failed')).toHaveText('No failed codes');
  await window.getByTestId('sign-out').click();

  // Sam can log on again.
  await ui.signIn({ username: SAM.username, password: PASSWORD }, SAM.mobile);
  await expect(window.getByTestId('shell-user')).toHaveText(SAM.displayName);
});

test('the lock ends by itself when its time is up', async ({ page, ui, seed, clock }) => {
  await seed.twoFactor({ maxAttempts: 1, lockMinutes: 5 });
  await seed.user(SAM);
  await ui.logOn(SAM.username, PASSWORD);
  await ui.enterCode(wrongCodeFor(await ui.codeSentTo(SAM.mobile)));
  await expect(page.getByTestId('locked-remaining')).toHaveText('5 min');
  await clock.advance(5 * 60_000 + 1_000);
  await expect(page.getByTestId('locked-message')).toHaveText(
    'The lock has ended. Go back and log on again.',
  );
  await page.getByTestId('locked-back').click();
  await ui.signIn({ username: SAM.username, password: PASSWORD }, SAM.mobile);
});
