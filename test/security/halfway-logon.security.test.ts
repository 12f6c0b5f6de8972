/**
 * A half-finished log-on left at the desk cannot be finished by the next person: every pre-sign-in step
 * ends after the policy's code validity (at most the idle time-out), back to Log on. The code screen
 * lasts that long after its code expired, so the person can still ask for a new code meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../main/core/clock';
import { PASSWORD, loginFixture } from '../support/app';
import { wrongCodeFor } from '../support/codes';

const MOBILE = '+46701234567';
const NEW_PASSWORD = 'a brand new passphrase 42';

describe('half-finished log-ons', () => {
  it('the change-password step ends after the code validity: the next person cannot set a password', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false, validMinutes: 5 } });
    await f.addUser({ username: 'alice', roles: ['administrator'], mustChangePassword: true });
    expect((await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD })).step).toBe(
      'passwordChangeRequired',
    );
    f.clock.advance(5 * MINUTE - 1);
    expect(f.core.auth.state('w').step).toBe('passwordChangeRequired');
    f.clock.advance(1);

    const view = await f.core.auth.changePassword('w', {
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(view).toMatchObject({ step: 'signedOut', notice: 'sessionExpired' });
    expect(f.core.auth.session('w')).toBeNull();
    // The old password still works; the new one was never set.
    f.core.auth.cancel('w');
    expect((await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD })).step).toBe(
      'passwordChangeRequired',
    );
    expect(f.core.audit.query({ action: 'password.changed' }).entries).toHaveLength(0);
  });

  it('the code screen ends one code validity after its code expired', async () => {
    const f = await loginFixture({ twoFactor: { validMinutes: 5 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    const view = await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    if (view.step !== 'awaitingCode') return expect.fail(view.step);
    f.clock.set(view.expiresAt + 5 * MINUTE - 1);
    expect(f.core.auth.state('w').step).toBe('awaitingCode');
    f.clock.advance(1);
    expect(f.core.auth.state('w')).toMatchObject({ step: 'signedOut', notice: 'sessionExpired' });
    expect((await f.core.auth.resendCode('w')).error?.code).toBe('conflict');
    expect(f.core.audit.query({ action: 'logon.timeout' }).entries[0]?.details).toEqual({
      step: 'awaitingCode',
    });
  });

  it('never outlives the idle time-out when that is shorter than the code validity', async () => {
    const f = await loginFixture({
      twoFactor: { enabled: false, validMinutes: 60 },
      core: { idleTimeoutMs: 10 * MINUTE },
    });
    await f.addUser({ username: 'alice', roles: ['administrator'], mustChangePassword: true });
    await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    f.clock.advance(10 * MINUTE);
    f.core.auth.sweepIdle();
    expect(f.core.auth.state('w')).toMatchObject({ step: 'signedOut', notice: 'sessionExpired' });
  });

  it('the lock screen never ends by itself: it keeps showing when the lock ends, and leads only to Log on', async () => {
    const f = await loginFixture({ twoFactor: { validMinutes: 5, maxAttempts: 1, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    const code = f.emulator.lastCodeFor(MOBILE)!;
    const locked = await f.core.auth.submitCode('w', wrongCodeFor(code));
    expect(locked).toMatchObject({ step: 'locked', lockedUntil: f.clock.now() + 30 * MINUTE });

    // Far past the code validity, the idle time-out and the lock itself.
    f.clock.advance(24 * 60 * MINUTE);
    f.core.auth.sweepIdle();
    expect(f.core.auth.state('w')).toMatchObject({
      step: 'locked',
      lockedUntil: locked.step === 'locked' ? locked.lockedUntil : 0,
    });
    expect(f.core.audit.query({ action: 'logon.timeout' }).entries).toHaveLength(0);
    expect(f.core.auth.session('w')).toBeNull();
    // Nothing but Log on again: no code can be sent or checked from it.
    expect((await f.core.auth.resendCode('w')).error?.code).toBe('conflict');
    expect((await f.core.auth.submitCode('w', code)).step).toBe('locked');
    expect(f.core.auth.session('w')).toBeNull();
  });

  it('a refusal screen ends as well (a retry would send a code to the person who left)', async () => {
    const f = await loginFixture({ twoFactor: { validMinutes: 5 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    f.emulator.injectFaults({ status: 503, errorCode: 50300, count: 10 });
    expect((await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD })).step).toBe('refused');
    f.emulator.clearFaults();
    f.clock.advance(5 * MINUTE);
    const starts = f.emulator.stats().starts;
    expect((await f.core.auth.retry('w')).step).toBe('signedOut');
    expect(f.emulator.stats().starts).toBe(starts);
  });
});
