/**
 * The shell's idle sweep (AuthService.sweepIdle, on a timer): it alone ends every idle session, without a
 * request from the window, and tells each window so. A session left open on an unattended desk must not
 * wait for the next click to end.
 */
import { describe, expect, it } from 'vitest';
import type { AuthView } from '../../main/contract/ipc';
import { MINUTE } from '../../main/core/clock';
import { loginFixture, PASSWORD } from '../support/app';

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
