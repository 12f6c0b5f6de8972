/**
 * The last resort: an error that stops the app before (or outside) the shell's own start-up dialogs.
 * Electron's generic "JavaScript error in the main process" box would leave a process without a window;
 * this shows what happened once the app is ready (a dialog shown before `ready` only reaches stderr on
 * Linux) and exits non-zero. Imports nothing but electron, so it works when the app itself cannot load.
 */
import { app, dialog } from 'electron';

export const FATAL_TITLE = 'System Configurator could not start';

/** Shows one error box, then exits with code 1. */
export async function exitWithError(title: string, message: string): Promise<void> {
  try {
    await app.whenReady();
    dialog.showErrorBox(title, message);
  } finally {
    app.exit(1);
  }
}

export function reportFatal(error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  return exitWithError(FATAL_TITLE, message);
}
