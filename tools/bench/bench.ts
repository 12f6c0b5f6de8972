/**
 * `npm run bench`: the figures of design.md's "Performance budgets", each a median over repeated runs, next
 * to its budget and the raw baseline measured in the same run. Prints a table, writes .bench/results.json.
 * Not part of `npm test` (tests do not time things).
 *
 *   npm run bench                       everything
 *   npm run bench -- --skip=db,renderer skip sections (core, db, import, renderer)
 *   SC_BENCH_RENDERER_DIR=dir           measure a renderer build elsewhere than dist/renderer
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { runDatabaseBench } from './db-bench';
import { runImportBench } from './import-bench';
import { runLoginBench } from './login-bench';
import { allRows, machineInfo, renderTable, writeJson } from './report';
import { runRendererBench } from './renderer-bench';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BENCH_DIR = path.join(ROOT, '.bench');
const RESULTS = path.join(BENCH_DIR, 'results.json');

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

function sqliteVersion(): string {
  const db = new Database(':memory:');
  const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  return version;
}

async function main(): Promise<void> {
  const skip = new Set(
    process.argv
      .filter((a) => a.startsWith('--skip='))
      .flatMap((a) => a.slice('--skip='.length).split(','))
      .map((s) => s.trim()),
  );
  const started = performance.now();
  const loadAtStart = os.loadavg()[0] ?? 0;
  if (!skip.has('core')) await runLoginBench(ROOT, log);
  if (!skip.has('db')) await runDatabaseBench(BENCH_DIR, log);
  if (!skip.has('import')) await runImportBench(log);
  let chromium: string | null = null;
  if (!skip.has('renderer')) chromium = (await runRendererBench(ROOT, BENCH_DIR, log)).chromium;

  const machine = machineInfo(sqliteVersion(), chromium, loadAtStart);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `System Configurator benchmark — ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ` +
      `${machine.platform}, Node ${machine.node}, SQLite ${machine.sqlite}` +
      (chromium ? `, Chromium ${chromium}` : ''),
  );
  const busiest = Math.max(machine.loadAverage.start, machine.loadAverage.end);
  if (busiest > machine.cpus * 0.75)
    console.log(
      `WARNING: the machine was busy (1-min load average up to ${busiest.toFixed(1)} on ${machine.cpus} cores): ` +
        'other work competed for the CPU and the figures below are inflated. Run again on an idle machine.',
    );
  console.log(renderTable());
  const rows = allRows();
  const failed = rows.filter((r) => r.status === 'FAIL');
  const missing = rows.filter((r) => r.status === 'not measured');
  const passed = rows.filter((r) => r.status === 'PASS');
  console.log(
    `\n${passed.length} budget(s) PASS, ${failed.length} FAIL, ${missing.length} not measured` +
      ` — ${seconds.toFixed(0)} s; JSON in ${path.relative(ROOT, RESULTS)}`,
  );
  for (const row of failed) console.log(`  FAIL: ${row.section} — ${row.name}`);
  writeJson(RESULTS, machine, { seconds, skipped: [...skip] });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
