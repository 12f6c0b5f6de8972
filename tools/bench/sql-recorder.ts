/**
 * Records the SQL statements a piece of app code runs (every better-sqlite3 statement call, including the
 * BEGIN/COMMIT that `db.transaction` issues), so the benchmark can replay exactly those statements on a
 * bare connection with statements prepared once: the raw cost of the SQL inside a log-on.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';

type Method = 'run' | 'get' | 'all';
type Param = string | number | bigint | Buffer | null;

export interface RecordedStatement {
  sql: string;
  method: Method;
  params: Param[];
}

interface StatementLike {
  source: string;
}

type StatementMethod = (this: StatementLike, ...args: unknown[]) => unknown;

let recording: RecordedStatement[] | null = null;
let installed = false;

function isParam(value: unknown): value is Param {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    Buffer.isBuffer(value)
  );
}

/** Wraps the statement methods of better-sqlite3 once; they record only while `recordSql` runs. */
function install(): void {
  if (installed) return;
  installed = true;
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<
    Method | 'iterate',
    StatementMethod
  >;
  probe.close();
  for (const method of ['run', 'get', 'all'] as const) {
    const original = proto[method];
    proto[method] = function (this: StatementLike, ...args: unknown[]): unknown {
      if (recording) {
        if (!args.every(isParam))
          throw new Error(`sql-recorder: named or unusual parameters are not supported (${this.source})`);
        recording.push({ sql: this.source, method, params: args });
      }
      return original.apply(this, args);
    };
  }
  const iterate = proto.iterate;
  proto.iterate = function (this: StatementLike, ...args: unknown[]): unknown {
    if (recording) throw new Error(`sql-recorder: iterate() is not supported (${this.source})`);
    return iterate.apply(this, args);
  };
}

/** Runs `fn` and returns the statements it executed, in order. */
export async function recordSql(fn: () => Promise<unknown>): Promise<RecordedStatement[]> {
  install();
  const statements: RecordedStatement[] = [];
  recording = statements;
  try {
    await fn();
  } finally {
    recording = null;
  }
  return statements;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Prepares every distinct statement once on `db` and returns a function that replays the recording: each
 * UUID parameter (challenge and attempt ids) is replaced by a fresh one per replay, consistently, so the
 * inserts do not collide with earlier ones.
 */
export function replayer(db: Database.Database, statements: readonly RecordedStatement[]): () => void {
  const prepared = new Map<string, Database.Statement>();
  for (const s of statements) if (!prepared.has(s.sql)) prepared.set(s.sql, db.prepare(s.sql));
  const steps = statements.map((s) => ({
    statement: prepared.get(s.sql)!,
    method: s.method,
    params: s.params,
  }));
  return () => {
    const fresh = new Map<string, string>();
    for (const step of steps) {
      const params = step.params.map((p) => {
        if (typeof p !== 'string' || !UUID.test(p)) return p;
        let mapped = fresh.get(p);
        if (!mapped) fresh.set(p, (mapped = randomUUID()));
        return mapped;
      });
      if (step.method === 'run') step.statement.run(...params);
      else if (step.method === 'get') step.statement.get(...params);
      else step.statement.all(...params);
    }
  };
}
