/**
 * Throttling does not tell which usernames exist, before or after a restart: the throttle of names no
 * account has is kept in the database like the accounts' own, keyed case-insensitively by a keyed hash of
 * the name (the names themselves are not kept there).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../main/core/clock';
import { PASSWORD, loginFixture, type LoginFixture } from '../support/app';

const WRONG = 'not the password at all';
const FAILURES_BEFORE_DELAY = 5;
/** unknown-user-throttle.ts: at most this many unknown names are tracked. */
const TRACKED_NAMES_LIMIT = 10_000;

/** The password log-ons of `name` that were refused unchecked (throttled), from the audit log. */
function deniedUnchecked(f: LoginFixture, name: string): number {
  return f.core.audit
    .query({ action: 'logon.password', limit: 500 })
    .entries.filter((e) => e.target === name && e.outcome === 'denied').length;
}

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

  it('checks a name again the moment its delay ends, then doubles the delay, known or not', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    for (let i = 0; i < FAILURES_BEFORE_DELAY; i++) {
      await f.core.auth.logOn('w', { username: 'alice', password: WRONG });
      await f.core.auth.logOn('w', { username: 'ghost', password: WRONG });
    }
    // The fifth failure started a one-minute delay for both names.
    f.clock.advance(MINUTE - 1);
    for (const username of ['alice', 'ghost']) {
      const early = await f.core.auth.logOn('w', { username, password: WRONG });
      expect(early.error).toMatchObject({ code: 'password-throttled', params: { minutes: 1 } });
    }
    f.clock.advance(1);
    const known = await f.core.auth.logOn('w', { username: 'alice', password: WRONG });
    const unknown = await f.core.auth.logOn('w', { username: 'ghost', password: WRONG });
    // Checked (not refused unchecked): the sixth failure, whose delay is two minutes.
    expect(known.error).toMatchObject({ code: 'password-throttled', params: { minutes: 2 } });
    expect(unknown.error).toEqual(known.error);
    expect([deniedUnchecked(f, 'alice'), deniedUnchecked(f, 'ghost')]).toEqual([1, 1]);
  });

  it(`tracks at most ${TRACKED_NAMES_LIMIT} unknown names, forgetting the least recently tried`, async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    const { db } = f.core;
    // As if that many names had been tried, one a millisecond, before now.
    const start = f.clock.now() - TRACKED_NAMES_LIMIT;
    const insert = db.prepare(
      'INSERT INTO unknown_user_throttle (name_key, failures, locked_until, updated_at) VALUES (?, 1, NULL, ?)',
    );
    db.transaction(() => {
      for (let i = 0; i < TRACKED_NAMES_LIMIT; i++) insert.run(randomBytes(32), start + i);
    })();
    await f.core.auth.logOn('w', { username: 'ghost', password: WRONG });
    const ages = db
      .prepare(
        'SELECT min(updated_at) AS oldest, max(updated_at) AS newest, count(*) AS n FROM unknown_user_throttle',
      )
      .get();
    expect(ages).toEqual({ oldest: start + 1, newest: f.clock.now(), n: TRACKED_NAMES_LIMIT });
  });
});
