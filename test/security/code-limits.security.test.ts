/**
 * The code rules against what the policy and the provider say later: a lowered Maximum attempts at or
 * below an account's failed count shows the lock at the next log-on (no code is sent), and a code the
 * provider calls expired (its validity can be shorter than the policy's) is said to be expired, counts
 * nothing and leaves the way to a new code open: never "That code is not right".
 */
import { describe, expect, it } from 'vitest';
import type { AuthView } from '../../main/contract/ipc';
import { SECOND } from '../../main/core/clock';
import type { Verifier } from '../../main/core/verify/verifier';
import { PASSWORD, loginFixture, type LoginFixture } from '../support/app';
import { gatewayFixture } from '../support/gateway-fixture';
import { wrongCodeFor } from '../support/codes';

const MOBILE = '+46701234567';

describe('a lowered maximum', () => {
  it('at or below the failed count: the next log-on shows the lock and sends no code', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 3, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await f.addUser({ username: 'boss', mobile: '+46701234568', roles: ['administrator'] });
    await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    for (let i = 0; i < 2; i++) {
      const view = await f.core.auth.submitCode('w', wrongCodeFor(f.emulator.lastCodeFor(MOBILE)!));
      expect(view.error?.code).toBe('wrong-code');
    }
    f.core.auth.cancel('w');
    expect(f.core.users.get('alice').failedCodeAttempts).toBe(2);
    f.core.policy.set({ twoFactor: { maxAttempts: 2 } }, 'boss');

    const starts = f.emulator.stats().starts;
    const view = await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    expect(view).toMatchObject({ step: 'locked', lockedUntil: f.clock.now() + 30 * 60_000 });
    expect(f.emulator.stats().starts).toBe(starts);
    expect(f.core.users.get('alice').scLockedUntil).toBe(f.clock.now() + 30 * 60_000);
    expect(f.core.audit.query({ action: 'account.locked' }).entries[0]?.details).toMatchObject({
      reason: 'maximum-lowered',
    });
  });

  it('lowered while the code screen is open: the next code, even the right one, is not checked and locks', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 3, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await f.addUser({ username: 'boss', mobile: '+46701234568', roles: ['administrator'] });
    await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    for (let i = 0; i < 2; i++)
      await f.core.auth.submitCode('w', wrongCodeFor(f.emulator.lastCodeFor(MOBILE)!));
    expect(f.core.auth.state('w').step).toBe('awaitingCode');
    f.core.policy.set({ twoFactor: { maxAttempts: 2 } }, 'boss');

    const reports = f.emulator.stats().reports;
    const view = await f.core.auth.submitCode('w', f.emulator.lastCodeFor(MOBILE)!);
    expect(view).toMatchObject({ step: 'locked', lockedUntil: f.clock.now() + 30 * 60_000 });
    expect(f.core.auth.session('w')).toBeNull();
    expect(f.emulator.stats().reports).toBe(reports);
    expect(f.core.users.get('alice')).toMatchObject({
      failedCodeAttempts: 2,
      scLockedUntil: f.clock.now() + 30 * 60_000,
    });
  });

  it('a lock taken at another window’s log-on holds on an open code screen, even with the maximum raised again', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 3, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await f.addUser({ username: 'boss', mobile: '+46701234568', roles: ['administrator'] });
    await f.core.auth.logOn('a', { username: 'alice', password: PASSWORD });
    for (let i = 0; i < 2; i++)
      await f.core.auth.submitCode('a', wrongCodeFor(f.emulator.lastCodeFor(MOBILE)!));
    expect(f.core.auth.state('a').step).toBe('awaitingCode');
    // Window b's log-on meets the lowered maximum: the account locks and no code is sent, so window a's
    // code is still the live one.
    f.core.policy.set({ twoFactor: { maxAttempts: 2 } }, 'boss');
    expect((await f.core.auth.logOn('b', { username: 'alice', password: PASSWORD })).step).toBe('locked');
    f.core.policy.set({ twoFactor: { maxAttempts: 5 } }, 'boss');

    const reports = f.emulator.stats().reports;
    const view = await f.core.auth.submitCode('a', f.emulator.lastCodeFor(MOBILE)!);
    expect(view.step).toBe('locked');
    expect(f.core.auth.session('a')).toBeNull();
    expect(f.emulator.stats().reports).toBe(reports);
    expect(f.core.users.get('alice').failedCodeAttempts).toBe(2);
  });

  it('with 2FA off, a failed-code count at or above the maximum locks nothing: the password signs in', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 3, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await f.addUser({ username: 'boss', mobile: '+46701234568', roles: ['administrator'] });
    await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    for (let i = 0; i < 2; i++)
      await f.core.auth.submitCode('w', wrongCodeFor(f.emulator.lastCodeFor(MOBILE)!));
    f.core.auth.cancel('w');
    f.core.policy.set({ twoFactor: { enabled: false, maxAttempts: 2 } }, 'boss');

    const view = await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    expect(view.step).toBe('signedIn');
    expect(f.core.users.get('alice').scLockedUntil).toBeNull();
    expect(f.core.audit.query({ action: 'account.locked' }).entries).toHaveLength(0);

    // The count stays: with 2FA on again, the next log-on shows the lock and sends no code.
    f.core.auth.signOut('w');
    f.core.policy.set({ twoFactor: { enabled: true } }, 'boss');
    const starts = f.emulator.stats().starts;
    expect((await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD })).step).toBe('locked');
    expect(f.emulator.stats().starts).toBe(starts);
  });
});

/** A provider whose codes all run out before the policy's validity. */
function expiringVerifier(): Verifier & { reports: number } {
  let n = 0;
  const verifier = {
    reports: 0,
    start: async () => ({ id: `v-${++n}`, method: 'sms' as const }),
    report: async () => {
      verifier.reports++;
      return { outcome: 'not-valid' as const, status: 'FAIL' as const, reason: 'Expired' };
    },
    status: async () => ({ id: 'v', status: 'FAIL' as const }),
  };
  return verifier;
}

describe('a code the provider calls expired', () => {
  it('is said to be expired, counts nothing, and a new code can be asked for', async () => {
    const verifier = expiringVerifier();
    const f = await gatewayFixture({ verifier });
    await f.core.users.create(
      { username: 'alice', password: PASSWORD, mobile: MOBILE, roles: ['administrator'] },
      'test',
    );
    f.core.policy.set({ twoFactor: { enabled: true, maxAttempts: 3 } }, 'test');
    const first = await f.ok<AuthView>('w', 'sc:auth:logOn', { username: 'alice', password: PASSWORD });
    expect(first.step).toBe('awaitingCode');

    const view = await f.ok<AuthView>('w', 'sc:auth:submitCode', { code: '123456' });
    if (view.step !== 'awaitingCode') return expect.fail(view.step);
    expect(view.error).toMatchObject({
      code: 'code-expired',
      message: 'The code has expired. Send a new code.',
    });
    expect(view.error?.message).not.toMatch(/not right/);
    expect(view.attemptsLeft).toBe(3);
    expect(view.expiresAt).toBeLessThanOrEqual(view.serverNow);
    expect(f.core.users.get('alice').failedCodeAttempts).toBe(0);

    // The same code again is refused locally as expired, without asking the provider.
    const again = await f.ok<AuthView>('w', 'sc:auth:submitCode', { code: '123456' });
    expect(again.error?.code).toBe('code-expired');
    expect(verifier.reports).toBe(1);

    f.clock.advance(30 * SECOND);
    const resent = await f.ok<AuthView>('w', 'sc:auth:resendCode');
    expect(resent).toMatchObject({ step: 'awaitingCode', error: null });
    if (resent.step === 'awaitingCode') expect(resent.expiresAt).toBeGreaterThan(resent.serverNow);
    expect(f.core.audit.query({ action: 'code.failure' }).entries).toHaveLength(0);
  });
});

/** Alice's code screen at `client` with two wrong codes of three; then boss lowers Maximum attempts to 2. */
async function twoWrongCodesThenMaximumLowered(client: string): Promise<LoginFixture> {
  const f = await loginFixture({ twoFactor: { maxAttempts: 3, lockMinutes: 30 } });
  await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
  await f.addUser({ username: 'boss', mobile: '+46701234568', roles: ['administrator'] });
  await f.core.auth.logOn(client, { username: 'alice', password: PASSWORD });
  for (let i = 0; i < 2; i++)
    await f.core.auth.submitCode(client, wrongCodeFor(f.emulator.lastCodeFor(MOBILE)!));
  f.core.policy.set({ twoFactor: { maxAttempts: 2 } }, 'boss');
  return f;
}

// Every SC lock is in the audit log, however it was taken, exactly once per lock.
describe('the audit log records every lock', () => {
  it('the last wrong code of a window left while the provider checked it: locked and audited once', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 2, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    await f.core.auth.submitCode('w', wrongCodeFor(f.emulator.lastCodeFor(MOBILE)!));

    const checking = f.core.auth.submitCode('w', wrongCodeFor(f.emulator.lastCodeFor(MOBILE)!));
    f.core.auth.cancel('w');
    await checking;

    expect(f.core.users.get('alice').scLockedUntil).toBe(f.clock.now() + 30 * 60_000);
    expect(f.core.audit.query({ action: 'account.locked' }).entries).toMatchObject([
      { actor: 'alice', target: 'alice', outcome: 'success' },
    ]);
  });

  it('an open code screen that meets a lowered maximum: locked and audited once, with why', async () => {
    const f = await twoWrongCodesThenMaximumLowered('w');

    expect((await f.core.auth.submitCode('w', f.emulator.lastCodeFor(MOBILE)!)).step).toBe('locked');
    expect(f.core.audit.query({ action: 'account.locked' }).entries).toMatchObject([
      { actor: 'alice', target: 'alice', outcome: 'success', details: { reason: 'maximum-lowered' } },
    ]);
  });

  it('a lock taken at another window’s log-on, met by an open code screen: audited once, by the log-on', async () => {
    const f = await twoWrongCodesThenMaximumLowered('a');
    expect((await f.core.auth.logOn('b', { username: 'alice', password: PASSWORD })).step).toBe('locked');
    const locks = f.core.audit.query({ action: 'account.locked' }).entries;
    expect(locks).toMatchObject([{ actor: 'alice', target: 'alice', outcome: 'success' }]);

    expect((await f.core.auth.submitCode('a', f.emulator.lastCodeFor(MOBILE)!)).step).toBe('locked');
    expect(f.core.audit.query({ action: 'account.locked' }).entries).toEqual(locks);
  });

  it('two wrong codes checked at once that reach the maximum: one lock, one audit entry', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 2, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    const code = wrongCodeFor(f.emulator.lastCodeFor(MOBILE)!);
    const views = await Promise.all([f.core.auth.submitCode('w', code), f.core.auth.submitCode('w', code)]);
    expect(views.map((v) => v.step)).toContain('locked');
    expect(f.core.users.get('alice').failedCodeAttempts).toBe(2);
    expect(f.core.audit.query({ action: 'account.locked' }).entries).toHaveLength(1);
  });
});
