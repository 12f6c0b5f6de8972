/**
 * Database faults: a file that is not a database, a damaged schema page, a truncated file, a read-only
 * file, a folder that cannot be written, a database from a newer schema. Each gives a clear typed ScError
 * when the core starts, leaves every file in the folder byte for byte as it was, and where a repair is
 * offered ("sc-admin db recover" = moveDatabaseAside) the damaged file is kept as a backup, never
 * overwritten, and the next start begins with a new database.
 *
 * Read-only as root: root ignores permission bits, so chmod alone provokes nothing. As root the tests set
 * the immutable attribute (chattr +i), which binds root too; where that is not possible they run the open
 * in a child process under an unprivileged uid (65534), where the permission bits apply (force that with
 * SC_RELIABILITY_READONLY=uid). Not root: chmod.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppCore } from '../../main/core/app-core';
import { createCore } from '../../main/core/create-core';
import { databasePath, moveDatabaseAside, openDatabase } from '../../main/core/db/database';
import { LATEST_SCHEMA_VERSION } from '../../main/core/db/migrations';
import type { ErrorCode } from '../../main/contract/errors';
import { isScError } from '../../main/core/errors';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { createGateway } from '../../main/gateway/gateway';
import { tempDir } from '../support/temp-dir';
import type { OpenOutcome } from './fixtures/open-core';
import { FIXTURES, ROOT, folderDigest, sha256 } from './helpers';

const PAGE = 4096;
const UNPRIVILEGED = 65_534;
const isRoot = process.getuid?.() === 0;

/** A database the app wrote, with enough users that the users table spans many pages, closed. */
function populated(): string {
  const dir = tempDir('sc-dbfault-');
  const db = openDatabase({ dataDir: dir });
  const insert = db.prepare(
    "INSERT INTO users (username, display_name, created_at, updated_at) VALUES (?, 'Some Person', 0, 0)",
  );
  db.transaction(() => {
    for (let i = 0; i < 3_000; i++) insert.run(`user-${i}`);
  })();
  db.close();
  return dir;
}

function overwrite(file: string, offset: number, length: number): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, offset);
  } finally {
    fs.closeSync(fd);
  }
}

function openOutcome(dataDir: string): OpenOutcome {
  try {
    createCore({ dataDir, keychain: new InMemoryKeychain() }).close();
    return { stage: 'done', ok: true, scError: false, code: null, message: '' };
  } catch (error) {
    return {
      stage: 'open',
      ok: false,
      scError: isScError(error),
      code: isScError(error) ? error.code : null,
      message: error instanceof Error ? error.message : String(error),
    };
  }
}

function expectRefused(outcome: OpenOutcome, code: ErrorCode, message: RegExp): void {
  expect(outcome).toMatchObject({ stage: 'open', ok: false, scError: true, code });
  expect(outcome.message).toMatch(message);
  expect(outcome.message).not.toMatch(/SQLITE_|\n\s+at\s/);
}

/** Refused with `code`, every file unchanged; then the repair keeps the file and starts a new database. */
function expectDamagedAndRecoverable(dataDir: string): void {
  const before = folderDigest(dataDir);
  const original = sha256(databasePath(dataDir));
  const outcome = openOutcome(dataDir);
  expectRefused(outcome, 'database-unreadable', /damaged.*sc-admin db recover/s);
  expect(folderDigest(dataDir)).toEqual(before);

  const backup = moveDatabaseAside(dataDir);
  expect(backup).not.toBeNull();
  expect(sha256(backup!)).toBe(original);
  const core = createCore({ dataDir, keychain: new InMemoryKeychain() });
  expect(core.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
  core.close();
  expect(sha256(backup!)).toBe(original);

  // A second damaged file moved aside later never overwrites the first backup.
  fs.writeFileSync(databasePath(dataDir), 'not a database either');
  const second = moveDatabaseAside(dataDir);
  expect(second).not.toBe(backup);
  expect(sha256(backup!)).toBe(original);
}

// ---- Read-only: the way to provoke it for the user the tests run as ----

interface ReadOnlyMethod {
  name: string;
  /** Makes `target` (a file or a folder) unwritable for the opener; returns the undo. */
  protect(target: string, dataDir: string): () => void;
  open(dataDir: string): OpenOutcome;
}

const undo: (() => void)[] = [];
afterEach(() => {
  for (const step of undo.splice(0).reverse()) step();
});

function chattrWorks(): boolean {
  const probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sc-chattr-')), 'probe');
  fs.writeFileSync(probe, '');
  try {
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(path.dirname(probe), { recursive: true, force: true });
  }
}

/** A node binary the unprivileged uid can run (the cached Node 24 often sits under /root, mode 0700). */
function nodeForUnprivileged(): string {
  const probe = spawnSync(process.execPath, ['-e', '0'], { uid: UNPRIVILEGED, gid: UNPRIVILEGED });
  if (probe.status === 0) return process.execPath;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-node-'));
  fs.chmodSync(dir, 0o755);
  undo.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const copy = path.join(dir, 'node');
  try {
    fs.linkSync(process.execPath, copy);
  } catch {
    fs.copyFileSync(process.execPath, copy);
    fs.chmodSync(copy, 0o755);
  }
  return copy;
}

function readOnlyMethod(): ReadOnlyMethod {
  const inProcess = { open: openOutcome };
  if (!isRoot)
    return {
      name: 'chmod (not root)',
      protect(target) {
        const mode = fs.statSync(target).mode & 0o777;
        fs.chmodSync(target, fs.statSync(target).isDirectory() ? 0o555 : 0o444);
        return () => fs.chmodSync(target, mode);
      },
      ...inProcess,
    };
  // SC_RELIABILITY_READONLY=uid forces the child-process method (to check it on a machine with chattr).
  if (process.env.SC_RELIABILITY_READONLY !== 'uid' && chattrWorks())
    return {
      name: 'chattr +i (root)',
      protect(target) {
        execFileSync('chattr', ['+i', target]);
        return () => execFileSync('chattr', ['-i', target]);
      },
      ...inProcess,
    };
  return {
    name: `chmod, opened by uid ${UNPRIVILEGED} in a child process (root without chattr)`,
    protect(target, dataDir) {
      // The unprivileged user owns the data, reaches it, and lacks only the write permission.
      for (
        let dir = path.dirname(dataDir);
        dir !== path.dirname(dir) && dir.startsWith(os.tmpdir());
        dir = path.dirname(dir)
      )
        if (dir !== os.tmpdir()) fs.chmodSync(dir, 0o755);
      fs.chownSync(dataDir, UNPRIVILEGED, UNPRIVILEGED);
      for (const name of fs.readdirSync(dataDir))
        fs.chownSync(path.join(dataDir, name), UNPRIVILEGED, UNPRIVILEGED);
      const mode = fs.statSync(target).mode & 0o777;
      fs.chmodSync(target, fs.statSync(target).isDirectory() ? 0o555 : 0o444);
      return () => fs.chmodSync(target, mode);
    },
    open(dataDir) {
      const result = spawnSync(
        nodeForUnprivileged(),
        ['--import', 'tsx', path.join(FIXTURES, 'open-core.ts'), dataDir],
        {
          cwd: ROOT,
          uid: UNPRIVILEGED,
          gid: UNPRIVILEGED,
          encoding: 'utf8',
          env: { ...process.env, HOME: os.tmpdir() },
          timeout: 60_000,
        },
      );
      if (result.status !== 0)
        throw new Error(`open-core.ts as uid ${UNPRIVILEGED} failed: ${result.stderr}`);
      return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as OpenOutcome;
    },
  };
}

describe('database faults: a typed error, the files untouched, a way out', () => {
  it('refuses a file that is not a database', () => {
    const dir = tempDir('sc-dbfault-');
    fs.writeFileSync(databasePath(dir), Buffer.alloc(64 * 1024, 0x42));
    expectDamagedAndRecoverable(dir);
  });

  it('refuses a database whose schema page is damaged', () => {
    const dir = populated();
    overwrite(databasePath(dir), 100, PAGE - 100);
    expectDamagedAndRecoverable(dir);
  });

  it('refuses a truncated database (cut to half, to one page, inside the header)', () => {
    for (const cut of [(size: number) => Math.floor(size / 2 / PAGE) * PAGE + 1000, () => PAGE, () => 50]) {
      const dir = populated();
      const file = databasePath(dir);
      fs.truncateSync(file, cut(fs.statSync(file).size));
      expectDamagedAndRecoverable(dir);
    }
  });

  it('refuses a database from a newer schema, offering no repair and changing nothing', () => {
    const dir = populated();
    const db = new Database(databasePath(dir));
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 7}`);
    db.close();
    const before = folderDigest(dir);
    const outcome = openOutcome(dir);
    expectRefused(outcome, 'database-newer-schema', /newer version of System Configurator/);
    expect(outcome.message).not.toMatch(/recover/);
    expect(folderDigest(dir)).toEqual(before);
  });

  it('refuses a read-only database file at start-up (not at the first write)', () => {
    const method = readOnlyMethod();
    const dir = populated();
    const file = databasePath(dir);
    undo.push(method.protect(file, dir));
    const before = folderDigest(dir);
    const outcome = method.open(dir);
    expectRefused(outcome, 'database-not-writable', /cannot write to its database.*permissions/s);
    expect(folderDigest(dir), method.name).toEqual(before);
  });

  it('refuses a data folder that cannot be written, with or without a database in it', () => {
    const method = readOnlyMethod();
    for (const withDatabase of [true, false]) {
      const dir = withDatabase ? populated() : tempDir('sc-dbfault-');
      undo.push(method.protect(dir, dir));
      const before = folderDigest(dir);
      const outcome = method.open(dir);
      expectRefused(outcome, 'database-not-writable', /cannot write to its data folder/);
      expect(folderDigest(dir), method.name).toEqual(before);
    }
  });

  // KNOWN GAP, reported: damage inside a table (not the header or the schema) is only found when a query
  // reads it, and the gateway then answers "internal" instead of a typed database error. Start-up does not
  // scan the file (PRAGMA quick_check takes seconds on a large database, against a 150 ms start-up budget).
  // Fix: in main/gateway/gateway.ts map better-sqlite3's SQLITE_CORRUPT / SQLITE_NOTADB to
  // ScError('database-unreadable') with the recover hint. When that lands, this test fails: drop `.fails`.
  it('damage inside the users table surfaces as a typed database error through the gateway', async () => {
    const dir = populated();
    const file = databasePath(dir);
    const db = new Database(file, { readonly: true });
    const root = db
      .prepare("SELECT rootpage FROM sqlite_master WHERE name = 'users'")
      .pluck()
      .get() as number;
    db.close();
    overwrite(file, (root - 1) * PAGE, PAGE);
    const core = createAppCore({ dataDir: dir, keychain: new InMemoryKeychain() });
    try {
      const gateway = createGateway(core, { appOrigin: 'app://sc' });
      const result = await gateway.invoke(
        { clientId: 'w', origin: 'app://sc', isMainFrame: true },
        'sc:auth:logOn',
        {
          username: 'user-1',
          password: 'whatever password',
        },
      );
      expect(result).toMatchObject({ ok: false, error: { code: 'database-unreadable' } });
    } finally {
      core.close();
    }
  });
});
