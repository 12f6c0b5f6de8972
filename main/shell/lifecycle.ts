/**
 * The app's life: scheme and sandbox set before `ready`, the data dir moved when asked, one instance per
 * data dir (a second launch focuses the first window), the core opened (start-up problems explained),
 * sessions hardened, the renderer served, the gateway wired to ipcMain, idle sessions swept, and
 * everything closed on quit. The core and the gateway come in as functions, so this file is tested with
 * a stand-in `electron` and a stand-in core.
 */
import path from 'node:path';
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { ensureWritableDir } from '../core/db/database';
import type { GatewayOptions } from '../gateway/gateway';
import { parseShellArgs, type ShellArgs } from './args';
import { clientIdOf, wireIpc, wireStatePush, type ShellGateway } from './ipc';
import { errorFields } from '../core/log-line';
import { configureLogging, type ShellLog } from './logging';
import { createChromiumFetch } from './network';
import { APP_ORIGIN, installProtocols, registerAppScheme, type EntryPageChooser } from './protocol';
import { BLANK_PAGE, entryPageFor } from '../contract/entry-page';
import { channels, type AuthView } from '../contract/ipc';
import type { IpcResult } from '../contract/errors';
import {
  createExternalOpener,
  hardenSession,
  installGlobalGuards,
  type ExternalOpener,
  type LogLine,
} from './security';
import { explainStartupError } from './startup-errors';
import { SESSION_PARTITION, createMainWindow, focusWindow } from './window';

export const IDLE_SWEEP_MS = 15_000;

export interface ShellCore {
  close(): void;
  auth: { sweepIdle(): void };
}

/** What the shell hands the core it opens. */
interface ShellContext {
  log: ShellLog;
  opener: ExternalOpener;
  /** Chromium's network stack (system proxy, OS certificates) for main's own HTTP: Sinch and SSO. */
  fetch: typeof fetch;
}

export interface ShellDeps<C extends ShellCore> {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** The built renderer folder (index.html) and the bundled preload. */
  paths: { rendererDir: string; preload: string };
  /** Throws ScError('keychain-unavailable') when secrets cannot be kept. */
  checkKeychain(): Promise<void>;
  openCore(dataDir: string, context: ShellContext): C | Promise<C>;
  createGateway(core: C, options: GatewayOptions): ShellGateway;
}

export interface RunningShell<C> {
  core: C;
  gateway: ShellGateway;
  windows: ReadonlyMap<string, BrowserWindow>;
  opener: ExternalOpener;
  openWindow(): BrowserWindow;
}

/** Call once, at load time (before `ready`). Resolves to null when this instance does not run. */
export async function startShell<C extends ShellCore>(deps: ShellDeps<C>): Promise<RunningShell<C> | null> {
  registerAppScheme();
  app.enableSandbox();
  let args: ShellArgs;
  try {
    args = parseShellArgs(deps.argv, deps.env);
  } catch (error) {
    await app.whenReady();
    await explainStartupError(error, '(not chosen)');
    app.quit();
    return null;
  }
  if (args.dataDir) {
    // Before the lock: the single-instance lock belongs to the userData folder, so each data dir has one.
    app.setPath('userData', args.dataDir);
    app.setAppLogsPath(path.join(args.dataDir, 'logs'));
  }
  if (!(await prepareDataFolder(app.getPath('userData')))) {
    app.exit(1);
    return null;
  }
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  const windows = new Map<string, BrowserWindow>();
  app.on('second-instance', () => focusWindow(windows.values().next().value));
  app.on('window-all-closed', () => app.quit());
  await app.whenReady();

  const log = configureLogging({ logsDir: app.getPath('logs'), console: args.dev });
  const warn: LogLine = (event, fields) => log.warn(event, fields);
  installGlobalGuards(app, warn);
  const opener = createExternalOpener(warn);
  const dataDir = app.getPath('userData');
  log.info('start', { dataDir, packaged: app.isPackaged });

  const core = await openCore(deps, dataDir, { log, opener, fetch: createChromiumFetch() });
  if (!core) {
    app.quit();
    return null;
  }

  hardenSession(session.defaultSession, warn);
  const ses = session.fromPartition(SESSION_PARTITION);
  hardenSession(ses, warn);
  const gateway = deps.createGateway(core, { appOrigin: APP_ORIGIN, log: warn });
  installProtocols(ses, deps.paths.rendererDir, entryPageOf(gateway, windows));
  const unwire = wireIpc(ipcMain, gateway);
  const unpush = wireStatePush(gateway, windows);
  const sweep = setInterval(() => {
    try {
      core.auth.sweepIdle();
    } catch (error) {
      log.error('idle-sweep.failed', errorFields(error));
    }
  }, IDLE_SWEEP_MS);
  sweep.unref();

  const openWindow = (): BrowserWindow => {
    const window = createMainWindow({
      preloadPath: deps.paths.preload,
      devTools: !app.isPackaged && args.dev,
    });
    const clientId = clientIdOf(window.webContents);
    windows.set(clientId, window);
    window.on('closed', () => {
      windows.delete(clientId);
      gateway.disconnect(clientId);
    });
    return window;
  };

  app.on('will-quit', () => {
    clearInterval(sweep);
    unpush();
    unwire();
    core.close();
    log.info('stop');
  });
  openWindow();
  return { core, gateway, windows, opener, openWindow };
}

/**
 * The page the window's entry URL serves (main/contract/entry-page.ts): by the start state of the window
 * being loaded, as its preload will ask for it. The app has one window; with none or several, the page
 * without a screen (right for every state).
 */
function entryPageOf(gateway: ShellGateway, windows: ReadonlyMap<string, unknown>): EntryPageChooser {
  return async () => {
    const [only, ...others] = windows.keys();
    if (only === undefined || others.length > 0) return BLANK_PAGE;
    const start = await gateway.invoke(
      { clientId: only, origin: APP_ORIGIN, isMainFrame: true },
      channels.auth.state.name,
      undefined,
    );
    // The gateway's answer on this channel is an AuthView (validated there); no view, no prerendered page.
    return entryPageFor(start.ok && start.value ? (start as IpcResult<AuthView>) : null);
  };
}

async function openCore<C extends ShellCore>(
  deps: ShellDeps<C>,
  dataDir: string,
  context: ShellContext,
): Promise<C | null> {
  let checkKeychain = true;
  for (;;) {
    try {
      if (checkKeychain) await deps.checkKeychain();
      return await deps.openCore(dataDir, context);
    } catch (error) {
      context.log.error('start.failed', errorFields(error));
      const decision = await explainStartupError(error, dataDir);
      if (decision === 'quit') return null;
      if (decision === 'continue') checkKeychain = false;
    }
  }
}

/**
 * The data folder exists and is writable before the single-instance lock is taken: the lock lives there,
 * and `requestSingleInstanceLock` answers false both for "another instance runs" and for "the lock cannot
 * be created", so a folder that cannot be made would otherwise end in a silent exit 0.
 */
async function prepareDataFolder(dataDir: string): Promise<boolean> {
  for (;;) {
    try {
      ensureWritableDir(dataDir);
      return true;
    } catch (error) {
      await app.whenReady();
      if ((await explainStartupError(error, dataDir)) !== 'retry') return false;
    }
  }
}
