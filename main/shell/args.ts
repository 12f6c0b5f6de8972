/**
 * What the command line and the environment tell the shell: where all data lives (`--data-dir <folder>`
 * or `--data-dir=<folder>`, else `SC_DATA_DIR`, else Electron's userData) and whether this is a
 * development run (`SC_DEV=1`).
 */
import path from 'node:path';
import { ScError } from '../core/errors';

export interface ShellArgs {
  /** An absolute folder, or null for Electron's userData folder. */
  dataDir: string | null;
  dev: boolean;
}

export function parseShellArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): ShellArgs {
  let flag: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    if (arg.startsWith('--data-dir=')) {
      flag = arg.slice('--data-dir='.length);
      if (!flag) throw missingFolder();
    } else if (arg === '--data-dir') {
      const next = argv[i + 1];
      if (next === undefined || next === '' || next.startsWith('--')) throw missingFolder();
      flag = next;
      i++;
    }
  }
  const chosen = flag ?? (env.SC_DATA_DIR || undefined);
  return { dataDir: chosen ? path.resolve(cwd, chosen) : null, dev: env.SC_DEV === '1' };
}

function missingFolder(): ScError {
  return new ScError('validation', '--data-dir needs a folder, for example --data-dir "C:\\SC data".', {
    field: 'data-dir',
  });
}
