/**
 * The Users screen at scale: one page and the true total, with search (any part of a username, display
 * name or e-mail, through the trigram index from three characters), filters and sort, all in SQL. The index
 * built after start-up, and search while it is not: search-index.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../main/core/clock';
import type { UserQuery } from '../../main/contract/domain';
import { testCore } from '../support/core';

type Core = ReturnType<typeof testCore>;

/** `n` users (no password: hashing is not what is tested), inserted the way the app inserts them. */
function addUsers(
  core: Core,
  n: number,
  name: (i: number) => string = (i) => `user${String(i).padStart(5, '0')}`,
) {
  const insert = core.db.prepare(
    `INSERT INTO users (username, display_name, email, mobile, active, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  core.db.transaction(() => {
    for (let i = 1; i <= n; i++)
      insert.run(
        name(i),
        `Person ${n - i + 1}`,
        i % 3 === 0 ? null : `${name(i)}@example.com`,
        i % 4 === 0 ? null : `+4670${String(i).padStart(7, '0')}`,
        i % 5 === 0 ? 0 : 1,
        1_000 + i,
        1_000 + i,
      );
  })();
}

const names = (core: Core, query: UserQuery, methods: ('sms' | 'email')[] = ['sms']) =>
  core.users.page(query, methods).users.map((u) => u.username);

describe('a page of users', () => {
  it('gives the true total beside one page, and pages through all of them in order', () => {
    const core = testCore();
    addUsers(core, 120);
    const first = core.users.page({ limit: 50 }, ['sms']);
    expect(first.total).toBe(120);
    expect(first.users.map((u) => u.username)).toEqual(
      Array.from({ length: 50 }, (_, i) => `user${String(i + 1).padStart(5, '0')}`),
    );
    const seen = [0, 50, 100].flatMap((offset) => names(core, { limit: 50, offset }));
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(core.users.page({ limit: 50, offset: 500 }, ['sms'])).toEqual({
      users: [],
      total: 120,
      offset: 500,
    });
  });

  it('sorts by display name and by creation, both ways', () => {
    const core = testCore();
    addUsers(core, 30);
    // Display names run the other way round from usernames ("Person 30" is user00001).
    expect(names(core, { sort: 'displayName', limit: 3 })).toEqual(['user00030', 'user00021', 'user00020']);
    expect(names(core, { sort: 'createdAt', direction: 'desc', limit: 2 })).toEqual([
      'user00030',
      'user00029',
    ]);
    expect(names(core, { direction: 'desc', limit: 1 })).toEqual(['user00030']);
  });

  it('searches any part of the username, display name or e-mail, case-insensitive, short or long', () => {
    const core = testCore();
    addUsers(core, 300);
    expect(names(core, { search: 'USER00299' })).toEqual(['user00299']);
    expect(names(core, { search: '0029' })).toEqual([
      'user00029',
      ...[...Array(10)].map((_, i) => `user0029${i}`),
    ]);
    expect(core.users.page({ search: 'son 7' }, ['sms']).total).toBe(11); // Person 7, 70–79
    expect(core.users.page({ search: '7' }, ['sms']).total).toBeGreaterThan(50); // two characters or fewer: LIKE
    expect(names(core, { search: 'nobody-has-this' })).toEqual([]);
    expect(names(core, { search: '100%' })).toEqual([]);
    expect(names(core, { search: 'a"b' })).toEqual([]);
  });

  it('finds users by their new name after a change, and no longer by the old one', async () => {
    const core = testCore();
    await core.users.create(
      { username: 'anna', displayName: 'Anna Lindqvist', email: 'anna@example.com' },
      'test',
    );
    core.users.update('anna', { displayName: 'Anna Berg', email: 'berg@example.org' }, 'test');
    expect(names(core, { search: 'berg' })).toEqual(['anna']);
    expect(names(core, { search: 'lindqvist' })).toEqual([]);
    expect(names(core, { search: 'example.com' })).toEqual([]);
  });

  it('pages a search that matches thousands the same as one that matches few', () => {
    const core = testCore();
    addUsers(core, 2_500);
    const dense = core.users.page({ search: 'user0', limit: 50, offset: 2_400 }, ['sms']);
    expect(dense.total).toBe(2_500);
    expect(dense.users.map((u) => u.username)).toEqual(
      Array.from({ length: 50 }, (_, i) => `user${String(2_401 + i).padStart(5, '0')}`),
    );
    expect(names(core, { search: 'user024', sort: 'createdAt', direction: 'desc', limit: 3 })).toEqual([
      'user02499',
      'user02498',
      'user02497',
    ]);
  });

  it('filters by role, active, locked and missing contact for the current methods', async () => {
    const core = testCore();
    addUsers(core, 20);
    await core.users.create({ username: 'zadmin', roles: ['administrator'], mobile: '+46701111111' }, 'test');
    await core.users.create({ username: 'zreader', roles: ['read-only'] }, 'test');
    expect(names(core, { role: 'administrator' })).toEqual(['zadmin']);
    expect(names(core, { role: 'read-only' })).toEqual(['zreader']);
    expect(core.users.page({ role: 'none' }, ['sms']).total).toBe(20);
    expect(core.users.page({ active: false }, ['sms']).total).toBe(4); // users 5, 10, 15, 20

    core.db
      .prepare('UPDATE users SET sc_locked_until = ? WHERE username = ?')
      .run(core.clock.now() + 10 * MINUTE, 'user00003');
    core.db
      .prepare('UPDATE users SET sc_locked_until = ? WHERE username = ?')
      .run(core.clock.now() - MINUTE, 'user00004');
    expect(names(core, { locked: true })).toEqual(['user00003']);
    expect(core.users.page({ locked: false }, ['sms']).total).toBe(21);

    // No mobile: every 4th user and zreader; with e-mail as fallback, only those without either.
    expect(names(core, { missingContact: true }, ['sms'])).toEqual([
      'user00004',
      'user00008',
      'user00012',
      'user00016',
      'user00020',
      'zreader',
    ]);
    expect(names(core, { missingContact: true }, ['sms', 'email'])).toEqual(['user00012', 'zreader']);
    expect(names(core, { missingContact: true, active: true, search: 'user' }, ['sms', 'email'])).toEqual([
      'user00012',
    ]);
  });
});
