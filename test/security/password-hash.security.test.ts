/**
 * Passwords against argon2: a stored hash with weaker parameters than today's is re-hashed in place at the
 * next right log-on (audited without the hash), and an over-long password never reaches argon2, whichever
 * way it comes into the core.
 */
import { describe, expect, it, vi } from 'vitest';
import { PASSWORD, loginFixture } from '../support/app';
import { phcPrefix } from '../support/argon2-phc';

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
// In force: the shipped parameters, or the mutation run's cheap ones (test/support/cheap-argon2.ts).
const { ARGON2_PARAMETERS } = await import('../../main/core/users/argon2-parameters');
/** Weaker than today's by one pass (argon2id's memory floor leaves the cheap parameters no lower m). */
const WEAKER = { ...ARGON2_PARAMETERS, timeCost: ARGON2_PARAMETERS.timeCost - 1 };

describe('password hashes', () => {
  it('the shipped argon2id parameters are OWASP’s (19 MiB, t=2, p=1), whatever a test run swaps in', async () => {
    const shipped = await vi.importActual<typeof import('../../main/core/users/argon2-parameters')>(
      '../../main/core/users/argon2-parameters',
    );
    expect(shipped.ARGON2_PARAMETERS).toEqual({
      algorithm: 2,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });
  });

  it('a right log-on re-hashes a weaker stored hash with today’s parameters, audited without the hash', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    const weak = await realHash(PASSWORD, WEAKER);
    f.core.db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(weak, 'alice');

    expect((await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD })).step).toBe('signedIn');
    const stored = f.core.users.findRecord('alice')!.passwordHash!;
    expect(stored.startsWith(phcPrefix(ARGON2_PARAMETERS))).toBe(true);
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
    const weak = await realHash(PASSWORD, WEAKER);
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
