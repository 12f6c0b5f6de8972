/**
 * Giving a user a password (issue 14): `sc-admin user set NAME --password-stdin [--must-change]` for fleets
 * (imported users have none), and the window's "Set temporary password" (sc:users:setPassword), after which
 * the user must choose their own at the next log-on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core/create-core';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { verifyPassword } from '../../main/core/users/passwords';
import { gatewayFixture, seedAccounts } from '../support/gateway-fixture';
import { databaseDigest, scAdmin } from '../support/sc-admin';

const TEMPORARY = 'Temporary-Walrus-8812';
const OWN = 'Own-Choice-Pelican-3307';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A data dir with an administrator and "dana", imported without a password (as `user import` makes them). */
async function dataDirWithImportedUser(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-temp-password-'));
  dirs.push(dir);
  const core = createCore({ dataDir: dir, keychain: new InMemoryKeychain() });
  try {
    await core.users.create({ username: 'root', roles: ['administrator'], password: OWN }, 'test');
    await core.users.create({ username: 'dana', roles: ['read-only'], mustChangePassword: true }, 'test');
  } finally {
    core.close();
  }
  return dir;
}

function withCore<T>(dir: string, use: (core: ReturnType<typeof createCore>) => T): Promise<Awaited<T>> {
  const core = createCore({ dataDir: dir, keychain: new InMemoryKeychain() });
  return Promise.resolve(use(core)).finally(() => core.close());
}

describe('sc-admin user set --password-stdin', { tags: ['child-process'] }, () => {
  it('gives an imported user a temporary password from stdin, must-change set, audited without the password', async () => {
    const dir = await dataDirWithImportedUser();
    const result = await scAdmin(
      ['--data-dir', dir, 'user', 'set', 'dana', '--password-stdin', '--must-change'],
      { stdin: `${TEMPORARY}\n` },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'Set a temporary password for dana: they must change it at their next log on.\n',
    );
    expect(result.stdout + result.stderr).not.toContain(TEMPORARY);

    await withCore(dir, async (core) => {
      const dana = core.users.findRecord('dana')!;
      expect(dana.mustChangePassword).toBe(true);
      expect(await verifyPassword(dana.passwordHash!, TEMPORARY)).toBe(true);
      const [entry] = core.audit.query({ action: 'password.set' }).entries;
      expect(entry).toMatchObject({
        actor: 'sc-admin',
        target: 'dana',
        outcome: 'success',
        details: { mustChange: true, replaced: false },
      });
      expect(JSON.stringify(core.db.prepare('SELECT * FROM audit').all())).not.toContain(TEMPORARY);
    });
  });

  it("without --must-change the password is the user's own, and the must-change flag is cleared", async () => {
    const dir = await dataDirWithImportedUser();
    const result = await scAdmin(['--data-dir', dir, '--json', 'user', 'set', 'dana', '--password-stdin'], {
      stdin: `${OWN}\n`,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      username: 'dana',
      hasPassword: true,
      mustChangePassword: false,
    });
    expect(result.stdout).not.toContain('argon2');
  });

  it('refuses a password that breaks the policy (exit 2, nothing written)', async () => {
    const dir = await dataDirWithImportedUser();
    const before = databaseDigest(dir);
    for (const weak of ['short-pw', 'dana', 'DANA        ']) {
      const result = await scAdmin(
        ['--data-dir', dir, 'user', 'set', 'dana', '--password-stdin', '--must-change'],
        { stdin: `${weak}\n` },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /^sc-admin: password: The new password (needs at least 12 characters|cannot be your username)\.\n$/,
      );
    }
    expect(databaseDigest(dir)).toEqual(before);
  });

  it('refuses a password on the command line, without echoing it, and writes nothing', async () => {
    const dir = await dataDirWithImportedUser();
    const before = databaseDigest(dir);
    for (const args of [
      ['user', 'set', 'dana', '--password', TEMPORARY],
      ['user', 'set', 'dana', `--password=${TEMPORARY}`],
      ['user', 'set', 'dana', '--password-stdin', TEMPORARY],
    ]) {
      const result = await scAdmin(['--data-dir', dir, ...args], { stdin: `${TEMPORARY}\n` });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/stdin/);
      expect(result.stderr).not.toContain(TEMPORARY);
    }
    expect(databaseDigest(dir)).toEqual(before);
  });

  it('refuses --must-change without --password-stdin, and an unknown user before reading a password', async () => {
    const dir = await dataDirWithImportedUser();
    const lone = await scAdmin(['--data-dir', dir, 'user', 'set', 'dana', '--must-change']);
    expect(lone.code).toBe(2);
    expect(lone.stderr).toContain('--must-change goes with --password-stdin');
    const unknown = await scAdmin(['--data-dir', dir, 'user', 'set', 'nobody', '--password-stdin']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('sc-admin: There is no user "nobody".\n');
  });
});

describe('the window: Set temporary password (sc:users:setPassword)', () => {
  it('an administrator sets it; the user logs on with it, must change it, then signs in with their own', async () => {
    const f = await gatewayFixture();
    const { admin } = await seedAccounts(f);
    const view = await f.ok<{ mustChangePassword: boolean; hasPassword: boolean }>(
      admin,
      'sc:users:setPassword',
      {
        username: 'reader',
        newPassword: TEMPORARY,
        confirmPassword: TEMPORARY,
      },
    );
    expect(view).toMatchObject({ mustChangePassword: true, hasPassword: true });
    expect(JSON.stringify(view)).not.toContain(TEMPORARY);
    expect(f.core.audit.query({ action: 'password.set' }).entries[0]).toMatchObject({
      actor: 'admin',
      target: 'reader',
      details: { mustChange: true, replaced: true },
    });

    // The session opened with the old password ends (password-reset-sessions.security.test.ts).
    expect(f.core.auth.session('reader-window')).toBeNull();
    const user = 'reader-new-window';
    expect(
      (await f.ok<{ step: string }>(user, 'sc:auth:logOn', { username: 'reader', password: TEMPORARY })).step,
    ).toBe('passwordChangeRequired');
    expect(f.core.auth.session(user)).toBeNull();
    const changed = await f.ok<{ step: string }>(user, 'sc:auth:changePassword', {
      newPassword: OWN,
      confirmPassword: OWN,
    });
    expect(changed.step).toBe('signedIn');
    const reader = f.core.users.findRecord('reader')!;
    expect(reader.mustChangePassword).toBe(false);
    expect(await verifyPassword(reader.passwordHash!, OWN)).toBe(true);
  });

  it('checks the password policy in main: too short, the username, the two entries differ, unknown user', async () => {
    const f = await gatewayFixture();
    const { admin } = await seedAccounts(f);
    const before = f.databaseDigest();
    const cases = [
      [{ username: 'reader', newPassword: 'short', confirmPassword: 'short' }, 'validation', 'newPassword'],
      [{ username: 'reader', newPassword: 'Reader', confirmPassword: 'Reader' }, 'validation', 'newPassword'],
      [{ username: 'reader', newPassword: 'reader      x', confirmPassword: 'reader      x' }, null, null],
      [
        { username: 'reader', newPassword: TEMPORARY, confirmPassword: `${TEMPORARY}!` },
        'validation',
        'confirmPassword',
      ],
      [{ username: 'nobody', newPassword: TEMPORARY, confirmPassword: TEMPORARY }, 'not-found', 'username'],
    ] as const;
    for (const [payload, code, field] of cases) {
      const result = await f.call(admin, 'sc:users:setPassword', payload);
      if (code === null) {
        expect(result.ok).toBe(true);
        continue;
      }
      expect(result).toMatchObject({ ok: false, error: { code, field } });
      expect(JSON.stringify(result)).not.toContain(payload.newPassword);
    }
    // Only the valid one (third) changed anything.
    expect(f.databaseDigest()).not.toBe(before);
    expect(f.core.audit.query({ action: 'password.set' }).entries).toHaveLength(1);
  });

  it('clears earlier password failures (guesses at the old password) but not an SC lock', async () => {
    const f = await gatewayFixture();
    const { admin } = await seedAccounts(f);
    for (let i = 0; i < 5; i++)
      await f.call('guesser', 'sc:auth:logOn', { username: 'reader', password: `wrong-guess-${i}-xxxx` });
    expect(f.core.users.findRecord('reader')!.passwordLockedUntil).not.toBeNull();
    f.core.db
      .prepare("UPDATE users SET sc_locked_until = ? WHERE username = 'reader'")
      .run(f.clock.now() + 60_000);
    await f.ok(admin, 'sc:users:setPassword', {
      username: 'reader',
      newPassword: TEMPORARY,
      confirmPassword: TEMPORARY,
    });
    const reader = f.core.users.findRecord('reader')!;
    expect(reader.failedPasswordAttempts).toBe(0);
    expect(reader.passwordLockedUntil).toBeNull();
    expect(reader.scLockedUntil).not.toBeNull();
  });
});
