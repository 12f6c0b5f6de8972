/**
 * The benchmark's result rows: each figure with its unit, its budget from design.md (if it has one), the
 * raw baseline measured in the same run (if there is one) and the ratio, and PASS/FAIL against the budget.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromNs, median, percentile, type Samples, type Unit } from './measure';

export type Status = 'PASS' | 'FAIL' | 'info' | 'not measured';

export interface Row {
  section: string;
  name: string;
  /** The median, in `unit`; null when not measured. */
  value: number | null;
  unit: Unit;
  /** 10th and 90th percentile of the samples, in `unit`. */
  p10?: number;
  p90?: number;
  samples?: number;
  budget?: { max: number; unit: Unit };
  baseline?: { name: string; value: number; unit: Unit };
  /** value / baseline (same unit). */
  ratio?: number;
  status: Status;
  note?: string;
}

const rows: Row[] = [];

export function allRows(): readonly Row[] {
  return rows;
}

/** Adds a timed row from samples in nanoseconds. */
export function timed(
  section: string,
  name: string,
  samples: Samples,
  unit: 'µs' | 'ms',
  extra: { budgetMax?: number; baseline?: { name: string; samples: Samples }; note?: string } = {},
): Row {
  const value = fromNs(median(samples.ns), unit);
  const row: Row = {
    section,
    name,
    value,
    unit,
    p10: fromNs(percentile(samples.ns, 10), unit),
    p90: fromNs(percentile(samples.ns, 90), unit),
    samples: samples.ns.length,
    status: 'info',
  };
  if (extra.budgetMax !== undefined) {
    row.budget = { max: extra.budgetMax, unit };
    row.status = value <= extra.budgetMax ? 'PASS' : 'FAIL';
  }
  if (extra.baseline) {
    const base = fromNs(median(extra.baseline.samples.ns), unit);
    row.baseline = { name: extra.baseline.name, value: base, unit };
    row.ratio = base > 0 ? value / base : undefined;
  }
  if (extra.note) row.note = extra.note;
  rows.push(row);
  return row;
}

/** Adds a row with a plain value (a size, a derived time). */
export function plain(row: Omit<Row, 'status'> & { status?: Status }): Row {
  const full: Row = { ...row, status: row.status ?? 'info' };
  if (full.budget && full.value !== null && row.status === undefined)
    full.status = full.value <= full.budget.max ? 'PASS' : 'FAIL';
  if (full.baseline && full.value !== null && full.ratio === undefined && full.baseline.value > 0)
    full.ratio = full.value / full.baseline.value;
  rows.push(full);
  return full;
}

export function notMeasured(
  section: string,
  name: string,
  unit: Unit,
  reason: string,
  budgetMax?: number,
): Row {
  return plain({
    section,
    name,
    value: null,
    unit,
    status: 'not measured',
    note: reason,
    ...(budgetMax !== undefined ? { budget: { max: budgetMax, unit } } : {}),
  });
}

function format(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toFixed(digits)} ${unit}`;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** The table as text: one line per row, grouped by section. */
export function renderTable(): string {
  const lines: string[] = [];
  const header = [
    pad('measure', 58),
    pad('median', 12, true),
    pad('p10..p90', 21, true),
    pad('budget', 11, true),
    pad('raw baseline', 12, true),
    pad('ratio', 8, true),
    '  result',
  ].join(' ');
  let section = '';
  for (const row of rows) {
    if (row.section !== section) {
      section = row.section;
      lines.push('', section, header, '-'.repeat(header.length));
    }
    const spread =
      row.p10 !== undefined && row.p90 !== undefined
        ? `${format(row.p10, row.unit)}..${format(row.p90, row.unit)}`
        : '';
    lines.push(
      [
        pad(row.name.length > 58 ? row.name.slice(0, 57) + '…' : row.name, 58),
        pad(format(row.value, row.unit), 12, true),
        pad(spread, 21, true),
        pad(row.budget ? `≤ ${format(row.budget.max, row.budget.unit)}` : '', 11, true),
        pad(row.baseline ? format(row.baseline.value, row.baseline.unit) : '', 12, true),
        pad(row.ratio !== undefined ? `×${row.ratio.toFixed(row.ratio >= 10 ? 0 : 2)}` : '', 8, true),
        '  ' + row.status,
      ].join(' '),
    );
    if (row.baseline) lines.push(`    baseline: ${row.baseline.name}`);
    if (row.note) lines.push(`    ${row.note}`);
  }
  return lines.join('\n');
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  node: string;
  sqlite: string;
  chromium: string | null;
  /** 1-minute load average at the start and the end: figures taken on a busy machine are not reliable. */
  loadAverage: { start: number; end: number };
}

export function machineInfo(sqlite: string, chromium: string | null, loadAtStart: number): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    sqlite,
    chromium,
    loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? 0 },
  };
}

export function writeJson(file: string, machine: MachineInfo, extra: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const failed = rows.filter((r) => r.status === 'FAIL').map((r) => r.name);
  const body = { date: new Date().toISOString(), machine, ...extra, failed, rows };
  fs.writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
}
