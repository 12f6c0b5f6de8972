import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ScError } from '../errors';
import { registerSearchFold } from '../users/search-fold';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from './migrations';

export type Db = Database.Database;

export const DATABASE_FILE = 'system-configurator.db';
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export interface OpenDatabaseOptions {
  dataDir: string;
  /** For tests of the migration runner: the list to apply (default: all). */
  migrations?: readonly Migration[];
  /** Milliseconds since the epoch, used to name a pre-migration backup. */
  now?: () => number;
  /** For tests of the POSIX permission rules (default: this machine's). */
  platform?: NodeJS.Platform;
}

/** Owner read/write only: the database, its WAL and shared-memory files and every backup. */
const PRIVATE_FILE_MODE = 0o600;

export function databasePath(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}

/**
 * Opens (creating if needed) the one SQLite database of a data dir: WAL, foreign keys, a busy timeout, and
 * every pending migration applied in one transaction. Refuses, touching nothing, a file that is not a
 * database, one that is damaged, or one written by a newer version of the app. Before migrating a database
 * that already holds data, a backup copy is written beside it (never overwriting an earlier one).
 */
export function openDatabase(options: OpenDatabaseOptions): Db {
  const { dataDir } = options;
  const file = databasePath(dataDir);
  const list = options.migrations ?? migrations;
  const latest = list.length === migrations.length ? LATEST_SCHEMA_VERSION : list.length;

  const posix = (options.platform ?? process.platform) !== 'win32';
  ensureWritableDir(dataDir);
  if (posix) assertPrivateDir(dataDir);
  const existed = fs.existsSync(file);
  if (existed) {
    assertLooksLikeSqlite(file);
    assertWritableFiles(file);
  } else {
    createPrivateFile(file);
  }
  // SQLite gives the -wal and -shm files it creates the database file's mode, so this covers them too.
  if (posix) restrictToOwner([file, `${file}-wal`, `${file}-shm`]);

  let db: Db;
  try {
    db = new Database(file, { fileMustExist: existed });
  } catch (error) {
    throw describeOpenError(error, file);
  }
  try {
    registerSearchFold(db);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latest) {
      throw new ScError(
        'database-newer-schema',
        `The database at ${file} was written by a newer version of System Configurator (schema ${version}, this version knows ${latest}). Install the newer version; the file was left as it is.`,
        { schemaVersion: version, knownVersion: latest },
      );
    }
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');

    const pending = list.filter((m) => m.version > version);
    if (pending.length > 0) {
      if (existed && version > 0) backupBeforeMigration(db, file, version, options.now ?? Date.now, posix);
      db.transaction(() => {
        // Another process may have migrated while this one waited for the write lock: read again.
        const current = db.pragma('user_version', { simple: true }) as number;
        for (const migration of pending.filter((m) => m.version > current)) {
          db.exec(migration.sql);
          db.pragma(`user_version = ${migration.version}`);
        }
      }).immediate();
    }
    return db;
  } catch (error) {
    db.close();
    throw describeOpenError(error, file);
  }
}

/** Creates the data folder (0700) when missing; throws ScError `database-not-writable` when it cannot be written. */
export function ensureWritableDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.accessSync(dataDir, fs.constants.W_OK | fs.constants.R_OK);
  } catch {
    throw new ScError(
      'database-not-writable',
      `System Configurator cannot write to its data folder ${dataDir}. Check its permissions or choose another folder with --data-dir.`,
    );
  }
}

/**
 * POSIX only: a data folder another local user can write to (or owns) lets them replace the database, its
 * WAL or a backup under the app, so it is refused rather than used. Windows folders are guarded by their
 * ACLs, which the app does not inspect (docs/threat-model.md).
 */
function assertPrivateDir(dataDir: string): void {
  const stat = fs.statSync(dataDir);
  const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
  if ((stat.mode & 0o022) !== 0) {
    throw new ScError(
      'data-dir-insecure',
      `The data folder ${dataDir} can be written by other users (permissions ${mode}), so they could change the database. System Configurator refuses to use it. Remove their write access (chmod go-w "${dataDir}") or choose another folder with --data-dir.`,
      { mode },
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new ScError(
      'data-dir-insecure',
      `The data folder ${dataDir} belongs to another user, who could change the database. System Configurator refuses to use it. Use a folder you own (--data-dir).`,
      { mode },
    );
  }
}

/** Creates the new database file owner-only before SQLite opens it (SQLite would use 0644 less the umask). */
function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch (error) {
    // Another process created it in between: it is checked and restricted like any existing file.
    if ((error as { code?: unknown }).code !== 'EEXIST') throw describeOpenError(error, file);
  }
}

/** Makes existing files owner read/write only (an older database made before this rule, say). */
function restrictToOwner(files: readonly string[]): void {
  for (const candidate of files) {
    if (fs.existsSync(candidate)) fs.chmodSync(candidate, PRIVATE_FILE_MODE);
  }
}

/**
 * SQLite opens a file it may not write read-only without a word, and the first write then fails deep in
 * some use case: refuse at open instead. (The database and any WAL/shared-memory companion it left.)
 */
function assertWritableFiles(file: string): void {
  for (const candidate of [file, `${file}-wal`, `${file}-shm`]) {
    if (candidate !== file && !fs.existsSync(candidate)) continue;
    try {
      fs.accessSync(candidate, fs.constants.W_OK);
    } catch {
      throw new ScError(
        'database-not-writable',
        `System Configurator cannot write to its database at ${file}. Check the permissions of the file and its folder.`,
      );
    }
  }
}

function assertLooksLikeSqlite(file: string): void {
  let header: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      header = Buffer.alloc(SQLITE_HEADER.length);
      const read = fs.readSync(fd, header, 0, header.length, 0);
      header = header.subarray(0, read);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    throw new ScError(
      'database-unreadable',
      `System Configurator cannot read its database at ${file}. Check the file's permissions.`,
    );
  }
  // An empty file is what SQLite itself creates before the first write; treat it as a new database.
  if (header.length === 0) return;
  if (!header.equals(SQLITE_HEADER)) throw damaged(file);
}

function damaged(file: string): ScError {
  return new ScError(
    'database-unreadable',
    `The database at ${file} is damaged or is not a System Configurator database. It was left untouched. Run "sc-admin db recover" to move it aside (it is kept as a backup) and start with a new one, or restore a backup.`,
  );
}

/**
 * A storage failure met while the app runs (damage found only when a query reads the damaged page, a file
 * made read-only behind the app's back) as the typed error with its way out; null for anything else.
 */
export function storageErrorOf(error: unknown, file: string): ScError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return damaged(file);
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return new ScError(
      'database-not-writable',
      `System Configurator cannot write to its database at ${file}. Check the permissions of the file and its folder.`,
    );
  }
  return null;
}

function describeOpenError(error: unknown, file: string): ScError {
  if (error instanceof ScError) return error;
  const known = storageErrorOf(error, file);
  if (known) return known;
  const code = (error as { code?: unknown }).code;
  return new ScError('database-unreadable', `System Configurator could not open its database at ${file}.`, {
    sqliteCode: typeof code === 'string' ? code : null,
  });
}

/**
 * A copy of the database as it was before a migration. The WAL is folded in first, then the file is
 * copied (a copy-on-write clone where the file system offers one) while this connection holds the write
 * lock, so no other process can change it half-way; a WAL that a writer filled in between is copied too.
 */
function backupBeforeMigration(
  db: Db,
  file: string,
  fromVersion: number,
  now: () => number,
  posix: boolean,
): void {
  const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
  const target = uniquePath(`${file}.schema-${fromVersion}.${stamp}.bak`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.transaction(() => {
    fs.copyFileSync(file, target, fs.constants.COPYFILE_EXCL | fs.constants.COPYFILE_FICLONE);
    const wal = `${file}-wal`;
    if (fs.existsSync(wal) && fs.statSync(wal).size > 0)
      fs.copyFileSync(wal, `${target}-wal`, fs.constants.COPYFILE_EXCL);
    if (posix) restrictToOwner([target, `${target}-wal`]);
  }).immediate();
}

/** A path that does not exist yet: `base`, else `base.1`, `base.2`, ... Backups are never overwritten. */
/**
 * A second, read-only connection to the data dir's database, for a long read (an export) that iterates
 * across awaits: better-sqlite3 keeps a connection busy while an iterator is open, so the app's own
 * connection stays free for log-ons and audit writes. WAL gives the reader one consistent snapshot.
 */
export function openReader(dataDir: string): Db {
  const db = new Database(databasePath(dataDir), { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

function uniquePath(base: string): string {
  let candidate = base;
  for (let n = 1; fs.existsSync(candidate); n++) candidate = `${base}.${n}`;
  return candidate;
}

/**
 * The way out of a damaged database: move the file (and its WAL/SHM companions) aside under a unique
 * backup name, so the next start creates a new one. Returns the backup path. Never deletes anything.
 */
export function moveDatabaseAside(dataDir: string, now: () => number = Date.now): string | null {
  const file = databasePath(dataDir);
  if (!fs.existsSync(file)) return null;
  const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
  const target = uniquePath(`${file}.damaged.${stamp}`);
  fs.renameSync(file, target);
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, target + suffix);
  }
  if (process.platform !== 'win32') restrictToOwner([target, `${target}-wal`, `${target}-shm`]);
  return target;
}
