/**
 * The large-database figures: 100k users and 1M audit rows. User lookup and audit pages next to the same
 * SQL as a raw prepared statement; opening (and migrating) the database next to a bare open (and the bare
 * migration SQL); its size; core start-up on it. All on a scratch copy of the cached database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AuditQuery } from '../../main/core/audit/audit-log';
import { ManualClock } from '../../main/core/clock';
import { createCore } from '../../main/core/create-core';
import { DATABASE_FILE, openDatabase } from '../../main/core/db/database';
import { migrations } from '../../main/core/db/migrations';
import { SORT_INDEXES } from '../../main/core/users/search-index';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import {
  AUDIT_START,
  BIG_AUDIT_ROWS,
  BIG_USERS,
  bigDatabases,
  bigUsername,
  type BigDatabases,
} from './big-db';
import { median, now, sampleSync, sinceNs, type Samples } from './measure';
import { runExportBench } from './export-bench';
import { notMeasured, plain, timed } from './report';
import { startupSamples } from './login-bench';
import { recordSql, replayer, type RecordedStatement } from './sql-recorder';

const DAY = 86_400_000;

function scratchCopy(fromDir: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-bench-big-'));
  const file = path.join(dir, DATABASE_FILE);
  fs.copyFileSync(path.join(fromDir, DATABASE_FILE), file);
  // Flushed before anything is timed: otherwise the kernel throttles the next writes (the migration's
  // commit) while it writes back the copy's 180 MB of dirty pages, and that would be measured.
  const fd = fs.openSync(file, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  return dir;
}

/** Times `open` alone (closing is not timed), `runs` times. */
function openSamples(open: () => { close(): unknown }, runs: number): Samples {
  const ns: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = now();
    const db = open();
    const t = sinceNs(start);
    db.close();
    if (i >= 2) ns.push(t);
  }
  return { ns };
}

export async function runDatabaseBench(benchDir: string, log: (line: string) => void): Promise<void> {
  const dbs = await bigDatabases(benchDir, log);
  const S = `Large database (${BIG_USERS / 1000}k users, ${BIG_AUDIT_ROWS / 1e6}M audit rows)`;
  if (!dbs.cached)
    plain({
      section: S,
      name: 'generating it (raw SQL, one transaction; cached in .bench/)',
      value: dbs.buildMs / 1000,
      unit: 's',
    });
  const work = scratchCopy(dbs.current.dataDir);
  try {
    size(S, work);
    log('large database: opening and migrating ...');
    opening(S, work, dbs);
    log('large database: user lookup and audit pages ...');
    await lookups(S, work);
    log('large database: audit export of every row ...');
    await runExportBench(S, work, BIG_AUDIT_ROWS);
    log('large database: core start-up ...');
    timed(S, 'core start-up on it (createAppCore, close included)', startupSamples(work, 20), 'ms', {
      budgetMax: 150,
      note: 'createAppCore on the existing database: open, pragmas, stores and statements prepared, Sinch client',
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function size(section: string, dir: string): void {
  const file = path.join(dir, DATABASE_FILE);
  const bytes = fs.statSync(file).size;
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  plain({
    section,
    name: 'size on disk',
    value: bytes / 2 ** 20,
    unit: 'MB',
    note: `${Math.round(bytes / BIG_AUDIT_ROWS)} bytes per audit row all in (users, 4 audit indexes); page size ${pageSize}`,
  });
}

function opening(section: string, work: string, dbs: BigDatabases): void {
  const file = path.join(work, DATABASE_FILE);
  const noPending = openSamples(() => openDatabase({ dataDir: work }), 20);
  const bare = openSamples(() => {
    const db = new Database(file);
    db.pragma('user_version', { simple: true });
    return db;
  }, 20);
  timed(section, 'open it (openDatabase, schema up to date)', noPending, 'ms', {
    budgetMax: 100,
    baseline: { name: 'new Database(file) + PRAGMA user_version', samples: bare },
  });

  if (dbs.base.version === dbs.current.version) {
    notMeasured(section, 'open + migrate it', 'ms', 'there is only schema 1: no migration to measure');
    return;
  }
  migrating(section, dbs.base, 'the search index and sort indexes left to the build after start-up');
  if (dbs.released7)
    migrating(
      section,
      dbs.released7,
      'as released before 8: the search index full (migration 8 records it, 9 sets it aside for the build to drop)',
    );
  afterMigrating(section, dbs);
  migrationParts(section, dbs);
}

/**
 * Open + migrate a copy of `from` (openDatabase: file checks, the pre-migration backup, the migrations in
 * one transaction), beside the same without the backup, the backup alone and the machine's own copy of
 * the file; 3 runs, each on a fresh copy.
 */
function migrating(section: string, from: { dataDir: string; version: number }, what: string): void {
  const pending = migrations.filter((m) => m.version > from.version);
  const migrateNs: number[] = [];
  const withoutNs: number[] = [];
  const backupNs: number[] = [];
  const copyNs: number[] = [];
  const cloneNs: number[] = [];
  let cloneRefused = '';
  const runs = 3;
  for (let i = 0; i < runs; i++) {
    const copy = scratchCopy(from.dataDir);
    try {
      const start = now();
      const db = openDatabase({ dataDir: copy });
      migrateNs.push(sinceNs(start));
      db.close();
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
    const rawCopy = scratchCopy(from.dataDir);
    try {
      const source = path.join(rawCopy, DATABASE_FILE);
      // The machine's own copy of the same file: a plain copy, and a copy-on-write clone where the file
      // system has one (btrfs, XFS, APFS, ReFS); tmpfs and ext4 have none.
      let start = now();
      fs.copyFileSync(source, path.join(rawCopy, 'plain-copy.db'));
      copyNs.push(sinceNs(start));
      try {
        start = now();
        fs.copyFileSync(source, path.join(rawCopy, 'clone.db'), fs.constants.COPYFILE_FICLONE_FORCE);
        cloneNs.push(sinceNs(start));
      } catch (error) {
        cloneRefused = (error as { code?: string }).code ?? 'refused';
      }
      fs.rmSync(path.join(rawCopy, 'plain-copy.db'), { force: true });
      fs.rmSync(path.join(rawCopy, 'clone.db'), { force: true });

      // Open + migrate without the backup: the connection settings openDatabase uses and the migration SQL
      // in one transaction, nothing else (no file checks, no backup).
      start = now();
      const db = new Database(source);
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.transaction(() => {
        for (const m of pending) {
          db.exec(m.sql);
          db.pragma(`user_version = ${m.version}`);
        }
      }).immediate();
      withoutNs.push(sinceNs(start));
      db.close();
    } finally {
      fs.rmSync(rawCopy, { recursive: true, force: true });
    }
    const backupCopy = scratchCopy(from.dataDir);
    try {
      const db = new Database(path.join(backupCopy, DATABASE_FILE));
      const start = now();
      // What openDatabase does for its backup: fold the WAL in, then copy the file (a clone where possible).
      db.pragma('wal_checkpoint(TRUNCATE)');
      fs.copyFileSync(
        path.join(backupCopy, DATABASE_FILE),
        path.join(backupCopy, 'backup.db'),
        fs.constants.COPYFILE_FICLONE,
      );
      backupNs.push(sinceNs(start));
      db.close();
    } finally {
      fs.rmSync(backupCopy, { recursive: true, force: true });
    }
  }
  const steps = pending.map((m) => m.version).join(', ');
  const sizeMb = fs.statSync(path.join(from.dataDir, DATABASE_FILE)).size / 2 ** 20;
  timed(
    section,
    `open + migrate it from schema ${from.version} (migration ${steps}), with the backup`,
    { ns: migrateNs },
    'ms',
    {
      budgetMax: 100 + median(backupNs) / 1e6,
      baseline: { name: 'open + the same migration SQL without the backup', samples: { ns: withoutNs } },
      note: `${what}; openDatabase: file checks, a full pre-migration backup, the migrations in one transaction; budget 100 ms + the backup; ${runs} runs, each on a fresh copy`,
    },
  );
  timed(section, '  open + migrate without the backup', { ns: withoutNs }, 'ms', { budgetMax: 100 });
  timed(
    section,
    '  the pre-migration backup (checkpoint + copy, a clone where possible)',
    { ns: backupNs },
    'ms',
    {
      budgetMax: (median(copyNs) / 1e6) * 1.1,
      baseline: {
        name: `a plain copy of the same ${sizeMb.toFixed(0)} MB file (fs.copyFileSync)`,
        samples: { ns: copyNs },
      },
      note:
        cloneNs.length > 0
          ? `a copy-on-write clone of it takes ${(median(cloneNs) / 1e6).toFixed(2)} ms here`
          : `no copy-on-write clone on this file system (${cloneRefused}): the backup is a plain copy; budget: the plain copy + 10 %`,
    },
  );
  if (cloneNs.length > 0)
    timed(section, '  a copy-on-write clone of the same file (raw)', { ns: cloneNs }, 'ms');
}

/**
 * Right after migrating from schema 4: the core's start-up (the index not built yet), search before the
 * build (every user read from the users table), half-way through it (the index for the first half, the
 * table for the rest) and through the built index, and the background build: its whole time and its
 * longest step (what an IPC call may wait for).
 */
function afterMigrating(section: string, dbs: BigDatabases): void {
  if (dbs.current.version < 8) return;
  const copy = scratchCopy(dbs.base.dataDir);
  try {
    openDatabase({ dataDir: copy }).close();
    timed(
      section,
      'core start-up right after migrating from schema 4 (index not built)',
      startupSamples(copy, 10),
      'ms',
      {
        budgetMax: 150,
      },
    );
    const core = createCore({ dataDir: copy, keychain: new InMemoryKeychain(), clock: new ManualClock() });
    try {
      // A rare match, a few hundred, every user (the page walks the sort order and stops early), and a
      // short term (no trigram: every folded row is tested).
      const searches = ['user099998', 'NUMBER 4242', 'example.com', 'r 9'];
      const pageOf = (term: string) => () => core.users.page({ search: term, limit: 50 }, ['sms']);
      const measureAll = () => searches.map((term) => sampleSync(pageOf(term), { samples: 5, warmup: 1 }));
      const unbuilt = measureAll();
      let halfWay: Samples[] = [];
      const sortNs: number[] = [];
      const batchNs: number[] = [];
      const batches = Math.ceil(BIG_USERS / 500);
      // Before the batches: the sort indexes, and the index of unfolded text migration 9 set aside (dropped).
      const before =
        (core.db
          .prepare("SELECT count(*) FROM sqlite_master WHERE name = 'users_search_unfolded'")
          .pluck()
          .get() as number) + SORT_INDEXES.length;
      for (let step = 0; ; step++) {
        if (step === before + Math.floor(batches / 2)) halfWay = measureAll();
        const start = now();
        const finished = core.searchIndex.step();
        (step < before ? sortNs : batchNs).push(sinceNs(start));
        if (finished) break;
      }
      const wholeNs = [...sortNs, ...batchNs].reduce((a, b) => a + b, 0);
      const built = measureAll();
      searches.forEach((term, i) => {
        const total = core.users.page({ search: term, limit: 1 }, ['sms']).total;
        const baseline = { name: 'the same through the built index', samples: built[i]! };
        const note = 'the true total and the first page of 50';
        timed(
          section,
          `  search ${JSON.stringify(term)} (${total} users) before the build: the users table`,
          unbuilt[i]!,
          'ms',
          { baseline, note },
        );
        timed(
          section,
          `  the same half-way through the build: the index up to there, the users table above`,
          halfWay[i]!,
          'ms',
          { baseline, note },
        );
      });
      const ms = (ns: number) => `${(ns / 1e6).toFixed(0)} ms`;
      timed(section, '  the background build: one step of 500 users (median)', { ns: batchNs }, 'ms', {
        note: `${batchNs.length} such steps, the longest ${ms(Math.max(...batchNs))}; before them the index migration 9 set aside dropped and the 4 sort indexes, one a step: ${sortNs.map(ms).join(', ')}; ${(wholeNs / 1e9).toFixed(1)} s of work in all`,
      });
    } finally {
      core.close();
    }
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * Why migrating from schema 4 takes what it takes: migration 5 builds the trigram search index over every
 * user (an FTS5 'rebuild' reads all 100k rows and writes ~3 trigrams per character) and five B-tree
 * indexes. Timed on a migrated copy, each inside a transaction that is rolled back.
 */
function migrationParts(section: string, dbs: BigDatabases): void {
  if (dbs.base.version >= 5 || dbs.current.version < 5) return;
  const copy = scratchCopy(dbs.current.dataDir);
  const db = new Database(path.join(copy, DATABASE_FILE));
  try {
    const rebuild: number[] = [];
    const btrees: number[] = [];
    for (let i = 0; i < 3; i++) {
      db.exec('BEGIN IMMEDIATE');
      let start = now();
      db.exec("INSERT INTO users_search (users_search) VALUES ('rebuild')");
      rebuild.push(sinceNs(start));
      db.exec('ROLLBACK');
      db.exec('BEGIN IMMEDIATE');
      db.exec(
        'DROP INDEX users_by_display_name; DROP INDEX users_by_created; DROP INDEX users_by_sc_lock; DROP INDEX users_by_active; DROP INDEX user_roles_by_role',
      );
      start = now();
      db.exec(`
        CREATE INDEX users_by_display_name ON users (display_name COLLATE NOCASE, id);
        CREATE INDEX users_by_created ON users (created_at, id);
        CREATE INDEX users_by_sc_lock ON users (sc_locked_until) WHERE sc_locked_until IS NOT NULL;
        CREATE INDEX users_by_active ON users (active, username);
        CREATE INDEX user_roles_by_role ON user_roles (role, user_id);`);
      btrees.push(sinceNs(start));
      db.exec('ROLLBACK');
    }
    timed(
      section,
      '  the search index over 100k users in one FTS5 rebuild (what migration 5 did at open before 8)',
      { ns: rebuild },
      'ms',
    );
    timed(section, '  the five B-tree indexes migration 5 made at open before 8', { ns: btrees }, 'ms');
  } finally {
    db.close();
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

async function lookups(section: string, work: string): Promise<void> {
  const core = createCore({ dataDir: work, keychain: new InMemoryKeychain(), clock: new ManualClock() });
  const raw = new Database(path.join(work, DATABASE_FILE), { readonly: true });
  try {
    const names = Array.from({ length: 1024 }, (_, i) => bigUsername(((i * 7_919) % BIG_USERS) + 1));
    let i = 0;
    const app = sampleSync(() => core.users.findRecord(names[i++ & 1023]!), {
      samples: 50,
      batch: 500,
      warmup: 2_000,
    });
    const statement = raw.prepare('SELECT * FROM users WHERE username = ?');
    let j = 0;
    const bare = sampleSync(() => statement.get(names[j++ & 1023]!), {
      samples: 50,
      batch: 500,
      warmup: 2_000,
    });
    timed(section, 'user lookup (UserStore.findRecord, with roles)', app, 'µs', {
      budgetMax: 20,
      baseline: { name: 'SELECT * FROM users WHERE username = ? (prepared once)', samples: bare },
    });

    const queries: [string, AuditQuery][] = [
      ['no filter (first page)', {}],
      ['by user (a typical user, ~20 rows)', { user: bigUsername(12_345) }],
      ['by user (the busy administrator, ~150k rows)', { user: bigUsername(1) }],
      ['by action (code.failure, 5% of rows)', { action: 'code.failure' }],
      ['by action (secret.set, 100 rows: a rare one)', { action: 'secret.set' }],
      [
        'by time (30 days in the middle of the year)',
        { from: AUDIT_START + 150 * DAY, to: AUDIT_START + 180 * DAY },
      ],
      [
        'by action + time (account.locked, 30 days)',
        { action: 'account.locked', from: AUDIT_START + 150 * DAY, to: AUDIT_START + 180 * DAY },
      ],
      [
        'by user + action (busy administrator, policy.changed)',
        { user: bigUsername(1), action: 'policy.changed' },
      ],
      ['next page from the middle (beforeId = 500000)', { beforeId: 500_000 }],
    ];
    for (const [label, query] of queries) {
      const page = core.audit.query({ ...query, limit: 50 });
      const samples = sampleSync(() => core.audit.query({ ...query, limit: 50 }), {
        samples: 15,
        batch: 3,
        warmup: 2,
      });
      const statements = await recordSql(async () => core.audit.query({ ...query, limit: 50 }));
      const bareSamples = sampleSync(replayer(raw, statements), { samples: 15, batch: 3, warmup: 2 });
      timed(section, `audit page of 50, ${label}`, samples, 'ms', {
        budgetMax: 2,
        baseline: { name: 'the same SQL, prepared once, rows not mapped', samples: bareSamples },
        note: `${page.entries.length} rows returned; plan: ${plan(raw, statements)}`,
      });
    }
  } finally {
    raw.close();
    core.close();
  }
}

function plan(raw: Database.Database, statements: readonly RecordedStatement[]): string {
  const main = statements.at(-1);
  if (!main) return '-';
  const rows = raw.prepare(`EXPLAIN QUERY PLAN ${main.sql}`).all(...main.params) as { detail: string }[];
  return rows.map((r) => r.detail).join(' | ');
}
