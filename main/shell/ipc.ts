/**
 * The wire between Electron's ipcMain and the gateway: one `handle` per contract channel, the sender
 * described by its frame (origin as Chromium reports it, main frame or not), and state pushed back to the
 * window it belongs to. All checking happens in the gateway.
 */
import type { BrowserWindow, IpcMain, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { AUTH_INITIAL_STATE, AUTH_STATE_EVENT, allChannels, channels } from '../contract/ipc';
import { INTERNAL_ERROR } from '../core/errors';
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
export function senderOf(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): Sender {
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

/**
 * The preload's one synchronous question as a page starts: the answer `auth.state` would give, through the
 * same gateway (sender checks included), so the first frame needs no round trip. The page is blocked until
 * `returnValue` is set, so it is always set, with a failure when anything goes wrong.
 */
function answerInitialState(gateway: ShellGateway) {
  return (event: IpcMainEvent): void => {
    gateway
      .invoke(senderOf(event), channels.auth.state.name, undefined)
      .catch(() => ({ ok: false, error: INTERNAL_ERROR }) as const)
      .then((result) => {
        event.returnValue = result;
      });
  };
}

/** Registers a handler for every contract channel and the start state; returns the function that removes them. */
export function wireIpc(ipcMain: IpcMain, gateway: ShellGateway): () => void {
  for (const { name } of allChannels) {
    ipcMain.handle(name, (event, payload: unknown) => gateway.invoke(senderOf(event), name, payload));
  }
  const initialState = answerInitialState(gateway);
  ipcMain.on(AUTH_INITIAL_STATE, initialState);
  return () => {
    for (const { name } of allChannels) ipcMain.removeHandler(name);
    ipcMain.removeListener(AUTH_INITIAL_STATE, initialState);
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
