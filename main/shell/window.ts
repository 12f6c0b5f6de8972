/**
 * The one window: isolated, sandboxed, no Node, web security on, its own session partition, the preload
 * as the only bridge, DevTools only in development. Content protection hides the code screen from screen
 * capture.
 */
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import type { AuthView } from '../contract/ipc';
import { APP_ENTRY_URL } from './protocol';

/** A persistent partition of its own, so nothing is shared with Electron's default session. */
export const SESSION_PARTITION = 'persist:system-configurator';

export interface WindowSettings {
  /** Absolute path of the bundled preload (dist/preload/index.cjs). */
  preloadPath: string;
  devTools: boolean;
}

function windowOptions(settings: WindowSettings): BrowserWindowConstructorOptions {
  return {
    title: 'System Configurator',
    width: 1120,
    height: 780,
    minWidth: 720,
    minHeight: 560,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: settings.preloadPath,
      partition: SESSION_PARTITION,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: settings.devTools,
    },
  };
}

/** The longest a window stays hidden when none of the load events arrives. */
export const SHOW_FALLBACK_MS = 3_000;

/**
 * Shows the window on the first of `ready-to-show`, `did-finish-load`, `did-fail-load` or a short
 * time-out. `ready-to-show` alone is not enough: under native Wayland (Electron ≥ 38) and in some Windows
 * releases it does not always fire (electron/electron#48859, #54025, #51972), which left no window at all.
 */
function showWhenReady(window: BrowserWindow, fallbackMs: number = SHOW_FALLBACK_MS): void {
  let shown = false;
  const show = (): void => {
    if (shown) return;
    shown = true;
    clearTimeout(timer);
    if (!window.isDestroyed()) window.show();
  };
  const timer = setTimeout(show, fallbackMs);
  window.once('ready-to-show', show);
  window.webContents.once('did-finish-load', show);
  window.webContents.once('did-fail-load', show);
  window.once('closed', () => clearTimeout(timer));
}

export function createMainWindow(settings: WindowSettings): BrowserWindow {
  const window = new BrowserWindow(windowOptions(settings));
  showWhenReady(window);
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

/** The code screen is kept out of screenshots and screen sharing (where the OS supports it). */
export function protectCodeScreen(window: BrowserWindow, state: AuthView): void {
  window.setContentProtection(state.step === 'awaitingCode');
}

/** A second launch brings the first window back instead of opening another. */
export function focusWindow(window: BrowserWindow | undefined): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
