/**
 * Fixtures for the end-to-end suite. A spec does `import { test, expect } from './fixtures'` and gets:
 *
 * - `page`: the app window at 1280×800, loaded, showing Log on (First run with `test.use({ firstRun: true })`);
 * - `emulator`: the Sinch Verification API emulator: `lastCodeFor(numberOrAddress)`, `injectFaults()`, `outbox()`;
 * - `seed`: `user()`, `admin()`, `policy()`, `twoFactor()`, `twoFactorUser()`, `secret()`, `noSecret()`, straight into the core;
 * - `clock`: main's manual clock; `await clock.advance(ms)` moves main, the emulator and the page together;
 * - `app`: `core` (the real core the window talks to) and `restart()` (reopen the core on the same data dir);
 * - `ui`: `logOn()`, `logOnForCode(user)`, `enterCode()`, `choosePassword()`, `signIn()`, `screenshot(name)`, `checkA11y(label)`;
 * - `idp` (with `test.use({ sso: true })`, browser host only): a real OpenID provider (oidc-provider on
 *   127.0.0.1) that the policy's SSO block names, and the "system browser" the app opens on it:
 *   `signIn(username)` or `cancel()` there, once the app has opened it.
 *
 * Every test starts from: the emulator's key and secret as the provisioned default secret, the Sinch
 * settings pointed at the emulator (signed requests), 2FA off (the product's default) and one
 * administrator, ADMIN. Seeding happens before the window opens, like starting the app on a prepared
 * database; later seeding needs no reload unless the screen shown depends on it.
 *
 * SC_E2E_TARGET=electron runs the same specs against the packaged app (dist/main/index.js) through
 * Playwright's `_electron`, with an isolated data dir; without the Electron binary every test fails with
 * a clear message. There main keeps the system clock, so tests that use `clock` are skipped, by name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  test as base,
  expect,
  _electron,
  type ElectronApplication,
  type Page,
  type TestInfo,
} from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import type { NewUserInput, Policy, Role, SsoSettings, TwoFactorPolicy } from '../../main/contract/domain';
import { createAppCore, type AppCore } from '../../main/core/app-core';
import { ManualClock } from '../../main/core/clock';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import {
  DEFAULT_ACCOUNTS,
  HttpBrowser,
  SC_CLIENT_ID,
  startOidcProvider,
  type BrowserResult,
  type BrowserScript,
  type TestIdp,
} from '../support/oidc-provider';
import { AppHost } from './host/app-host';
import { serveRenderer, type StaticServer } from './host/static-server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TARGET: 'browser' | 'electron' =
  process.env.SC_E2E_TARGET === 'electron' ? 'electron' : 'browser';
/** @public (the screenshots spec writes there too) */
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');

/** Long enough for the password policy (12+ characters). */
export const PASSWORD = 'e2e-Correct-Horse-42';

export const ADMIN = {
  username: 'admin',
  password: 'admin-Correct-Horse-42',
  displayName: 'Ada Lindqvist',
  mobile: '+46701234501',
  email: 'ada.lindqvist@example.com',
} as const;

/** The user the log-on journeys sign in as: a mobile number for the SMS code, no roles. */
export const SAM = { username: 'sam', displayName: 'Sam Berg', mobile: '+46701234502' } as const;

export { wrongCodeFor } from '../support/codes';

interface SeededUser {
  username: string;
  password: string;
  displayName: string;
  mobile: string | null;
  email: string | null;
  roles: Role[];
}

export interface Seed {
  /** A user straight into the core (password PASSWORD unless given; no roles or contacts unless given). */
  user(input: Partial<NewUserInput> & { username: string; password?: string }): Promise<SeededUser>;
  /** ADMIN (an administrator with a mobile number and an e-mail address), or another one. */
  admin(input?: Partial<NewUserInput>): Promise<SeededUser>;
  /** Changes the Authentication Policy (merged over the current one). */
  policy(patch: {
    twoFactor?: Partial<TwoFactorPolicy>;
    sinch?: Partial<Policy['sinch']>;
    sso?: Partial<SsoSettings>;
  }): Promise<void>;
  /** Switches 2FA on (primary SMS, no fallback, unless told otherwise). */
  twoFactor(overrides?: Partial<TwoFactorPolicy>): Promise<void>;
  /** The log-on journeys' start: 2FA on (with `overrides`) and `user` (SAM unless given) to log on as. */
  twoFactorUser(
    user?: Partial<NewUserInput> & { username: string },
    overrides?: Partial<TwoFactorPolicy>,
  ): Promise<SeededUser>;
  /** Sets the Sinch secret: the emulator's key and secret, as a provisioned default unless `asDefault: false`. */
  secret(input?: { authId?: string; secret?: string; asDefault?: boolean }): Promise<void>;
  /** Deletes the Sinch secret ("Missing"). */
  noSecret(): Promise<void>;
}

interface TestClock {
  now(): number;
  /** Moves main's clock, the emulator's and the page's forward together, then lets main end idle sessions. */
  advance(ms: number): Promise<void>;
}

interface AppUnderTest {
  target: 'browser' | 'electron';
  /** The real core (in Electron mode: a second connection to the app's database, for seeding and checks). */
  readonly core: AppCore;
  /**
   * An app restart: the core is closed and reopened on the same data dir (in Electron mode the app is
   * relaunched), then the window is loaded again. Returns the window to use from then on.
   */
  restart(): Promise<Page>;
  /**
   * How many requests the window sent on a channel (`channelNames.auth.logOn`…), counted where the host hands
   * them to the gateway (browser host only: Electron's IPC is not observable from here).
   */
  requests(channel: string): number;
  /** Holds the window's requests on a channel for `ms` (browser host only): a second click lands mid-flight. */
  slowDown(channel: string, ms: number): void;
}

export interface Ui {
  logOn(username: string, password: string): Promise<void>;
  /** Waits for the code screen, then returns the newest code the emulator sent to `to`. */
  codeSentTo(to: string): Promise<string>;
  /** Logs `user` on with PASSWORD and returns the code sent to their mobile number. */
  logOnForCode(user: { username: string; mobile: string }): Promise<string>;
  /** Types a code into the code screen, or pastes it through the clipboard with `{ paste: true }`. */
  enterCode(code: string, options?: { paste?: boolean }): Promise<void>;
  /** Fills the change-password screen (confirmation = the new one unless given) and submits it with a click. */
  choosePassword(newPassword: string, confirm?: string): Promise<void>;
  /** Logs on and, when a code is asked for, enters the one the emulator sent to `to`; ends signed in. */
  signIn(user: { username: string; password: string }, to?: string | null): Promise<void>;
  /** Saves test-results/screenshots/<name>.png of the window (1280×800). */
  screenshot(name: string): Promise<void>;
  /** Runs axe-core (WCAG 2.x A/AA + best practices): fails on any serious or critical violation. */
  checkA11y(label: string): Promise<void>;
}

interface Options {
  /** Start with no administrator: the First run screen. */
  firstRun: boolean;
  /** The idle time-out of signed-in sessions (default 30 minutes). */
  idleTimeoutMs: number;
  /** For tests that provoke CSP violations on purpose: do not fail on them. */
  allowCspViolations: boolean;
  /**
   * SSO configured against a real OpenID provider (`idp`), the core building its OpenID SSO from the policy
   * as the app does (browser host only: the packaged app opens the real system browser). Off by default.
   */
  sso: boolean;
  /**
   * A machine-wide managed policy document (browser host only), written as an administrator deploys it
   * (owned by this user, root in CI; mode 644) and read by the core at start. None by default.
   */
  managedPolicy: object | null;
}

interface Internal {
  dataDir: string;
  manualClock: ManualClock;
  host: Host;
  idpServer: ScriptedIdp | null;
}

/** The save dialog main opens for an export: by default it answers a new file in a folder of the test's own. */
interface SaveDialog {
  /** The folder the default answer is in. */
  readonly dir: string;
  /** The names main suggested, in order. */
  readonly suggested: readonly string[];
  /** The next answer: a path, or null for Cancel. */
  answer(file: string | null): void;
}

interface Fixtures {
  saveDialog: SaveDialog;
  clock: TestClock;
  emulator: TestEmulator;
  app: AppUnderTest;
  seed: Seed;
  ui: Ui;
  idp: IdpUnderTest;
}

/** The provider's account for ADMIN (preferred_username `admin`), besides its default ones (alice, mallory…). */
const ADMIN_IDP_ACCOUNT = {
  sub: 'u-admin-3e8b',
  preferred_username: ADMIN.username,
  name: ADMIN.displayName,
  email: ADMIN.email,
  email_verified: true,
} as const;

/**
 * A provider account whose claims its owner chose to attack whoever reads them: markup in the name, a terminal
 * escape in the username. No SC user has its preferred_username, so with "admin-link" it waits for a link.
 */
export const HOSTILE_IDP_ACCOUNT = {
  sub: 'u-eve-66e1',
  preferred_username: 'eve\u001b[31m',
  name: '<img src=x onerror="document.title=\'owned\'">Eve',
  email: 'eve@example.com',
  email_verified: false,
} as const;

/**
 * The OpenID provider of `test.use({ sso: true })` and the "system browser" the app opens on it. The
 * browser opens and waits (the app shows its waiting screen) until the test acts in it: `signIn()` or
 * `cancel()` acts on the next page the app opened and no one acted on yet, waiting for it if need be.
 */
interface IdpUnderTest {
  /** The issuer (http://127.0.0.1:PORT), as in the policy. */
  readonly issuer: string;
  /** Every authorization URL the app opened in the browser, in order. */
  readonly opened: readonly string[];
  /** The subject the provider gives the account with this preferred_username. */
  subjectOf(username: string): string;
  /** Signs in at the provider as the account with this preferred_username; returns what the app's loopback answered. */
  signIn(username: string): Promise<BrowserResult>;
  /** Follows the provider's "Cancel" (access_denied back to the app). */
  cancel(): Promise<BrowserResult>;
}

/** How long `signIn()`/`cancel()` wait for the app to open the browser. */
const BROWSER_OPEN_TIMEOUT_MS = 10_000;

/** What opens windows onto the core: the browser test host, or the Electron app. */
interface Host extends AppUnderTest {
  /** The window, loaded (called once, after seeding). */
  open(page: Page): Promise<Page>;
  sweepIdle(): void;
  close(): Promise<void>;
}

export const test = base.extend<Fixtures & Options & Internal, { server: StaticServer }>({
  firstRun: [false, { option: true }],
  idleTimeoutMs: [30 * 60_000, { option: true }],
  allowCspViolations: [false, { option: true }],
  sso: [false, { option: true }],
  managedPolicy: [null, { option: true }],

  server: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures name their dependencies; this one has none
    async ({}, use) => {
      const server = await serveRenderer(path.join(ROOT, 'dist/renderer'));
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],

  // eslint-disable-next-line no-empty-pattern -- no dependencies
  dataDir: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-e2e-'));
    await use(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  },

  // eslint-disable-next-line no-empty-pattern -- no dependencies
  manualClock: async ({}, use) => {
    await use(new ManualClock());
  },

  emulator: async ({ manualClock }, use) => {
    const emulator = await startTestEmulator(TARGET === 'browser' ? { clock: manualClock } : {});
    await use(emulator);
    await emulator.close();
  },

  idpServer: async ({ sso }, use) => {
    if (!sso) return use(null);
    test.skip(TARGET === 'electron', 'the packaged app opens the real system browser for SSO');
    const provider = await startOidcProvider({
      accounts: [...DEFAULT_ACCOUNTS, ADMIN_IDP_ACCOUNT, HOSTILE_IDP_ACCOUNT],
    });
    const idp = scriptedBrowser(provider);
    await use(idp);
    await idp.settle();
    await provider.close();
  },

  idp: async ({ idpServer }, use) => {
    if (!idpServer) throw new Error('the `idp` fixture needs `test.use({ sso: true })`');
    await use(idpServer);
  },

  // eslint-disable-next-line no-empty-pattern -- no dependencies
  saveDialog: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-e2e-export-'));
    const suggested: string[] = [];
    let next: string | null | undefined;
    await use({
      dir,
      suggested,
      answer: (file) => (next = file),
      // Not part of SaveDialog's public face: the host calls it.
      choose: async (name: string) => {
        suggested.push(name);
        const file = next === undefined ? path.join(dir, name) : next;
        next = undefined;
        return file;
      },
    } as SaveDialog);
    fs.rmSync(dir, { recursive: true, force: true });
  },

  host: async (
    { dataDir, manualClock, server, idleTimeoutMs, idpServer, locale, managedPolicy, saveDialog },
    use,
    testInfo,
  ) => {
    if (managedPolicy) {
      test.skip(TARGET === 'electron', 'the managed policy file is given to the browser host’s core');
    }
    const host =
      TARGET === 'electron'
        ? await electronHost(dataDir, testInfo)
        : browserHost(
            new AppHost({
              dataDir,
              clock: manualClock,
              keychain: new InMemoryKeychain(),
              appOrigin: server.origin,
              idleTimeoutMs,
              ...(idpServer ? { openExternal: idpServer.openExternal } : {}),
              ...(managedPolicy ? { managedPolicy: writeManagedPolicyFile(dataDir, managedPolicy) } : {}),
              // The browser's locale (test.use({ locale })) stands in for the OS language
              ...(locale ? { systemLocales: [locale] } : {}),
              chooseExportFile: (saveDialog as SaveDialog & { choose: (n: string) => Promise<string | null> })
                .choose,
            }),
            server,
            manualClock,
          );
    await use(host);
    await host.close();
  },

  app: async ({ host }, use) => {
    await use(host);
  },

  seed: async ({ host, emulator, firstRun, idpServer }, use) => {
    const seed = makeSeed(host, emulator);
    await seed.policy({ sinch: emulator.settings('signed') });
    if (idpServer)
      await seed.policy({ sso: { enabled: true, issuer: idpServer.issuer, clientId: SC_CLIENT_ID } });
    await seed.secret();
    if (!firstRun) await seed.admin();
    await use(seed);
  },

  page: async ({ page, host, seed, allowCspViolations }, use) => {
    void seed; // the database is prepared before the window opens
    const window = await host.open(page);
    // The window must work under its CSP and without uncaught errors: any of either fails the test.
    const problems: string[] = [];
    window.on('console', (message) => {
      if (allowCspViolations) return;
      if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text()))
        problems.push(message.text());
    });
    window.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    await use(window);
    expect(problems, 'CSP violations or uncaught errors in the window').toEqual([]);
  },

  clock: async ({ manualClock, page, host }, use) => {
    test.skip(TARGET === 'electron', 'needs main’s manual clock, which only the browser host has');
    await use({
      now: () => manualClock.now(),
      async advance(ms: number) {
        manualClock.advance(ms);
        await page.clock.fastForward(ms);
        host.sweepIdle();
      },
    });
  },

  ui: async ({ page, emulator }, use, testInfo) => {
    await use(makeUi(page, emulator, testInfo));
  },
});

export { expect };

// ---- the browser test host ----

/**
 * Writes a managed policy file next to the data dir, as an administrator deploys it: mode 644, owned by
 * this process's user (root in CI, the production rule; another user stands in for root otherwise).
 */
export function writeManagedPolicyFile(
  dataDir: string,
  document: object | string,
): { path: string; trustedOwnerUid: number } {
  const file = path.join(dataDir, 'managed-policy.json');
  fs.writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document), { mode: 0o644 });
  fs.chmodSync(file, 0o644);
  return { path: file, trustedOwnerUid: process.getuid?.() ?? 0 };
}

function browserHost(host: AppHost, server: StaticServer, clock: ManualClock): Host {
  let window: Page | null = null;
  return {
    target: 'browser',
    get core() {
      return host.core;
    },
    async open(page) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await host.attach(page);
      // The page's clock starts at main's time and is moved with it (clock.advance).
      await page.clock.install({ time: clock.now() });
      await page.goto(`${server.origin}/index.html`);
      await waitForApp(page);
      window = page;
      return page;
    },
    async restart() {
      host.restart();
      if (!window) throw new Error('restart(): the window is not open');
      await window.reload();
      await waitForApp(window);
      return window;
    },
    requests: (channel) => host.requests(channel),
    slowDown: (channel, ms) => host.slowDown(channel, ms),
    sweepIdle: () => host.sweepIdle(),
    async close() {
      host.close();
    },
  };
}

/** Waits until the renderer shows a step (the first view from main has arrived). */
async function waitForApp(page: Page): Promise<void> {
  await expect(page.locator('body[data-step]:not([data-step="loading"])')).toHaveCount(1);
}

// ---- SSO: the real OpenID provider and the scripted system browser ----

interface ScriptedIdp extends IdpUnderTest {
  /** The app's shell.openExternal. */
  openExternal(url: string): Promise<void>;
  /** Waits for the browser runs still going (each ends when the app's loopback has answered). */
  settle(): Promise<void>;
}

function scriptedBrowser(provider: TestIdp): ScriptedIdp {
  const opened: string[] = [];
  const unhandled: string[] = [];
  const waiting: ((url: string) => void)[] = [];
  const runs: Promise<unknown>[] = [];

  const nextPage = (): Promise<string> => {
    const url = unhandled.shift();
    if (url) return Promise.resolve(url);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(take), 1);
        reject(new Error(`the app did not open the system browser within ${BROWSER_OPEN_TIMEOUT_MS} ms`));
      }, BROWSER_OPEN_TIMEOUT_MS);
      const take = (next: string) => {
        clearTimeout(timer);
        resolve(next);
      };
      waiting.push(take);
    });
  };
  const act = async (script: BrowserScript): Promise<BrowserResult> => {
    const url = await nextPage();
    // A fresh browser each time: no provider session from an earlier log-on.
    const run = new HttpBrowser().run(url, script);
    runs.push(run.catch(() => undefined));
    return run;
  };

  return {
    issuer: provider.issuer,
    opened,
    async openExternal(url) {
      // Like shell.openExternal: the browser opens, and the user acts in it later.
      opened.push(url);
      const take = waiting.shift();
      if (take) take(url);
      else unhandled.push(url);
    },
    subjectOf: (username) => provider.subjectOf(username),
    signIn: (username) => act({ login: provider.subjectOf(username) }),
    cancel: () => act({ login: '', action: 'cancel' }),
    async settle() {
      await Promise.all(runs);
    },
  };
}

// ---- SC_E2E_TARGET=electron ----

async function electronHost(dataDir: string, testInfo: TestInfo): Promise<Host> {
  const { findElectronBinary, ELECTRON_MISSING_MESSAGE } = await import('../../tools/electron-binary');
  const { sandboxArgs } = await import('../e2e-electron/launch');
  const binary = findElectronBinary(ROOT);
  if (!binary) throw new Error(`SC_E2E_TARGET=electron cannot run: ${ELECTRON_MISSING_MESSAGE}`);
  const entry = path.join(ROOT, 'dist/main/index.js');
  if (!fs.existsSync(entry)) {
    throw new Error(`SC_E2E_TARGET=electron cannot run: ${entry} is missing. Run \`npm run build\` first.`);
  }
  const { createKeytarKeychain } = await import('../../main/core/secrets/keytar-keychain');
  // A second connection to the app's database (WAL) for seeding and checks; the OS keychain for the secret.
  const core = createAppCore({ dataDir, keychain: createKeytarKeychain() });
  let electron: ElectronApplication | null = null;
  const launch = async (): Promise<Page> => {
    electron = await _electron.launch({
      executablePath: binary,
      args: [entry, ...sandboxArgs(), '--data-dir', dataDir],
      env: { ...process.env, SC_DATA_DIR: dataDir },
    });
    const window = await electron.firstWindow();
    await window.setViewportSize({ width: 1280, height: 800 });
    await waitForApp(window);
    return window;
  };
  await testInfo.attach('target', { body: `electron ${binary}`, contentType: 'text/plain' });
  return {
    target: 'electron',
    core,
    open: () => launch(),
    async restart() {
      await electron?.close();
      return launch();
    },
    requests() {
      throw new Error('app.requests() counts requests in the browser host only');
    },
    slowDown() {
      throw new Error('app.slowDown() works in the browser host only');
    },
    sweepIdle: () => undefined,
    async close() {
      await electron?.close();
      core.close();
    },
  };
}

// ---- seeding ----

function makeSeed(app: AppUnderTest, emulator: TestEmulator): Seed {
  const seed: Seed = {
    async user(input) {
      const { password = PASSWORD, ...rest } = input;
      const view = await app.core.users.create({ password, ...rest }, 'e2e-seed');
      const { username, displayName, mobile, email, roles } = view;
      return { username, password, displayName, mobile, email, roles };
    },
    admin(input = {}) {
      return seed.user({
        username: ADMIN.username,
        password: ADMIN.password,
        displayName: ADMIN.displayName,
        mobile: ADMIN.mobile,
        email: ADMIN.email,
        roles: ['administrator'],
        ...input,
      });
    },
    async policy(patch) {
      app.core.policy.set(patch, 'e2e-seed');
    },
    twoFactor(overrides = {}) {
      return seed.policy({ twoFactor: { enabled: true, ...overrides } });
    },
    async twoFactorUser(user = SAM, overrides = {}) {
      await seed.twoFactor(overrides);
      return seed.user(user);
    },
    async secret(input = {}) {
      const asDefault = input.asDefault ?? true;
      await app.core.secrets.set(
        {
          name: 'sinch-verification-api',
          authId: input.authId ?? emulator.credentials.authId,
          secret: input.secret ?? emulator.credentials.secret,
          asDefault,
        },
        asDefault ? 'installer' : 'e2e-seed',
      );
    },
    async noSecret() {
      await app.core.secrets.delete('sinch-verification-api', 'e2e-seed');
    },
  };
  return seed;
}

// ---- UI helpers ----

function makeUi(page: Page, emulator: TestEmulator, testInfo: TestInfo): Ui {
  const ui: Ui = {
    async logOn(username, password) {
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
    },
    async codeSentTo(to) {
      await expect(page.getByTestId('screen-code')).toBeVisible();
      const code = emulator.lastCodeFor(to);
      if (!code) throw new Error(`no code was sent to ${to}`);
      return code;
    },
    async logOnForCode(user) {
      await ui.logOn(user.username, PASSWORD);
      return ui.codeSentTo(user.mobile);
    },
    async enterCode(code, options = {}) {
      const input = page.getByTestId('code-input');
      if (!options.paste) {
        await input.fill(code);
        return;
      }
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: new URL(page.url()).origin,
      });
      await page.evaluate((text) => navigator.clipboard.writeText(text), code);
      await input.focus();
      await page.keyboard.press('ControlOrMeta+V');
    },
    async choosePassword(newPassword, confirm = newPassword) {
      await page.getByTestId('pw-new').fill(newPassword);
      await page.getByTestId('pw-confirm').fill(confirm);
      await page.getByTestId('pw-submit').click();
    },
    async signIn(user, to) {
      await ui.logOn(user.username, user.password);
      const codeScreen = page.getByTestId('screen-code');
      const shell = page.getByTestId('screen-shell');
      await expect(codeScreen.or(shell)).toBeVisible();
      if (await codeScreen.isVisible()) {
        if (!to) throw new Error('signIn: a code was asked for, but no number or address was given');
        await ui.enterCode(await ui.codeSentTo(to));
      }
      await expect(shell).toBeVisible();
    },
    async screenshot(name) {
      await page.screenshot({
        path: path.join(SCREENSHOT_DIR, `${name}.png`),
        animations: 'disabled',
        caret: 'hide',
      });
    },
    async checkA11y(label) {
      const results = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
        .analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      if (results.violations.length) {
        await testInfo.attach(`axe-${label}.json`, {
          body: JSON.stringify(results.violations, null, 2),
          contentType: 'application/json',
        });
      }
      expect(
        serious.map(
          (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        ),
        `axe-core serious/critical violations on ${label}`,
      ).toEqual([]);
    },
  };
  return ui;
}
