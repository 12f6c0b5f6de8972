/**
 * The audit export at full size (issue 13): every row of the 1M-row audit log to a CSV file through the app's
 * own streamed export (exportAuditToFile: a reader connection, pages, back-pressure, a temporary file
 * renamed at the end), next to the bare SELECTs that read the same rows in the same run: the export's own
 * paged SELECTs with nothing else done, and one SELECT stepped row by row; the faster is the floor. Budget (design.md):
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
const PAGE_ROWS = 2_000;
/** The columns the export writes, in its order. */
const COLUMNS = 'id, at, actor, action, target, outcome, details';
const MB = 2 ** 20;

function cpuNsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) * 1000;
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
    const paged: Samples = { ns: [] };
    const stepped: Samples = { ns: [] };
    const exported: Samples = { ns: [] };
    // CPU time (every thread of this process, user + system): unlike wall time, a busy machine barely moves it.
    const pagedCpu: Samples = { ns: [] };
    const exportedCpu: Samples = { ns: [] };
    const bareGrowth: number[] = [];
    const exportGrowth: number[] = [];
    let bytes = 0;
    /** Reads every row with `read` on a reader connection of its own, in one read transaction. */
    const bare = async (
      samples: Samples,
      read: (reader: Db, sample: () => void) => number,
      cpu?: Samples,
    ) => {
      const raw = await peakRss(async (sample) => {
        const reader = openReader(work);
        try {
          reader.exec('BEGIN');
          const startCpu = process.cpuUsage();
          const start = now();
          const n = read(reader, sample);
          samples.ns.push(sinceNs(start));
          cpu?.ns.push(cpuNsSince(startCpu));
          return n;
        } finally {
          reader.close();
        }
      });
      if (raw.result !== auditRows)
        throw new Error(`the bare SELECT read ${raw.result} rows, not ${auditRows}`);
      bareGrowth.push(raw.growth);
    };
    for (let run = 0; run < RUNS; run++) {
      // The export's own SELECTs (raw rows, a page at a time), every column of every row read, nothing else.
      await bare(
        paged,
        (reader, sample) => {
          let n = 0;
          for (const page of core.audit.exportPages({}, reader, PAGE_ROWS)) {
            n += page.length;
            sample();
          }
          return n;
        },
        pagedCpu,
      );
      // The same rows in one SELECT, stepped row by row as raw rows.
      await bare(stepped, (reader, sample) => {
        const statement = reader.prepare(`SELECT ${COLUMNS} FROM audit ORDER BY at DESC, id DESC`).raw(true);
        let n = 0;
        for (const row of statement.iterate()) {
          if (row) n++;
          if ((n & 0x3fff) === 0) sample();
        }
        return n;
      });

      const file = path.join(outDir, `audit-${run}.csv`);
      const app = await peakRss(async (sample) => {
        const startCpu = process.cpuUsage();
        const start = now();
        const result = await exportAuditToFile({
          audit: core.audit,
          dataDir: work,
          query: {},
          file,
          onProgress: sample,
        });
        exported.ns.push(sinceNs(start));
        exportedCpu.ns.push(cpuNsSince(startCpu));
        return result;
      });
      if (app.result.rows !== auditRows)
        throw new Error(`exported ${app.result.rows} rows, not ${auditRows}`);
      exportGrowth.push(app.growth);
      bytes = app.result.bytes;
      fs.rmSync(file);
    }
    const rate = (samples: Samples) => Math.round(auditRows / (median(samples.ns) / 1e9));
    const floor = median(paged.ns) <= median(stepped.ns) ? paged : stepped;
    const floorName = floor === paged ? 'its own paged SELECTs' : 'one SELECT stepped row by row';
    timed(
      section,
      `audit export of ${auditRows / 1e6}M rows to a CSV file (exportAuditToFile)`,
      exported,
      'ms',
      {
        budgetMax: 2 * (median(floor.ns) / 1e6),
        baseline: {
          name: `the same rows and columns read bare, ${floorName} (the faster; budget: ≤ 2× its time)`,
          samples: floor,
        },
        note: `${rate(exported).toLocaleString('en')} rows/s against ${rate(floor).toLocaleString('en')} rows/s bare; ${(bytes / MB).toFixed(0)} MB of CSV; ${RUNS} runs`,
      },
    );
    timed(section, '  the bare read as the export pages it (raw)', paged, 'ms');
    timed(section, '  the export’s CPU time (all threads, user + system)', exportedCpu, 'ms', {
      baseline: { name: 'the CPU time of the bare read as the export pages it', samples: pagedCpu },
      note: 'wall time is what the budget counts; on a busy machine this ratio is the steadier one',
    });
    timed(section, '  the bare read in one SELECT, stepped row by row (raw)', stepped, 'ms');
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
