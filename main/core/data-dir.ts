import os from 'node:os';
import path from 'node:path';

/** The folder name under the platform's app-data folder; Electron derives userData from productName the same way. */
const APP_DATA_FOLDER = 'System Configurator';

export interface DataDirContext {
  env?: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * The platform's app-data folder for System Configurator, the same folder Electron's `userData` is:
 * Linux `$XDG_CONFIG_HOME/System Configurator` (else `~/.config/...`), macOS
 * `~/Library/Application Support/...`, Windows `%APPDATA%\...` (else `~\AppData\Roaming\...`).
 */
export function platformDataDir(context: DataDirContext = {}): string {
  const env = context.env ?? process.env;
  const platform = context.platform ?? process.platform;
  const home = context.home ?? os.homedir();
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), APP_DATA_FOLDER);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_DATA_FOLDER);
  // Chromium's GetXDGDirectory: a non-empty XDG_CONFIG_HOME wins, else ~/.config.
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), APP_DATA_FOLDER);
}

/** `--data-dir`, else `SC_DATA_DIR`, else the platform's app-data folder. Relative paths resolve against the cwd. */
export function resolveDataDir(flag: string | undefined, context: DataDirContext = {}): string {
  const env = context.env ?? process.env;
  const chosen = flag || env.SC_DATA_DIR;
  return chosen ? path.resolve(chosen) : platformDataDir(context);
}
