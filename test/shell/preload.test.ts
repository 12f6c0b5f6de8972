/**
 * The real preload (preload/index.ts) with a stand-in `electron`: it exposes one `sc` object with exactly one
 * function per contract channel plus the state subscription and the start state, each function a plain
 * invoke of its channel, the Electron event stripped from pushed states, the start state asked once
 * synchronously, and nothing that would hand the page raw IPC or Node.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTH_INITIAL_STATE, AUTH_STATE_EVENT, channelNames } from '../../main/contract/channel-names';
import type { AuthView, ScApi } from '../../main/contract/ipc';

type Listener = (...args: unknown[]) => void;

const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const ipcRenderer = {
    invoke: vi.fn(async (channel: string, payload?: unknown) => ({ ok: true, value: { channel, payload } })),
    on: vi.fn((event: string, listener: (...args: unknown[]) => void) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return ipcRenderer;
    }),
    removeListener: vi.fn((event: string, listener: (...args: unknown[]) => void) => {
      listeners.get(event)?.delete(listener);
      return ipcRenderer;
    }),
    off: vi.fn(),
    once: vi.fn(),
    addListener: vi.fn(),
    removeAllListeners: vi.fn(),
    send: vi.fn(),
    /** Main's answer to the start question, as the gateway gives it. */
    sendSync: vi.fn((channel: string): unknown => ({
      ok: true,
      value: {
        step: 'signedOut',
        serverNow: 0,
        error: null,
        locale: 'en',
        ssoEnabled: false,
        notice: null,
        channel,
      },
    })),
    sendToHost: vi.fn(),
    postMessage: vi.fn(),
  };
  return {
    ipcRenderer,
    listeners,
    exposeInMainWorld: vi.fn(),
    /** What main's webContents.send would do: call every listener with (event, ...args). */
    emit(event: string, ...args: unknown[]) {
      const fakeEvent = { sender: ipcRenderer, senderId: 0, ports: [] };
      for (const listener of listeners.get(event) ?? []) listener(fakeEvent, ...args);
    },
  };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electron.exposeInMainWorld },
  ipcRenderer: electron.ipcRenderer,
}));

// The preload stays a few dependency-free lines: it must not pull in the schemas (zod) with the contract.
vi.mock('zod', () => {
  throw new Error('the preload must not import zod');
});

const STATE: AuthView = {
  step: 'signedOut',
  serverNow: 1,
  error: null,
  locale: 'en',
  ssoEnabled: false,
  notice: null,
};
let sc: ScApi;
let exposedCalls: unknown[][];
/** What the preload itself did as it loaded, before any test ran. */
let atStart: {
  sendSync: unknown[][];
  on: unknown[][];
  invoke: number;
  exposedAfterSync: boolean;
  initial: unknown;
};

beforeAll(async () => {
  await import('../../preload/index');
  exposedCalls = electron.exposeInMainWorld.mock.calls.map((call) => [...call]);
  sc = exposedCalls[0]?.[1] as ScApi;
  atStart = {
    sendSync: electron.ipcRenderer.sendSync.mock.calls.map((call) => [...call]),
    on: electron.ipcRenderer.on.mock.calls.map((call) => [...call]),
    invoke: electron.ipcRenderer.invoke.mock.calls.length,
    exposedAfterSync:
      electron.ipcRenderer.sendSync.mock.invocationCallOrder[0]! <
      electron.exposeInMainWorld.mock.invocationCallOrder[0]!,
    initial: sc.initialAuthState(),
  };
});

beforeEach(() => {
  for (const fn of Object.values(electron.ipcRenderer)) fn.mockClear();
});

const contractChannels = Object.entries(channelNames).flatMap(([area, verbs]) =>
  Object.entries(verbs).map(([verb, name]) => ({ area, verb, name })),
);

function fnOf(area: string, verb: string): (payload?: unknown) => Promise<unknown> {
  return (sc as unknown as Record<string, Record<string, (payload?: unknown) => Promise<unknown>>>)[area]![
    verb
  ]!;
}

describe('preload: what it exposes', () => {
  it('exposes exactly one global, "sc", through contextBridge', () => {
    expect(exposedCalls).toHaveLength(1);
    expect(exposedCalls[0]![0]).toBe('sc');
  });

  it('offers exactly the contract areas and verbs, plus onAuthState and initialAuthState', () => {
    expect(Object.keys(sc).sort()).toEqual(
      [...Object.keys(channelNames), 'onAuthState', 'initialAuthState'].sort(),
    );
    for (const [area, verbs] of Object.entries(channelNames)) {
      expect(Object.keys((sc as unknown as Record<string, object>)[area]!).sort(), area).toEqual(
        Object.keys(verbs).sort(),
      );
    }
    expect(typeof sc.onAuthState).toBe('function');
  });

  it('hands the page no ipcRenderer, no generic invoke/send/on, no process or require', () => {
    const banned = new Set([
      'ipcRenderer',
      'invoke',
      'send',
      'sendSync',
      'on',
      'once',
      'emit',
      'process',
      'require',
    ]);
    const ipcFunctions = new Set<unknown>(Object.values(electron.ipcRenderer));
    const walk = (value: unknown, path: string): void => {
      expect(value, path).not.toBe(electron.ipcRenderer);
      expect(ipcFunctions.has(value), `${path} is an ipcRenderer function`).toBe(false);
      if (typeof value === 'function') return;
      expect(
        typeof value === 'object' && value !== null,
        `${path} is a function or a group of functions`,
      ).toBe(true);
      for (const key of Reflect.ownKeys(value as object)) {
        expect(banned.has(String(key)), `${path}.${String(key)}`).toBe(false);
        walk((value as Record<PropertyKey, unknown>)[key], `${path}.${String(key)}`);
      }
    };
    walk(sc, 'sc');
    for (const area of Object.keys(channelNames)) {
      expect(Object.isFrozen((sc as unknown as Record<string, object>)[area]), area).toBe(true);
    }
  });
});

describe('preload: one function per use case', () => {
  it.each(contractChannels)(
    '$area.$verb invokes $name with the payload unchanged, and nothing else',
    async ({ area, verb, name }) => {
      const payload = { any: ['thing', 1], nested: { deep: true } };
      const answer = await fnOf(area, verb)(payload);

      expect(electron.ipcRenderer.invoke).toHaveBeenCalledTimes(1);
      const call = electron.ipcRenderer.invoke.mock.calls[0]!;
      expect(call).toHaveLength(2);
      expect(call[0]).toBe(name);
      expect(call[1]).toBe(payload);
      expect(payload).toEqual({ any: ['thing', 1], nested: { deep: true } });
      expect(answer).toEqual({ ok: true, value: { channel: name, payload } });
      for (const [method, fn] of Object.entries(electron.ipcRenderer)) {
        if (method !== 'invoke') expect(fn, method).not.toHaveBeenCalled();
      }
    },
  );

  it('passes no payload as undefined (main validates what arrives)', async () => {
    await sc.auth.state();
    expect(electron.ipcRenderer.invoke.mock.calls).toEqual([[channelNames.auth.state, undefined]]);
  });
});

describe('preload: the state subscription', () => {
  it('gives the listener only the state, never the Electron event', () => {
    const listener = vi.fn<(state: AuthView) => void>();
    const off = sc.onAuthState(listener);
    expect(electron.ipcRenderer.on).toHaveBeenCalledTimes(1);
    expect(electron.ipcRenderer.on.mock.calls[0]![0]).toBe(AUTH_STATE_EVENT);

    electron.emit(AUTH_STATE_EVENT, STATE, 'something extra');
    expect(listener.mock.calls).toEqual([[STATE]]);
    expect(listener.mock.calls[0]![0]).toBe(STATE);
    off();
  });

  it('returns a function that removes exactly its own listener', () => {
    const first = vi.fn<(state: AuthView) => void>();
    const second = vi.fn<(state: AuthView) => void>();
    const offFirst = sc.onAuthState(first);
    const offSecond = sc.onAuthState(second);

    offFirst();
    const registered = electron.ipcRenderer.on.mock.calls[0]![1] as Listener;
    expect(electron.ipcRenderer.removeListener.mock.calls).toEqual([[AUTH_STATE_EVENT, registered]]);
    electron.emit(AUTH_STATE_EVENT, STATE);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);

    offSecond();
    electron.emit(AUTH_STATE_EVENT, STATE);
    expect(second).toHaveBeenCalledTimes(1);
    // Only the preload's own listener is left (it keeps the latest state for initialAuthState).
    expect([...(electron.listeners.get(AUTH_STATE_EVENT) ?? [])]).toEqual([atStart.on[0]![1]]);
    for (const method of ['send', 'sendSync', 'invoke', 'removeAllListeners', 'once', 'off']) {
      expect(
        electron.ipcRenderer[method as keyof typeof electron.ipcRenderer],
        method,
      ).not.toHaveBeenCalled();
    }
  });

  it('listens only to the state event', () => {
    const listener = vi.fn<(state: AuthView) => void>();
    const off = sc.onAuthState(listener);
    electron.emit(channelNames.auth.state, STATE);
    electron.emit('sc:some:otherEvent', STATE);
    expect(listener).not.toHaveBeenCalled();
    off();
  });
});

describe('preload: the start state (the first frame needs no round trip)', () => {
  it('asks main once, synchronously, on the start-state channel only, before the page gets window.sc', () => {
    expect(atStart.sendSync).toEqual([[AUTH_INITIAL_STATE]]);
    expect(atStart.exposedAfterSync).toBe(true);
    expect(atStart.invoke).toBe(0);
    expect(atStart.on.map((call) => call[0])).toEqual([AUTH_STATE_EVENT]);
  });

  it("gives the page main's answer without any message, and a later push in its place", () => {
    expect(atStart.initial).toEqual({
      ok: true,
      value: expect.objectContaining({ step: 'signedOut', channel: AUTH_INITIAL_STATE }),
    });
    sc.initialAuthState();
    for (const fn of Object.values(electron.ipcRenderer)) expect(fn).not.toHaveBeenCalled();

    const pushed: AuthView = { ...STATE, step: 'firstRun' } as unknown as AuthView;
    electron.emit(AUTH_STATE_EVENT, pushed, 'something extra');
    expect(sc.initialAuthState()).toEqual({ ok: true, value: pushed });
  });

  it('gives null when main cannot answer, so the page asks auth.state() instead', async () => {
    vi.resetModules();
    electron.exposeInMainWorld.mockClear();
    electron.ipcRenderer.sendSync.mockImplementationOnce(() => {
      throw new Error('the channel is closed');
    });
    await import('../../preload/index');
    const again = electron.exposeInMainWorld.mock.calls[0]![1] as ScApi;
    expect(again.initialAuthState()).toBeNull();
  });
});
