/**
 * The Electron entry (bundled to dist/main/index.js). It loads nothing of the app until two checks pass,
 * so that whatever goes wrong at start-up ends in a dialog and a non-zero exit:
 * - a release build refuses debugging switches (debug-switches.ts) before any of the app is loaded;
 * - the app (dist/main/app.js, main.ts: the core, the native modules, the shell) is imported here, so a
 *   native module that cannot load, or any error before the shell is up, is reported by reportFatal
 *   instead of Electron's generic box.
 */
import { app } from 'electron';
import { debugSwitchRefusal, findDebugSwitches } from './debug-switches';
import { exitWithError, reportFatal } from './fatal';

export type BuildFlavor = 'release' | 'test';

export interface EntryOptions {
  argv: readonly string[];
  platform: NodeJS.Platform;
  /** Baked in by tools/build-main.ts (SC_BUILD_FLAVOR); the test flavour keeps the debugging switches. */
  flavor: BuildFlavor;
  /** Imports the app and starts it; resolves once the shell is up (or decided not to run). */
  loadApp(): Promise<void>;
}

export async function runEntry(options: EntryOptions): Promise<void> {
  if (app.isPackaged && options.flavor === 'release') {
    const found = findDebugSwitches(options.argv, app.commandLine, options.platform);
    if (found.length > 0) {
      const refusal = debugSwitchRefusal(found);
      return exitWithError(refusal.title, refusal.message);
    }
  }
  // Until the shell is up, anything thrown anywhere stops the app with a dialog.
  const onError = (error: unknown): void => void reportFatal(error);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  try {
    await options.loadApp();
  } catch (error) {
    return reportFatal(error);
  } finally {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  }
}
