/**
 * How the Electron suite starts the app: the development Electron binary on the built app folder
 * (package.json "main" → dist/main/index.js), or a packaged test-flavour build named by
 * SC_ELECTRON_EXECUTABLE. Never `require('electron')`: without the binary that tries to download it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from '../../tools/electron-binary';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ELECTRON_NOT_INSTALLED =
  'Electron binary not installed here; run on a machine where `npx electron --version` works ' +
  '(there: `npm run electron:install`, `npm run build`, `npm run test:electron`).';

export interface LaunchTarget {
  executablePath: string;
  /** Arguments before the test's own (the app folder for the development binary). */
  args: string[];
  description: string;
}

/**
 * Chromium refuses to run as root with its sandbox ("Running as root without --no-sandbox is not
 * supported"); CI containers run as root. Anywhere else the sandbox stays on.
 */
export function sandboxArgs(uid: number | undefined = process.getuid?.()): string[] {
  return uid === 0 ? ['--no-sandbox'] : [];
}

/** Throws the message the suite must show when it cannot run here. */
export function launchTarget(): LaunchTarget {
  const packaged = process.env.SC_ELECTRON_EXECUTABLE;
  if (packaged) {
    if (!fs.existsSync(packaged)) throw new Error(`SC_ELECTRON_EXECUTABLE does not exist: ${packaged}`);
    return { executablePath: packaged, args: sandboxArgs(), description: `packaged app ${packaged}` };
  }
  const binary = findElectronBinary(ROOT);
  if (!binary) throw new Error(ELECTRON_NOT_INSTALLED);
  const entry = path.join(ROOT, 'dist', 'main', 'index.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first.`);
  return {
    executablePath: binary,
    args: [ROOT, ...sandboxArgs()],
    description: `Electron ${binary} on ${ROOT}`,
  };
}
