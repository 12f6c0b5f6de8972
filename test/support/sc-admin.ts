/**
 * Runs sc-admin as a separate process, the way an administrator or a script does:
 * `node --import tsx main/cli/sc-admin.ts ...` with the Node running the tests (Node 24 from PATH).
 *
 *   const r = await scAdmin(['--data-dir', dir, 'user', 'list', '--json']);
 *   const r = await scAdmin(['--data-dir', dir, 'init', '--admin', 'root'], { stdin: 'a long password\n' });
 *   const p = spawnScAdmin([...]); await p.waitForStdout(/Code sent/); p.write('123456\n'); await p.done;
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { databasePath } from '../../main/core/db/database';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Written to stdin, which is then closed. Omitted: stdin is closed at once (no input). */
  stdin?: string;
  /** Added to the environment; `undefined` removes a variable. SC_DATA_DIR is removed unless given. */
  env?: Record<string, string | undefined>;
}

export interface RunningCli {
  write(text: string): void;
  end(): void;
  stdout(): string;
  /** Resolves with stdout so far once it matches; rejects if the process ends first. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<string>;
  done: Promise<CliResult>;
}

export function spawnScAdmin(args: readonly string[], options: CliOptions = {}): RunningCli {
  const env: Record<string, string | undefined> = {
    ...process.env,
    SC_DATA_DIR: undefined,
    // V8's code cache across runs roughly halves the start-up time of each process.
    NODE_COMPILE_CACHE:
      process.env.NODE_COMPILE_CACHE ?? path.join(os.tmpdir(), 'sc-admin-test-compile-cache'),
    ...options.env,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/sc-admin.ts', ...args], {
    cwd: REPO_ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // A process that exits before reading stdin is not a test failure by itself.
  child.stdin.on('error', () => {});
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      for (const listener of listeners) listener();
      resolve({ code, stdout, stderr });
    });
  });
  let exited = false;
  void done.then(() => (exited = true));

  return {
    write: (text) => child.stdin.write(text),
    end: () => child.stdin.end(),
    stdout: () => stdout,
    waitForStdout(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout)) {
            cleanup();
            resolve(stdout);
          } else if (exited) {
            cleanup();
            reject(
              new Error(`sc-admin exited before printing ${pattern}: stdout=${stdout} stderr=${stderr}`),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}: stdout=${stdout} stderr=${stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    done,
  };
}

export async function scAdmin(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const running = spawnScAdmin(args, options);
  if (options.stdin !== undefined) running.write(options.stdin);
  running.end();
  return running.done;
}

/**
 * A digest of everything the database holds (schema version and every row of every table), to prove a
 * refused command wrote nothing. Independent of WAL checkpoints, unlike the file's bytes.
 */
export function databaseDigest(dataDir: string): { digest: string; auditRows: number } {
  const db = new Database(databasePath(dataDir), { readonly: true, fileMustExist: true });
  try {
    const hash = crypto.createHash('sha256');
    hash.update(`user_version=${String(db.pragma('user_version', { simple: true }))}\n`);
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    for (const table of tables) {
      const rows = db
        .prepare(`SELECT * FROM "${table}"`)
        .all()
        .map((row) => JSON.stringify(row))
        .sort();
      hash.update(`${table}\n${rows.join('\n')}\n`);
    }
    const auditRows = db.prepare('SELECT count(*) FROM audit').pluck().get() as number;
    return { digest: hash.digest('hex'), auditRows };
  } finally {
    db.close();
  }
}
