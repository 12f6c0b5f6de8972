/**
 * The real app under Playwright's `_electron`: served from app://, locked down as the shell promises,
 * its data in the test's own --data-dir, one instance per data dir.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { _electron, expect, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { launchTarget } from './launch';

interface Fixtures {
  dataDir: string;
  app: ElectronApplication;
  window: Page;
}

/** The environment without ELECTRON_RUN_AS_NODE (which would start Node instead of the app). */
function childEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'ELECTRON_RUN_AS_NODE',
    ),
  );
}

const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  dataDir: async ({}, use, testInfo) => {
    const dir = testInfo.outputPath('data');
    fs.mkdirSync(dir, { recursive: true });
    await use(dir);
  },
  app: async ({ dataDir }, use) => {
    const target = launchTarget();
    const app = await _electron.launch({
      executablePath: target.executablePath,
      args: [...target.args, '--data-dir', dataDir],
      env: childEnv(),
    });
    await use(app);
    await app.close();
  },
  window: async ({ app }, use) => {
    const window = await app.firstWindow();
    await window.waitForLoadState('domcontentloaded');
    await use(window);
  },
});

test('the window shows the app from app://system-configurator, with window.sc and no Node', async ({
  window,
}) => {
  expect(window.url()).toBe('app://system-configurator/index.html');
  await expect(window).toHaveTitle(/System Configurator/);
  const globals = await window.evaluate(() => ({
    require: 'require' in globalThis,
    process: 'process' in globalThis,
    sc: typeof (globalThis as { sc?: unknown }).sc,
  }));
  expect(globals).toEqual({ require: false, process: false, sc: 'object' });
});

test('the page world has no Node globals, no Electron API and no working <webview>', async ({ window }) => {
  const world = await window.evaluate(() => {
    const g = globalThis as unknown as {
      document: { createElement(tag: string): { constructor: { name: string } } };
    };
    return {
      node: ['require', 'process', 'module', 'Buffer', 'global', 'ipcRenderer', 'electron'].filter(
        (name) => name in globalThis,
      ),
      webview: g.document.createElement('webview').constructor.name,
    };
  });
  expect(world).toEqual({ node: [], webview: 'HTMLUnknownElement' });
});

test('window.open and navigation away are refused', async ({ app, window }) => {
  const opened = await window.evaluate(() => {
    const open = (globalThis as unknown as { open(url: string): unknown }).open;
    return open('https://example.com/') === null;
  });
  expect(opened).toBe(true);
  await window.evaluate(() => {
    (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
  });
  await window.waitForTimeout(500);
  expect(window.url()).toBe('app://system-configurator/index.html');
  expect(app.windows()).toHaveLength(1);
});

test('the page may not fetch anything from the network or file://', async ({ window }) => {
  const results = await window.evaluate(async () => {
    const attempt = async (url: string) => {
      try {
        await fetch(url);
        return 'loaded';
      } catch {
        return 'refused';
      }
    };
    return [await attempt('https://example.com/'), await attempt('file:///etc/passwd')];
  });
  expect(results).toEqual(['refused', 'refused']);
});

test('all data goes to the --data-dir: the database and the log', async ({ window, dataDir }) => {
  await window.waitForLoadState();
  await expect.poll(() => fs.existsSync(path.join(dataDir, 'system-configurator.db'))).toBe(true);
  await expect.poll(() => fs.existsSync(path.join(dataDir, 'logs', 'main.log'))).toBe(true);
});

test('a second launch on the same data dir exits and leaves the first window alone', async ({
  app,
  window,
  dataDir,
}) => {
  await window.waitForLoadState();
  const target = launchTarget();
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const second = spawn(target.executablePath, [...target.args, '--data-dir', dataDir], {
    env,
    stdio: 'ignore',
  });
  const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
  expect(code).toBe(0);
  expect(app.windows()).toHaveLength(1);
});
