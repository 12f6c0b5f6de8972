/**
 * The wire between Electron's ipcMain and the gateway: one `handle` per contract channel, the sender
 * described by its frame (origin as Chromium reports it, main frame or not), and state pushed back to the
 * window it belongs to. All checking happens in the gateway.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { AUTH_STATE_EVENT, allChannels } from '../contract/ipc';
import type { Gateway, Sender } from '../gateway/gateway';
import { protectCodeScreen } from './window';

export type ShellGateway = Pick<Gateway, 'invoke' | 'onStatePush' | 'disconnect'>;

/** One login session per window: the window's web contents id. */
export function clientIdOf(contents: { id: number }): string {
  return `window-${contents.id}`;
}

/**
 * `frame.origin` and not `new URL(frame.url).origin`: WHATWG URL parsing gives "null" for a custom
 * scheme, while Chromium serialises the registered standard scheme as "app://system-configurator".
 */
export function senderOf(event: IpcMainInvokeEvent): Sender {
  const clientId = clientIdOf(event.sender);
  const refused: Sender = { clientId, origin: 'null', isMainFrame: false };
  const frame = event.senderFrame;
  if (!frame) return refused;
  try {
    return { clientId, origin: frame.origin, isMainFrame: frame.parent === null };
  } catch {
    // a frame disposed while its message was in flight throws on access
    return refused;
  }
}

/** Registers a handler for every contract channel; returns the function that removes them. */
export function wireIpc(ipcMain: IpcMain, gateway: ShellGateway): () => void {
  for (const { name } of allChannels) {
    ipcMain.handle(name, (event, payload: unknown) => gateway.invoke(senderOf(event), name, payload));
  }
  return () => {
    for (const { name } of allChannels) ipcMain.removeHandler(name);
  };
}

/** Sends each login-state change to its window (and protects the code screen from capture). */
export function wireStatePush(
  gateway: ShellGateway,
  windows: ReadonlyMap<string, BrowserWindow>,
): () => void {
  return gateway.onStatePush((clientId, state) => {
    const window = windows.get(clientId);
    if (!window || window.isDestroyed()) return;
    protectCodeScreen(window, state);
    window.webContents.send(AUTH_STATE_EVENT, state);
  });
}
