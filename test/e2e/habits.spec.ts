/**
 * People's habits at the keyboard and the mouse (issue 17): Enter after six digits, Enter or a click twice,
 * codes pasted with spaces, dashes or a newline. Each journey is driven the way people do it
 * (pressSequentially, Enter, double clicks), checks the live region after every step, and counts the
 * requests the window sent where the host hands them to the gateway (and the codes in the emulator's outbox).
 * Where a second click or Enter must land while the first request is on its way, the host holds that
 * channel's requests a moment (`app.slowDown`), as a slow machine would.
 */
import { channelNames } from '../../main/contract/channel-names';
import { test, expect, ADMIN, PASSWORD, SAM, wrongCodeFor } from './fixtures';

const WRONG = 'That code is not right. 2 attempts left. We sent you a new code.';

/** Long enough for a second click or Enter to land before the first request is answered. */
const IN_FLIGHT_MS = 400;

test.describe('the code screen', () => {
  test.beforeEach(async ({ seed }) => {
    await seed.twoFactorUser();
  });

  test('Enter after a wrong code keeps the answer: nothing is sent, the new code still works', async ({
    page,
    ui,
    app,
    emulator,
  }) => {
    const first = await ui.logOnForCode(SAM);
    const input = page.getByTestId('code-input');
    const said = page.getByTestId('code-error');
    await expect(said).toHaveCount(0);

    // Six digits go by themselves; the habit's Enter lands after the answer.
    await input.pressSequentially(wrongCodeFor(first));
    await expect(said).toHaveText(WRONG);
    await expect(input).toHaveValue('');
    await expect(input).toBeFocused();
    await input.press('Enter');
    await expect(said).toHaveText(WRONG);
    await input.press('Enter');
    await expect(said).toHaveText(WRONG);
    await expect(page.getByTestId('code-input-error')).toHaveCount(0);
    expect(app.requests(channelNames.auth.submitCode)).toBe(1);
    expect(emulator.outbox()).toHaveLength(2);

    // A partial code and Enter: the note goes under the field, the answer stays in the live region.
    await input.pressSequentially('12');
    await input.press('Enter');
    await expect(said).toHaveText(WRONG);
    await expect(page.getByTestId('code-input-error')).toHaveText('Enter the 6-digit code.');
    expect(app.requests(channelNames.auth.submitCode)).toBe(1);

    await input.fill('');
    await input.pressSequentially(await ui.codeSentTo(SAM.mobile));
    await expect(page.getByTestId('screen-shell')).toBeVisible();
    expect(app.requests(channelNames.auth.submitCode)).toBe(2);
  });

  test('Enter straight after the sixth digit (while it is checked) sends the code once', async ({
    page,
    ui,
    app,
  }) => {
    const first = await ui.logOnForCode(SAM);
    app.slowDown(channelNames.auth.submitCode, IN_FLIGHT_MS);
    const input = page.getByTestId('code-input');
    await input.pressSequentially(wrongCodeFor(first));
    await input.press('Enter');
    await expect(page.getByTestId('code-error')).toHaveText(WRONG);
    await input.press('Enter');
    await expect(page.getByTestId('code-error')).toHaveText(WRONG);
    expect(app.requests(channelNames.auth.submitCode)).toBe(1);
  });

  test('a double click on Verify sends one request; after the answer it only asks for the code', async ({
    page,
    ui,
    app,
  }) => {
    const first = await ui.logOnForCode(SAM);
    const input = page.getByTestId('code-input');
    const said = page.getByTestId('code-error');
    await input.pressSequentially(wrongCodeFor(first).slice(0, 5));
    await page.getByTestId('code-submit').dblclick();
    await expect(said).toHaveText('Enter the 6-digit code.');
    expect(app.requests(channelNames.auth.submitCode)).toBe(0);

    app.slowDown(channelNames.auth.submitCode, IN_FLIGHT_MS);
    await input.press('End');
    await input.pressSequentially(wrongCodeFor(first).slice(5));
    await page.getByTestId('code-submit').dblclick();
    await expect(said).toHaveText(WRONG);
    expect(app.requests(channelNames.auth.submitCode)).toBe(1);

    await page.getByTestId('code-submit').dblclick();
    await expect(said).toHaveText(WRONG);
    await expect(page.getByTestId('code-input-error')).toHaveText('Enter the 6-digit code.');
    expect(app.requests(channelNames.auth.submitCode)).toBe(1);
  });

  for (const [name, shape] of [
    ['spaces', (c: string) => `${c.slice(0, 3)} ${c.slice(3)}`],
    ['dashes', (c: string) => `${c.slice(0, 2)}-${c.slice(2, 4)}-${c.slice(4)}`],
    ['a newline', (c: string) => `${c}\n`],
    ['spaces around and a newline', (c: string) => ` ${c.slice(0, 3)} ${c.slice(3)} \r\n`],
  ] as const) {
    test(`a pasted code with ${name} is sent once, even with Enter after it`, async ({ page, ui, app }) => {
      const code = await ui.logOnForCode(SAM);
      app.slowDown(channelNames.auth.submitCode, IN_FLIGHT_MS);
      await ui.enterCode(shape(code), { paste: true });
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('screen-shell')).toBeVisible();
      expect(app.requests(channelNames.auth.submitCode)).toBe(1);
    });
  }

  test('a pasted wrong code with a newline is sent once and its answer stays', async ({ page, ui, app }) => {
    const first = await ui.logOnForCode(SAM);
    app.slowDown(channelNames.auth.submitCode, IN_FLIGHT_MS);
    await ui.enterCode(`${wrongCodeFor(first)}\n`, { paste: true });
    await expect(page.getByTestId('code-error')).toHaveText(WRONG);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('code-error')).toHaveText(WRONG);
    expect(app.requests(channelNames.auth.submitCode)).toBe(1);
  });

  test('a double click on Resend sends one new code', async ({ page, ui, app, emulator, clock }) => {
    await ui.logOnForCode(SAM);
    await clock.advance(30_000);
    const resend = page.getByTestId('code-resend');
    await expect(resend).toHaveText('Resend code');
    app.slowDown(channelNames.auth.resendCode, IN_FLIGHT_MS);
    await resend.dblclick();
    await expect(page.getByTestId('code-resend-info')).toHaveText(
      'You can ask for 4 more codes. Press Esc to cancel.',
    );
    await expect(page.getByTestId('code-error')).toHaveCount(0);
    expect(app.requests(channelNames.auth.resendCode)).toBe(1);
    expect(emulator.outbox()).toHaveLength(2);
  });
});

test.describe('Log on', () => {
  test('a double click on Log on sends one request and one code', async ({ page, app, seed, emulator }) => {
    await seed.twoFactorUser();
    app.slowDown(channelNames.auth.logOn, IN_FLIGHT_MS);
    await page.getByTestId('login-username').pressSequentially(SAM.username);
    await page.getByTestId('login-password').pressSequentially(PASSWORD);
    await page.getByTestId('login-submit').dblclick();
    await expect(page.getByTestId('screen-code')).toBeVisible();
    await expect(page.getByTestId('code-error')).toHaveCount(0);
    expect(app.requests(channelNames.auth.logOn)).toBe(1);
    expect(emulator.outbox()).toHaveLength(1);
  });

  test('Enter twice on Log on sends one request; the second Enter says nothing on the code screen', async ({
    page,
    app,
    seed,
    emulator,
  }) => {
    await seed.twoFactorUser();
    app.slowDown(channelNames.auth.logOn, IN_FLIGHT_MS);
    await page.getByTestId('login-username').pressSequentially(SAM.username);
    const password = page.getByTestId('login-password');
    await password.pressSequentially(PASSWORD);
    await password.press('Enter');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('screen-code')).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('code-input')).toBeFocused();
    await expect(page.getByTestId('code-error')).toHaveCount(0);
    expect(app.requests(channelNames.auth.logOn)).toBe(1);
    expect(emulator.outbox()).toHaveLength(1);
  });

  test('a wrong password and Enter twice: one attempt, the answer stays', async ({ page, app }) => {
    app.slowDown(channelNames.auth.logOn, IN_FLIGHT_MS);
    await page.getByTestId('login-username').pressSequentially(ADMIN.username);
    const password = page.getByTestId('login-password');
    await password.pressSequentially('not-the-password');
    await password.press('Enter');
    await password.press('Enter');
    await expect(page.getByTestId('login-error')).toHaveText('Invalid username or password.');
    expect(app.requests(channelNames.auth.logOn)).toBe(1);
  });
});

test.describe('administration', () => {
  test.beforeEach(async ({ ui }) => {
    await ui.signIn(ADMIN);
  });

  test('a double click on Save (policy) saves once', async ({ page, app }) => {
    await expect(page.getByTestId('screen-policy')).toBeVisible();
    const minutes = page.getByTestId('policy-valid-minutes');
    await minutes.fill('');
    await minutes.pressSequentially('7');
    app.slowDown(channelNames.policy.set, IN_FLIGHT_MS);
    await page.getByTestId('policy-save').dblclick();
    await expect(page.getByTestId('policy-saved')).toHaveText(
      'Policy saved. It applies from the next log-on.',
    );
    expect(app.requests(channelNames.policy.set)).toBe(1);
    expect(app.core.policy.get().twoFactor.validMinutes).toBe(7);
  });

  test('Enter twice in the secret form saves once', async ({ page, app }) => {
    await page.getByTestId('nav-secrets').click();
    const authId = page.getByTestId('secret-auth-id');
    await authId.fill('');
    await authId.pressSequentially('my-own-key');
    const secret = page.getByTestId('secret-value');
    await secret.pressSequentially('my-own-secret');
    app.slowDown(channelNames.secrets.set, IN_FLIGHT_MS);
    await secret.press('Enter');
    await secret.press('Enter');
    await expect(page.getByTestId('secret-message')).toHaveText(
      'The secret was saved to the OS keychain. It is used from the next verification.',
    );
    await expect(page.getByTestId('secret-form-error')).toHaveCount(0);
    expect(app.requests(channelNames.secrets.set)).toBe(1);
  });

  test('a double click on Create user creates once', async ({ page, app }) => {
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-new').click();
    await page.getByTestId('user-username').pressSequentially('nils');
    app.slowDown(channelNames.users.create, IN_FLIGHT_MS);
    await page.getByTestId('user-save').dblclick();
    await expect(page.getByTestId('user-form')).toHaveCount(0);
    await expect(page.getByTestId('users-message')).toHaveText('User nils was created.');
    expect(app.requests(channelNames.users.create)).toBe(1);
  });

  test('Test connection: a double click sends one code; Enter twice checks it once', async ({
    page,
    app,
    emulator,
  }) => {
    await page.getByTestId('nav-secrets').click();
    app.slowDown(channelNames.verify.testStart, IN_FLIGHT_MS);
    app.slowDown(channelNames.verify.testConfirm, IN_FLIGHT_MS);
    await page.getByTestId('verify-start').dblclick();
    await expect(page.getByTestId('verify-destination')).toBeVisible();
    await expect(page.getByTestId('verify-error')).toHaveCount(0);
    expect(app.requests(channelNames.verify.testStart)).toBe(1);
    expect(emulator.outbox()).toHaveLength(1);

    const code = emulator.lastCodeFor(ADMIN.mobile);
    if (!code) throw new Error('no test code was sent');
    const input = page.getByTestId('verify-code');
    await expect(input).toBeFocused();
    await input.pressSequentially(code);
    await input.press('Enter');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('verify-outcome')).toHaveText(
      'The connection works: the code was verified by the Sinch Verification API.',
    );
    await expect(page.getByTestId('verify-error')).toHaveCount(0);
    expect(app.requests(channelNames.verify.testConfirm)).toBe(1);
  });
});
