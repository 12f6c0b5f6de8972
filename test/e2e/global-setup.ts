/**
 * Before the suite: the production renderer in dist/renderer (vite build, the same command as
 * `npm run build:renderer`), and a clear failure when Debian's Chromium is missing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_EXECUTABLE } from '../../tools/chromium';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default function globalSetup(): void {
  const chromium = CHROMIUM_EXECUTABLE;
  if (process.env.SC_E2E_TARGET !== 'electron' && !fs.existsSync(chromium)) {
    throw new Error(
      `The e2e suite runs in Debian's Chromium, but ${chromium} does not exist. Install it (apt-get install chromium) or set SC_CHROMIUM.`,
    );
  }
  fs.mkdirSync(path.join(ROOT, 'test-results/screenshots'), { recursive: true });
  if (process.env.SC_E2E_SKIP_BUILD === '1') return;
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}
