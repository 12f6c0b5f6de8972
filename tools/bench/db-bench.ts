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
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import {
  AUDIT_START,
  BIG_AUDIT_ROWS,
  BIG_USERS,
  bigDatabases,
  bigUsername,
  type BigDatabases,
} from './big-db';
import { now, sampleSync, sinceNs, type Samples } from './measure';
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
  const pending = migrations.filter((m) => m.version > dbs.base.version);
  const migrateNs: number[] = [];
  const rawNs: number[] = [];
  const backupNs: number[] = [];
  const runs = 3;
  for (let i = 0; i < runs; i++) {
    const copy = scratchCopy(dbs.base.dataDir);
    try {
      const start = now();
      const db = openDatabase({ dataDir: copy });
      migrateNs.push(sinceNs(start));
      db.close();
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
    const rawCopy = scratchCopy(dbs.base.dataDir);
    try {
      const db = new Database(path.join(rawCopy, DATABASE_FILE));
      // The connection settings openDatabase uses (WAL is in the file already), so only the work differs.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      let start = now();
      db.transaction(() => {
        for (const m of pending) {
          db.exec(m.sql);
          db.pragma(`user_version = ${m.version}`);
        }
      }).immediate();
      rawNs.push(sinceNs(start));
      const target = path.join(rawCopy, 'backup.db');
      start = now();
      // What openDatabase does for its backup: fold the WAL in, then copy the file (a clone where possible).
      db.pragma('wal_checkpoint(TRUNCATE)');
      fs.copyFileSync(path.join(rawCopy, DATABASE_FILE), target, fs.constants.COPYFILE_FICLONE);
      backupNs.push(sinceNs(start));
      db.close();
    } finally {
      fs.rmSync(rawCopy, { recursive: true, force: true });
    }
  }
  const steps = pending.map((m) => m.version).join(', ');
  timed(
    section,
    `open + migrate it from schema ${dbs.base.version} (migration ${steps})`,
    { ns: migrateNs },
    'ms',
    {
      budgetMax: 100,
      baseline: { name: 'the migration SQL alone, in one transaction', samples: { ns: rawNs } },
      note: `openDatabase copies the database aside first (a full pre-migration backup); ${runs} runs, each on a fresh copy`,
    },
  );
  timed(section, '  of which the pre-migration backup (checkpoint + file copy)', { ns: backupNs }, 'ms');
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
