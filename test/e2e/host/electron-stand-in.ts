/**
 * The `electron` module as the REAL preload (preload/index.ts) sees it in the browser test host. esbuild
 * bundles the preload with `electron` aliased to this file, and the result is injected into the page before
 * any of its scripts. Only the transport is replaced:
 *
 * - `contextBridge.exposeInMainWorld(key, api)` defines `window[key]` (frozen, read-only), as Electron does;
 * - `ipcRenderer.invoke(channel, payload)` calls the `__scInvoke` binding the host exposes, which hands the
 *   message to the real IPC gateway with the sending frame's origin and whether it is the main frame;
 * - `ipcRenderer.on/removeListener` receive what main pushes, which the host delivers through `__scDeliver`
 *   at once and in order; a call's answer waits for the pushes made before it (Electron's channel keeps that
 *   order too);
 * - `ipcRenderer.sendSync(channel)` answers with what the host's gateway answered for this document while it
 *   was on its way (a page cannot wait for the host synchronously): the host hands the answers over in a
 *   cookie of the document's response (app-host.ts), read here.
 *
 * Structured clone stands in for Electron's serialisation of payloads.
 */
import { SYNC_REPLIES_COOKIE, type SyncReplies } from './sync-replies';

type Listener = (event: IpcRendererEvent, ...args: unknown[]) => void;

export interface IpcRendererEvent {
  sender: unknown;
}

interface HostWindow {
  __scInvoke?: (channel: string, payload: unknown) => Promise<unknown>;
}

function syncReplies(): SyncReplies {
  const prefix = `${SYNC_REPLIES_COOKIE}=`;
  const cookie = document.cookie.split('; ').find((part) => part.startsWith(prefix));
  return cookie ? (JSON.parse(decodeURIComponent(cookie.slice(prefix.length))) as SyncReplies) : {};
}

const listeners = new Map<string, Set<Listener>>();

function deliver(channel: string, payload: unknown): void {
  for (const listener of [...(listeners.get(channel) ?? [])]) {
    try {
      listener({ sender: ipcRenderer }, structuredClone(payload));
    } catch (error) {
      console.error(error);
    }
  }
}

Object.defineProperty(window, '__scDeliver', { value: deliver, enumerable: false, writable: false });

export const ipcRenderer = {
  async invoke(channel: string, payload?: unknown): Promise<unknown> {
    const invoke = (window as unknown as HostWindow).__scInvoke;
    if (!invoke) throw new Error('The browser test host did not expose __scInvoke.');
    return structuredClone(
      await invoke(channel, payload === undefined ? undefined : structuredClone(payload)),
    );
  },
  sendSync(channel: string): unknown {
    const reply = syncReplies()[channel];
    if (!reply) throw new Error(`The browser test host has no answer for ${channel}.`);
    return structuredClone(window === window.top ? reply.mainFrame : reply.subFrame);
  },
  on(channel: string, listener: Listener) {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return ipcRenderer;
  },
  removeListener(channel: string, listener: Listener) {
    listeners.get(channel)?.delete(listener);
    return ipcRenderer;
  },
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    Object.defineProperty(window, key, {
      value: deepFreeze(api),
      enumerable: true,
      writable: false,
      configurable: false,
    });
  },
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
