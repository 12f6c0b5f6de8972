/**
 * The Users search index built after start-up (migrations 8 and 9, users/search-index.ts, background-build.ts):
 * search answers the same with the index, without it and half-way through its build (a property test
 * against the folding rule of users/search-fold.ts, with random Unicode names and terms), reads only the
 * users the index does not hold yet while it is built, `%`, `_` and `\` are plain characters, the build
 * goes in steps that survive a crash and changes made meanwhile, it runs between other work and never waits
 * for another process's lock, a bulk import leaves the index to the build inside its own all-or-nothing
 * transaction, and every schema migrates to it.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UserFileRow } from '../../main/core/users/user-file';
import { createAppCore } from '../../main/core/app-core';
import { createCore } from '../../main/core/create-core';
import { databasePath, openDatabase, type Db } from '../../main/core/db/database';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from '../../main/core/db/migrations';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { startBackgroundBuild } from '../../main/core/users/background-build';
import { foldForSearch } from '../../main/core/users/search-fold';
import { SearchIndex } from '../../main/core/users/search-index';
import { testCore } from '../support/core';
import { databaseDigest } from '../support/sc-admin';
import { tempDir } from '../support/temp-dir';

type Core = ReturnType<typeof createCore>;
interface Person {
  username: string;
  displayName: string;
  email: string | null;
}

const SORT_INDEXES = ['users_by_active', 'users_by_created', 'users_by_display_name', 'users_by_sc_lock'];
/** More users than createCore indexes at open: the build is left to the background. */
const LARGE = 2_600;

const opened: Core[] = [];
function core(dataDir: string): Core {
  const made = createCore({ dataDir, keychain: new InMemoryKeychain() });
  opened.push(made);
  return made;
}

function insertPeople(db: Db, people: readonly Person[]): void {
  const insert = db.prepare(
    'INSERT INTO users (username, display_name, email, created_at, updated_at) VALUES (?, ?, ?, 1, 1)',
  );
  db.transaction(() => {
    for (const p of people) insert.run(p.username, p.displayName, p.email);
  })();
}

const numbered = (n: number, from = 1): Person[] =>
  Array.from({ length: n }, (_, i) => ({
    username: `user${String(from + i).padStart(5, '0')}`,
    displayName: `Person ${from + i}`,
    email: (from + i) % 3 === 0 ? null : `user${from + i}@example.com`,
  }));

/** Every username a search finds (all pages), and the total the page reports. */
function search(core: Core, term: string): { names: string[]; total: number } {
  const page = core.users.page({ search: term, limit: 100_000 }, ['sms']);
  return { names: page.users.map((u) => u.username), total: page.total };
}

/** The rule: the folded term is a part of a folded field (JavaScript's own `includes`, no SQL). */
function foldModel(people: readonly Person[], term: string): string[] {
  const wanted = foldForSearch(term.trim());
  return people
    .filter((p) =>
      [p.username, p.displayName, p.email].some((f) => f !== null && foldForSearch(f).includes(wanted)),
    )
    .map((p) => p.username);
}

const byUsername = (db: Db) => (names: string[]) => {
  // The order SQLite's NOCASE username index gives (the page's default sort).
  const order = db.prepare('SELECT username FROM users ORDER BY username').pluck().all() as string[];
  const rank = new Map(order.map((n, i) => [n, i]));
  return [...names].sort((a, b) => rank.get(a)! - rank.get(b)!);
};

/** The index and the folded copy emptied and marked unbuilt, as migration 9 leaves a database with users. */
function unbuild(c: Core): void {
  c.db.transaction(() => c.searchIndex.clearForRebuild())();
}

/** The build taken part-way: the sort indexes made, then `batches` batches of `size` users indexed. */
function buildPart(db: Db, size: number, batches: number): void {
  const steps = new SearchIndex(db, size);
  while (sortIndexes(db).length < SORT_INDEXES.length) steps.step();
  for (let i = 0; i < batches; i++) steps.step();
}

function state(db: Db): { complete: number; indexed_through: number } {
  return db.prepare('SELECT complete, indexed_through FROM users_search_state').get() as {
    complete: number;
    indexed_through: number;
  };
}

/**
 * The folded copy holds each indexed user's fields folded by the rule (all users once complete, else those
 * up to indexed_through), and FTS5's own check that the index holds exactly that copy (throws when not).
 */
function assertIndexMatchesUsers(db: Db): void {
  const { complete, indexed_through } = state(db);
  const users = db
    .prepare('SELECT id, username, display_name, email FROM users WHERE ? OR id <= ? ORDER BY id')
    .all(complete, indexed_through) as {
    id: number;
    username: string;
    display_name: string;
    email: string | null;
  }[];
  const folded = db.prepare('SELECT id, username, display_name, email FROM users_fold ORDER BY id').all();
  expect(folded).toEqual(
    users.map((u) => ({
      id: u.id,
      username: foldForSearch(u.username),
      display_name: foldForSearch(u.display_name),
      email: u.email === null ? null : foldForSearch(u.email),
    })),
  );
  db.exec("INSERT INTO users_search (users_search, rank) VALUES ('integrity-check', 1)");
}

const unfoldedIndexLeft = (db: Db) =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'users_search_unfolded'").get() !== undefined;
const indexedCount = (db: Db) =>
  db.prepare('SELECT count(*) FROM users_search_docsize').pluck().get() as number;
const sortIndexes = (db: Db) =>
  db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users' AND name LIKE 'users_by_%' ORDER BY name",
    )
    .pluck()
    .all() as string[];

/** A data dir at schema `version` (the current migrations) holding `people`, closed. */
function databaseAt(
  version: number,
  people: readonly Person[],
  list: readonly Migration[] = migrations,
): string {
  const dir = tempDir();
  const db = openDatabase({ dataDir: dir, migrations: list.slice(0, version) });
  insertPeople(db, people);
  db.close();
  return dir;
}

afterEach(() => {
  for (const c of opened.splice(0)) c.close();
});

describe('search with and without the index', () => {
  const character = fc.oneof(
    fc.constantFrom('a', 'B', 'c', 'i', 'I', 's', 'S', 'x', 'Y', ' ', '%', '_', '\\', '"', '.', '@', '-'),
    fc.constantFrom(
      'ä',
      'Ä',
      'ö',
      'Ö',
      'å',
      'Å',
      'ß',
      'ẞ',
      'İ',
      'ı',
      'é',
      'É',
      'Σ',
      'σ',
      'ς',
      '中',
      '文',
      '😀',
      'ﬁ',
    ),
    // Combining marks (a decomposed ä, é, i with a dot), compatibility forms (full-width, Kelvin, ligatures).
    fc.constantFrom('\u0308', '\u0301', '\u0307', 'Ａ', 'ａ', '\u212a', 'ﬀ', 'ǅ', 'ſ', '\u00a0', 'ª'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !/[\p{Cc}]/u.test(c)),
  );
  const text = (max: number) =>
    fc.array(character, { minLength: 1, maxLength: max }).map((chars) => chars.join(''));
  const people = fc.uniqueArray(
    fc.record({ username: text(10), displayName: text(14), email: fc.option(text(12), { nil: null }) }),
    { minLength: 1, maxLength: 25, selector: (p) => p.username.toLowerCase() },
  );
  /** Terms of 1–6 characters: random ones, and pieces of the people's own fields in another case or form. */
  const terms = (list: Person[]) =>
    fc.array(
      fc.oneof(
        text(6),
        fc
          .tuple(
            fc.constantFrom(...list),
            fc.nat(),
            fc.integer({ min: 1, max: 6 }),
            fc.constantFrom('upper', 'lower', 'NFD', 'NFKC'),
          )
          .map(([p, at, length, form]) => {
            const chars = [...p.displayName];
            const start = at % chars.length;
            const piece = chars.slice(start, start + length).join('');
            if (form === 'upper') return piece.toUpperCase();
            if (form === 'lower') return piece.toLowerCase();
            return piece.normalize(form);
          }),
      ),
      { minLength: 1, maxLength: 8 },
    );

  it('finds the same users through the index, without it, and half-way through its build, as the folding rule says (random Unicode names and terms)', () => {
    const c = testCore();
    const sorted = byUsername(c.db);
    fc.assert(
      fc.property(
        people.chain((list) => fc.tuple(fc.constant(list), terms(list), fc.nat({ max: 12 }))),
        ([list, termList, batches]) => {
          c.db.exec('DELETE FROM users');
          insertPeople(c.db, list);
          expect(c.searchIndex.isComplete()).toBe(true);
          assertIndexMatchesUsers(c.db);
          const usable = termList.filter((t) => t.trim() !== '');
          const withIndex = usable.map((t) => search(c, t));
          unbuild(c);
          expect(c.searchIndex.isComplete()).toBe(false);
          const without = usable.map((t) => search(c, t));
          // Part of the users indexed (batches of 2), the others read from the users table.
          buildPart(c.db, 2, batches);
          assertIndexMatchesUsers(c.db);
          const halfWay = usable.map((t) => search(c, t));
          c.searchIndex.buildAll();
          assertIndexMatchesUsers(c.db);
          const rebuilt = usable.map((t) => search(c, t));
          usable.forEach((term, i) => {
            const expected = sorted(foldModel(list, term));
            expect(withIndex[i]!.names, `indexed search for ${JSON.stringify(term)}`).toEqual(expected);
            expect(withIndex[i]!.total).toBe(expected.length);
            expect(without[i], `search without the index for ${JSON.stringify(term)}`).toEqual(withIndex[i]);
            expect(halfWay[i], `search half-way through the build for ${JSON.stringify(term)}`).toEqual(
              withIndex[i],
            );
            expect(rebuilt[i]).toEqual(withIndex[i]);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('ignores case and compatibility forms in every script, with the index, without it and half-way', () => {
    const c = testCore();
    const people: Person[] = [
      { username: 'aki', displayName: 'ÄKÄSLOMPOLO Åke Öberg', email: null },
      { username: 'str', displayName: 'Hauptstraße 5', email: 'STRASSE@example.de' },
      { username: 'ist', displayName: 'İstanbul ışık', email: null },
      { username: 'ode', displayName: 'ΟΔΟΣ Αθηνάς', email: null },
      { username: 'nfd', displayName: 'Ja\u0308rvinen', email: 'e\u0301lise@example.fi' },
      { username: 'wid', displayName: 'ＦＵＬＬ ｗｉｄｔｈ ﬁle', email: null },
      { username: 'asc', displayName: 'Plain Ascii', email: 'plain@example.com' },
    ];
    insertPeople(c.db, people);
    const expectations: [string, string[]][] = [
      ['ä', ['aki', 'nfd']], // Järvinen is written decomposed (a + ¨)
      ['ÄKÄ', ['aki']],
      ['äkäslompolo', ['aki']],
      ['å', ['aki']],
      ['Ö', ['aki']],
      ['järvinen', ['nfd']], // the name is decomposed (a + ¨), the term composed
      ['JA\u0308R', ['nfd']],
      ['élise', ['nfd']],
      ['straße', ['str']], // ß is ss, as German writes it in capitals
      ['STRASSE', ['str']],
      ['ẞ', ['str']],
      ['istanbul', ['ist']], // İ is i with a dot, and i already has one
      ['İSTANBUL', ['ist']],
      ['ışık', ['ist']], // the dotless ı stays itself
      ['isik', []],
      ['IŞIK', []], // I is i in every language but Turkish: the rule does not depend on a locale
      ['οδος', ['ode']], // the final sigma is a sigma
      ['ΟΔΟΣ Α', ['ode']],
      ['full', ['wid']],
      ['WIDTH', ['wid']],
      ['file', ['wid']],
      ['ascii', ['asc']],
      ['PLAIN@', ['asc']],
    ];
    for (const stage of ['index', 'users table', 'half-way'] as const) {
      if (stage === 'users table') unbuild(c);
      if (stage === 'half-way') buildPart(c.db, 3, 1);
      for (const [term, names] of expectations)
        expect(search(c, term).names, `${term} (${stage})`).toEqual(names);
    }
  });

  it('takes %, _ and \\ in a search as plain characters, with the index and without it', () => {
    const c = testCore();
    insertPeople(c.db, [
      { username: 'pct', displayName: 'a%b 100%', email: null },
      { username: 'und', displayName: 'a_b snake_case', email: null },
      { username: 'bsl', displayName: 'a\\b back\\slash', email: null },
      { username: 'plain', displayName: 'axb 1000 snakeXcase backXslash', email: 'a.b@example.com' },
    ]);
    const expectations: [string, string[]][] = [
      ['%', ['pct']],
      ['_', ['und']],
      ['\\', ['bsl']],
      ['a%b', ['pct']],
      ['a_b', ['und']],
      ['a\\b', ['bsl']],
      ['100%', ['pct']],
      ['snake_case', ['und']],
      ['back\\slash', ['bsl']],
      ['%%', []],
      ['a.b', ['plain']],
    ];
    for (const indexed of [true, false]) {
      if (!indexed) unbuild(c);
      expect(c.searchIndex.isComplete()).toBe(indexed);
      for (const [term, names] of expectations)
        expect(search(c, term).names, `${term} (${indexed ? 'index' : 'users table'})`).toEqual(names);
    }
  });
});

describe('building the index after start-up', () => {
  it('leaves a large database to the background at open, then builds it in steps that each commit', () => {
    const dir = databaseAt(4, numbered(LARGE));
    const c = core(dir);
    expect(state(c.db)).toEqual({ complete: 0, indexed_through: 0 });
    expect(indexedCount(c.db)).toBe(0);
    expect(sortIndexes(c.db)).toEqual([]);
    // Search works meanwhile, from the users table.
    expect(search(c, 'user02599')).toEqual({ names: ['user02599'], total: 1 });
    expect(search(c, 'son 25').total).toBe(111); // Person 25, 250–259, 2500–2599

    // The index of unfolded text migration 9 set aside is dropped first, then the sort indexes, one a step,
    // then the users in batches.
    expect(unfoldedIndexLeft(c.db)).toBe(true);
    expect(c.searchIndex.step()).toBe(false);
    expect(unfoldedIndexLeft(c.db)).toBe(false);
    for (let i = 0; i < SORT_INDEXES.length; i++) expect(c.searchIndex.step()).toBe(false);
    expect(sortIndexes(c.db)).toEqual(SORT_INDEXES);
    expect(c.searchIndex.step()).toBe(false);
    const first = state(c.db);
    expect(first.complete).toBe(0);
    expect(first.indexed_through).toBeGreaterThan(0);
    expect(indexedCount(c.db)).toBe(first.indexed_through);
    c.searchIndex.buildAll();
    expect(state(c.db)).toEqual({ complete: 1, indexed_through: LARGE });
    assertIndexMatchesUsers(c.db);
    expect(search(c, 'son 25').total).toBe(111);
    expect(c.searchIndex.step()).toBe(true);
  });

  it('resumes after a crash between steps, with users added, renamed and removed on both sides meanwhile', () => {
    const users = 4_000; // more than is left for the open to finish after the crash
    const dir = databaseAt(4, numbered(users));
    const before = core(dir);
    for (let i = 0; i < SORT_INDEXES.length + 2; i++) before.searchIndex.step();
    const through = state(before.db).indexed_through;
    expect(through).toBeGreaterThan(1);
    expect(through).toBeLessThan(users);
    const rename = before.db.prepare('UPDATE users SET display_name = ?, email = ? WHERE id = ?');
    rename.run('Renamed Indexed', 'renamed-indexed@example.org', 1); // already in the index
    rename.run('Renamed Waiting', 'renamed-waiting@example.org', users - 1); // not yet
    before.db.prepare('DELETE FROM users WHERE id IN (?, ?)').run(2, users);
    insertPeople(before.db, numbered(3, 90_000));
    // The "crash": the process ends between two steps (each step is one transaction).
    before.db.close();

    const after = core(dir);
    expect(state(after.db)).toEqual({ complete: 0, indexed_through: through });
    after.searchIndex.buildAll();
    assertIndexMatchesUsers(after.db);
    expect(search(after, 'renamed').names).toEqual(['user00001', `user0${users - 1}`]);
    expect(search(after, 'Person 1').names).not.toContain('user00001');
    expect(search(after, 'user00002').total).toBe(0);
    expect(search(after, 'user90002').names).toEqual(['user90002']);
    expect(after.db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(users + 1);
  });

  it('a step that fails half-way leaves the index and the state as they were', () => {
    const dir = databaseAt(4, numbered(LARGE));
    const c = core(dir);
    for (let i = 0; i < SORT_INDEXES.length + 1; i++) c.searchIndex.step();
    const was = { state: state(c.db), indexed: indexedCount(c.db) };
    // The state row refuses the step's update: its batch of index entries must go with it.
    c.db.exec(
      "CREATE TEMP TRIGGER refuse BEFORE UPDATE ON users_search_state BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    expect(() => c.searchIndex.step()).toThrow(/refused/);
    expect({ state: state(c.db), indexed: indexedCount(c.db) }).toEqual(was);
    c.db.exec('DROP TRIGGER refuse');
    c.searchIndex.buildAll();
    assertIndexMatchesUsers(c.db);
  });

  it('while it is built, a search reads through the index the users it holds and folds only the others', () => {
    // Every display name needs the fold function (not ASCII); usernames and e-mails are ASCII and need none.
    const people = numbered(LARGE).map((p, i) => ({ ...p, displayName: `Åsa ${i + 1}`, email: null }));
    const c = core(databaseAt(4, people));
    const folded: string[] = [];
    c.db.function('sc_fold', { deterministic: true }, (value: unknown) => {
      if (typeof value !== 'string') return null;
      folded.push(value);
      return foldForSearch(value);
    });
    const foldedIds = () => folded.splice(0).map((name) => Number(name.replace('Åsa ', '')));
    const expected = (term: string) => foldModel(people, term).sort();

    expect(search(c, 'åsa 25').names.sort()).toEqual(expected('åsa 25'));
    expect(new Set(foldedIds()).size).toBe(LARGE); // nothing indexed: every user read and folded

    buildPart(c.db, 500, 4); // users 1–2000 indexed
    const { indexed_through: through } = state(c.db);
    expect(through).toBe(2_000);
    for (const term of ['åsa 25', 'ÅSA 2', 'å', 'åsa 2599', 'user025']) {
      folded.length = 0;
      expect(search(c, term).names.sort(), term).toEqual(expected(term));
      const ids = foldedIds();
      expect(ids.length, term).toBeGreaterThan(0);
      expect(Math.min(...ids), `${term}: only users above indexed_through are folded`).toBeGreaterThan(
        through,
      );
    }
    c.searchIndex.buildAll();
    folded.length = 0;
    expect(search(c, 'åsa 25').names.sort()).toEqual(expected('åsa 25'));
    expect(folded).toEqual([]); // built: the index and the folded copy answer alone
  });

  it('builds a small database at once when the core opens it', () => {
    const dir = databaseAt(4, numbered(300));
    const c = core(dir);
    expect(state(c.db)).toEqual({ complete: 1, indexed_through: 300 });
    expect(sortIndexes(c.db)).toEqual(SORT_INDEXES);
    assertIndexMatchesUsers(c.db);
  });
});

describe('the background build', () => {
  it('runs step by step between the event loop’s other work, and finishes', async () => {
    const c = core(databaseAt(4, numbered(LARGE)));
    const events: string[] = [];
    const step = c.searchIndex.step.bind(c.searchIndex);
    vi.spyOn(c.searchIndex, 'step').mockImplementation(() => {
      events.push('step');
      return step();
    });
    let ticking = true;
    const tick = () => {
      events.push('tick');
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const build = startBackgroundBuild(c.db, c.searchIndex, { startAfterMs: 0, pauseMs: 0 });
    await build.idle();
    ticking = false;
    build.stop();
    expect(c.searchIndex.isComplete()).toBe(true);
    assertIndexMatchesUsers(c.db);
    const steps = events.filter((e) => e === 'step').length;
    expect(steps).toBeGreaterThan(SORT_INDEXES.length + 5);
    // Never two steps without the event loop running something else in between.
    expect(events.join(' ')).not.toMatch(/step step/);
  });

  it('never waits for another connection’s write lock: it tries again once the lock is free', async () => {
    const dir = databaseAt(4, numbered(LARGE));
    const c = core(dir);
    const other = new Database(databasePath(dir));
    other.exec('BEGIN IMMEDIATE');
    const log: string[] = [];
    // Each step runs with no busy wait (a wait would block the whole process, the window's calls too).
    const busyWaits: unknown[] = [];
    const step = c.searchIndex.step.bind(c.searchIndex);
    vi.spyOn(c.searchIndex, 'step').mockImplementation(() => {
      busyWaits.push(c.db.pragma('busy_timeout', { simple: true }));
      return step();
    });
    const build = startBackgroundBuild(c.db, c.searchIndex, {
      startAfterMs: 0,
      pauseMs: 0,
      log: (event) => log.push(event),
    });
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const tick = () => (++ticks >= 20 ? resolve() : setImmediate(tick));
      setImmediate(tick);
    });
    expect(c.searchIndex.isComplete()).toBe(false);
    expect(sortIndexes(c.db)).toEqual([]);
    expect(c.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    other.exec('COMMIT');
    other.close();
    await build.idle();
    build.stop();
    expect(c.searchIndex.isComplete()).toBe(true);
    expect(log).toContain('searchIndex.built');
    expect(log).not.toContain('searchIndex.stepFailed');
    expect(busyWaits.length).toBeGreaterThan(SORT_INDEXES.length + 1); // the refused try, then the build
    expect(new Set(busyWaits)).toEqual(new Set([0]));
  });

  it('a step that fails (not on a lock) is logged and ends the wait for it (sc-admin then fails, not hangs)', async () => {
    const c = core(databaseAt(4, numbered(LARGE)));
    vi.spyOn(c.searchIndex, 'step').mockImplementation(() => {
      throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    });
    const log: unknown[] = [];
    const build = startBackgroundBuild(c.db, c.searchIndex, {
      startAfterMs: 0,
      pauseMs: 0,
      log: (event, fields) => log.push([event, fields]),
    });
    await expect(build.idle()).rejects.toThrow('disk I/O error');
    build.stop();
    expect(log).toEqual([['searchIndex.stepFailed', { sqliteCode: 'SQLITE_IOERR' }]]);
  });

  it('is what createAppCore starts when asked (the shell and the browser host), and ends with the core', async () => {
    const dir = databaseAt(4, numbered(LARGE));
    const without = createAppCore({ dataDir: dir, keychain: new InMemoryKeychain() });
    expect(without.searchIndexBuild).toBeNull();
    without.close();
    const app = createAppCore({
      dataDir: dir,
      keychain: new InMemoryKeychain(),
      backgroundBuild: { startAfterMs: 0, pauseMs: 0 },
    });
    try {
      expect(app.searchIndex.isComplete()).toBe(false);
      await app.searchIndexBuild!.idle();
      expect(app.searchIndex.isComplete()).toBe(true);
      expect(sortIndexes(app.db)).toEqual(SORT_INDEXES);
    } finally {
      app.close();
    }
    // Closed before its first step: no step runs afterwards (on a closed database it would throw from a timer).
    const second = databaseAt(4, numbered(LARGE));
    createAppCore({
      dataDir: second,
      keychain: new InMemoryKeychain(),
      backgroundBuild: { startAfterMs: 0, pauseMs: 0 },
    }).close();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const raw = new Database(databasePath(second), { readonly: true });
    try {
      expect(state(raw)).toEqual({ complete: 0, indexed_through: 0 });
      expect(sortIndexes(raw)).toEqual([]);
    } finally {
      raw.close();
    }
  });

  it('wakes up when a search finds the index incomplete again (after a bulk import by another process)', async () => {
    const c = core(databaseAt(8, numbered(10)));
    const build = startBackgroundBuild(c.db, c.searchIndex, { startAfterMs: 0, pauseMs: 0 });
    await build.idle();
    c.db.transaction(() => {
      c.searchIndex.deferNewUsers();
      insertPeople(c.db, numbered(LARGE, 100));
    })();
    expect(search(c, 'user02650').names).toEqual(['user02650']); // from the users table; wakes the build
    await build.idle();
    build.stop();
    expect(c.searchIndex.isComplete()).toBe(true);
    assertIndexMatchesUsers(c.db);
  });
});

describe('a bulk import and the index', () => {
  const rows = (n: number, from: number, displayName = (i: number) => `Imported ${i}`): UserFileRow[] =>
    Array.from({ length: n }, (_, k) => ({
      where: `line ${k + 2}`,
      username: `imp${String(from + k).padStart(5, '0')}`,
      displayName: displayName(from + k),
      roles: ['read-only'],
    }));

  async function withAdministrator(): Promise<Core> {
    const c = core(tempDir());
    await c.users.create({ username: 'root', roles: ['administrator'] }, 'test');
    return c;
  }

  it('leaves many new users to the build instead of indexing them one by one; search finds them meanwhile', async () => {
    const c = await withAdministrator();
    const result = c.userImport.run(rows(LARGE, 1), 'test');
    expect(result.created).toBe(LARGE);
    expect(indexedCount(c.db)).toBe(1); // root only
    expect(state(c.db)).toEqual({ complete: 0, indexed_through: 1 });
    expect(search(c, 'imported 2600').names).toEqual(['imp02600']);
    c.searchIndex.buildAll();
    assertIndexMatchesUsers(c.db);
    expect(search(c, 'imported 2600').names).toEqual(['imp02600']);
  });

  it('after many updates, rebuilds the index once instead of updating it row by row', async () => {
    const c = await withAdministrator();
    c.userImport.run(rows(LARGE, 1), 'test');
    c.searchIndex.buildAll();
    c.userImport.run(
      rows(LARGE, 1, (i) => `Renamed ${i}`),
      'test',
    );
    expect(state(c.db)).toEqual({ complete: 0, indexed_through: 0 });
    expect(indexedCount(c.db)).toBe(0);
    expect(search(c, 'renamed 1234').names).toEqual(['imp01234']);
    c.searchIndex.buildAll();
    assertIndexMatchesUsers(c.db);
    expect(search(c, 'imported').total).toBe(0);
    expect(search(c, 'renamed 1234').names).toEqual(['imp01234']);
  });

  it('a small import keeps the index complete (the triggers index each user)', async () => {
    const c = await withAdministrator();
    c.userImport.run(rows(50, 1), 'test');
    expect(c.searchIndex.isComplete()).toBe(true);
    assertIndexMatchesUsers(c.db);
  });

  for (const kind of ['creates', 'updates'] as const) {
    it(`a bulk import (${kind}) that fails changes nothing, the index and its state included`, async () => {
      const c = await withAdministrator();
      if (kind === 'updates') {
        c.userImport.run(rows(LARGE, 1), 'test');
        c.searchIndex.buildAll();
      }
      const dir = c.dataDir;
      c.close();
      const before = databaseDigest(dir);
      const again = core(dir);
      const failing = [
        ...rows(LARGE, 1, (i) => `Changed ${i}`),
        { where: 'last line', username: 'root', active: false }, // would leave no active administrator: the import is refused
      ];
      expect(() => again.userImport.run(failing, 'test')).toThrow(/no active administrator/);
      again.close();
      expect(databaseDigest(dir)).toEqual(before);
      const reopened = core(dir);
      expect(reopened.searchIndex.isComplete()).toBe(true);
      assertIndexMatchesUsers(reopened.db);
    });
  }
});

describe('migrating to the latest schema (9: the folded copy, the index rebuilt over it)', () => {
  /** Migration 5 as released before 8: it filled the index and made the sort indexes at once. */
  const released5: Migration = {
    ...migrations[4]!,
    sql: `${migrations[4]!.sql.replace(
      "tokenize = 'trigram'\n      );",
      "tokenize = 'trigram'\n      );\n      INSERT INTO users_search (users_search) VALUES ('rebuild');",
    )}
      CREATE INDEX users_by_display_name ON users (display_name COLLATE NOCASE, id);
      CREATE INDEX users_by_created ON users (created_at, id);
      CREATE INDEX users_by_sc_lock ON users (sc_locked_until) WHERE sc_locked_until IS NOT NULL;
      CREATE INDEX users_by_active ON users (active, username);`,
  };
  const releasedList = [...migrations.slice(0, 4), released5, ...migrations.slice(5)];
  /** Numbered people, every fifth a Swede whose name needs folding. */
  const nordic = (n: number): Person[] =>
    numbered(n).map((p, i) => (i % 5 === 0 ? { ...p, displayName: `ÅSA Öberg ${i + 1}` } : p));
  const terms = ['son 3', 'åsa öBERG 1', 'Ä', 'user0'];

  /** Search answers as the rule says, before the build, half-way (batches of 700) and after. */
  function searchesTheSameThroughout(c: Core, people: readonly Person[]): void {
    const expected = terms.map((term) => foldModel(people, term).sort());
    const check = (stage: string) =>
      terms.forEach((term, i) =>
        expect(search(c, term).names.sort(), `${term} (${stage})`).toEqual(expected[i]),
      );
    check('before the build');
    buildPart(c.db, 700, 2);
    check('half-way');
    c.searchIndex.buildAll();
    expect(state(c.db).complete).toBe(1);
    expect(sortIndexes(c.db)).toEqual(SORT_INDEXES);
    expect(unfoldedIndexLeft(c.db)).toBe(false);
    assertIndexMatchesUsers(c.db);
    check('built');
  }

  it('from empty: complete, the sort indexes made at open', () => {
    const c = core(tempDir());
    expect(c.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(LATEST_SCHEMA_VERSION).toBe(9);
    expect(state(c.db)).toEqual({ complete: 1, indexed_through: 0 });
    expect(sortIndexes(c.db)).toEqual(SORT_INDEXES);
    expect(unfoldedIndexLeft(c.db)).toBe(false);
    assertIndexMatchesUsers(c.db);
  });

  for (const version of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`from schema ${version} with users: built after open (large) or at open (small), search the same throughout`, () => {
      for (const n of [40, LARGE]) {
        const people = nordic(n);
        const c = core(databaseAt(version, people));
        expect(c.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
        if (n === LARGE) {
          // Nothing read or written per user at open: the folded copy and the index are left to the build.
          expect(state(c.db)).toEqual({ complete: 0, indexed_through: 0 });
          expect(indexedCount(c.db)).toBe(0);
          expect(c.db.prepare('SELECT count(*) FROM users_fold').pluck().get()).toBe(0);
          expect(unfoldedIndexLeft(c.db)).toBe(true); // set aside, not dropped, at open
        } else expect(state(c.db)).toEqual({ complete: 1, indexed_through: n });
        searchesTheSameThroughout(c, people);
      }
    });
  }

  for (const version of [5, 6, 7]) {
    it(`from schema ${version} as released (index full of unfolded text): rebuilt over the folded copy`, () => {
      const people = nordic(LARGE);
      const dir = databaseAt(version, people, releasedList);
      const c = core(dir);
      expect(state(c.db)).toEqual({ complete: 0, indexed_through: 0 });
      expect(indexedCount(c.db)).toBe(0);
      expect(sortIndexes(c.db)).toEqual(SORT_INDEXES);
      searchesTheSameThroughout(c, people);
      // The new triggers keep it in step.
      c.db.prepare('UPDATE users SET display_name = ? WHERE id = 7').run('ZEBULON Ärlig');
      insertPeople(c.db, numbered(1, 80_000));
      c.db.prepare('DELETE FROM users WHERE id = 8').run();
      assertIndexMatchesUsers(c.db);
      expect(search(c, 'zebulon ärl').names).toEqual(['user00007']);
      expect(search(c, 'user80000').names).toEqual(['user80000']);
      expect(search(c, 'user00008').total).toBe(0);
    });
  }
});
