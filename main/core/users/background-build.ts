/**
 * Runs the search index's build (SearchIndex.step) in the background of a long-lived process (the app's
 * main process, the browser test host): one short step, then back to the event loop for a pause, so IPC
 * calls (a log-on, a page of users) are served between steps and wait at most for one step. A step never
 * waits for the write lock: when another process holds it (sc-admin importing), the step is tried again
 * later. The build wakes up again when a search finds the index incomplete (an import by sc-admin).
 * sc-admin runs it too, to finish what its own import left (commands/user-file.ts).
 */
import type { Db } from '../db/database';
import type { LogSink } from '../log-line';
import type { SearchIndex } from './search-index';

export interface BackgroundBuildOptions {
  /** Before the first step, so the window's first paint comes first (default 1 s). */
  startAfterMs?: number;
  /** Between steps (default 20 ms). */
  pauseMs?: number;
  log?: LogSink;
}

export interface BackgroundBuild {
  /** Resolves once nothing is left to build; rejects when a step fails (other than on a lock: retried). */
  idle(): Promise<void>;
  stop(): void;
}

/** When another connection holds the write lock. */
const BUSY_RETRY_MS = 1_000;

export function startBackgroundBuild(
  db: Db,
  index: SearchIndex,
  options: BackgroundBuildOptions = {},
): BackgroundBuild {
  const pauseMs = options.pauseMs ?? 20;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let done = false;
  let steps = 0;
  let startedAt = 0;
  const waiting: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  const schedule = (ms: number) => {
    if (stopped || timer) return;
    timer = setTimeout(run, ms);
    timer.unref();
  };

  const run = () => {
    timer = null;
    if (stopped || !db.open) return;
    if (steps === 0) startedAt = performance.now();
    let finished: boolean;
    try {
      finished = withoutWaitingForLocks(db, () => index.step());
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_BUSY') schedule(BUSY_RETRY_MS);
      else {
        options.log?.('searchIndex.stepFailed', { sqliteCode: typeof code === 'string' ? code : null });
        for (const waiter of waiting.splice(0)) waiter.reject(error);
      }
      return;
    }
    steps++;
    done = finished;
    if (!finished) {
      schedule(pauseMs);
      return;
    }
    if (steps > 1)
      options.log?.('searchIndex.built', { steps, durationMs: Math.round(performance.now() - startedAt) });
    steps = 0;
    for (const waiter of waiting.splice(0)) waiter.resolve();
  };

  index.onIncomplete(() => {
    done = false;
    schedule(pauseMs);
  });
  schedule(options.startAfterMs ?? 1_000);

  return {
    idle() {
      if (done && !timer) return Promise.resolve();
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

/** A step tried while another connection writes fails at once (SQLITE_BUSY) instead of blocking the process. */
function withoutWaitingForLocks<T>(db: Db, work: () => T): T {
  const previous = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return work();
  } finally {
    db.pragma(`busy_timeout = ${previous}`);
  }
}
