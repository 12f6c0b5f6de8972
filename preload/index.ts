/**
 * The bridge: one function per use case on `window.sc`, each a plain `ipcRenderer.invoke` on its contract
 * channel, a state subscription that strips the Electron event, and the state the page started with.
 * Nothing else crosses: no ipcRenderer, no process, no generic invoke. Main validates everything that arrives.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  AUTH_INITIAL_STATE,
  AUTH_STATE_EVENT,
  channelNames,
  type AuthView,
  type IpcResult,
  type ScApi,
} from '../main/contract/channel-names';

type Invoker = (payload?: unknown) => Promise<unknown>;

/**
 * Asked once, synchronously, before the page's scripts run (main answers through the gateway, as for
 * `auth.state`): the first frame can show the real screen instead of waiting for a round trip.
 */
function startState(): IpcResult<AuthView> | null {
  try {
    return (ipcRenderer.sendSync(AUTH_INITIAL_STATE) as IpcResult<AuthView> | undefined) ?? null;
  } catch {
    return null; // the page then asks auth.state() as usual
  }
}

function bridge(): ScApi {
  let latest = startState();
  // A state main pushes before the page subscribes replaces the start state, so none is lost in between.
  ipcRenderer.on(AUTH_STATE_EVENT, (_event: IpcRendererEvent, state: AuthView) => {
    latest = { ok: true, value: state };
  });

  const api: Record<string, unknown> = {};
  for (const [area, verbs] of Object.entries(channelNames)) {
    const group: Record<string, Invoker> = {};
    for (const [verb, name] of Object.entries(verbs)) {
      group[verb] = (payload?: unknown) => ipcRenderer.invoke(name, payload);
    }
    api[area] = Object.freeze(group);
  }
  api.onAuthState = (listener: (state: AuthView) => void) => {
    const forward = (_event: IpcRendererEvent, state: AuthView) => listener(state);
    ipcRenderer.on(AUTH_STATE_EVENT, forward);
    return () => {
      ipcRenderer.removeListener(AUTH_STATE_EVENT, forward);
    };
  };
  api.initialAuthState = () => latest;
  return api as unknown as ScApi;
}

contextBridge.exposeInMainWorld('sc', bridge());
