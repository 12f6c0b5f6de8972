/**
 * Timing helpers for the benchmark: every figure is the median of repeated samples. A sample of a very
 * short operation is a batch of calls timed together and divided by the batch size, so the timer's own
 * cost does not dominate.
 */

export interface Samples {
  /** Per-operation times in nanoseconds, one per sample. */
  ns: number[];
}

export interface SampleOptions {
  /** Timed samples (the median is taken over these). */
  samples: number;
  /** Calls per sample. */
  batch?: number;
  /** Untimed calls first (JIT, caches). */
  warmup?: number;
}

export function now(): bigint {
  return process.hrtime.bigint();
}

export function sinceNs(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

export function sampleSync(fn: () => unknown, options: SampleOptions): Samples {
  const batch = options.batch ?? 1;
  for (let i = 0; i < (options.warmup ?? 0); i++) fn();
  const ns: number[] = [];
  for (let s = 0; s < options.samples; s++) {
    const start = now();
    for (let i = 0; i < batch; i++) fn();
    ns.push(sinceNs(start) / batch);
  }
  return { ns };
}

export async function sampleAsync(fn: () => Promise<unknown>, options: SampleOptions): Promise<Samples> {
  const batch = options.batch ?? 1;
  for (let i = 0; i < (options.warmup ?? 0); i++) await fn();
  const ns: number[] = [];
  for (let s = 0; s < options.samples; s++) {
    const start = now();
    for (let i = 0; i < batch; i++) await fn();
    ns.push(sinceNs(start) / batch);
  }
  return { ns };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))));
  return sorted[index]!;
}

export type Unit = 'µs' | 'ms' | 's' | 'KB' | 'MB' | '%' | '×';

/** Nanoseconds in a display unit. */
export function fromNs(ns: number, unit: 'µs' | 'ms'): number {
  return unit === 'µs' ? ns / 1_000 : ns / 1_000_000;
}
