/**
 * An administrator's password reset racing the log-on of someone who knows the old password. The log-on
 * that must change its (temporary) password writes the new one itself: if it stored it over a reset that
 * landed while it was hashing, the administrator's reset would be lost and whoever knew the old password
 * would stay in with a password of their own. A log-on may replace only the password it checked.
 */
import { hash as argon2Hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { gatewayFixture, seedAccounts, type GatewayFixture } from '../support/gateway-fixture';
import { verifyPassword } from '../../main/core/users/passwords';

const LEAKED = 'Leaked-Temporary-Wombat-8841';
const SECOND = 'Second-Temporary-Numbat-3307';
const ATTACKERS = 'Attackers-Own-Choice-Quoll-5523';

const setPayload = (password: string) => ({
  username: 'reader',
  newPassword: password,
  confirmPassword: password,
});

/** The reader's window at "change password", opened with the leaked temporary password. */
async function atChangePassword(f: GatewayFixture): Promise<{ admin: string; attacker: string }> {
  const { admin } = await seedAccounts(f);
  await f.ok(admin, 'sc:users:setPassword', setPayload(LEAKED));
  const attacker = 'attacker-window';
  const view = await f.ok<{ step: string }>(attacker, 'sc:auth:logOn', {
    username: 'reader',
    password: LEAKED,
  });
  expect(view.step).toBe('passwordChangeRequired');
  return { admin, attacker };
}

async function storedPasswordIs(f: GatewayFixture, password: string): Promise<boolean> {
  return verifyPassword(f.core.users.findRecord('reader')!.passwordHash!, password);
}

function revocations(f: GatewayFixture): [string | null, unknown][] {
  return f.core.audit.query({ action: 'logon.revoked' }).entries.map((e) => [e.target, e.details]);
}

describe("a log-on's own password change never overwrites an administrator's reset", () => {
  it('a reset landing while the new password is hashed wins, and the log-on ends', async () => {
    const f = await gatewayFixture();
    const { admin, attacker } = await atChangePassword(f);
    // The administrator's second reset lands between the log-on's check and its write.
    const users = f.core.users;
    const store = users.setPassword.bind(users);
    users.setPassword = async (...args) => {
      await f.ok(admin, 'sc:users:setPassword', setPayload(SECOND));
      return store(...args);
    };

    const answer = await f.call(attacker, 'sc:auth:changePassword', {
      newPassword: ATTACKERS,
      confirmPassword: ATTACKERS,
    });

    expect(answer).toMatchObject({ ok: true, value: { step: 'signedOut' } });
    expect(await storedPasswordIs(f, SECOND)).toBe(true);
    expect(await storedPasswordIs(f, ATTACKERS)).toBe(false);
    expect(f.core.users.findRecord('reader')?.mustChangePassword).toBe(true);
    expect(f.core.auth.session(attacker)).toBeNull();
    expect(await f.call(attacker, 'sc:users:list', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(revocations(f)).toEqual([
      ['reader', { step: 'passwordChangeRequired', reason: 'password-reset' }],
    ]);
    expect(f.core.audit.query({ action: 'password.changed' }).entries).toEqual([]);
  });

  it('another process (sc-admin) writing a password meanwhile wins as well', async () => {
    const f = await gatewayFixture();
    const { attacker } = await atChangePassword(f);
    const users = f.core.users;
    const store = users.setPassword.bind(users);
    users.setPassword = async (...args) => {
      const hash = await argon2Hash(SECOND, {
        algorithm: 2,
        memoryCost: 19_456,
        timeCost: 2,
        parallelism: 1,
      });
      f.core.db
        .prepare('UPDATE users SET password_hash = ?, must_change_password = 0 WHERE username = ?')
        .run(hash, 'reader');
      return store(...args);
    };

    await f.call(attacker, 'sc:auth:changePassword', { newPassword: ATTACKERS, confirmPassword: ATTACKERS });

    expect(await storedPasswordIs(f, SECOND)).toBe(true);
    expect(f.core.auth.session(attacker)).toBeNull();
    expect(revocations(f)).toEqual([
      ['reader', { step: 'passwordChangeRequired', reason: 'password-reset' }],
    ]);
  });

  it('fired at the same moment as the reset, the reset is what stays stored, and no session lasts', async () => {
    const f = await gatewayFixture();
    const { admin, attacker } = await atChangePassword(f);

    await Promise.all([
      f.call(attacker, 'sc:auth:changePassword', { newPassword: ATTACKERS, confirmPassword: ATTACKERS }),
      f.call(admin, 'sc:users:setPassword', setPayload(SECOND)),
    ]);

    expect(await storedPasswordIs(f, SECOND)).toBe(true);
    expect(await f.call(attacker, 'sc:users:list', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });

  it('40 changes at once from windows at the change screen store one password, and only its window goes on', async () => {
    const f = await gatewayFixture();
    const { admin } = await seedAccounts(f);
    await f.ok(admin, 'sc:users:setPassword', setPayload(LEAKED));
    const windows = Array.from({ length: 40 }, (_, i) => `window-${i}`);
    for (const w of windows)
      expect(
        await f.ok<{ step: string }>(w, 'sc:auth:logOn', { username: 'reader', password: LEAKED }),
      ).toMatchObject({ step: 'passwordChangeRequired' });

    const answers = await Promise.all(
      windows.map((w, i) =>
        f.call(w, 'sc:auth:changePassword', {
          newPassword: `${ATTACKERS}-${i}`,
          confirmPassword: `${ATTACKERS}-${i}`,
        }),
      ),
    );

    const signedIn = windows.filter((w) => f.core.auth.session(w) !== null);
    expect(signedIn).toHaveLength(1);
    const winner = windows.indexOf(signedIn[0]!);
    expect(answers[winner]).toMatchObject({ ok: true, value: { step: 'signedIn' } });
    expect(await storedPasswordIs(f, `${ATTACKERS}-${winner}`)).toBe(true);
    expect(f.core.audit.query({ action: 'password.changed' }).entries).toHaveLength(1);
  });
});
