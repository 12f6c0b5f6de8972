/**
 * The Users search's cost under Unicode folding (search-fold.ts), from a hostile window with an
 * administrator's or a reader's session, and names an import file chose. NFKC writes some characters out as
 * many (U+FDFA as 18, U+337F as 4), so a term within the contract's 128 characters used to reach SQLite as a
 * LIKE pattern and an FTS5 trigram phrase of up to 2,304 characters. A phrase's matching costs its length
 * times each trigram's occurrences in a row, and display names written out the same way hold each trigram
 * 128 times: with 2,000 such users one search held the main process (every window, every log-on) for a
 * minute and a half, where any typed 128 characters cost at most about a second. Folded terms are bounded by
 * the same 128 characters, refused beyond them before any SQL. Also: characters that fold to LIKE's
 * wildcards stay plain characters.
 */
import { describe, expect, it, vi } from 'vitest';
import { USER_SEARCH_MAX } from '../../main/contract/domain';
import type { Db } from '../../main/core/db/database';
import { SearchIndex } from '../../main/core/users/search-index';
import { gatewayFixture, seedAccounts } from '../support/gateway-fixture';
import { testCore } from '../support/core';

type Core = ReturnType<typeof testCore>;

function insertPeople(db: Db, people: readonly [username: string, displayName: string][]): void {
  const insert = db.prepare(
    'INSERT INTO users (username, display_name, created_at, updated_at) VALUES (?, ?, 1, 1)',
  );
  db.transaction(() => {
    for (const [username, displayName] of people) insert.run(username, displayName);
  })();
}

/** The search answered with the index, without it (as before its build) and half-way through its build. */
function searchEveryWay(c: Core, term: string): string[][] {
  const names = () =>
    c.users
      .page({ search: term, limit: 200 }, ['sms'])
      .users.map((u) => u.username)
      .sort();
  c.searchIndex.buildAll();
  const withIndex = names();
  c.db.transaction(() => c.searchIndex.clearForRebuild())();
  const without = names();
  new SearchIndex(c.db, 1).step();
  const halfWay = names();
  c.searchIndex.buildAll();
  return [withIndex, without, halfWay];
}

/** Terms within the contract's 128 characters whose folded form is longer. */
const EXPANDING_TERMS = [
  '\uFDFA'.repeat(8), // 8 × 18 = 144
  '\uFDFA'.repeat(128), // 2,304
  '\u337F'.repeat(33), // ㍿ → 株式会社: 132
  'a'.repeat(120) + '\uFB03'.repeat(5), // ﬃ → ffi: 135
];

describe('a Users search whose term folding writes out', () => {
  it('refuses a term longer than 128 characters once folded, from an administrator and a reader', async () => {
    const f = await gatewayFixture();
    const { admin, reader } = await seedAccounts(f);
    for (const term of EXPANDING_TERMS) {
      expect(term.length).toBeLessThanOrEqual(USER_SEARCH_MAX);
      for (const window of [admin, reader]) {
        const answer = await f.call(window, 'sc:users:list', { search: term });
        expect(answer, `${term.slice(0, 3)}… (${term.length}) from ${window}`).toMatchObject({
          ok: false,
          error: { code: 'validation', field: 'search', params: { rule: 'tooLong', limit: USER_SEARCH_MAX } },
        });
      }
    }
  });

  it('in the core, refuses it before any SQL, with the index and while it is built', () => {
    const c = testCore();
    insertPeople(c.db, [['ligature', '\uFDFA'.repeat(128)]]);
    for (const indexed of [true, false]) {
      if (!indexed) c.db.transaction(() => c.searchIndex.clearForRebuild())();
      const prepare = vi.spyOn(c.db, 'prepare');
      try {
        for (const term of EXPANDING_TERMS)
          expect(() => c.users.page({ search: term }, ['sms'])).toThrow(/at most 128/);
        expect(prepare).not.toHaveBeenCalled();
      } finally {
        prepare.mockRestore();
      }
    }
  });

  it('answers a term of up to 128 folded characters, the same with the index, without it and half-way', () => {
    const c = testCore();
    insertPeople(c.db, [
      ['ligature', '\uFDFA'.repeat(128)],
      ['seven', `x${'\uFDFA'.repeat(7)}y`],
      ['spelled', '\uFDFA'.normalize('NFKC')],
      ['plain', 'a'.repeat(128)],
    ]);
    const cases: [term: string, found: string[]][] = [
      ['\uFDFA'.repeat(7), ['ligature', 'seven']], // 126 characters once folded
      ['\uFDFA', ['ligature', 'seven', 'spelled']],
      [`${'\uFDFA'.repeat(6)}y`, ['seven']],
      ['a'.repeat(USER_SEARCH_MAX), ['plain']],
    ];
    for (const [term, found] of cases)
      expect(searchEveryWay(c, term), `${term.slice(0, 3)}… (${term.length})`).toEqual([found, found, found]);
  });
});

describe('characters that fold to LIKE wildcards', () => {
  it('full-width and small ％ ＿ ＼ are plain characters after folding, with the index and without', () => {
    const c = testCore();
    insertPeople(c.db, [
      ['percent', 'Cost 100% done'],
      ['under', 'snake_case name'],
      ['slash', 'back\\slash here'],
      ['other', 'Cost 1000 done, snakeXcase name, backXslash here'],
    ]);
    const cases: [term: string, found: string[]][] = [
      ['100\uFF05 d', ['percent']], // FULLWIDTH PERCENT SIGN
      ['0\uFE6A', ['percent']], // SMALL PERCENT SIGN
      ['\uFF05', ['percent']],
      ['snake\uFF3Fc', ['under']], // FULLWIDTH LOW LINE
      ['\uFF3F', ['under']],
      ['back\uFF3Cs', ['slash']], // FULLWIDTH REVERSE SOLIDUS
      ['\uFF3C', ['slash']],
    ];
    for (const [term, found] of cases)
      expect(searchEveryWay(c, term), JSON.stringify(term)).toEqual([found, found, found]);
  });
});
