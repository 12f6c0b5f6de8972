/**
 * An administrator's password reset (sc:users:setPassword) from the attacker's side: whoever is signed in
 * as the user with the old password (the reason for a reset is often that someone else knows it) must not
 * stay signed in. The reset makes the user change their password, and a signed-in session of a user who
 * must change their password ends at its next request, the administrator's own included.
 */
import { describe, expect, it } from 'vitest';
import { gatewayFixture, seedAccounts } from '../support/gateway-fixture';

const TEMPORARY = 'Needle-Temporary-Wombat-8841';
const payload = (username: string) => ({ username, newPassword: TEMPORARY, confirmPassword: TEMPORARY });

describe('a password reset by an administrator', () => {
  it("ends the user's sessions opened with the old password, even 40 requests at once", async () => {
    const f = await gatewayFixture();
    const { admin, reader } = await seedAccounts(f);
    expect(await f.call(reader, 'sc:users:list', { search: 're' })).toMatchObject({ ok: true });

    await f.ok(admin, 'sc:users:setPassword', payload('reader'));

    const answers = await Promise.all(
      Array.from({ length: 40 }, () => f.call(reader, 'sc:users:list', { search: 're' })),
    );
    for (const answer of answers)
      expect(answer).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(f.core.auth.session(reader)).toBeNull();
    expect(f.core.audit.query({ action: 'logon.revoked' }).entries.map((e) => [e.target, e.details])).toEqual(
      [['reader', { step: 'signedIn', reason: 'must-change-password' }]],
    );
    // The administrator who reset it stays signed in.
    expect(f.core.auth.session(admin)?.username).toBe('admin');
  });

  it('an administrator resetting their own password this way is signed out and must change it', async () => {
    const f = await gatewayFixture();
    const { admin } = await seedAccounts(f);
    await f.ok(admin, 'sc:users:setPassword', payload('admin'));
    expect(await f.call(admin, 'sc:users:list', { search: 're' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    const view = await f.ok<{ step: string }>('admin-again', 'sc:auth:logOn', {
      username: 'admin',
      password: TEMPORARY,
    });
    expect(view.step).toBe('passwordChangeRequired');
    expect(f.core.auth.session('admin-again')).toBeNull();
  });
});
