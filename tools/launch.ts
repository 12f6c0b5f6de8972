/**
 * `npm start` / `npm run dev`: launches Electron on the built app (dist/main/index.js), passing extra
 * arguments through (e.g. `npm start -- --data-dir ./.sc-data`). `--dev` sets SC_DEV=1 (DevTools).
 * Without the Electron binary it says so and exits non-zero.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELECTRON_MISSING_MESSAGE, findElectronBinary } from './electron-binary';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dev = args.includes('--dev');
const passThrough = args.filter((arg) => arg !== '--dev');

const binary = findElectronBinary(root);
if (!binary) {
  console.error(ELECTRON_MISSING_MESSAGE);
  process.exit(1);
}
if (!fs.existsSync(path.join(root, 'dist', 'main', 'index.js'))) {
  console.error('dist/main/index.js is missing: run `npm run build` first.');
  process.exit(1);
}
const env: NodeJS.ProcessEnv = { ...process.env, ...(dev ? { SC_DEV: '1' } : {}) };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(binary, [root, ...passThrough], { stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
