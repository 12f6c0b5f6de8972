/**
 * Passwords against argon2: a stored hash with weaker parameters than today's is re-hashed in place at the
 * next right log-on (audited without the hash), and an over-long password never reaches argon2, whichever
 * way it comes into the core.
 */
import { describe, expect, it, vi } from 'vitest';
import { PASSWORD, loginFixture } from '../support/app';

const argon2Inputs = vi.hoisted(() => [] as number[]);
/** argon2 verifications, counted apart from hashing. */
const argon2Verifies = vi.hoisted(() => ({ count: 0 }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...real,
    hash: (password: string, options?: Parameters<typeof real.hash>[1]) => {
      argon2Inputs.push(password.length);
      return real.hash(password, options);
    },
    verify: (hashed: string, password: string, options?: Parameters<typeof real.verify>[2]) => {
      argon2Inputs.push(password.length);
      argon2Verifies.count++;
      return real.verify(hashed, password, options);
    },
  };
});

const { hash: realHash } = await vi.importActual<typeof import('@node-rs/argon2')>('@node-rs/argon2');
const { hashPassword, verifyPassword } = await import('../../main/core/users/passwords');
const { PASSWORD_MAX_LENGTH } = await import('../../main/contract/domain');

describe('password hashes', () => {
  it('a right log-on re-hashes a weaker stored hash with today’s parameters, audited without the hash', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    const weak = await realHash(PASSWORD, { algorithm: 2, memoryCost: 4_096, timeCost: 1, parallelism: 1 });
    f.core.db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(weak, 'alice');

    expect((await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD })).step).toBe('signedIn');
    const stored = f.core.users.findRecord('alice')!.passwordHash!;
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, PASSWORD)).toBe(true);
    const audit = f.core.audit.query({ action: 'password.upgraded' }).entries;
    expect(audit).toMatchObject([{ actor: 'alice', target: 'alice', outcome: 'success' }]);
    expect(JSON.stringify(audit)).not.toMatch(/argon2|\$v=19/);

    // Once only: a hash with today's parameters is left as it is.
    f.core.auth.signOut('w');
    await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD });
    expect(f.core.users.findRecord('alice')!.passwordHash).toBe(stored);
    expect(f.core.audit.query({ action: 'password.upgraded' }).entries).toHaveLength(1);
  });

  it('a wrong password never re-hashes', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    const weak = await realHash(PASSWORD, { algorithm: 2, memoryCost: 4_096, timeCost: 1, parallelism: 1 });
    f.core.db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(weak, 'alice');
    await f.core.auth.logOn('w', { username: 'alice', password: 'not the password' });
    expect(f.core.users.findRecord('alice')!.passwordHash).toBe(weak);
  });

  it('an unknown name and a password-less account cost one argon2 verify, as a wrong password does', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    await f.core.users.create({ username: 'sso-only', roles: ['read-only'] }, 'test');
    const verifiesFor = async (username: string) => {
      argon2Verifies.count = 0;
      const view = await f.core.auth.logOn('w', { username, password: 'not the password at all' });
      expect(view.error?.code).toBe('invalid-credentials');
      return argon2Verifies.count;
    };
    expect(await verifiesFor('alice')).toBe(1);
    expect(await verifiesFor('nobody')).toBe(1);
    expect(await verifiesFor('sso-only')).toBe(1);
  });

  it('a 1 MB password never reaches argon2: not at log-on (known or unknown name), not when hashing', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    const huge = 'p'.repeat(1 << 20);
    argon2Inputs.length = 0;
    for (const username of ['alice', 'nobody']) {
      const view = await f.core.auth.logOn('w', { username, password: huge });
      expect(view.error?.code).toBe('invalid-credentials');
    }
    await expect(hashPassword(huge)).rejects.toMatchObject({ code: 'validation' });
    expect(Math.max(0, ...argon2Inputs)).toBeLessThanOrEqual(PASSWORD_MAX_LENGTH);
    // The attempts still count as failures.
    expect(f.core.users.findRecord('alice')!.failedPasswordAttempts).toBe(1);
  });
});
