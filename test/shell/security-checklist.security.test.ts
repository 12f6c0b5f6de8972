/**
 * Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security), one named test
 * per item, against the real shell started with a stand-in `electron`. SECURITY-CHECKLIST.md maps each
 * item to its test.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTH_INITIAL_STATE, allChannels } from '../../main/contract/ipc';
import { createAppCore } from '../../main/core/app-core';
import { ManualClock } from '../../main/core/clock';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { createGateway } from '../../main/gateway/gateway';
import { wireIpc } from '../../main/shell/ipc';
import { APP_ENTRY_URL, APP_ORIGIN, CONTENT_SECURITY_POLICY } from '../../main/shell/protocol';
import { SESSION_PARTITION } from '../../main/shell/window';
import { build } from 'esbuild';
import { preloadBuildOptions } from '../../tools/build-main';
import { tempDir } from '../support/temp-dir';
import {
  BrowserWindow,
  app,
  contextBridge,
  fakeEvent,
  ipcMain,
  ipcRenderer,
  protocol,
  resetFakeElectron,
  session,
  shell,
  type FakeFrame,
} from './support/fake-electron';
import { startTestShell } from './support/shell-fixture';

vi.mock('electron', () => import('./support/fake-electron'));

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const afterPack = createRequire(import.meta.url)('../../tools/after-pack.cjs') as {
  fuseStates(flavor: 'release' | 'test'): Record<string, boolean>;
};

beforeEach(() => resetFakeElectron());

async function started() {
  const shellRun = await startTestShell();
  const window = BrowserWindow.instances[0]!;
  const prefs = window.options.webPreferences ?? {};
  return { ...shellRun, window, prefs, appSession: session.fromPartition(SESSION_PARTITION) };
}

const HOSTILE_URLS = [
  'https://evil.example/phish',
  'http://127.0.0.1:8080/',
  'file:///etc/passwd',
  'javascript:alert(1)',
];

describe("Electron's security checklist", () => {
  it('01 only secure content: the window loads app://system-configurator over a secure scheme and the session cancels http(s), ws and file requests', async () => {
    const { window, appSession } = await started();
    expect(window.loadedUrl).toBe(APP_ENTRY_URL);
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    for (const url of [
      'https://cdn.example/lib.js',
      'http://example.com/x',
      'wss://example.com/socket',
      'file:///etc/hosts',
    ]) {
      expect(appSession.decide(url), url).toBe('cancelled');
    }
    expect(appSession.decide(`${APP_ORIGIN}/assets/index-abc123.js`)).toBe('allowed');
    expect(appSession.decide('data:image/png;base64,AAAA')).toBe('allowed');
  });

  it('02 no Node.js integration for remote content: nodeIntegration, in workers and in sub-frames are all off', async () => {
    const { prefs } = await started();
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('03 context isolation: contextIsolation is on and the preload is the bundled one', async () => {
    const { prefs } = await started();
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.preload).toBe('/opt/sc/resources/app.asar/dist/preload/index.cjs');
  });

  it('04 process sandboxing: sandbox is on for the window and app.enableSandbox() runs before ready', async () => {
    const { prefs } = await started();
    expect(prefs.sandbox).toBe(true);
    expect(app.sandboxEnabledBeforeReady).toBe(true);
  });

  it('05 session permission requests: every permission is denied, in the app session and the default one', async () => {
    const { appSession } = await started();
    for (const ses of [appSession, session.defaultSession]) {
      for (const permission of [
        'media',
        'geolocation',
        'notifications',
        'openExternal',
        'clipboard-read',
        'fullscreen',
      ]) {
        const callback = vi.fn();
        (ses.permissionRequestHandler as unknown as (...a: unknown[]) => void)({}, permission, callback, {});
        expect(callback, permission).toHaveBeenCalledWith(false);
        expect(
          (ses.permissionCheckHandler as unknown as (...a: unknown[]) => boolean)(
            null,
            permission,
            APP_ORIGIN,
            {},
          ),
        ).toBe(false);
      }
      expect(
        (ses.devicePermissionHandler as unknown as (...a: unknown[]) => boolean)({ deviceType: 'usb' }),
      ).toBe(false);
    }
  });

  it('06 webSecurity stays on', async () => {
    const { prefs } = await started();
    expect(prefs.webSecurity).toBe(true);
  });

  it('07 a Content Security Policy: every response of app:// carries the strict CSP header, errors included', async () => {
    const { appSession } = await started();
    const handler = appSession.protocolHandlers.get('app')!;
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    for (const url of [APP_ENTRY_URL, `${APP_ORIGIN}/missing.js`, `${APP_ORIGIN}/%2e%2e/x.js`]) {
      const response = await handler(new Request(url));
      expect(response.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('08 allowRunningInsecureContent stays off', async () => {
    const { prefs } = await started();
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });

  it('09 no experimental features', async () => {
    const { prefs } = await started();
    expect(prefs.experimentalFeatures).toBe(false);
  });

  it('10 no enableBlinkFeatures', async () => {
    const { prefs } = await started();
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('11 no allowpopups for WebViews: the <webview> tag is off and a webview asking for popups is not attached', async () => {
    const { prefs, window } = await started();
    expect(prefs.webviewTag).toBe(false);
    const event = fakeEvent();
    window.webContents.emit(
      'will-attach-webview',
      event,
      { preload: '/tmp/evil.js' },
      { src: 'https://evil.example', allowpopups: 'true' },
    );
    expect(event.defaultPrevented).toBe(true);
  });

  it('12 WebView options verified before creation: preload stripped, Node off, isolation on, and attaching refused', async () => {
    const { window } = await started();
    const event = fakeEvent();
    const webPreferences: Record<string, unknown> = {
      preload: '/tmp/evil.js',
      nodeIntegration: true,
      contextIsolation: false,
    };
    window.webContents.emit('will-attach-webview', event, webPreferences, { src: 'https://evil.example' });
    expect(webPreferences).toEqual({ nodeIntegration: false, contextIsolation: true });
    expect(event.defaultPrevented).toBe(true);
  });

  it('13 navigation disabled: will-navigate, will-frame-navigate and will-redirect are prevented for any URL', async () => {
    const { window } = await started();
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      for (const url of [...HOSTILE_URLS, `${APP_ORIGIN}/index.html`]) {
        const event = fakeEvent({ url });
        window.webContents.emit(name, event, url);
        expect(event.defaultPrevented, `${name} ${url}`).toBe(true);
      }
    }
  });

  it('14 new windows disabled: the window open handler denies every URL', async () => {
    const { window } = await started();
    for (const url of [...HOSTILE_URLS, `${APP_ORIGIN}/index.html`, 'about:blank']) {
      expect(window.webContents.windowOpenHandler!({ url }), url).toEqual({ action: 'deny' });
    }
  });

  it('15 shell.openExternal never with untrusted content: only an allowed origin opens, and nothing from the page reaches it', async () => {
    const { running, window } = await started();
    running!.opener.allowExternalOrigin('https://login.example.com');
    expect(await running!.opener.open('https://evil.example/?next=https://login.example.com')).toBe(false);
    expect(await running!.opener.open('file:///etc/passwd')).toBe(false);
    expect(window.webContents.windowOpenHandler!({ url: 'https://login.example.com/authorize' })).toEqual({
      action: 'deny',
    });
    expect(shell.opened).toEqual([]);
    expect(await running!.opener.open('https://login.example.com/authorize?x=1')).toBe(true);
    expect(shell.opened).toEqual(['https://login.example.com/authorize?x=1']);
  });

  it('16 a current Electron: the project is built on Electron 45 or newer', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const installed = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8'),
    ) as { version: string };
    expect(Number(/\d+/.exec(pkg.devDependencies.electron ?? '')?.[0])).toBeGreaterThanOrEqual(45);
    expect(Number(installed.version.split('.')[0])).toBeGreaterThanOrEqual(45);
  });

  it('17 the sender of every IPC message is validated: a sub-frame or another origin is refused on every channel, the app main frame is served', async () => {
    const core = createAppCore({
      dataDir: tempDir('sc-ipc-'),
      keychain: new InMemoryKeychain(),
      clock: new ManualClock(),
    });
    try {
      wireIpc(ipcMain as never, createGateway(core, { appOrigin: APP_ORIGIN }));
      expect([...ipcMain.handlers.keys()].sort()).toEqual(allChannels.map((c) => c.name).sort());
      const main: FakeFrame = { origin: APP_ORIGIN, url: APP_ENTRY_URL, parent: null };
      const sub: FakeFrame = { origin: APP_ORIGIN, url: `${APP_ORIGIN}/frame.html`, parent: main };
      const foreign: FakeFrame = {
        origin: 'https://evil.example',
        url: 'https://evil.example/',
        parent: null,
      };
      for (const [name, handler] of ipcMain.handlers) {
        for (const frame of [sub, foreign, null]) {
          const result = (await handler({ sender: { id: 7 }, senderFrame: frame }, undefined)) as {
            ok: boolean;
            error?: { code: string };
          };
          expect(result, `${name} from ${frame?.url ?? 'a gone frame'}`).toMatchObject({
            ok: false,
            error: { code: 'forbidden' },
          });
        }
      }
      const state = (await ipcMain.handlers.get('sc:auth:state')!(
        { sender: { id: 7 }, senderFrame: main },
        undefined,
      )) as { ok: boolean };
      expect(state.ok).toBe(true);
      // The one synchronous message (the preload's start state) goes through the same sender checks.
      for (const frame of [sub, foreign, null]) {
        expect(
          await ipcMain.sendSync(AUTH_INITIAL_STATE, { sender: { id: 7 }, senderFrame: frame }),
          `start state from ${frame?.url ?? 'a gone frame'}`,
        ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
      expect(
        await ipcMain.sendSync(AUTH_INITIAL_STATE, { sender: { id: 7 }, senderFrame: main }),
      ).toMatchObject({ ok: true, value: { step: 'firstRun' } });
    } finally {
      core.close();
    }
  });

  it('18 no file:// : the app session answers file: URLs with 403 and the renderer comes from app://', async () => {
    const { appSession, window } = await started();
    const refuse = appSession.protocolHandlers.get('file')!;
    const response = await refuse(new Request('file:///etc/passwd'));
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('root:');
    expect(window.loadedUrl?.startsWith('app://')).toBe(true);
    expect(afterPack.fuseStates('release').GrantFileProtocolExtraPrivileges).toBe(false);
  });

  it('19 fuses: release builds turn off RunAsNode, NODE_OPTIONS and --inspect, and turn on cookie encryption, ASAR integrity and ASAR-only loading', () => {
    expect(afterPack.fuseStates('release')).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  it('20 no Electron APIs for untrusted content: the built sandboxed preload requires only electron and exposes only window.sc, functions on contract channels', async () => {
    const { prefs } = await started();
    expect(prefs.sandbox).toBe(true);
    const out = tempDir('sc-preload-');
    await build(preloadBuildOptions(out));
    const code = fs.readFileSync(path.join(out, 'preload', 'index.cjs'), 'utf8');
    const required: string[] = [];
    const sandboxRequire = (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return { contextBridge, ipcRenderer };
    };
    new Function('require', 'module', 'exports', code)(sandboxRequire, { exports: {} }, {});
    expect(required).toEqual(['electron']);
    expect([...contextBridge.exposed.keys()]).toEqual(['sc']);

    const contract = new Set(allChannels.map((c) => c.name));
    const api = contextBridge.exposed.get('sc') as Record<string, unknown>;
    for (const [area, group] of Object.entries(api)) {
      if (area === 'onAuthState' || area === 'initialAuthState') continue;
      for (const [verb, fn] of Object.entries(group as Record<string, (p?: unknown) => Promise<unknown>>)) {
        expect(typeof fn, `${area}.${verb}`).toBe('function');
        await fn({ probe: true });
        expect(contract.has(ipcRenderer.invoked.at(-1)![0]), `${area}.${verb}`).toBe(true);
      }
    }
    expect(ipcRenderer.invoked).toHaveLength(contract.size);
  });
});
