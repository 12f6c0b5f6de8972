/**
 * Another local OS user must not read or change the app's files (POSIX; on Windows the folder's ACLs
 * decide, see docs/threat-model.md). The database, its -wal/-shm files and every backup are owner-only
 * (0600) whatever the umask, also in an existing --data-dir; a data folder others can write to is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePath, moveDatabaseAside, openDatabase } from '../../main/core/db/database';
import { migrations } from '../../main/core/db/migrations';
import { ScError } from '../../main/core/errors';
import { scAdmin } from '../support/sc-admin';
import { tempDir } from '../support/temp-dir';

const posix = process.platform !== 'win32';
let umask = 0;

beforeEach(() => {
  // The most permissive umask: without the guard every file would be world-readable.
  umask = process.umask(0);
});
afterEach(() => {
  process.umask(umask);
});

const modeOf = (file: string): string => (fs.statSync(file).mode & 0o777).toString(8);

function refusal(dataDir: string): ScError {
  try {
    openDatabase({ dataDir }).close();
  } catch (error) {
    if (error instanceof ScError) return error;
    throw error;
  }
  throw new Error('expected the data folder to be refused');
}

describe.runIf(posix)('files readable by other local users', () => {
  it('creates a new database and its -wal and -shm files 0600, even with umask 000', () => {
    const dir = tempDir();
    const db = openDatabase({ dataDir: dir });
    db.exec('CREATE TABLE permission_probe (x); INSERT INTO permission_probe VALUES (1)');
    const file = databasePath(dir);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(f), f).toBe('600');
    db.close();
  });

  it('makes an existing database and its WAL 0600 when opened from an existing --data-dir', () => {
    const dir = tempDir();
    openDatabase({ dataDir: dir }).close();
    const file = databasePath(dir);
    fs.writeFileSync(`${file}-wal`, '');
    fs.chmodSync(file, 0o644);
    fs.chmodSync(`${file}-wal`, 0o666);
    const db = openDatabase({ dataDir: dir });
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(f), f).toBe('600');
    db.close();
  });

  it('writes the pre-migration backup 0600', () => {
    const dir = tempDir();
    const older = openDatabase({ dataDir: dir, migrations: migrations.slice(0, 1) });
    older.close();
    fs.chmodSync(databasePath(dir), 0o644);
    openDatabase({ dataDir: dir }).close();
    const backups = fs
      .readdirSync(dir)
      .filter((name) => name.includes('.schema-1.') && name.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(modeOf(path.join(dir, backups[0]!))).toBe('600');
  });

  it('keeps a damaged database moved aside 0600', () => {
    const dir = tempDir();
    const file = databasePath(dir);
    fs.writeFileSync(file, 'not a database at all', { mode: 0o644 });
    const moved = moveDatabaseAside(dir);
    expect(moved).not.toBeNull();
    expect(modeOf(moved!)).toBe('600');
  });

  it('refuses a group- or world-writable data folder with a clear message, creating nothing in it', () => {
    for (const mode of [0o770, 0o702, 0o777]) {
      const dir = tempDir();
      fs.chmodSync(dir, mode);
      const error = refusal(dir);
      expect(error.code).toBe('data-dir-insecure');
      expect(error.message).toContain(dir);
      expect(error.message).toContain('can be written by other users');
      expect(error.message).toContain('chmod go-w');
      expect(fs.readdirSync(dir)).toEqual([]);
    }
  });

  it(
    'sc-admin says why it refuses a world-writable --data-dir and exits 1',
    { tags: ['child-process'] },
    async () => {
      const dir = tempDir();
      fs.chmodSync(dir, 0o777);
      const result = await scAdmin(['--data-dir', dir, 'init', '--admin', 'root'], {
        stdin: 'a-long-Pa55word-x\n',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('can be written by other users');
      expect(fs.readdirSync(dir)).toEqual([]);
    },
  );

  it('on Windows the mode bits are not consulted (the folder ACLs decide)', () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o777);
    expect(() => openDatabase({ dataDir: dir, platform: 'win32' }).close()).not.toThrow();
  });
});
