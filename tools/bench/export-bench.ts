/**
 * The audit export at full size (issue 13): every row of the 1M-row audit log to a CSV file through the app's
 * own streamed export (exportAuditToFile: a reader connection, batches, back-pressure, a temporary file
 * renamed at the end), next to the bare SELECT that reads the same rows in the same run. Budget (design.md):
 * at least half the speed of the bare SELECT, so at most twice its time, and memory flat: the process's
 * peak RSS grows by less than 64 MB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../main/core/clock';
import { createCore } from '../../main/core/create-core';
import { exportAuditToFile } from '../../main/core/audit/csv-export';
import { openReader, type Db } from '../../main/core/db/database';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { median, now, sinceNs, type Samples } from './measure';
import { plain, timed } from './report';

const RUNS = 3;
const MB = 2 ** 20;

/** The SELECT and parameters the export runs, caught as it prepares them (the query builder is private). */
function exportStatement(
  core: ReturnType<typeof createCore>,
  dataDir: string,
): { sql: string; params: unknown[] } {
  const reader = openReader(dataDir);
  try {
    let caught: { sql: string; params: unknown[] } | undefined;
    const spy = new Proxy(reader, {
      get(target, key) {
        if (key !== 'prepare') {
          const value = Reflect.get(target, key, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        }
        return (sql: string) => {
          const statement = target.prepare(sql);
          const watched: typeof statement = new Proxy(statement, {
            get(s, k) {
              if (k === 'iterate')
                return (...params: unknown[]) => {
                  caught = { sql, params };
                  return s.iterate(...params);
                };
              // raw(true) returns the statement itself: keep watching it.
              if (k === 'raw')
                return (...a: [boolean?]) => {
                  s.raw(...a);
                  return watched;
                };
              const value = Reflect.get(s, k, s) as unknown;
              return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(s) : value;
            },
          });
          return watched;
        };
      },
    }) as Db;
    const lines = core.audit.exportCsv({}, spy);
    lines.next(); // the header
    lines.next(); // the first row: the statement is prepared and iterating
    lines.return(undefined);
    if (!caught) throw new Error('the export ran no SELECT');
    return caught;
  } finally {
    reader.close();
  }
}

/** Peak RSS while `work` runs, sampled every 5 ms and whenever `sample()` is called. */
async function peakRss<T>(work: (sample: () => void) => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 5);
  try {
    const result = await work(sample);
    sample();
    return { result, growth: peak - before };
  } finally {
    clearInterval(timer);
  }
}

export async function runExportBench(section: string, work: string, auditRows: number): Promise<void> {
  const core = createCore({ dataDir: work, keychain: new InMemoryKeychain(), clock: new ManualClock() });
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-bench-export-'));
  try {
    const { sql, params } = exportStatement(core, work);
    const bare: Samples = { ns: [] };
    const exported: Samples = { ns: [] };
    const bareGrowth: number[] = [];
    const exportGrowth: number[] = [];
    let bytes = 0;
    for (let run = 0; run < RUNS; run++) {
      // The floor: the same statement on a reader connection of its own, every column of every row read,
      // as raw rows (the cheapest read better-sqlite3 has; the export reads them that way too).
      const raw = await peakRss(async (sample) => {
        const reader = openReader(work);
        try {
          const statement = reader.prepare(sql).raw(true);
          let n = 0;
          const start = now();
          for (const row of statement.iterate(...params)) {
            if (row) n++;
            if ((n & 0x3fff) === 0) sample();
          }
          bare.ns.push(sinceNs(start));
          return n;
        } finally {
          reader.close();
        }
      });
      if (raw.result !== auditRows)
        throw new Error(`the bare SELECT read ${raw.result} rows, not ${auditRows}`);
      bareGrowth.push(raw.growth);

      const file = path.join(outDir, `audit-${run}.csv`);
      const app = await peakRss(async (sample) => {
        const start = now();
        const result = await exportAuditToFile({
          audit: core.audit,
          dataDir: work,
          query: {},
          file,
          onProgress: sample,
        });
        exported.ns.push(sinceNs(start));
        return result;
      });
      if (app.result.rows !== auditRows)
        throw new Error(`exported ${app.result.rows} rows, not ${auditRows}`);
      exportGrowth.push(app.growth);
      bytes = app.result.bytes;
      fs.rmSync(file);
    }
    const rate = (samples: Samples) => Math.round(auditRows / (median(samples.ns) / 1e9));
    const bareMs = median(bare.ns) / 1e6;
    timed(
      section,
      `audit export of ${auditRows / 1e6}M rows to a CSV file (exportAuditToFile)`,
      exported,
      'ms',
      {
        budgetMax: 2 * bareMs,
        baseline: {
          name: 'the same SELECT, every row read, nothing else (budget: ≤ 2× its time)',
          samples: bare,
        },
        note: `${rate(exported).toLocaleString('en')} rows/s against ${rate(bare).toLocaleString('en')} rows/s bare; ${(bytes / MB).toFixed(0)} MB of CSV; ${RUNS} runs`,
      },
    );
    plain({
      section,
      name: '  its peak RSS growth (memory flat)',
      value: median(exportGrowth) / MB,
      unit: 'MB',
      budget: { max: 64, unit: 'MB' },
      baseline: { name: 'the bare SELECT’s peak RSS growth', value: median(bareGrowth) / MB, unit: 'MB' },
      note: `largest of ${RUNS} runs ${(Math.max(...exportGrowth) / MB).toFixed(1)} MB; sampled every 5 ms and after every batch`,
    });
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
    core.close();
  }
}
