/**
 * Provisioning speed: `sc-admin user import` of 100k CSV rows into a fresh database in one transaction
 * (parse + every rule + insert + audit), the same file again (nothing changes), and the raw baseline of
 * inserting the same rows with one prepared statement and nothing else.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '../../main/core/create-core';
import { databasePath } from '../../main/core/db/database';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { parseUserFile } from '../../main/core/users/user-file';
import { now, sinceNs, type Samples } from './measure';
import { timed } from './report';

const ROWS = 100_000;
const RUNS = 3;
const SECTION = 'fleet provisioning';

function csv(rows: number): string {
  const lines = ['username,displayName,email,mobile,roles,active,mustChangePassword'];
  for (let i = 0; i < rows; i++) {
    const mobile = `+4670${String(1_000_000 + i).slice(-7)}`;
    lines.push(`user${i},User ${i},user${i}@corp.example,${mobile},read-only,true,`);
  }
  return lines.join('\n');
}

export async function runImportBench(log: (line: string) => void): Promise<void> {
  const text = csv(ROWS);
  log(`user import: ${ROWS} rows, ${(text.length / 1024 / 1024).toFixed(1)} MB of CSV, ${RUNS} runs`);
  const parse: Samples = { ns: [] };
  const write: Samples = { ns: [] };
  const again: Samples = { ns: [] };
  const build: Samples = { ns: [] };
  const raw: Samples = { ns: [] };
  for (let run = 0; run < RUNS; run++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-bench-import-'));
    try {
      const core = createCore({ dataDir, keychain: new InMemoryKeychain() });
      let start = now();
      const parsed = parseUserFile(text, 'csv');
      parse.ns.push(sinceNs(start));
      if (parsed.problems.length > 0)
        throw new Error(`bench file has bad rows: ${parsed.problems[0]!.reason}`);
      start = now();
      const result = core.userImport.run(parsed.rows, 'bench');
      write.ns.push(sinceNs(start));
      if (result.created !== ROWS) throw new Error(`created ${result.created} of ${ROWS}`);
      // The import left its new users to the search index's build (the app runs it after start-up).
      start = now();
      core.searchIndex.buildAll();
      build.ns.push(sinceNs(start));
      start = now();
      const second = core.userImport.run(parseUserFile(text, 'csv').rows, 'bench');
      again.ns.push(sinceNs(start));
      if (second.unchanged !== ROWS) throw new Error('the second import changed something');
      core.close();
      raw.ns.push(rawInsert(dataDir, parsed.rows.length));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const total: Samples = { ns: parse.ns.map((ns, i) => ns + write.ns[i]!) };
  const perRow = (s: Samples) => ((s.ns.reduce((a, b) => a + b, 0) / s.ns.length / ROWS) * 1000) / 1e6;
  const rate = (s: Samples) => Math.round(ROWS / (s.ns.reduce((a, b) => a + b, 0) / s.ns.length / 1e9));
  timed(SECTION, `user import, ${ROWS / 1000}k new users from CSV, one transaction`, total, 'ms', {
    baseline: { name: 'bare INSERTs of the same rows', samples: raw },
    note: `${rate(total)} rows/s (${perRow(total).toFixed(1)} µs a row): parse + check ${fmt(parse)}, write + audit ${fmt(write)}`,
  });
  timed(SECTION, '  then the search index build it leaves to the background (all steps)', build, 'ms', {
    note: 'one batch of 500 users a step, each its own transaction; search reads the users table meanwhile',
  });
  timed(SECTION, `the same file again (${ROWS / 1000}k unchanged, nothing written)`, again, 'ms', {
    note: `${rate(again)} rows/s`,
  });
}

function fmt(samples: Samples): string {
  const mean = samples.ns.reduce((a, b) => a + b, 0) / samples.ns.length;
  return `${(mean / 1e6).toFixed(0)} ms`;
}

/** The floor: the same number of user rows with one prepared INSERT in one transaction, nothing else. */
function rawInsert(dataDir: string, rows: number): number {
  const file = databasePath(dataDir);
  fs.rmSync(file, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(
    'CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL COLLATE NOCASE UNIQUE, display_name TEXT, email TEXT, mobile TEXT)',
  );
  const insert = db.prepare('INSERT INTO users (username, display_name, email, mobile) VALUES (?, ?, ?, ?)');
  const start = now();
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`user${i}`, `User ${i}`, `user${i}@corp.example`, `+4670${i}`);
  })();
  const ns = sinceNs(start);
  db.close();
  return ns;
}
