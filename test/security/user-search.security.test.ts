/**
 * The Users search from the attacker's side (a hostile window with an administrator's or reader's session,
 * or users whose names an identity provider or an import file chose): whatever the term, the answer is the
 * same with the trigram index, without it and half-way through its build, no term reaches SQLite in a form
 * that breaks the query, and a term cannot widen the match (LIKE wildcards, FTS5 operators, a NUL that
 * would end SQLite's copy of the pattern early).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../main/core/db/database';
import { SearchIndex } from '../../main/core/users/search-index';
import { gatewayFixture, seedAccounts } from '../support/gateway-fixture';
import { testCore } from '../support/core';

type Core = ReturnType<typeof testCore>;

interface Person {
  username: string;
  displayName: string;
  email: string | null;
}

function insertPeople(db: Db, people: readonly Person[]): void {
  const insert = db.prepare(
    'INSERT INTO users (username, display_name, email, created_at, updated_at) VALUES (?, ?, ?, 1, 1)',
  );
  db.transaction(() => {
    for (const p of people) insert.run(p.username, p.displayName, p.email);
  })();
}

/** The index emptied and marked unbuilt: search reads the users table, as during the build. */
function unbuild(core: Pick<Core, 'db' | 'searchIndex'>): void {
  core.db.transaction(() => core.searchIndex.clearForRebuild())();
}

/** The build part-way (batches of 2 users): search reads the index up to there, the users table above. */
function buildPart(core: Pick<Core, 'db'>, batches: number): void {
  const steps = new SearchIndex(core.db, 2);
  for (let i = 0; i < batches; i++) steps.step();
}

function search(core: Core, term: string): { names: string[]; total: number } | { error: string } {
  try {
    const page = core.users.page({ search: term, limit: 200 }, ['sms']);
    return { names: page.users.map((u) => u.username), total: page.total };
  } catch (error) {
    return { error: String(error) };
  }
}

const NUL_TERMS = ['ab\0cd', '\0cd', 'ab\0', '\0\0\0', 'a\0'];

describe('a Users search', () => {
  it('refuses a term with a NUL character before the handler, with the search index and while it is built', async () => {
    const f = await gatewayFixture();
    const { admin } = await seedAccounts(f);
    for (const indexed of [true, false]) {
      if (!indexed) unbuild(f.core);
      expect(f.core.searchIndex.isComplete()).toBe(indexed);
      for (const term of NUL_TERMS) {
        const answer = await f.call(admin, 'sc:users:list', { search: term });
        expect(answer, `${JSON.stringify(term)} (${indexed ? 'index' : 'users table'})`).toMatchObject({
          ok: false,
          error: { code: 'validation', field: 'search' },
        });
      }
    }
  });

  it('in the core, a NUL never widens the match nor breaks the query: refused either way', () => {
    const c = testCore();
    insertPeople(c.db, [
      { username: 'alice', displayName: 'Alice ab', email: null },
      { username: 'bob', displayName: 'Bob abXcd', email: null },
      { username: 'carol', displayName: 'Carol', email: null },
    ]);
    for (const indexed of [true, false]) {
      if (!indexed) unbuild(c);
      for (const term of NUL_TERMS)
        expect(search(c, term), `${JSON.stringify(term)} (${indexed ? 'index' : 'users table'})`).toEqual({
          error: expect.stringContaining('search') as unknown as string,
        });
    }
  });

  it('hostile terms (FTS5 operators, LIKE wildcards, controls, bidi, lone surrogates) answer the same with the index, without it and half-way through its build', () => {
    const c = testCore();
    const character = fc.oneof(
      fc.constantFrom(
        'a',
        'B',
        'c',
        ' ',
        '%',
        '_',
        '\\',
        '"',
        '*',
        '^',
        ':',
        '(',
        ')',
        '-',
        '+',
        'N',
        'O',
        'R',
      ),
      fc.constantFrom('\t', '\n', '\r', '\u0001', '\u001f', '\u007f', '\u0085', '\u202e', '\u2066', '\u200b'),
      fc.constantFrom('\ud800', '\udfff', '😀', 'ß', 'ẞ', 'İ', 'ı', 'Σ', 'ς', 'ﬁ', 'K', 'k'),
    );
    const text = (min: number, max: number) =>
      fc.array(character, { minLength: min, maxLength: max }).map((chars) => chars.join(''));
    const people = fc.uniqueArray(
      fc.record({
        username: fc.stringMatching(/^[a-z]{1,8}$/),
        displayName: text(1, 14),
        email: fc.option(text(1, 12), { nil: null }),
      }),
      { minLength: 1, maxLength: 20, selector: (p) => p.username },
    );
    const terms = (list: Person[]) =>
      fc.array(
        fc.oneof(
          text(1, 6),
          fc.constantFrom('"a" OR "c"', 'a*', 'NEAR(a c)', '^a', 'username:a', '%%%', '___', '\\\\\\', '"""'),
          fc.tuple(fc.constantFrom(...list), fc.nat(), fc.integer({ min: 1, max: 6 })).map(([p, at, n]) => {
            const chars = [...p.displayName];
            return chars.slice(at % chars.length, (at % chars.length) + n).join('');
          }),
        ),
        { minLength: 1, maxLength: 8 },
      );
    fc.assert(
      fc.property(
        people.chain((list) => fc.tuple(fc.constant(list), terms(list), fc.nat({ max: 10 }))),
        ([list, termList, batches]) => {
          c.db.exec('DELETE FROM users');
          c.searchIndex.buildAll();
          insertPeople(c.db, list);
          expect(c.searchIndex.isComplete()).toBe(true);
          const withIndex = termList.map((t) => search(c, t));
          unbuild(c);
          const without = termList.map((t) => search(c, t));
          buildPart(c, batches);
          const halfWay = termList.map((t) => search(c, t));
          c.searchIndex.buildAll();
          termList.forEach((term, i) => {
            expect(withIndex[i], `index vs table for ${JSON.stringify(term)}`).toEqual(without[i]);
            expect(halfWay[i], `index vs half-way for ${JSON.stringify(term)}`).toEqual(without[i]);
            expect(withIndex[i], `no query error for ${JSON.stringify(term)}`).not.toHaveProperty('error');
          });
        },
      ),
      { numRuns: 80 },
    );
  });
});
