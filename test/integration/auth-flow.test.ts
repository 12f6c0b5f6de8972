/**
 * The login state machine's rules (design.md, "The login state machine"), one test per rule, against a real
 * SQLite file and the Sinch emulator over HTTP, with a manual clock.
 */
import { describe, expect, it } from 'vitest';
import type { AuthView } from '../../main/contract/ipc';
import { MINUTE, SECOND } from '../../main/core/clock';
import { createGateway } from '../../main/gateway/gateway';
import { loginFixture, PASSWORD, type LoginFixture } from '../support/app';
import { wrongCodeFor } from '../support/codes';

const CLIENT = 'window-1';
const MOBILE = '+46701234567';
const EMAIL = 'alice@example.com';

function expectStep<S extends AuthView['step']>(view: AuthView, step: S): Extract<AuthView, { step: S }> {
  expect(view.step, JSON.stringify(view.error)).toBe(step);
  return view as Extract<AuthView, { step: S }>;
}

async function awaitingCodeFor(f: LoginFixture, username = 'alice') {
  return expectStep(await f.core.auth.logOn(CLIENT, { username, password: PASSWORD }), 'awaitingCode');
}

function lastCode(f: LoginFixture, to = MOBILE): string {
  const code = f.emulator.lastCodeFor(to);
  if (!code) throw new Error(`no code sent to ${to}`);
  return code;
}

function wrongCode(f: LoginFixture, to = MOBILE): string {
  return wrongCodeFor(lastCode(f, to));
}

describe('first run', () => {
  it('creates the first administrator with the display name typed, or the username when none is', async () => {
    const password = 'first-Admin-Pa55word-8k2r';
    for (const [displayName, shown] of [
      ['Ada Admin', 'Ada Admin'],
      [undefined, 'root'],
    ] as const) {
      const f = await loginFixture();
      const view = await f.core.auth.firstRun(CLIENT, {
        username: 'root',
        ...(displayName ? { displayName } : {}),
        password,
        confirmPassword: password,
      });
      expect(view.step, JSON.stringify(view.error)).toBe('signedOut');
      expect(f.core.users.get('root')).toMatchObject({ displayName: shown, roles: ['administrator'] });
    }
  });
});

describe('first factor', () => {
  it('signs in with the password alone when 2FA is off', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    const view = expectStep(
      await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD }),
      'signedIn',
    );
    expect(view.user).toEqual({ username: 'alice', displayName: 'alice', roles: ['administrator'] });
    expect(f.emulator.stats().starts).toBe(0);
    expect(f.core.auth.session(CLIENT)?.username).toBe('alice');
  });

  it('answers an unknown user, a wrong password and a deactivated account with the same message', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await f.addUser({ username: 'bob', mobile: MOBILE, active: false });
    const answers = [
      await f.core.auth.logOn(CLIENT, { username: 'nobody', password: PASSWORD }),
      await f.core.auth.logOn(CLIENT, { username: 'alice', password: 'wrong password here' }),
      await f.core.auth.logOn(CLIENT, { username: 'bob', password: PASSWORD }),
    ];
    for (const view of answers) {
      expect(view.step).toBe('signedOut');
      expect(view.error).toEqual({ code: 'invalid-credentials', message: 'Invalid username or password.' });
    }
    const reasons = f.core.audit.query({ action: 'logon.password' }).entries.map((e) => e.details.reason);
    expect(reasons.sort()).toEqual(['inactive', 'unknown-user', 'wrong-password']);
  });

  it('treats a username longer than any account name as unknown, never as a truncated match', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    const long = 'a'.repeat(64);
    await f.addUser({ username: long, roles: ['administrator'] });
    const view = await f.core.auth.logOn(CLIENT, { username: `${long}EXTRA`, password: PASSWORD });
    expect(view.error?.code).toBe('invalid-credentials');
    expectStep(await f.core.auth.logOn(CLIENT, { username: long, password: PASSWORD }), 'signedIn');
  });

  it('takes the username without the spaces around it', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    const view = expectStep(
      await f.core.auth.logOn(CLIENT, { username: '  alice \t', password: PASSWORD }),
      'signedIn',
    );
    expect(view.user.username).toBe('alice');
  });

  it('throttles password failures per account: a temporary lock after the 5th failure, growing, far below 100', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    for (let i = 1; i <= 4; i++) {
      const view = await f.core.auth.logOn(CLIENT, { username: 'alice', password: `wrong-${i}` });
      expect(view.error?.code).toBe('invalid-credentials');
    }
    const fifth = await f.core.auth.logOn(CLIENT, { username: 'alice', password: 'wrong-5' });
    expect(fifth.error?.code).toBe('password-throttled');
    // While throttled even the right password is refused, without checking it.
    expect((await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD })).error?.code).toBe(
      'password-throttled',
    );
    f.clock.advance(1 * MINUTE);
    expect(
      (await f.core.auth.logOn(CLIENT, { username: 'alice', password: 'wrong-6' })).error?.message,
    ).toMatch(/Wait 2 minutes/);
    f.clock.advance(2 * MINUTE);
    expect((await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD })).step).toBe(
      'awaitingCode',
    );
  });

  it('throttles unknown usernames the same way, so throttling does not reveal which accounts exist', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    const codes: (string | undefined)[] = [];
    for (let i = 1; i <= 6; i++)
      codes.push((await f.core.auth.logOn(CLIENT, { username: 'ghost', password: `x${i}` })).error?.code);
    expect(codes).toEqual([
      'invalid-credentials',
      'invalid-credentials',
      'invalid-credentials',
      'invalid-credentials',
      'password-throttled',
      'password-throttled',
    ]);
  });
});

describe('method choice', () => {
  it('sends the code by the primary method when the user has its contact', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, email: EMAIL, roles: ['administrator'] });
    const view = await awaitingCodeFor(f);
    expect(view.method).toBe('sms');
    expect(view.maskedDestination).toBe('+46 •• ••• •• 67');
    expect(f.emulator.outbox().at(-1)).toMatchObject({ method: 'sms', to: MOBILE });
  });

  it('falls back to the fallback method when the user lacks the primary contact', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', email: EMAIL, roles: ['administrator'] });
    const view = await awaitingCodeFor(f);
    expect(view.method).toBe('email');
    expect(view.maskedDestination).toBe('a•••@example.com');
    const code = lastCode(f, EMAIL);
    expectStep(await f.core.auth.submitCode(CLIENT, code), 'signedIn');
  });

  it('refuses with "no verification contact" and audits it when the user has no usable contact', async () => {
    const f = await loginFixture({ twoFactor: { fallbackMethod: 'none' } });
    await f.addUser({ username: 'alice', email: EMAIL, roles: ['administrator'] });
    const view = expectStep(
      await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD }),
      'refused',
    );
    expect(view.reason).toBe('no-verification-contact');
    expect(view.canRetry).toBe(false);
    expect(f.emulator.stats().starts).toBe(0);
    expect(f.core.audit.query({ action: 'code.refused' }).entries[0]?.details.reason).toBe(
      'no-verification-contact',
    );
  });
});

describe('the verification code', () => {
  it('carries the masked destination, expiry at the policy minutes, attempts left and the resend time', async () => {
    const f = await loginFixture({ twoFactor: { validMinutes: 7 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    const start = f.clock.now();
    const view = await awaitingCodeFor(f);
    expect(view).toMatchObject({
      expiresAt: start + 7 * MINUTE,
      attemptsLeft: 3,
      resendAt: start + 30 * SECOND,
      resendsLeft: 5,
      purpose: 'logon',
    });
  });

  it('signs in with the right code, pasted with spaces and a trailing newline', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await awaitingCodeFor(f);
    const code = lastCode(f);
    const view = expectStep(
      await f.core.auth.submitCode(CLIENT, `${code.slice(0, 3)} ${code.slice(3)}\n`),
      'signedIn',
    );
    expect(view.user.username).toBe('alice');
    expect(f.core.audit.query({ action: 'logon.success' }).entries).toHaveLength(1);
  });

  it('rejects empty or malformed input without counting an attempt or asking Sinch', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await awaitingCodeFor(f);
    for (const input of ['', '   ', '12', '12345678901', '12#456']) {
      const view = expectStep(await f.core.auth.submitCode(CLIENT, input), 'awaitingCode');
      expect(view.error).toMatchObject({
        code: 'validation',
        message: 'Enter the code from the message, digits only.',
      });
      expect(view.attemptsLeft).toBe(3);
    }
    expect(f.emulator.stats().reports).toBe(0);
  });

  it('accepts a code until exactly the policy minute and refuses it locally from then on, uncounted', async () => {
    const f = await loginFixture({ twoFactor: { validMinutes: 5 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await awaitingCodeFor(f);
    const code = lastCode(f);
    f.clock.advance(5 * MINUTE);
    const expired = expectStep(await f.core.auth.submitCode(CLIENT, code), 'awaitingCode');
    expect(expired.error?.message).toMatch(/expired/);
    expect(expired.attemptsLeft).toBe(3);
    expect(f.emulator.stats().reports).toBe(0);

    const g = await loginFixture({ twoFactor: { validMinutes: 5 } });
    await g.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await awaitingCodeFor(g);
    g.clock.advance(5 * MINUTE - 1);
    expectStep(await g.core.auth.submitCode(CLIENT, lastCode(g)), 'signedIn');
  });

  it('counts a wrong code as one failed attempt and sends a new code (Sinch reports are one-shot)', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await awaitingCodeFor(f);
    const first = lastCode(f);
    const view = expectStep(await f.core.auth.submitCode(CLIENT, wrongCode(f)), 'awaitingCode');
    expect(view.attemptsLeft).toBe(2);
    // The refusal says the same count as the screen, and so does its audit entry.
    expect(view.error).toMatchObject({
      code: 'wrong-code',
      message: 'That code is not right. 2 attempts left. We sent you a new code.',
      params: { attemptsLeft: 2, anotherSent: true },
    });
    expect(f.core.audit.query({ action: 'code.failure' }).entries[0]?.details).toMatchObject({
      attemptsLeft: 2,
    });
    expect(f.emulator.stats().starts).toBe(2);
    expect(f.core.users.get('alice').failedCodeAttempts).toBe(1);
    // The superseded first code no longer works: it is checked against the new verification and fails.
    const again = expectStep(
      await f.core.auth.submitCode(CLIENT, first === lastCode(f) ? '999999' : first),
      'awaitingCode',
    );
    expect(again.attemptsLeft).toBe(1);
  });

  it('locks SC access after the 3rd wrong code for exactly the policy minutes, and audits the lock', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 3, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await awaitingCodeFor(f);
    await f.core.auth.submitCode(CLIENT, wrongCode(f));
    await f.core.auth.submitCode(CLIENT, wrongCode(f));
    const lockedAt = f.clock.now();
    const view = expectStep(await f.core.auth.submitCode(CLIENT, wrongCode(f)), 'locked');
    expect(view.lockedUntil).toBe(lockedAt + 30 * MINUTE);
    expect(f.core.audit.query({ action: 'account.locked' }).entries).toHaveLength(1);
    expect(f.core.users.get('alice').scLockedUntil).toBe(lockedAt + 30 * MINUTE);

    // A locked account with the right password sees the lock; no code is sent.
    const startsBefore = f.emulator.stats().starts;
    f.core.auth.cancel(CLIENT);
    f.clock.advance(30 * MINUTE - 1);
    expectStep(await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD }), 'locked');
    expect(f.emulator.stats().starts).toBe(startsBefore);

    // The lock ends after exactly the policy minutes, with a fresh count.
    f.core.auth.cancel(CLIENT);
    f.clock.advance(1);
    const after = await awaitingCodeFor(f);
    expect(after.attemptsLeft).toBe(3);
  });

  it('does not reset the failure count on resend; success does', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await awaitingCodeFor(f);
    await f.core.auth.submitCode(CLIENT, wrongCode(f));
    f.clock.advance(30 * SECOND);
    const resent = expectStep(await f.core.auth.resendCode(CLIENT), 'awaitingCode');
    expect(resent.attemptsLeft).toBe(2);
    expectStep(await f.core.auth.submitCode(CLIENT, lastCode(f)), 'signedIn');
    expect(f.core.users.get('alice').failedCodeAttempts).toBe(0);
  });

  it('keeps the failure count when the user cancels and logs on again', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await awaitingCodeFor(f);
    await f.core.auth.submitCode(CLIENT, wrongCode(f));
    f.core.auth.cancel(CLIENT);
    expect((await awaitingCodeFor(f)).attemptsLeft).toBe(2);
  });

  it('enforces a 30 s resend cooldown and at most 5 resends per log-on attempt, both shown', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await awaitingCodeFor(f);
    const early = await f.core.auth.resendCode(CLIENT);
    expect(early.error?.code).toBe('resend-cooldown');
    expect(f.emulator.stats().starts).toBe(1);
    for (let i = 1; i <= 5; i++) {
      f.clock.advance(30 * SECOND);
      const view = expectStep(await f.core.auth.resendCode(CLIENT), 'awaitingCode');
      expect(view.resendsLeft).toBe(5 - i);
      expect(view.resendAt).toBe(i === 5 ? null : f.clock.now() + 30 * SECOND);
    }
    f.clock.advance(30 * SECOND);
    expect((await f.core.auth.resendCode(CLIENT)).error?.code).toBe('resend-limit');
    expect(f.emulator.stats().starts).toBe(6);
    // The newest code works; the superseded ones are refused by Sinch as aborted.
    expectStep(await f.core.auth.submitCode(CLIENT, lastCode(f)), 'signedIn');
  });

  it('refuses a code from an earlier log-on attempt', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await awaitingCodeFor(f);
    const earlier = lastCode(f);
    f.core.auth.cancel(CLIENT);
    await awaitingCodeFor(f);
    if (earlier === lastCode(f)) return expect.fail('the emulator sent the same code twice; rerun');
    const view = expectStep(await f.core.auth.submitCode(CLIENT, earlier), 'awaitingCode');
    expect(view.error?.code).toBe('wrong-code');
  });
});

describe('provider errors', () => {
  it('refuses with "verification service unavailable" on a failed send, audits the provider code, and Retry sends', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    f.emulator.injectFaults({ status: 503, errorCode: 50300, count: 10 });
    const view = expectStep(
      await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD }),
      'refused',
    );
    expect(view).toMatchObject({ reason: 'verification-unavailable', canRetry: true });
    expect(view.error?.code).toBe('verification-unavailable');
    expect(f.core.audit.query({ action: 'code.sent' }).entries[0]?.details.providerErrorCode).toBe(50300);
    f.emulator.clearFaults();
    expectStep(await f.core.auth.retry(CLIENT), 'awaitingCode');
  });

  it('counts no attempt and locks nobody when Sinch fails while checking a code', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 1 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await awaitingCodeFor(f);
    for (const fault of [
      { status: 500, errorCode: 50000 },
      { status: 429, errorCode: 42900 },
      { status: 401, errorCode: 40100 },
      { status: 200, malformed: true },
    ]) {
      f.emulator.injectFaults({ ...fault, count: 1 });
      const view = expectStep(await f.core.auth.submitCode(CLIENT, lastCode(f)), 'awaitingCode');
      expect(view.error?.code).toMatch(/^verification-/);
      expect(view.attemptsLeft).toBe(1);
    }
    expect(f.core.users.get('alice')).toMatchObject({ failedCodeAttempts: 0, scLockedUntil: null });
    expectStep(await f.core.auth.submitCode(CLIENT, lastCode(f)), 'signedIn');
  });

  it('keeps the wrong codes counted before Sinch failed while checking the next one', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await awaitingCodeFor(f);
    expect(expectStep(await f.core.auth.submitCode(CLIENT, wrongCode(f)), 'awaitingCode').attemptsLeft).toBe(
      2,
    );
    f.emulator.injectFaults({ status: 500, errorCode: 50000, count: 1 });
    const view = expectStep(await f.core.auth.submitCode(CLIENT, lastCode(f)), 'awaitingCode');
    expect(view.error?.code).toMatch(/^verification-/);
    expect(view.attemptsLeft).toBe(2);
    expect(f.core.users.get('alice')).toMatchObject({ failedCodeAttempts: 1, scLockedUntil: null });
  });
});

describe('password change', () => {
  it('asks for a new password after the code, then sends a second code, and only then signs in', async () => {
    const f = await loginFixture();
    await f.addUser({
      username: 'alice',
      mobile: MOBILE,
      roles: ['administrator'],
      mustChangePassword: true,
    });
    await awaitingCodeFor(f);
    const view = expectStep(await f.core.auth.submitCode(CLIENT, lastCode(f)), 'passwordChangeRequired');
    expect(view.passwordRules.minLength).toBe(12);
    const refusals = [
      { newPassword: 'short', confirmPassword: 'short', field: 'newPassword' },
      { newPassword: 'alice', confirmPassword: 'alice', field: 'newPassword' },
      { newPassword: PASSWORD, confirmPassword: PASSWORD, field: 'newPassword' },
      {
        newPassword: 'a brand new passphrase',
        confirmPassword: 'a different passphrase',
        field: 'confirmPassword',
      },
    ];
    for (const { field, ...input } of refusals) {
      const refused = expectStep(await f.core.auth.changePassword(CLIENT, input), 'passwordChangeRequired');
      expect(refused.error?.field).toBe(field);
    }
    const second = expectStep(
      await f.core.auth.changePassword(CLIENT, {
        newPassword: 'a brand new passphrase',
        confirmPassword: 'a brand new passphrase',
      }),
      'awaitingCode',
    );
    expect(second.purpose).toBe('afterPasswordChange');
    expect(f.core.auth.session(CLIENT)).toBeNull();
    expectStep(await f.core.auth.submitCode(CLIENT, lastCode(f)), 'signedIn');
    expect(f.core.users.get('alice').mustChangePassword).toBe(false);
    f.core.auth.signOut(CLIENT);
    expect((await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD })).error?.code).toBe(
      'invalid-credentials',
    );
    expectStep(
      await f.core.auth.logOn(CLIENT, { username: 'alice', password: 'a brand new passphrase' }),
      'awaitingCode',
    );
  });

  it('changes the password right after the password when 2FA is off', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'], mustChangePassword: true });
    expectStep(
      await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD }),
      'passwordChangeRequired',
    );
    expectStep(
      await f.core.auth.changePassword(CLIENT, {
        newPassword: 'a brand new passphrase',
        confirmPassword: 'a brand new passphrase',
      }),
      'signedIn',
    );
  });
});

describe('persistence and sessions', () => {
  it('keeps the lock and the failure count across a restart; a restart starts signed out', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 3 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await f.addUser({ username: 'bob', mobile: '+46701234568' });
    await awaitingCodeFor(f);
    await f.core.auth.submitCode(CLIENT, wrongCode(f));
    f.core.auth.cancel(CLIENT);
    await f.core.auth.logOn('window-2', { username: 'bob', password: PASSWORD });
    for (let i = 0; i < 3; i++) await f.core.auth.submitCode('window-2', wrongCode(f, '+46701234568'));

    const core = f.restart();
    expect(core.auth.state(CLIENT).step).toBe('signedOut');
    expect(core.users.get('alice').failedCodeAttempts).toBe(1);
    expectStep(await core.auth.logOn('window-2', { username: 'bob', password: PASSWORD }), 'locked');
    expect(await core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD })).toMatchObject({
      step: 'awaitingCode',
      attemptsLeft: 2,
    });
  });

  it('ends a signed-in session after the idle time-out, and activity keeps it alive', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false }, core: { idleTimeoutMs: 30 * MINUTE } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    const pushed: AuthView[] = [];
    f.core.auth.onStateChange((_client, view) => pushed.push(view));
    await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD });
    f.clock.advance(29 * MINUTE);
    f.core.auth.activity(CLIENT);
    f.clock.advance(29 * MINUTE);
    expect(f.core.auth.session(CLIENT)).not.toBeNull();
    f.clock.advance(1 * MINUTE);
    f.core.auth.sweepIdle();
    expect(f.core.auth.session(CLIENT)).toBeNull();
    expect(pushed.at(-1)).toMatchObject({ step: 'signedOut', notice: 'sessionExpired' });
    expect(f.core.audit.query({ action: 'logon.timeout' }).entries).toHaveLength(1);
  });

  it('applies 2FA switched on at the next log-on, not to a session already signed in', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    expectStep(await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD }), 'signedIn');
    f.core.policy.set({ twoFactor: { enabled: true } }, 'alice');
    expect(f.core.auth.session(CLIENT)).not.toBeNull();
    f.core.auth.signOut(CLIENT);
    expectStep(await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD }), 'awaitingCode');
  });
});

describe('concurrency', () => {
  it('counts 50 wrong codes submitted at once through the gateway exactly up to the maximum, calling Sinch at most that often', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 3 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    const gateway = createGateway(f.core, { appOrigin: 'app://system-configurator' });
    const sender = { clientId: CLIENT, origin: 'app://system-configurator', isMainFrame: true };
    const logOn = await gateway.invoke(sender, 'sc:auth:logOn', { username: 'alice', password: PASSWORD });
    expect(logOn).toMatchObject({ ok: true, value: { step: 'awaitingCode' } });
    const reportsBefore = f.emulator.stats().reports;
    const wrong = wrongCode(f);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => gateway.invoke(sender, 'sc:auth:submitCode', { code: wrong })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(f.emulator.stats().reports - reportsBefore).toBeLessThanOrEqual(3);
    expect(f.core.users.get('alice').failedCodeAttempts).toBe(3);
    expect(f.core.users.get('alice').scLockedUntil).not.toBeNull();
    expect(f.core.auth.state(CLIENT).step).toBe('locked');
    expect(f.core.audit.query({ action: 'code.failure' }).entries.length).toBeLessThanOrEqual(3);
  });
});

describe('what the window is told', () => {
  it('pushes each screen once: none of the checks in between, nothing for a query or activity', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    const pushed: string[] = [];
    f.core.auth.onStateChange((client, view) => pushed.push(`${client} ${view.step}`));
    await awaitingCodeFor(f);
    f.core.auth.state(CLIENT);
    expect(pushed).toEqual([`${CLIENT} awaitingCode`]);
    expectStep(await f.core.auth.submitCode(CLIENT, wrongCode(f)), 'awaitingCode');
    expect(pushed).toEqual([`${CLIENT} awaitingCode`, `${CLIENT} awaitingCode`]);
    expectStep(await f.core.auth.submitCode(CLIENT, lastCode(f)), 'signedIn');
    const signedIn = [`${CLIENT} awaitingCode`, `${CLIENT} awaitingCode`, `${CLIENT} signedIn`];
    expect(pushed).toEqual(signedIn);
    f.clock.advance(MINUTE);
    f.core.auth.activity(CLIENT);
    f.core.auth.session(CLIENT);
    f.core.auth.state(CLIENT);
    expect(pushed).toEqual(signedIn);
  });

  it('pushes a signed-in window its new name, and stops pushing to a listener that unsubscribed', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    expectStep(await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD }), 'signedIn');
    const pushed: AuthView[] = [];
    const unsubscribe = f.core.auth.onStateChange((_client, view) => pushed.push(view));
    f.core.users.update('alice', { displayName: 'Alice Liddell' }, 'test');
    f.core.auth.state(CLIENT);
    expect(pushed).toHaveLength(1);
    expect(expectStep(pushed[0]!, 'signedIn').user.displayName).toBe('Alice Liddell');
    unsubscribe();
    f.core.auth.signOut(CLIENT);
    expect(pushed).toHaveLength(1);
  });
});

describe('the SSO seam', () => {
  it('without SSO set up: the window offers none, and an SSO start is refused', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    expect(f.core.auth.state(CLIENT)).toMatchObject({ step: 'signedOut', ssoEnabled: false });
    const view = await f.core.auth.ssoStart(CLIENT);
    expect(view).toMatchObject({ step: 'signedOut', ssoEnabled: false, error: { code: 'sso-error' } });
  });

  it('enters the same 2FA path as a password log-on, without a password change', async () => {
    const f = await loginFixture({
      core: {
        sso: { isEnabled: () => true, authenticate: async () => ({ username: 'alice', subject: 'sub-1' }) },
      },
    });
    f.restart();
    await f.addUser({
      username: 'alice',
      mobile: MOBILE,
      roles: ['administrator'],
      mustChangePassword: true,
    });
    expectStep(await f.core.auth.ssoStart(CLIENT), 'awaitingCode');
    const view = expectStep(await f.core.auth.submitCode(CLIENT, lastCode(f)), 'signedIn');
    expect(view.user.username).toBe('alice');
    expect(f.core.audit.query({ action: 'logon.success' }).entries[0]?.details.via).toBe('sso');
  });

  it('refuses an SSO identity with no active SC account', async () => {
    const f = await loginFixture({
      core: {
        sso: {
          isEnabled: () => true,
          authenticate: async () => ({ username: 'stranger', subject: 'sub-2' }),
        },
      },
    });
    f.restart();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    const view = expectStep(await f.core.auth.ssoStart(CLIENT), 'signedOut');
    expect(view.error?.code).toBe('sso-error');
  });
});
