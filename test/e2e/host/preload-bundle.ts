/**
 * The REAL preload (preload/index.ts), bundled by esbuild as one IIFE with `electron` replaced by the stand-in
 * (electron-stand-in.ts), for `page.addInitScript`. Built once per test worker.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let bundled: Promise<string> | undefined;

export function preloadScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [path.join(ROOT, 'preload/index.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome130',
    write: false,
    logLevel: 'silent',
    alias: { electron: path.join(ROOT, 'test/e2e/host/electron-stand-in.ts') },
  }).then((result) => {
    const file = result.outputFiles[0];
    if (!file) throw new Error('esbuild produced no preload bundle');
    return file.text;
  });
  return bundled;
}
