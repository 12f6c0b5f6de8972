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
import { allChannels } from '../../main/contract/ipc';
import { DATABASE_FILE } from '../../main/core/db/database';
import { buildMain } from '../../tools/build-main';
import { tempDir } from '../support/temp-dir';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const STUB = path.join(import.meta.dirname, 'support', 'electron-stub', 'register.mjs');

interface StubEvent {
  event: string;
  [key: string]: unknown;
}

describe('the built main bundle', () => {
  it('starts with a stand-in electron: core opened in --data-dir, every channel wired, app:// loaded', async () => {
    const out = tempDir('sc-main-bundle-');
    await buildMain(out);
    // laid out as dist/ is in the project: under a package.json with "type": "module", beside node_modules
    fs.writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }\n');
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
    const dataDir = path.join(out, 'data');

    const run = spawnSync(
      process.execPath,
      ['--import', STUB, path.join(out, 'main', 'index.js'), '--data-dir', dataDir],
      {
        encoding: 'utf8',
        timeout: 60_000,
        // "Continue without the keychain" if this machine has none (npm test provides one)
        env: { ...process.env, SC_STUB_USER_DATA: path.join(out, 'user-data'), SC_STUB_ANSWER: '1' },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const events: StubEvent[] = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('sc-stub '))
      .map((line) => JSON.parse(line.slice('sc-stub '.length)) as StubEvent);
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
    expect(fs.existsSync(path.join(dataDir, DATABASE_FILE))).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, 'logs', 'main.log'), 'utf8')).toContain(
      `start dataDir=${dataDir}`,
    );
  }, 90_000);
});
