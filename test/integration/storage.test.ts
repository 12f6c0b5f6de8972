import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  DATABASE_FILE,
  databasePath,
  moveDatabaseAside,
  openDatabase,
  type Db,
} from '../../main/core/db/database';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from '../../main/core/db/migrations';
import { ScError } from '../../main/core/errors';
import { tempDir } from '../support/temp-dir';

const FIXED_NOW = () => Date.UTC(2026, 0, 15, 9, 0, 0);

function schemaOf(db: Db): { type: string; name: string; sql: string | null }[] {
  return db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all() as {
    type: string;
    name: string;
    sql: string | null;
  }[];
}

function userVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function openError(dataDir: string, list?: readonly Migration[]): ScError {
  try {
    openDatabase({ dataDir, ...(list ? { migrations: list } : {}) }).close();
  } catch (error) {
    if (error instanceof ScError) return error;
    throw error;
  }
  throw new Error('openDatabase did not refuse');
}

/** A database written by the app with a few rows, closed (so fully checkpointed). */
function populatedDatabase(users = 50): string {
  const dir = tempDir();
  const db = openDatabase({ dataDir: dir });
  const insert = db.prepare(
    "INSERT INTO users (username, display_name, created_at, updated_at) VALUES (?, 'Some Person With A Long Name', 0, 0)",
  );
  db.transaction(() => {
    for (let i = 0; i < users; i++) insert.run(`user-${i}-${'x'.repeat(40)}`);
  })();
  db.close();
  return dir;
}

function listing(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

const V2: Migration = {
  version: 2,
  name: 'test: a nickname column',
  sql: "ALTER TABLE users ADD COLUMN nickname TEXT NOT NULL DEFAULT '';",
};

describe('opening and migrating the database', () => {
  it('creates every table from an empty folder and records the latest schema version', () => {
    const dir = tempDir();
    const db = openDatabase({ dataDir: dir });
    try {
      expect(userVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      const tables = schemaOf(db)
        .filter((o) => o.type === 'table')
        .map((o) => o.name);
      expect(tables).toEqual(
        expect.arrayContaining([
          'audit',
          'challenges',
          'policy_sinch',
          'policy_two_factor',
          'roles',
          'secret_metadata',
          'user_roles',
          'users',
        ]),
      );
      expect(db.prepare('SELECT name FROM roles ORDER BY name').pluck().all()).toEqual([
        'administrator',
        'read-only',
      ]);
      expect(db.prepare('SELECT count(*) FROM policy_two_factor').pluck().get()).toBe(1);
      expect(db.prepare('SELECT count(*) FROM policy_sinch').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
    expect(listing(dir).filter((f) => f.endsWith('.bak'))).toEqual([]);
  });

  it('treats an empty (0-byte) file as a new database', () => {
    const dir = tempDir();
    fs.writeFileSync(databasePath(dir), '');
    const db = openDatabase({ dataDir: dir });
    expect(userVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('sets WAL, foreign keys and a busy timeout on the connection', () => {
    const db = openDatabase({ dataDir: tempDir() });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(1000);
      // foreign_keys is enforced, not just reported
      expect(() =>
        db.prepare("INSERT INTO user_roles (user_id, role) VALUES (999, 'administrator')").run(),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
  });

  it('re-opening an up-to-date database is a no-op: same version, same schema, same rows, no backup', () => {
    const dir = populatedDatabase();
    const filesBefore = listing(dir);
    const first = new Database(databasePath(dir), { readonly: true });
    const schemaBefore = schemaOf(first);
    const rowsBefore = first.prepare('SELECT * FROM users ORDER BY id').all();
    first.close();

    const db = openDatabase({ dataDir: dir, now: FIXED_NOW });
    expect(userVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(schemaOf(db)).toEqual(schemaBefore);
    expect(db.prepare('SELECT * FROM users ORDER BY id').all()).toEqual(rowsBefore);
    db.close();
    expect(listing(dir)).toEqual(filesBefore);
  });

  it('refuses a database from a newer schema with database-newer-schema and leaves the file as it was', () => {
    const dir = populatedDatabase(5);
    const raw = new Database(databasePath(dir));
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    const bytes = fs.readFileSync(databasePath(dir));
    const filesBefore = listing(dir);

    const error = openError(dir);
    expect(error.code).toBe('database-newer-schema');
    expect(error.message).toMatch(/newer version/);
    expect(error.details).toMatchObject({
      schemaVersion: LATEST_SCHEMA_VERSION + 1,
      knownVersion: LATEST_SCHEMA_VERSION,
    });
    expect(fs.readFileSync(databasePath(dir)).equals(bytes)).toBe(true);
    expect(listing(dir)).toEqual(filesBefore);
  });

  it('refuses a file that is not a database with database-unreadable and leaves it untouched', () => {
    const dir = tempDir();
    const text = 'name,value\nthis is a CSV file, not a database\n'.repeat(100);
    fs.writeFileSync(databasePath(dir), text);

    const error = openError(dir);
    expect(error.code).toBe('database-unreadable');
    expect(error.message).toMatch(/sc-admin db recover/);
    expect(fs.readFileSync(databasePath(dir), 'utf8')).toBe(text);
    expect(listing(dir)).toEqual([DATABASE_FILE]);
  });

  it.each([
    ['to half its pages', (size: number) => Math.floor(size / 2)],
    ['inside its first page', () => 100],
    ['inside the header', () => 10],
  ])('refuses a database truncated %s with database-unreadable and leaves it untouched', (_label, cut) => {
    const dir = populatedDatabase(400);
    const full = fs.readFileSync(databasePath(dir));
    const truncated = full.subarray(0, cut(full.length));
    fs.writeFileSync(databasePath(dir), truncated);

    expect(openError(dir).code).toBe('database-unreadable');
    expect(fs.readFileSync(databasePath(dir)).equals(truncated)).toBe(true);
    expect(listing(dir)).toEqual([DATABASE_FILE]);
  });

  it('migrates a database from an earlier schema: backup first, data kept, version recorded', () => {
    const dir = tempDir();
    const v1 = openDatabase({ dataDir: dir, migrations: [migrations[0]!] });
    v1.prepare(
      "INSERT INTO users (username, display_name, created_at, updated_at) VALUES ('alice', 'Alice', 1, 1)",
    ).run();
    expect(userVersion(v1)).toBe(1);
    v1.close();

    const db = openDatabase({ dataDir: dir, migrations: [migrations[0]!, V2], now: FIXED_NOW });
    expect(userVersion(db)).toBe(2);
    expect(db.prepare('SELECT username, display_name, nickname FROM users').all()).toEqual([
      { username: 'alice', display_name: 'Alice', nickname: '' },
    ]);
    db.close();

    const backups = listing(dir).filter((f) => f.endsWith('.bak'));
    expect(backups).toEqual([`${DATABASE_FILE}.schema-1.2026-01-15T09-00-00-000Z.bak`]);
    const backup = new Database(path.join(dir, backups[0]!), { readonly: true });
    expect(userVersion(backup)).toBe(1);
    expect(backup.prepare('SELECT username FROM users').pluck().all()).toEqual(['alice']);
    backup.close();

    // Up to date now: opening again writes no second backup.
    openDatabase({ dataDir: dir, migrations: [migrations[0]!, V2], now: FIXED_NOW }).close();
    expect(listing(dir).filter((f) => f.endsWith('.bak'))).toHaveLength(1);
  });

  it('a failing migration rolls back completely: the version and the data stay as they were', () => {
    const dir = tempDir();
    const v1 = openDatabase({ dataDir: dir, migrations: [migrations[0]!] });
    v1.prepare(
      "INSERT INTO users (username, display_name, created_at, updated_at) VALUES ('alice', 'Alice', 1, 1)",
    ).run();
    v1.close();
    const broken: Migration = {
      version: 2,
      name: 'test: fails halfway',
      sql: 'CREATE TABLE extra (id INTEGER); INSERT INTO no_such_table VALUES (1);',
    };
    expect(() => openDatabase({ dataDir: dir, migrations: [migrations[0]!, broken] })).toThrow(ScError);
    const db = new Database(databasePath(dir), { readonly: true });
    expect(userVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT username FROM users').pluck().all()).toEqual(['alice']);
    db.close();
  });
});

describe('moveDatabaseAside', () => {
  it('keeps the file under a unique name and never overwrites an earlier backup', () => {
    const dir = populatedDatabase(3);
    const original = fs.readFileSync(databasePath(dir));

    const first = moveDatabaseAside(dir, FIXED_NOW);
    expect(first).toBe(path.join(dir, `${DATABASE_FILE}.damaged.2026-01-15T09-00-00-000Z`));
    expect(fs.existsSync(databasePath(dir))).toBe(false);
    expect(fs.readFileSync(first!).equals(original)).toBe(true);

    // A second damaged database moved aside in the same millisecond gets its own name.
    fs.writeFileSync(databasePath(dir), 'second damaged file');
    const second = moveDatabaseAside(dir, FIXED_NOW);
    expect(second).toBe(`${first}.1`);
    expect(fs.readFileSync(second!, 'utf8')).toBe('second damaged file');
    expect(fs.readFileSync(first!).equals(original)).toBe(true);

    fs.writeFileSync(databasePath(dir), 'third');
    expect(moveDatabaseAside(dir, FIXED_NOW)).toBe(`${first}.2`);
  });

  it('moves the WAL and shared-memory companions with the database', () => {
    const dir = tempDir();
    fs.writeFileSync(databasePath(dir), 'db');
    fs.writeFileSync(`${databasePath(dir)}-wal`, 'wal');
    fs.writeFileSync(`${databasePath(dir)}-shm`, 'shm');
    const backup = moveDatabaseAside(dir, FIXED_NOW)!;
    expect(fs.readFileSync(`${backup}-wal`, 'utf8')).toBe('wal');
    expect(fs.readFileSync(`${backup}-shm`, 'utf8')).toBe('shm');
    expect(listing(dir)).toEqual(
      [path.basename(backup), `${path.basename(backup)}-shm`, `${path.basename(backup)}-wal`].sort(),
    );
  });

  it('returns null when there is no database, and afterwards the app starts with a new one', () => {
    const dir = tempDir();
    expect(moveDatabaseAside(dir)).toBeNull();
    fs.writeFileSync(databasePath(dir), 'garbage that is not sqlite');
    expect(openError(dir).code).toBe('database-unreadable');
    moveDatabaseAside(dir);
    const db = openDatabase({ dataDir: dir });
    expect(userVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });
});
