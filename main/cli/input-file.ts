import fs from 'node:fs';
import { UsageError } from './args';

/**
 * Reads a file an administrator names (a policy document, a user list), bounded: a missing file, a
 * folder or one over `maxBytes` is a usage error that names it, before anything is parsed.
 */
export function readInputFile(file: string, maxBytes: number): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`}`);
  }
  if (!stat.isFile()) throw new UsageError(`${file}: not a file`);
  if (stat.size > maxBytes) {
    throw new UsageError(`${file}: larger than ${formatBytes(maxBytes)}, more than this command takes`);
  }
  return fs.readFileSync(file, 'utf8');
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}
