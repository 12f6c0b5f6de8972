/**
 * The log-on's interpreter (AuthService) from the outside: what no single rule of the machine can hold. The
 * shell's idle sweep alone ends every idle session, without a request from the window, and tells each
 * window (a session on an unattended desk must not wait for the next click); and an answer that comes
 * back for a log-on the window has left never decides the log-on the window is in now, and is audited
 * for the account it was about (the audit log is what an administrator reads after an attack).
 */
import { describe, expect, it } from 'vitest';
import type { AuthView } from '../../main/contract/ipc';
import { MINUTE } from '../../main/core/clock';
import { loginFixture, PASSWORD, type LoginFixture } from '../support/app';

describe('the idle sweep', () => {
  it('ends every idle window, tells each one and audits each time-out, with no request from the windows', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false }, core: { idleTimeoutMs: 30 * MINUTE } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    for (const client of ['window-1', 'window-2'])
      expect((await f.core.auth.logOn(client, { username: 'alice', password: PASSWORD })).step).toBe(
        'signedIn',
      );
    const pushed: [string, AuthView][] = [];
    f.core.auth.onStateChange((client, view) => pushed.push([client, view]));

    f.clock.advance(30 * MINUTE);
    f.core.auth.sweepIdle();

    expect(
      pushed.map(([client, view]) => [client, view.step, 'notice' in view ? view.notice : null]),
    ).toEqual([
      ['window-1', 'signedOut', 'sessionExpired'],
      ['window-2', 'signedOut', 'sessionExpired'],
    ]);
    expect(f.core.audit.query({ action: 'logon.timeout' }).entries).toHaveLength(2);
  });
});

/** Alice and Bob, administrators who log on with their password alone (2FA off). */
async function aliceAndBobWithoutCodes(): Promise<LoginFixture> {
  const f = await loginFixture({ twoFactor: { enabled: false } });
  await f.addUser({ username: 'alice', roles: ['administrator'] });
  await f.addUser({ username: 'bob', roles: ['administrator'] });
  return f;
}

describe('an answer for a log-on the window has left', () => {
  it('a right password checked for a cancelled log-on signs in nobody, not even into the next log-on', async () => {
    const f = await aliceAndBobWithoutCodes();
    // Alice's right password is still being checked when the window cancels and Bob types a wrong one.
    const first = f.core.auth.logOn('window', { username: 'alice', password: PASSWORD });
    expect(f.core.auth.cancel('window').step).toBe('signedOut');
    const second = f.core.auth.logOn('window', { username: 'bob', password: 'not bob’s password' });

    await first;
    expect((await second).error?.code).toBe('invalid-credentials');
    expect(f.core.auth.session('window')).toBeNull();
    expect(f.core.audit.query({ action: 'logon.success' }).entries).toEqual([]);
  });
});

describe('a password checked for a log-on the window has left', () => {
  it('is audited as what it was, for its own account: a right one as success, a wrong one as wrong', async () => {
    const f = await aliceAndBobWithoutCodes();
    const right = f.core.auth.logOn('window-1', { username: 'alice', password: PASSWORD });
    const wrong = f.core.auth.logOn('window-2', { username: 'bob', password: 'not bob’s password' });
    f.core.auth.cancel('window-1');
    f.core.auth.cancel('window-2');
    await Promise.all([right, wrong]);

    const checked = f.core.audit.query({ action: 'logon.password' }).entries;
    expect(
      checked.map(({ target, outcome, details }) => ({ target, outcome, reason: details?.reason })),
    ).toEqual(
      expect.arrayContaining([
        { target: 'alice', outcome: 'success', reason: undefined },
        { target: 'bob', outcome: 'failure', reason: 'wrong-password' },
      ]),
    );
    expect(checked).toHaveLength(2);
  });
});
