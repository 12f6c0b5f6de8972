/**
 * Throttling does not tell which usernames exist, before or after a restart: the throttle of names no
 * account has is kept in the database like the accounts' own, keyed case-insensitively by a keyed hash of
 * the name (the names themselves are not kept there).
 */
import { describe, expect, it } from 'vitest';
import { PASSWORD, loginFixture } from '../support/app';

const WRONG = 'not the password at all';
const FAILURES_BEFORE_DELAY = 5;

describe('the unknown-username throttle', () => {
  it('answers a known and an unknown name alike after a restart', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    for (let i = 0; i < FAILURES_BEFORE_DELAY; i++) {
      await f.core.auth.logOn('w', { username: 'alice', password: WRONG });
      await f.core.auth.logOn('w', { username: 'ghost', password: WRONG });
    }
    const core = f.restart();
    const known = await core.auth.logOn('w', { username: 'alice', password: WRONG });
    const unknown = await core.auth.logOn('w', { username: 'ghost', password: WRONG });
    expect(known.error).toMatchObject({ code: 'password-throttled' });
    expect(unknown.error).toEqual(known.error);
  });

  it('keys names case-insensitively, and the typed name is not what is stored', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    const spellings = ['Ghost', 'GHOST', ' ghost', 'ghost ', 'gHoSt'];
    const answers = [];
    for (const username of [...spellings, 'ghost']) {
      answers.push((await f.core.auth.logOn('w', { username, password: WRONG })).error?.code);
    }
    expect(answers.at(-1)).toBe('password-throttled');
    const rows = f.core.db.prepare('SELECT name_key, failures FROM unknown_user_throttle').all() as {
      name_key: Buffer;
      failures: number;
    }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name_key).toHaveLength(32);
    expect(rows[0]!.name_key.toString('latin1').toLowerCase()).not.toContain('ghost');
    // A known name's own throttle is untouched by the unknown one.
    expect((await f.core.auth.logOn('w', { username: 'alice', password: PASSWORD })).step).toBe('signedIn');
  });

  it('a keyed hash: another database keys the same name differently', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 2; i++) {
      const f = await loginFixture({ twoFactor: { enabled: false } });
      await f.core.auth.logOn('w', { username: 'ghost', password: WRONG });
      const row = f.core.db.prepare('SELECT name_key FROM unknown_user_throttle').get() as {
        name_key: Buffer;
      };
      keys.push(row.name_key.toString('hex'));
    }
    expect(keys[0]).not.toBe(keys[1]);
  });
});
