/**
 * `npm run demo`: System Configurator without Electron. The built renderer and the REAL preload in
 * Chromium, talking to the real core through the real IPC gateway (the browser host of the e2e suite,
 * test/e2e/host), with the Sinch emulator sending the codes, which are printed here.
 *
 *   npm run demo                          a window where a display exists; otherwise headless (below)
 *   npm run demo -- --headless            no window: opens Log on, saves a screenshot, shuts down
 *   npm run demo -- --data-dir DIR        keep the demo's data in DIR (default: a new temporary folder)
 *
 * The demo data dir is seeded once with an administrator and a few users (their passwords are printed);
 * the secret lives in an in-memory keychain (your OS keychain is never touched), so it is set again, with
 * the emulator's port, at every start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import type { AppCore } from '../main/core/app-core';
import { systemClock } from '../main/core/clock';
import { InMemoryKeychain } from '../main/core/secrets/keychain';
import { AppHost } from '../test/e2e/host/app-host';
import { serveRenderer } from '../test/e2e/host/static-server';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from './chromium';
import { startSinchEmulator } from './sinch-emulator/server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RENDERER = path.join(ROOT, 'dist/renderer');

/** The demo's people. Demo passwords only: printed on purpose, never used outside a demo data dir. */
const DEMO_USERS = [
  {
    username: 'admin',
    displayName: 'Ada Lindqvist',
    roles: ['administrator'],
    mobile: '+46701234501',
    email: 'ada.lindqvist@example.com',
    password: 'demo-Admin-Password-1',
  },
  {
    username: 'anna',
    displayName: 'Anna Virtanen',
    roles: [],
    mobile: '+358401234502',
    email: 'anna.virtanen@example.com',
    password: 'demo-Agent-Password-2',
  },
  {
    username: 'bo',
    displayName: 'Bo Berg',
    roles: [],
    mobile: null,
    email: 'bo.berg@example.com',
    password: 'demo-Agent-Password-3',
    mustChangePassword: true,
  },
  {
    username: 'reader',
    displayName: 'Rita Auditor',
    roles: ['read-only'],
    mobile: '+4915112345604',
    email: null,
    password: 'demo-Reader-Password-4',
  },
] as const;

const say = (line: string) => console.log(`demo: ${line}`);

function hasDisplay(): boolean {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

async function seed(core: AppCore): Promise<void> {
  if (core.users.hasAdministrator()) {
    say('the data dir already has its users; not seeding again');
    return;
  }
  for (const { mobile, email, roles, ...user } of DEMO_USERS) {
    await core.users.create(
      { ...user, roles: [...roles], ...(mobile ? { mobile } : {}), ...(email ? { email } : {}) },
      'demo',
    );
  }
  core.policy.set({ twoFactor: { enabled: true, primaryMethod: 'sms', fallbackMethod: 'email' } }, 'demo');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { headless: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
    strict: true,
  });
  if (!fs.existsSync(path.join(RENDERER, 'index.html'))) {
    console.error('demo: dist/renderer is missing: run `npm run demo` (it builds the renderer first).');
    return 2;
  }
  if (!fs.existsSync(CHROMIUM_EXECUTABLE)) {
    console.error(
      `demo: Chromium is missing at ${CHROMIUM_EXECUTABLE} (apt-get install chromium, or set SC_CHROMIUM).`,
    );
    return 2;
  }
  const headless = values.headless || !hasDisplay();
  if (headless && !values.headless) {
    say('no display here (DISPLAY and WAYLAND_DISPLAY are unset), so no window can open.');
    say('Running headless instead: Log on is opened and saved as a screenshot. For a window, run');
    say('`npm run demo` on a desktop, or in a remote session with X forwarding (ssh -X).');
  }
  const dataDir = path.resolve(values['data-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sc-demo-')));
  fs.mkdirSync(dataDir, { recursive: true });

  const emulator = await startSinchEmulator({ port: 0, log: (line) => say(`Sinch emulator: ${line}`) });
  const server = await serveRenderer(RENDERER);
  const host = new AppHost({
    dataDir,
    clock: systemClock,
    keychain: new InMemoryKeychain(),
    appOrigin: server.origin,
  });
  let browser: Browser | null = null;
  const shutDown = async () => {
    await browser?.close().catch(() => undefined);
    host.close();
    await server.close();
    await emulator.close();
  };

  try {
    host.core.policy.set(
      {
        sinch: {
          endpoint: emulator.url,
          authMethod: 'signed',
          emailSenderAddress: 'noreply@sc.example',
          emailSenderName: 'System Configurator',
        },
      },
      'demo',
    );
    await seed(host.core);
    await host.core.secrets.set(
      { name: 'sinch-verification-api', authId: emulator.key, secret: emulator.secret, asDefault: true },
      'installer',
    );

    // Ctrl+C is ours (a clean shut-down of the core, the server and the emulator), not Playwright's exit.
    browser = await chromium.launch({
      executablePath: CHROMIUM_EXECUTABLE,
      args: CHROMIUM_ARGS,
      headless,
      handleSIGINT: false,
      handleSIGTERM: false,
    });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await host.attach(page);
    await page.goto(`${server.origin}/index.html`);
    await page.locator('[data-testid=login-username]').waitFor({ state: 'visible', timeout: 30_000 });

    say(`data dir ${dataDir}`);
    say('log on as (two-factor by SMS is on; codes appear below as the emulator sends them):');
    for (const user of DEMO_USERS)
      say(
        `  ${user.username.padEnd(7)} ${user.password}   ${user.displayName}, ${user.roles.join(', ') || 'user'}`,
      );

    if (headless) {
      const shot = path.join(dataDir, 'screenshots', 'log-on.png');
      fs.mkdirSync(path.dirname(shot), { recursive: true });
      await page.screenshot({ path: shot });
      say(`Log on screen is up; screenshot: ${shot}`);
      await shutDown();
      say('shut down');
      return 0;
    }

    say('Log on screen is up in the Chromium window. Close the window or press Ctrl+C to stop.');
    await new Promise<void>((resolve) => {
      page.once('close', () => resolve());
      browser?.once('disconnected', () => resolve());
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await shutDown();
    say('shut down');
    return 0;
  } catch (error) {
    await shutDown();
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
