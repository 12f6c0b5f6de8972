/**
 * The users' search index (users_search, FTS5 trigram over users_fold, the folded copy of the searched
 * fields: search-fold.ts) and the sort indexes of the users table, built after start-up in short steps
 * instead of at open (O(users) work: seconds at 100k users). One step is one write transaction: it drops the
 * index of unfolded text that migration 9 set aside, or creates one missing sort index, or folds and indexes
 * the next batch of users in id order and moves
 * users_search_state.indexed_through past them, so a crash between steps loses nothing and the next step
 * goes on from there. The triggers (migration 9) keep the folded copy and the index of already-indexed
 * users in step. Search uses the index for the users up to indexed_through and reads only the others
 * (UserStore.page), so it answers the same, and in bounded time, while the build runs.
 */
import type { Db } from '../db/database';

/** The users table's sort and filter indexes (the Users screen). `IF NOT EXISTS`: another process may have made one. */
export const SORT_INDEXES: readonly { name: string; sql: string }[] = [
  {
    name: 'users_by_display_name',
    sql: 'CREATE INDEX IF NOT EXISTS users_by_display_name ON users (display_name COLLATE NOCASE, id)',
  },
  { name: 'users_by_created', sql: 'CREATE INDEX IF NOT EXISTS users_by_created ON users (created_at, id)' },
  {
    name: 'users_by_sc_lock',
    sql: 'CREATE INDEX IF NOT EXISTS users_by_sc_lock ON users (sc_locked_until) WHERE sc_locked_until IS NOT NULL',
  },
  { name: 'users_by_active', sql: 'CREATE INDEX IF NOT EXISTS users_by_active ON users (active, username)' },
];

/** The index of unfolded text migration 9 set aside: the build drops it first. */
const UNFOLDED_INDEX = 'users_search_unfolded';
/** Users indexed per step: about 10 ms of work on a quiet machine, so the window never waits long. */
const BATCH_USERS = 500;
/** At or below this many users left to index, the whole build takes milliseconds: createCore does it at once. */
const BUILD_AT_OPEN_LIMIT = 2_000;

interface StateRow {
  complete: number;
  indexed_through: number;
}

export class SearchIndex {
  private readonly readState;
  private readonly lastOfBatch;
  private readonly foldBatch;
  private readonly indexBatch;
  private readonly clearFolded;
  private readonly advance;
  private readonly finish;
  private readonly defer;
  private readonly restart;
  private readonly indexExists;
  private readonly tableExists;
  private readonly left;
  private readonly incompleteListeners: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    /** Users per step (tests build in smaller steps). */
    private readonly batchUsers = BATCH_USERS,
  ) {
    this.readState = db.prepare('SELECT complete, indexed_through FROM users_search_state');
    this.lastOfBatch = db.prepare(
      'SELECT max(id) AS last FROM (SELECT id FROM users WHERE id > ? ORDER BY id LIMIT ?)',
    );
    this.foldBatch = db.prepare(
      `INSERT INTO users_fold (id, username, display_name, email)
       SELECT id, sc_fold(username), sc_fold(display_name), sc_fold(email) FROM users WHERE id > ? AND id <= ? ORDER BY id`,
    );
    this.indexBatch = db.prepare(
      `INSERT INTO users_search (rowid, username, display_name, email)
       SELECT id, username, display_name, email FROM users_fold WHERE id > ? AND id <= ? ORDER BY id`,
    );
    this.clearFolded = db.prepare('DELETE FROM users_fold');
    this.advance = db.prepare('UPDATE users_search_state SET indexed_through = ?');
    this.finish = db.prepare(
      'UPDATE users_search_state SET complete = 1, indexed_through = (SELECT coalesce(max(id), 0) FROM users)',
    );
    // Every user is in the index, so those inserted from now on (ids above the highest) are left to the build.
    this.defer = db.prepare(
      'UPDATE users_search_state SET complete = 0, indexed_through = (SELECT coalesce(max(id), 0) FROM users) WHERE complete = 1',
    );
    this.restart = db.prepare('UPDATE users_search_state SET complete = 0, indexed_through = 0');
    this.indexExists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").pluck();
    this.tableExists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
    this.left = db.prepare('SELECT count(*) FROM (SELECT 1 FROM users WHERE id > ? LIMIT ?)').pluck();
  }

  /** True when every user is in the search index; false while it is being built. */
  isComplete(): boolean {
    return this.coverage().complete;
  }

  /**
   * Which users the index (and users_fold) holds: every user, or those with an id up to `through` (the others
   * are not indexed yet). When incomplete, the build is woken (onIncomplete).
   */
  coverage(): { complete: boolean; through: number } {
    const state = this.state();
    if (state.complete === 0) for (const listener of this.incompleteListeners) listener();
    return { complete: state.complete === 1, through: state.indexed_through };
  }

  /** Called whenever coverage() or isComplete() finds the index incomplete (the background build wakes up on it). */
  onIncomplete(listener: () => void): void {
    this.incompleteListeners.push(listener);
  }

  /** One step of the build (one short write transaction). Returns true when nothing is left to build. */
  step(): boolean {
    if (this.tableExists.get(UNFOLDED_INDEX) !== undefined) {
      this.db.exec(`DROP TABLE ${UNFOLDED_INDEX}`);
      return false;
    }
    const missing = SORT_INDEXES.find((index) => this.indexExists.get(index.name) === undefined);
    if (missing) {
      this.db.exec(missing.sql);
      return false;
    }
    return this.db
      .transaction(() => {
        const state = this.state();
        if (state.complete === 1) return true;
        const { last } = this.lastOfBatch.get(state.indexed_through, this.batchUsers) as {
          last: number | null;
        };
        if (last === null) {
          this.finish.run();
          return true;
        }
        this.foldBatch.run(state.indexed_through, last);
        this.indexBatch.run(state.indexed_through, last);
        this.advance.run(last);
        return false;
      })
      .immediate();
  }

  /** The whole build at once (sc-admin, the benchmark's generator, tests). */
  buildAll(): void {
    while (!this.step());
  }

  /** At open: a small database is built at once (milliseconds), a large one is left to the background. */
  buildIfSmall(): void {
    const tablesLeft =
      SORT_INDEXES.some((index) => this.indexExists.get(index.name) === undefined) ||
      this.tableExists.get(UNFOLDED_INDEX) !== undefined;
    const state = this.state();
    const from = tablesLeft ? 0 : state.complete === 1 ? Number.MAX_SAFE_INTEGER : state.indexed_through;
    if ((this.left.get(from, BUILD_AT_OPEN_LIMIT + 1) as number) <= BUILD_AT_OPEN_LIMIT) this.buildAll();
  }

  /**
   * For a bulk load of new users: call inside the load's transaction, before the inserts. The triggers then
   * skip the new users (each would cost an index update) and the build adds them once, after; a rollback
   * of the load rolls this back too.
   */
  deferNewUsers(): void {
    this.defer.run();
  }

  /**
   * For a bulk change of existing users' searched fields: call inside the change's transaction, before it.
   * Empties the index and the folded copy and leaves both to the build, so the triggers skip every user.
   */
  clearForRebuild(): void {
    this.db.exec("INSERT INTO users_search (users_search) VALUES ('delete-all')");
    this.clearFolded.run();
    this.restart.run();
  }

  private state(): StateRow {
    return this.readState.get() as StateRow;
  }
}
