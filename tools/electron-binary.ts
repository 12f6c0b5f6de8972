/**
 * Where the Electron binary is, found without `require('electron')` (which, when the binary is missing,
 * tries to download it). Null when it is not installed on this machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PLATFORM_PATHS: Readonly<Partial<Record<NodeJS.Platform, string>>> = {
  linux: 'electron',
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
};

export const ELECTRON_MISSING_MESSAGE = [
  'The Electron binary is not installed on this machine (its download is not possible here).',
  'On a machine with network access run `npm run electron:install` (it runs `node node_modules/electron/install.js`),',
  'then `npx electron --version` must print a version.',
].join('\n');

export function findElectronBinary(root: string = ROOT): string | null {
  const pkg = path.join(root, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let relative: string | undefined;
  try {
    relative = fs.readFileSync(path.join(pkg, 'path.txt'), 'utf8').trim();
  } catch {
    relative = PLATFORM_PATHS[process.platform];
  }
  if (!relative) return null;
  const binary = override ? path.join(override, relative) : path.join(pkg, 'dist', relative);
  return fs.existsSync(binary) ? binary : null;
}
