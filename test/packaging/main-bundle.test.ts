/**
 * The built main bundle actually starts: tools/build-main.ts output run in plain Node, with `electron`
 * resolved to a stand-in (support/electron-stub) by a loader hook. It must resolve every external it
 * keeps (better-sqlite3, keytar, @node-rs/argon2, Node built-ins), open the real core in --data-dir, wire
 * every contract channel and load app://. Catches what unit tests with a mocked module cannot: bundling.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTH_INITIAL_STATE, allChannels } from '../../main/contract/ipc';
import { DATABASE_FILE } from '../../main/core/db/database';
import { buildMain } from '../../tools/build-main';
import { tempDir } from '../support/temp-dir';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const STUB = path.join(import.meta.dirname, 'support', 'electron-stub', 'register.mjs');

interface StubEvent {
  event: string;
  [key: string]: unknown;
}

/** dist/ as the project has it: under a package.json with "type": "module", beside node_modules. */
async function builtApp(): Promise<string> {
  const out = tempDir('sc-main-bundle-');
  await buildMain(out, 'release');
  fs.writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }\n');
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  return out;
}

function runBundle(out: string, args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ['--import', STUB, path.join(out, 'main', 'index.js'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, SC_STUB_USER_DATA: path.join(out, 'user-data'), ...env },
  });
  const events: StubEvent[] = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('sc-stub '))
    .map((line) => JSON.parse(line.slice('sc-stub '.length)) as StubEvent);
  return { run, events };
}

describe('the built main bundle', () => {
  it('starts with a stand-in electron: core opened in --data-dir, every channel wired, app:// loaded', async () => {
    const out = await builtApp();
    const dataDir = path.join(out, 'data');
    // "Continue without the keychain" if this machine has none (npm test provides one)
    const { run, events } = runBundle(out, ['--data-dir', dataDir], { SC_STUB_ANSWER: '1' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const at = (name: string) => events.findIndex((e) => e.event === name);
    const one = (name: string) => events.find((e) => e.event === name);

    expect(at('protocol.registerSchemesAsPrivileged')).toBe(0);
    expect(at('app.enableSandbox')).toBeLessThan(at('app.whenReady'));
    expect(one('app.setPath')).toMatchObject({ name: 'userData', value: dataDir });
    expect(at('app.setPath')).toBeLessThan(at('app.requestSingleInstanceLock'));
    expect(one('BrowserWindow')?.webPreferences).toMatchObject({
      preload: path.join(out, 'preload', 'index.cjs'),
      partition: 'persist:system-configurator',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: false,
    });
    expect(one('BrowserWindow.loadURL')?.url).toBe('app://system-configurator/index.html');
    expect(events.filter((e) => e.event === 'session.protocol.handle').map((e) => e.scheme)).toEqual([
      'app',
      'file',
    ]);
    expect((one('ipcMain.handled')?.channels as string[]).sort()).toEqual(
      allChannels.map((c) => c.name).sort(),
    );
    expect(one('ipcMain.handled')?.listened).toEqual([AUTH_INITIAL_STATE]);
    expect(fs.existsSync(path.join(dataDir, DATABASE_FILE))).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, 'logs', 'main.log'), 'utf8')).toContain(
      `start dataDir=${dataDir}`,
    );
  }, 90_000);
});

describe('the built entry stops what must not start, with a dialog and exit code 1', () => {
  it('a packaged release build started with --remote-debugging-port refuses before loading the app', async () => {
    const out = await builtApp();
    const dataDir = path.join(out, 'data');
    const { run, events } = runBundle(out, ['--data-dir', dataDir, '--remote-debugging-port=9222']);
    expect(run.status).toBe(1);
    expect(events.find((e) => e.event === 'dialog.showErrorBox')).toMatchObject({
      title: 'Debugging options are not allowed',
    });
    expect(String(events.find((e) => e.event === 'dialog.showErrorBox')?.content)).toContain(
      '--remote-debugging-port',
    );
    expect(events.find((e) => e.event === 'app.exit')).toEqual({ event: 'app.exit', code: 1 });
    // nothing of the app ran: no scheme, no window, no data folder
    expect(events.map((e) => e.event)).not.toContain('protocol.registerSchemesAsPrivileged');
    expect(events.map((e) => e.event)).not.toContain('BrowserWindow');
    expect(fs.existsSync(dataDir)).toBe(false);
  }, 90_000);

  it('a native module that cannot load (an installer for another platform) ends in the error box, not a hung process', async () => {
    const out = await builtApp();
    const { run, events } = runBundle(out, ['--data-dir', path.join(out, 'data')], {
      SC_STUB_BROKEN_MODULE: '@node-rs/argon2',
    });
    expect(run.status).toBe(1);
    const box = events.find((e) => e.event === 'dialog.showErrorBox');
    expect(box).toMatchObject({ title: 'System Configurator could not start' });
    expect(String(box?.content)).toContain("Cannot find module '@node-rs/argon2'");
    expect(events.map((e) => e.event)).not.toContain('BrowserWindow');
  }, 90_000);
});
