/**
 * The bridge: one function per use case on `window.sc`, each a plain `ipcRenderer.invoke` on its contract
 * channel, and a state subscription that strips the Electron event. Nothing else crosses: no ipcRenderer,
 * no process, no generic invoke. Main validates everything that arrives.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { AUTH_STATE_EVENT, channelNames, type AuthView, type ScApi } from '../main/contract/channel-names';

type Invoker = (payload?: unknown) => Promise<unknown>;

function bridge(): ScApi {
  const api: Record<string, Record<string, Invoker> | ScApi['onAuthState']> = {};
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
  return api as unknown as ScApi;
}

contextBridge.exposeInMainWorld('sc', bridge());
