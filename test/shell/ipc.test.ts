/**
 * ipcMain ↔ gateway: every contract channel is handled and forwards the sender's facts as the frame
 * reports them (sub-frame → isMainFrame false; origin from frame.origin, since WHATWG URL parsing gives
 * "null" for app://), and pushed states reach the right window.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTH_INITIAL_STATE, AUTH_STATE_EVENT, allChannels, type AuthView } from '../../main/contract/ipc';
import { clientIdOf, senderOf, wireIpc, wireStatePush } from '../../main/shell/ipc';
import { APP_ORIGIN } from '../../main/shell/protocol';
import { BrowserWindow, ipcMain, resetFakeElectron, type FakeFrame } from './support/fake-electron';
import { recordingGateway } from './support/shell-fixture';

vi.mock('electron', () => import('./support/fake-electron'));

beforeEach(() => resetFakeElectron());

const mainFrame: FakeFrame = { origin: APP_ORIGIN, url: `${APP_ORIGIN}/index.html`, parent: null };
const subFrame: FakeFrame = { origin: APP_ORIGIN, url: `${APP_ORIGIN}/inner.html`, parent: mainFrame };

const CODE_SCREEN: AuthView = {
  step: 'awaitingCode',
  serverNow: 0,
  error: null,
  locale: 'en',
  purpose: 'logon',
  method: 'sms',
  maskedDestination: '+46 •• ••• •• 12',
  expiresAt: 300_000,
  attemptsLeft: 3,
  resendAt: 30_000,
  resendsLeft: 5,
};
const SIGNED_OUT: AuthView = {
  step: 'signedOut',
  serverNow: 0,
  error: null,
  locale: 'en',
  ssoEnabled: false,
  notice: null,
};

describe('ipcMain handlers', () => {
  it('registers exactly one handler per contract channel, and removes them all', () => {
    const unwire = wireIpc(ipcMain as never, recordingGateway());
    expect([...ipcMain.handlers.keys()].sort()).toEqual(allChannels.map((c) => c.name).sort());
    unwire();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('forwards channel, payload and the main frame facts to the gateway and returns its answer', async () => {
    const gateway = recordingGateway();
    gateway.invoke.mockResolvedValueOnce({ ok: true, value: 'answer' });
    wireIpc(ipcMain as never, gateway);
    const payload = { username: 'ada', password: 'x' };
    const result = await ipcMain.handlers.get('sc:auth:logOn')!(
      { sender: { id: 4 }, senderFrame: mainFrame },
      payload,
    );
    expect(result).toEqual({ ok: true, value: 'answer' });
    expect(gateway.invoke).toHaveBeenCalledWith(
      { clientId: 'window-4', origin: APP_ORIGIN, isMainFrame: true },
      'sc:auth:logOn',
      payload,
    );
  });

  it('reports a sub-frame as isMainFrame false, whatever its origin', async () => {
    const gateway = recordingGateway();
    wireIpc(ipcMain as never, gateway);
    await ipcMain.handlers.get('sc:users:list')!({ sender: { id: 4 }, senderFrame: subFrame }, undefined);
    expect(gateway.invoke.mock.calls[0]![0]).toEqual({
      clientId: 'window-4',
      origin: APP_ORIGIN,
      isMainFrame: false,
    });
  });

  it("takes the origin from frame.origin, not from the URL (WHATWG gives 'null' for app://)", () => {
    expect(new URL(`${APP_ORIGIN}/index.html`).origin).toBe('null');
    const frame = { origin: 'https://evil.example', url: `${APP_ORIGIN}/index.html`, parent: null };
    expect(senderOf({ sender: { id: 2 }, senderFrame: frame } as never).origin).toBe('https://evil.example');
  });

  it('describes a frame that is already gone, or disposed while its message was in flight, as refused facts', () => {
    const refused = { clientId: 'window-3', origin: 'null', isMainFrame: false };
    expect(senderOf({ sender: { id: 3 }, senderFrame: null } as never)).toEqual(refused);
    const disposed = {
      get origin(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      parent: null,
    };
    expect(senderOf({ sender: { id: 3 }, senderFrame: disposed } as never)).toEqual(refused);
  });
});

describe("the preload's synchronous start question", () => {
  it('is answered with what the gateway answers sc:auth:state for the asking frame, and unwired with the rest', async () => {
    const gateway = recordingGateway();
    gateway.invoke.mockResolvedValueOnce({ ok: true, value: SIGNED_OUT });
    const unwire = wireIpc(ipcMain as never, gateway);
    const reply = await ipcMain.sendSync(AUTH_INITIAL_STATE, { sender: { id: 5 }, senderFrame: mainFrame });
    expect(reply).toEqual({ ok: true, value: SIGNED_OUT });
    expect(gateway.invoke.mock.calls).toEqual([
      [{ clientId: 'window-5', origin: APP_ORIGIN, isMainFrame: true }, 'sc:auth:state', undefined],
    ]);
    unwire();
    expect(ipcMain.syncListeners.size).toBe(0);
  });

  it("passes a sub-frame's facts on (the gateway refuses it)", async () => {
    const gateway = recordingGateway();
    wireIpc(ipcMain as never, gateway);
    await ipcMain.sendSync(AUTH_INITIAL_STATE, { sender: { id: 5 }, senderFrame: subFrame });
    expect(gateway.invoke.mock.calls[0]![0]).toEqual({
      clientId: 'window-5',
      origin: APP_ORIGIN,
      isMainFrame: false,
    });
  });

  it('always answers, with an internal error when the gateway throws (a page waiting on sendSync never hangs)', async () => {
    const gateway = recordingGateway();
    gateway.invoke.mockRejectedValueOnce(new Error('the core is closing'));
    wireIpc(ipcMain as never, gateway);
    const reply = await ipcMain.sendSync(AUTH_INITIAL_STATE, { sender: { id: 5 }, senderFrame: mainFrame });
    expect(reply).toEqual({ ok: false, error: { code: 'internal', message: expect.any(String) } });
    expect(JSON.stringify(reply)).not.toContain('the core is closing');
  });
});

describe('state push', () => {
  it('sends each state to its own window on the state event, and protects the code screen from capture', () => {
    const gateway = recordingGateway();
    const first = new BrowserWindow({});
    const second = new BrowserWindow({});
    const windows = new Map([
      [clientIdOf(first.webContents), first],
      [clientIdOf(second.webContents), second],
    ]);
    wireStatePush(gateway, windows as never);

    gateway.push(clientIdOf(first.webContents), CODE_SCREEN);
    expect(first.webContents.sent).toEqual([[AUTH_STATE_EVENT, CODE_SCREEN]]);
    expect(second.webContents.sent).toEqual([]);
    expect(first.contentProtection).toBe(true);

    gateway.push(clientIdOf(first.webContents), SIGNED_OUT);
    expect(first.contentProtection).toBe(false);
  });

  it('drops states for windows that are closed or unknown', () => {
    const gateway = recordingGateway();
    const window = new BrowserWindow({});
    window.destroyed = true;
    wireStatePush(gateway, new Map([[clientIdOf(window.webContents), window]]) as never);
    gateway.push(clientIdOf(window.webContents), SIGNED_OUT);
    gateway.push('window-999', SIGNED_OUT);
    expect(window.webContents.sent).toEqual([]);
  });
});
