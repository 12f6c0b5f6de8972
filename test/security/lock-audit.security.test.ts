/**
 * Every SC lock is in the audit log, however it was taken: also when the lock is taken by a code whose
 * window was left while the provider checked it, and when an open code screen meets a lowered maximum.
 * Exactly one `account.locked` entry per lock, however many checks meet it.
 */
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../main/core/clock';
import { PASSWORD, loginFixture } from '../support/app';

const MOBILE = '+46701234567';

function wrong(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

describe('the audit log records every lock', () => {
  it('the last wrong code of a window left while the provider checked it: locked and audited once', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 2, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    await f.core.auth.submitCode('w', wrong(f.emulator.lastCodeFor(MOBILE)!));

    const checking = f.core.auth.submitCode('w', wrong(f.emulator.lastCodeFor(MOBILE)!));
    f.core.auth.cancel('w');
    await checking;

    expect(f.core.users.get('alice').scLockedUntil).toBe(f.clock.now() + 30 * MINUTE);
    expect(f.core.audit.query({ action: 'account.locked' }).entries).toMatchObject([
      { actor: 'alice', target: 'alice', outcome: 'success' },
    ]);
  });

  it('an open code screen that meets a lowered maximum: locked and audited once, with why', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 3, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await f.addUser({ username: 'boss', mobile: '+46701234568', roles: ['administrator'] });
    await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    for (let i = 0; i < 2; i++) await f.core.auth.submitCode('w', wrong(f.emulator.lastCodeFor(MOBILE)!));
    f.core.policy.set({ twoFactor: { maxAttempts: 2 } }, 'boss');

    expect((await f.core.auth.submitCode('w', f.emulator.lastCodeFor(MOBILE)!)).step).toBe('locked');
    expect(f.core.audit.query({ action: 'account.locked' }).entries).toMatchObject([
      { actor: 'alice', target: 'alice', outcome: 'success', details: { reason: 'maximum-lowered' } },
    ]);
  });

  it('two wrong codes checked at once that reach the maximum: one lock, one audit entry', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 2, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    const code = wrong(f.emulator.lastCodeFor(MOBILE)!);
    const views = await Promise.all([f.core.auth.submitCode('w', code), f.core.auth.submitCode('w', code)]);
    expect(views.map((v) => v.step)).toContain('locked');
    expect(f.core.users.get('alice').failedCodeAttempts).toBe(2);
    expect(f.core.audit.query({ action: 'account.locked' }).entries).toHaveLength(1);
  });
});
