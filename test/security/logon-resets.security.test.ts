/**
 * What clears a throttle or a code: a right password resets the password failure count, an
 * administrator's unlock clears the password throttle as well as the code lock, and a new code supersedes
 * the user's earlier pending codes (also those sent to another window).
 */
import { describe, expect, it } from 'vitest';
import { PASSWORD, loginFixture } from '../support/app';

const WRONG = 'not the password at all';
const MOBILE = '+46701234567';

describe('password failure count and throttle', () => {
  it('a right password resets the failure count', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    for (let i = 0; i < 4; i++) await f.core.auth.logOn('w', { username: 'alice', password: WRONG });
    expect(f.core.users.findRecord('alice')?.failedPasswordAttempts).toBe(4);
    expect((await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD })).step).toBe('signedIn');
    expect(f.core.users.findRecord('alice')?.failedPasswordAttempts).toBe(0);
    f.core.auth.signOut('w');
    // Four more failures are four, not eight: the next wrong password is not yet delayed.
    for (let i = 0; i < 4; i++) await f.core.auth.logOn('w', { username: 'alice', password: WRONG });
    expect((await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD })).step).toBe('signedIn');
  });

  it("an administrator's unlock clears the password throttle", async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    await f.addUser({ username: 'boss', roles: ['administrator'] });
    for (let i = 0; i < 5; i++) await f.core.auth.logOn('w', { username: 'alice', password: WRONG });
    const throttled = await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    expect(throttled.error?.code).toBe('password-throttled');

    f.core.users.unlock('alice', 'boss');
    expect((await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD })).step).toBe('signedIn');
  });
});

describe('codes', () => {
  it("a new code supersedes the user's earlier pending code, also another window's", async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    expect((await f.core.auth.logOn('first', { username: 'alice', password: PASSWORD })).step).toBe(
      'awaitingCode',
    );
    const earlier = f.emulator.lastCodeFor(MOBILE)!;
    expect((await f.core.auth.logOn('second', { username: 'alice', password: PASSWORD })).step).toBe(
      'awaitingCode',
    );
    const reportsBefore = f.emulator.stats().reports;

    const view = await f.core.auth.submitCode('first', earlier);
    expect(view.step).toBe('awaitingCode');
    expect(view.error).toMatchObject({ code: 'code-not-valid' });
    expect(f.core.auth.session('first')).toBeNull();
    // Refused locally: Sinch was not asked, and nothing was counted.
    expect(f.emulator.stats().reports).toBe(reportsBefore);
    expect(f.core.users.get('alice').failedCodeAttempts).toBe(0);
  });
});
