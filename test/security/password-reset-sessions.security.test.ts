/**
 * An administrator's password reset (sc:users:setPassword in the window, `sc-admin user set --password-stdin`
 * with or without `--must-change`) from the attacker's side: whoever is signed in as the user with the old
 * password (the reason for a reset is often that someone else knows it) must not stay signed in. A log-on
 * or session remembers which password opened it (machine.ts `passwordSessionEnd`): once the stored password
 * is another, it ends at its next request, the administrator's own included. A re-hash of the same password
 * with stronger parameters is not another password.
 */
import { hash as argon2Hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import {
  READER_PASSWORD,
  gatewayFixture,
  seedAccounts,
  signIn,
  type GatewayFixture,
} from '../support/gateway-fixture';
import { scAdminInProcess } from '../support/cli-in-process';
import { tempDir } from '../support/temp-dir';

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

  it("`sc-admin user set --password-stdin` without --must-change ends the user's password sessions, even 40 requests at once", async () => {
    const dataDir = tempDir('sc-reset-');
    const f = await gatewayFixture({ core: { dataDir } });
    const { admin, reader } = await seedAccounts(f);
    const before = f.databaseDigest();

    const cli = await scAdminInProcess(['--data-dir', dataDir, 'user', 'set', 'reader', '--password-stdin'], {
      stdinLines: [TEMPORARY],
    });
    expect(cli).toMatchObject({ code: 0, stderr: '' });
    expect(f.databaseDigest()).not.toBe(before);
    // Another process wrote it: no flag was set, only the password is another.
    expect(f.core.users.findRecord('reader')?.mustChangePassword).toBe(false);

    const answers = await Promise.all(
      Array.from({ length: 40 }, () => f.call(reader, 'sc:users:list', { search: 're' })),
    );
    for (const answer of answers)
      expect(answer).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(f.core.auth.session(reader)).toBeNull();
    expect(revocations(f)).toEqual([['reader', { step: 'signedIn', reason: 'password-reset' }]]);
    expect(f.core.auth.session(admin)?.username).toBe('admin');

    // The old password opens nothing; the new one signs in (it need not be changed).
    const old = await f.ok<{ step: string }>('reader-again', 'sc:auth:logOn', {
      username: 'reader',
      password: READER_PASSWORD,
    });
    expect(old.step).toBe('signedOut');
    await signIn(f, 'reader-again', 'reader', TEMPORARY);
  });

  it('with --must-change the session ends too, as "must change password"', async () => {
    const dataDir = tempDir('sc-reset-');
    const f = await gatewayFixture({ core: { dataDir } });
    const { reader } = await seedAccounts(f);
    const cli = await scAdminInProcess(
      ['--data-dir', dataDir, 'user', 'set', 'reader', '--password-stdin', '--must-change'],
      { stdinLines: [TEMPORARY] },
    );
    expect(cli.code).toBe(0);
    expect(await f.call(reader, 'sc:users:list', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(revocations(f)).toEqual([['reader', { step: 'signedIn', reason: 'must-change-password' }]]);
  });

  it('a password set for another user leaves this user signed in', async () => {
    const dataDir = tempDir('sc-reset-');
    const f = await gatewayFixture({ core: { dataDir } });
    const { admin, reader } = await seedAccounts(f);
    const cli = await scAdminInProcess(['--data-dir', dataDir, 'user', 'set', 'admin', '--password-stdin'], {
      stdinLines: [TEMPORARY],
    });
    expect(cli.code).toBe(0);
    expect(await f.call(reader, 'sc:users:list', {})).toMatchObject({ ok: true });
    expect(await f.call(admin, 'sc:users:list', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(revocations(f)).toEqual([['admin', { step: 'signedIn', reason: 'password-reset' }]]);
  });

  it('re-hashing the same password with stronger parameters at a log-on ends no session', async () => {
    const f = await gatewayFixture();
    const { reader } = await seedAccounts(f);
    f.core.auth.signOut(reader);
    // A hash from before the parameters were raised, then a session opened with it.
    const weak = await argon2Hash(READER_PASSWORD, {
      algorithm: 2,
      memoryCost: 4_096,
      timeCost: 1,
      parallelism: 1,
    });
    f.core.db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(weak, 'reader');
    await signIn(f, reader, 'reader', READER_PASSWORD);
    expect(f.core.users.findRecord('reader')?.passwordHash).not.toBe(weak);
    // That log-on re-hashed it (audited once); its session and another one opened since both go on.
    await signIn(f, 'reader-2', 'reader', READER_PASSWORD);
    expect(await f.call(reader, 'sc:users:list', {})).toMatchObject({ ok: true });
    expect(f.core.audit.query({ action: 'password.upgraded' }).entries).toHaveLength(1);
    expect(revocations(f)).toEqual([]);
  });

  it("the user's own new password (must change at log-on) keeps the log-on that chose it going", async () => {
    const f = await gatewayFixture();
    const { admin } = await seedAccounts(f);
    await f.ok(admin, 'sc:users:setPassword', payload('reader'));
    const view = await f.ok<{ step: string }>('reader-new', 'sc:auth:logOn', {
      username: 'reader',
      password: TEMPORARY,
    });
    expect(view.step).toBe('passwordChangeRequired');
    const own = 'Reader-Own-Choice-Quokka-5523';
    const changed = await f.ok<{ step: string }>('reader-new', 'sc:auth:changePassword', {
      newPassword: own,
      confirmPassword: own,
    });
    expect(changed.step).toBe('signedIn');
    expect(await f.call('reader-new', 'sc:users:list', {})).toMatchObject({ ok: true });
    expect(f.core.auth.session('reader-new')?.username).toBe('reader');
  });
});

/** Every `logon.revoked` entry, as [user, details]. */
function revocations(f: GatewayFixture): [string | null, unknown][] {
  return f.core.audit.query({ action: 'logon.revoked' }).entries.map((e) => [e.target, e.details]);
}
