import { test, expect, PASSWORD, wrongCodeFor } from './fixtures';

const SAM = {
  username: 'sam',
  displayName: 'Sam Berg',
  mobile: '+46701234502',
  email: 'sam.berg@example.com',
};

test.beforeEach(async ({ seed }) => {
  await seed.twoFactor();
  await seed.user(SAM);
});

test('SMS code: masked number, countdown, attempts left, resend cooling down; the code signs in', async ({
  page,
  ui,
}) => {
  await ui.logOn(SAM.username, PASSWORD);
  await expect(page.getByTestId('screen-code')).toBeVisible();
  await expect(page.getByTestId('code-destination')).toHaveText('We sent a code by SMS to +46 •• ••• •• 02.');
  await expect(page.getByTestId('code-attempts-left')).toHaveText('3 attempts left');
  await expect(page.getByTestId('code-expiry')).toHaveText(/^Expires in [45]:\d\d$/);
  await expect(page.getByTestId('code-resend')).toHaveText(/^Resend code in 0:[0-3]\d$/);
  await expect(page.getByTestId('code-resend')).toBeDisabled();
  const input = page.getByTestId('code-input');
  await expect(input).toBeFocused();
  await expect(input).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(input).toHaveAttribute('inputmode', 'numeric');
  // Nothing in the window reveals the number.
  await expect(page.locator('body')).not.toContainText(SAM.mobile);
  await ui.screenshot('code-sms');

  await ui.enterCode(await ui.codeSentTo(SAM.mobile));
  await expect(page.getByTestId('screen-shell')).toBeVisible();
  await expect(page.getByTestId('shell-user')).toHaveText(SAM.displayName);
});

test('fallback e-mail: a user without a mobile number gets the code by e-mail (beta)', async ({
  page,
  ui,
  seed,
}) => {
  await seed.twoFactor({ primaryMethod: 'sms', fallbackMethod: 'email' });
  await seed.user({ username: 'eve', displayName: 'Eve Holm', email: 'eve.holm@example.com' });
  await ui.logOn('eve', PASSWORD);
  await expect(page.getByTestId('code-destination')).toHaveText(
    'We sent a code by e-mail (beta) to e•••@example.com.',
  );
  await ui.screenshot('code-email');
  await ui.enterCode(await ui.codeSentTo('eve.holm@example.com'));
  await expect(page.getByTestId('shell-user')).toHaveText('Eve Holm');
});

test('a pasted code with a space ("123 456") is accepted and sent at once', async ({ page, ui }) => {
  await ui.logOn(SAM.username, PASSWORD);
  const code = await ui.codeSentTo(SAM.mobile);
  await ui.enterCode(`${code.slice(0, 3)} ${code.slice(3)}`, { paste: true });
  await expect(page.getByTestId('screen-shell')).toBeVisible();
});

test('a pasted code with a trailing newline ("123456\\n") is accepted', async ({ page, ui }) => {
  await ui.logOn(SAM.username, PASSWORD);
  await ui.enterCode(`${await ui.codeSentTo(SAM.mobile)}\n`, { paste: true });
  await expect(page.getByTestId('screen-shell')).toBeVisible();
});

test('a short code is caught in the window; a wrong one costs an attempt and a new code is sent', async ({
  page,
  ui,
  emulator,
}) => {
  await ui.logOn(SAM.username, PASSWORD);
  const first = await ui.codeSentTo(SAM.mobile);
  await page.getByTestId('code-input').fill('12');
  await page.getByTestId('code-input').press('Enter');
  await expect(page.getByTestId('code-error')).toHaveText('Enter the 6-digit code.');
  await expect(page.getByTestId('code-attempts-left')).toHaveText('3 attempts left');

  await ui.enterCode(wrongCodeFor(first));
  await expect(page.getByTestId('code-error')).toHaveText(
    'That code is not right. 2 attempts left. We sent you a new code.',
  );
  await expect(page.getByTestId('code-attempts-left')).toHaveText('2 attempts left');
  await expect(page.getByTestId('code-input')).toHaveValue('');
  await expect(page.getByTestId('code-input')).toBeFocused();
  const second = await ui.codeSentTo(SAM.mobile);
  expect(emulator.outbox()).toHaveLength(2);
  await ui.screenshot('code-wrong');
  await ui.enterCode(second);
  await expect(page.getByTestId('screen-shell')).toBeVisible();
});

test('an expired code is refused; Resend brings a new one that works', async ({ page, ui, clock }) => {
  await ui.logOn(SAM.username, PASSWORD);
  const stale = await ui.codeSentTo(SAM.mobile);
  await clock.advance(5 * 60_000 + 1_000);
  await expect(page.getByTestId('code-expiry')).toHaveText('This code has expired.');
  await expect(page.getByTestId('code-expired')).toContainText('Use “Resend code” to get a new one.');
  await ui.screenshot('code-expired');

  await ui.enterCode(stale);
  await expect(page.getByTestId('code-error')).toHaveText('The code has expired. Send a new code.');
  await expect(page.getByTestId('code-attempts-left')).toHaveText('3 attempts left');

  await page.getByTestId('code-resend').click();
  await expect(page.getByTestId('code-expiry')).toHaveText(/^Expires in [45]:\d\d$/);
  await ui.enterCode(await ui.codeSentTo(SAM.mobile));
  await expect(page.getByTestId('screen-shell')).toBeVisible();
});

test('Resend waits out its cooldown, then goes away after 5 resends', async ({
  page,
  ui,
  emulator,
  clock,
}) => {
  await ui.logOn(SAM.username, PASSWORD);
  const resend = page.getByTestId('code-resend');
  await expect(resend).toBeDisabled();
  await resend.click({ force: true });
  expect(emulator.outbox()).toHaveLength(1);
  await expect(page.getByTestId('code-resend-info')).toHaveText(
    'You can ask for 5 more codes. Press Esc to cancel.',
  );

  for (let sent = 1; sent <= 5; sent++) {
    await clock.advance(30_000);
    await expect(resend).toHaveText('Resend code');
    await expect(resend).toBeEnabled();
    await resend.click();
    await expect.poll(() => emulator.outbox().length).toBe(sent + 1);
    if (sent < 5) {
      await expect(resend).toHaveText(/^Resend code in 0:[0-3]\d$/);
      await expect(page.getByTestId('code-resend-info')).toContainText(
        `You can ask for ${5 - sent} more code${5 - sent === 1 ? '' : 's'}.`,
      );
    }
  }
  await expect(resend).toHaveCount(0);
  await expect(page.getByTestId('code-resend-info')).toHaveText(
    'No more codes can be sent for this log-on. Cancel and log on again if you need a new one.',
  );
  await ui.screenshot('code-resend-cap');
  await ui.enterCode(await ui.codeSentTo(SAM.mobile));
  await expect(page.getByTestId('screen-shell')).toBeVisible();
});

test('Cancel and Esc both leave the code screen for Log on', async ({ page, ui }) => {
  await ui.logOn(SAM.username, PASSWORD);
  await page.getByTestId('code-cancel').click();
  await expect(page.getByTestId('screen-logon')).toBeVisible();
  await expect(page.getByTestId('login-notice')).toHaveText('Log-on cancelled.');

  await ui.logOn(SAM.username, PASSWORD);
  await expect(page.getByTestId('code-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('screen-logon')).toBeVisible();
});
