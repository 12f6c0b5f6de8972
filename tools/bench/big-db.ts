/**
 * The large database of the benchmark: 100k users and 1M audit rows, generated with raw SQL in one
 * transaction (recursive CTEs, the audit indexes dropped during the load and re-created from their own
 * SQL, so the schema is exactly the app's) and cached under .bench/, keyed by the schema version and a
 * hash of the migrations. Not ANALYZEd: the app never runs ANALYZE, so the planner sees what it sees in
 * the field.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE, openDatabase } from '../../main/core/db/database';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from '../../main/core/db/migrations';
import { hashPassword } from '../../main/core/users/passwords';
import { SearchIndex, SORT_INDEXES } from '../../main/core/users/search-index';
import { registerSearchFold } from '../../main/core/users/search-fold';

export const BIG_USERS = 100_000;
export const BIG_AUDIT_ROWS = 1_000_000;
/** Every user of the big database has this password. */
const BIG_PASSWORD = 'bench password 1234';
/** The audit log spans a year, from here on, one row every ~31.5 s. */
export const AUDIT_START = Date.UTC(2025, 0, 1);
const AUDIT_STEP_MS = 31_536;

export function bigUsername(i: number): string {
  return `user${String(i).padStart(6, '0')}`;
}

export interface BigDatabases {
  /** The database at schema 4 (for the migration figure: migration 5 and later); equals `current` at schema 1. */
  base: { dataDir: string; version: number };
  /** The database at the latest schema. All three are caches: copy them, never write to them. */
  current: { dataDir: string; version: number };
  /**
   * The database at schema 7 as the app released before migration 8 left it: the search index full, the
   * sort indexes made (migration 8 from there only records it); null when the latest schema is below 8.
   */
  released7: { dataDir: string; version: number } | null;
  cached: boolean;
  buildMs: number;
}

function keyOf(list: readonly Migration[]): string {
  const hash = createHash('sha256');
  for (const m of list) hash.update(`${m.version}\n${m.sql}\n`);
  return `schema-v${list.length}-${hash.digest('hex').slice(0, 10)}`;
}

/** Actions with rough real-life frequencies (per 20 rows) and their outcomes. */
const ACTION_MIX: readonly [action: string, outcome: string, byAdmin?: true][] = [
  ['logon.password', 'success'],
  ['logon.password', 'success'],
  ['logon.password', 'failure'],
  ['code.sent', 'success'],
  ['code.sent', 'success'],
  ['code.sent', 'success'],
  ['code.success', 'success'],
  ['code.success', 'success'],
  ['code.failure', 'failure'],
  ['logon.success', 'success'],
  ['logon.success', 'success'],
  ['logon.signout', 'success'],
  ['logon.signout', 'success'],
  ['logon.timeout', 'success'],
  ['logon.cancel', 'success'],
  ['code.refused', 'denied'],
  ['user.changed', 'success', true],
  ['account.locked', 'success'],
  ['account.unlocked', 'success', true],
  ['policy.changed', 'success', true],
];

const dirFor = (benchDir: string, list: readonly Migration[]): string =>
  path.join(benchDir, `db-${keyOf(list)}-u${BIG_USERS}-a${BIG_AUDIT_ROWS}`);

const isComplete = (dataDir: string): boolean => fs.existsSync(path.join(dataDir, 'complete'));

function markComplete(building: string, dataDir: string): void {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.renameSync(building, dataDir);
  fs.writeFileSync(path.join(dataDir, 'complete'), new Date().toISOString() + '\n');
}

/**
 * The cached large databases: generated at schema 4 (so opening it measures a real migration, the trigram
 * index of migration 5 included), and a copy migrated to the latest schema by the app's own openDatabase.
 */
export async function bigDatabases(benchDir: string, log: (line: string) => void): Promise<BigDatabases> {
  // Schema 4, before migration 5 (the heaviest: the trigram search index over every user), so opening it
  // measures that migration and every later one; the base stays cached when later migrations are added.
  const baseVersion = Math.max(1, Math.min(4, LATEST_SCHEMA_VERSION - 1));
  const baseList = migrations.slice(0, baseVersion);
  const baseDir = dirFor(benchDir, baseList);
  const currentDir = dirFor(benchDir, migrations);
  const released7Dir =
    LATEST_SCHEMA_VERSION >= 8 ? `${dirFor(benchDir, migrations.slice(0, 7))}-released` : null;
  const result = {
    base: { dataDir: baseDir, version: baseVersion },
    current: { dataDir: currentDir, version: LATEST_SCHEMA_VERSION },
    released7: released7Dir ? { dataDir: released7Dir, version: 7 } : null,
  };
  if (isComplete(baseDir) && isComplete(currentDir) && (!released7Dir || isComplete(released7Dir)))
    return { ...result, cached: true, buildMs: 0 };

  const started = performance.now();
  if (!isComplete(baseDir)) {
    log(
      `generating the large database (${BIG_USERS} users, ${BIG_AUDIT_ROWS} audit rows, schema ${baseVersion}) ...`,
    );
    const building = `${baseDir}.building-${process.pid}`;
    fs.rmSync(building, { recursive: true, force: true });
    await generateDatabase(building, { migrations: baseList });
    markComplete(building, baseDir);
  }
  if (currentDir !== baseDir && !isComplete(currentDir)) {
    log(`migrating a copy of it to schema ${LATEST_SCHEMA_VERSION} ...`);
    const building = `${currentDir}.building-${process.pid}`;
    fs.rmSync(building, { recursive: true, force: true });
    fs.mkdirSync(building, { recursive: true });
    fs.copyFileSync(path.join(baseDir, DATABASE_FILE), path.join(building, DATABASE_FILE));
    // As a database is once the app has run: the search index built after the migration.
    const migrated = openDatabase({ dataDir: building });
    new SearchIndex(migrated).buildAll();
    migrated.close();
    for (const name of fs.readdirSync(building))
      if (name.endsWith('.bak')) fs.rmSync(path.join(building, name));
    markComplete(building, currentDir);
  }
  if (released7Dir && !isComplete(released7Dir)) {
    log('making a copy of it at schema 7 as released (search index full, sort indexes made) ...');
    const building = `${released7Dir}.building-${process.pid}`;
    fs.rmSync(building, { recursive: true, force: true });
    fs.mkdirSync(building, { recursive: true });
    fs.copyFileSync(path.join(baseDir, DATABASE_FILE), path.join(building, DATABASE_FILE));
    const db = openDatabase({ dataDir: building, migrations: migrations.slice(0, 7) });
    db.exec("INSERT INTO users_search (users_search) VALUES ('rebuild')");
    for (const index of SORT_INDEXES) db.exec(index.sql);
    db.close();
    for (const name of fs.readdirSync(building))
      if (name.endsWith('.bak')) fs.rmSync(path.join(building, name));
    markComplete(building, released7Dir);
  }
  const buildMs = performance.now() - started;
  log(`large databases ready in ${(buildMs / 1000).toFixed(1)} s`);
  return { ...result, cached: false, buildMs };
}

/**
 * Generates a database in `dataDir`: `users` users (user000001…, every one with BIG_PASSWORD) and `auditRows`
 * audit rows over a year, at the schema of `migrations` (default: the latest). The benchmark's large
 * database, and the e2e suite's at-scale journeys (smaller sizes are just as realistic, and faster).
 */
export async function generateDatabase(
  dataDir: string,
  options: { users?: number; auditRows?: number; migrations?: readonly Migration[] } = {},
): Promise<void> {
  const users = options.users ?? BIG_USERS;
  const auditRows = options.auditRows ?? BIG_AUDIT_ROWS;
  const list = options.migrations ?? migrations;
  openDatabase({ dataDir, migrations: list }).close();
  const passwordHash = await hashPassword(BIG_PASSWORD);
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  registerSearchFold(db);
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const indexes = db
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit' AND sql IS NOT NULL",
      )
      .all() as { name: string; sql: string }[];
    // From schema 8 the users go in with the search index's triggers off, and the index is built once after.
    const searchIndex = hasTable(db, 'users_search_state') ? new SearchIndex(db) : null;
    const mix = ACTION_MIX.map(
      ([action, outcome, byAdmin], k) => `(${k}, '${action}', '${outcome}', ${byAdmin ? 1 : 0})`,
    ).join(', ');
    db.transaction(() => {
      for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
      searchIndex?.deferNewUsers();
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO users (id, username, display_name, email, mobile, active, must_change_password, password_hash,
                            created_at, updated_at)
         SELECT i, printf('user%06d', i), printf('User Number %d', i), printf('user%06d@example.com', i),
                printf('+4670%07d', i), CASE WHEN i % 50 = 0 THEN 0 ELSE 1 END, 0, ?, ?, ?
         FROM n`,
      ).run(users, passwordHash, AUDIT_START, AUDIT_START);
      // user000001 and every 1000th user are administrators; every 10th user is read-only.
      db.prepare(
        `INSERT INTO user_roles (user_id, role)
         SELECT id, CASE WHEN id = 1 OR id % 1000 = 0 THEN 'administrator' ELSE 'read-only' END
         FROM users WHERE id = 1 OR id % 1000 = 0 OR id % 10 = 0`,
      ).run();
      // Users act on themselves; administrators' actions are by user000001 (a busy actor), about someone.
      // One row in 10,000 is a rare action (secret.set), for the worst case of a selective filter.
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
              mix(k, action, outcome, by_admin) AS (VALUES ${mix})
         INSERT INTO audit (id, at, actor, action, target, outcome, details)
         SELECT i, ? + i * ?,
                CASE WHEN mix.by_admin = 1 OR i % 10000 = 0 THEN 'user000001' ELSE printf('user%06d', (i * 7919) % ? + 1) END,
                CASE WHEN i % 10000 = 0 THEN 'secret.set' ELSE mix.action END,
                printf('user%06d', (i * 7919) % ? + 1), mix.outcome,
                CASE WHEN mix.outcome = 'success' THEN NULL ELSE '{"reason":"wrong-password"}' END
         FROM n JOIN mix ON mix.k = n.i % ${ACTION_MIX.length}`,
      ).run(auditRows, AUDIT_START, AUDIT_STEP_MS, users, users);
      for (const index of indexes) db.exec(index.sql);
    })();
    searchIndex?.buildAll();
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
