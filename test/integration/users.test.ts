import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../main/core/clock';
import { databasePath } from '../../main/core/db/database';
import { ScError } from '../../main/core/errors';
import { ARGON2_PARAMETERS } from '../../main/core/users/argon2-parameters';
import { needsRehash, passwordStamp, verifyPassword } from '../../main/core/users/passwords';
import { phcPrefix } from '../support/argon2-phc';
import { testCore } from '../support/core';

const PASSWORD = 'Plaintext-Needle-4f2a9c';

async function refusal(action: () => unknown): Promise<ScError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof ScError) return error;
    throw error;
  }
  throw new Error('expected the core to refuse');
}

describe('users', () => {
  it('usernames are unique regardless of case', async () => {
    const core = testCore();
    await core.users.create({ username: 'Alice' }, 'test');
    const error = await refusal(() => core.users.create({ username: 'alice' }, 'test'));
    expect(error.code).toBe('conflict');
    expect(error.details.field).toBe('username');
    expect(core.users.get('ALICE').username).toBe('Alice');
    expect(core.users.list()).toHaveLength(1);
  });

  it('the display name defaults to the username, and the view never carries the hash', async () => {
    const core = testCore();
    const user = await core.users.create({ username: 'bob', password: PASSWORD }, 'test');
    expect(user.displayName).toBe('bob');
    expect(user.hasPassword).toBe(true);
    expect(Object.keys(user)).not.toContain('passwordHash');
    expect(JSON.stringify(core.users.get('bob'))).not.toContain('argon2');
  });

  it('normalises mobile numbers to E.164, on create and on update', async () => {
    const core = testCore();
    const user = await core.users.create({ username: 'carol', mobile: '+46 70-123 45 67' }, 'test');
    expect(user.mobile).toBe('+46701234567');
    expect(core.users.update('carol', { mobile: '+1 (202) 555-0143' }, 'test').mobile).toBe('+12025550143');
    expect(core.users.update('carol', { mobile: '' }, 'test').mobile).toBeNull();
  });

  it.each([
    ['without the + country code', '0701234567'],
    ['too short', '+4612'],
    ['not valid for its country', '+4670123456'],
    ['with letters', '+46 70 CALL ME'],
  ])('refuses a mobile number %s, writing nothing', async (_label, mobile) => {
    const core = testCore();
    await core.users.create({ username: 'dave', mobile: '+46701234567' }, 'test');
    const auditBefore = core.audit.count();
    const onCreate = await refusal(() => core.users.create({ username: 'erin', mobile }, 'test'));
    expect(onCreate).toMatchObject({ code: 'validation', details: { field: 'mobile' } });
    const onUpdate = await refusal(() => core.users.update('dave', { mobile }, 'test'));
    expect(onUpdate).toMatchObject({ code: 'validation', details: { field: 'mobile' } });
    expect(core.users.get('dave').mobile).toBe('+46701234567');
    expect(core.users.list().map((u) => u.username)).toEqual(['dave']);
    expect(core.audit.count()).toBe(auditBefore);
  });

  it.each(['not-an-address', 'a@', '@example.com', 'two@@example.com', 'spaces in@example.com'])(
    'refuses the e-mail address %j',
    async (email) => {
      const core = testCore();
      const error = await refusal(() => core.users.create({ username: 'frank', email }, 'test'));
      expect(error).toMatchObject({ code: 'validation', details: { field: 'email' } });
      expect(core.users.list()).toEqual([]);
    },
  );

  it('accepts a valid e-mail address and clears it with an empty value', async () => {
    const core = testCore();
    expect((await core.users.create({ username: 'gina', email: 'gina@example.com' }, 'test')).email).toBe(
      'gina@example.com',
    );
    expect(core.users.update('gina', { email: '' }, 'test').email).toBeNull();
  });

  it('knows the administrator and read-only roles and refuses others', async () => {
    const core = testCore();
    const user = await core.users.create({ username: 'hal', roles: ['read-only', 'administrator'] }, 'test');
    expect(user.roles).toEqual(['administrator', 'read-only']);
    const error = await refusal(() =>
      core.users.create({ username: 'ida', roles: ['superuser' as 'read-only'] }, 'test'),
    );
    expect(error).toMatchObject({ code: 'validation' });
    await core.users.create({ username: 'other-admin', roles: ['administrator'] }, 'test');
    expect(core.users.update('hal', { roles: ['read-only'] }, 'test').roles).toEqual(['read-only']);
  });

  it('the last active administrator cannot be demoted or deactivated', async () => {
    const core = testCore();
    await core.users.create({ username: 'root', roles: ['administrator'] }, 'test');
    for (const change of [
      () => core.users.update('root', { roles: ['read-only'] }, 'test'),
      () => core.users.deactivate('root', 'test'),
    ]) {
      const error = await refusal(change);
      expect(error.code).toBe('conflict');
      expect(error.message).toMatch(/last active administrator/);
    }
    expect(core.users.get('root')).toMatchObject({ roles: ['administrator'], active: true });

    // A deactivated administrator does not count as another one.
    await core.users.create({ username: 'old-admin', roles: ['administrator'], active: false }, 'test');
    expect((await refusal(() => core.users.deactivate('root', 'test'))).code).toBe('conflict');

    await core.users.create({ username: 'second', roles: ['administrator'] }, 'test');
    expect(core.users.deactivate('root', 'test').active).toBe(false);
    expect(core.users.hasAdministrator()).toBe(true);
  });

  it('changes are audited: created, changed, deactivated', async () => {
    const core = testCore();
    await core.users.create({ username: 'jane', email: 'jane@example.com' }, 'admin-1');
    core.users.update('jane', { displayName: 'Jane Doe' }, 'admin-1');
    core.users.deactivate('jane', 'admin-1');
    const actions = core.audit.query({ user: 'jane' }).entries.map((e) => [e.actor, e.action, e.target]);
    expect(actions).toEqual([
      ['admin-1', 'user.deactivated', 'jane'],
      ['admin-1', 'user.changed', 'jane'],
      ['admin-1', 'user.created', 'jane'],
    ]);
  });

  it('unknown users are not-found', async () => {
    const core = testCore();
    for (const action of [
      () => core.users.get('nobody'),
      () => core.users.update('nobody', { displayName: 'X' }, 'test'),
      () => core.users.unlock('nobody', 'test'),
    ]) {
      expect((await refusal(action)).code).toBe('not-found');
    }
  });

  it('unlock ends the SC lock and resets the failed attempts, and says whether it was locked', async () => {
    const core = testCore();
    const user = await core.users.create({ username: 'kim' }, 'test');
    const lockedUntil = core.clock.now() + 30 * MINUTE;
    core.db
      .prepare(
        'UPDATE users SET failed_code_attempts = 3, sc_locked_until = ?, failed_password_attempts = 4 WHERE id = ?',
      )
      .run(lockedUntil, user.id);

    const unlocked = core.users.unlock('kim', 'admin-1');
    expect(unlocked).toMatchObject({ failedCodeAttempts: 0, scLockedUntil: null });
    expect(core.users.findRecord('kim')).toMatchObject({
      failedPasswordAttempts: 0,
      passwordLockedUntil: null,
    });
    const [entry] = core.audit.query({ action: 'account.unlocked' }).entries;
    expect(entry).toMatchObject({
      actor: 'admin-1',
      target: 'kim',
      details: { failedCodeAttempts: 3, wasLocked: true },
    });
  });

  // The parameters in force: the shipped ones (pinned in password-hash.security.test.ts), or the mutation
  // run's cheap ones.
  it('hashes passwords with argon2id at ARGON2_PARAMETERS in PHC form, and verifies them', async () => {
    const core = testCore();
    await core.users.create({ username: 'lee', password: PASSWORD }, 'test');
    const hash = core.users.findRecord('lee')!.passwordHash!;
    expect(hash.startsWith(phcPrefix(ARGON2_PARAMETERS))).toBe(true);
    expect(hash.slice(phcPrefix(ARGON2_PARAMETERS).length)).toMatch(/^[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(await verifyPassword(hash, PASSWORD)).toBe(true);
    expect(await verifyPassword(hash, PASSWORD + 'x')).toBe(false);
    expect(needsRehash(hash)).toBe(false);
    const { memoryCost: m, timeCost: t } = ARGON2_PARAMETERS;
    const withParameters = (memoryCost: number, timeCost: number) =>
      hash.replace(phcPrefix(ARGON2_PARAMETERS), phcPrefix({ memoryCost, timeCost, parallelism: 1 }));
    expect(needsRehash(withParameters(m - 1, t))).toBe(true);
    expect(needsRehash(withParameters(m, t - 1))).toBe(true);
    expect(needsRehash(withParameters(m + 1, t + 1))).toBe(false);
    expect(needsRehash('$2b$10$bcrypt-is-not-argon2id')).toBe(true);
  });

  it('setPassword stores a new hash (salted: a new one each time) and clears must-change-password', async () => {
    const core = testCore();
    const user = await core.users.create(
      { username: 'max', password: PASSWORD, mustChangePassword: true },
      'test',
    );
    const before = core.users.findRecord('max')!.passwordHash;
    expect(await core.users.setPassword(user.id, PASSWORD, 'max', passwordStamp(before!))).not.toBeNull();
    const after = core.users.findRecord('max')!;
    expect(after.passwordHash).not.toBe(before);
    expect(after.mustChangePassword).toBe(false);
    expect(await verifyPassword(after.passwordHash!, PASSWORD)).toBe(true);
  });

  it('no plaintext password anywhere in the database file', async () => {
    const core = testCore();
    const user = await core.users.create({ username: 'nia', password: PASSWORD }, 'test');
    const stamp = passwordStamp(core.users.findRecord('nia')!.passwordHash!);
    expect(await core.users.setPassword(user.id, PASSWORD + '-second', 'nia', stamp)).not.toBeNull();
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    const file = databasePath(core.dataDir);
    const files = [file, `${file}-wal`].filter((f) => fs.existsSync(f));
    const needles = [PASSWORD, PASSWORD + '-second'].flatMap((p) => [
      Buffer.from(p, 'utf8'),
      Buffer.from(p, 'utf16le'),
    ]);
    for (const name of files) {
      const bytes = fs.readFileSync(name);
      for (const needle of needles)
        expect(bytes.includes(needle), `${needle.toString()} in ${name}`).toBe(false);
    }
    // The hash itself is there, so the file was really read after the writes.
    expect(fs.readFileSync(file).includes(Buffer.from(phcPrefix(ARGON2_PARAMETERS)))).toBe(true);
  });

  it('search matches username, display name and e-mail, with % and _ taken literally', async () => {
    const core = testCore();
    await core.users.create(
      { username: 'olga', displayName: 'Olga Svensson', email: 'olga@corp.example' },
      'test',
    );
    await core.users.create({ username: 'per_cent', displayName: '100% Per' }, 'test');
    await core.users.create({ username: 'quinn', email: 'q@other.example' }, 'test');
    const names = (search: string) => core.users.list({ search }).map((u) => u.username);
    expect(names('svens')).toEqual(['olga']);
    expect(names('corp.example')).toEqual(['olga']);
    expect(names('%')).toEqual(['per_cent']);
    expect(names('_')).toEqual(['per_cent']);
    expect(names('example')).toEqual(['olga', 'quinn']);
  });
});
