/**
 * The browser test host: the real app core (createAppCore over a temp data dir) behind the real IPC gateway,
 * and pages wired to it the way Electron wires a window: the REAL preload injected before the page's
 * scripts, with only Electron's transport replaced (see electron-stand-in.ts).
 */
import type { Page } from '@playwright/test';
import { AUTH_INITIAL_STATE, AUTH_STATE_EVENT, channelNames } from '../../../main/contract/channel-names';
import type { AuthView } from '../../../main/contract/ipc';
import { createAppCore, type AppCore } from '../../../main/core/app-core';
import { isScError, type ScError } from '../../../main/core/errors';
import type { ManagedPolicySource } from '../../../main/core/policy/managed-policy';
import type { Clock } from '../../../main/core/clock';
import type { KeychainBackend } from '../../../main/core/secrets/keychain';
import type { SsoProvider } from '../../../main/core/auth/auth-service';
import { createGateway, type Gateway } from '../../../main/gateway/gateway';
import { preloadScript } from './preload-bundle';
import { SYNC_REPLIES_COOKIE, type SyncReplies } from './sync-replies';
import { entryPageFor } from '../../../main/contract/entry-page';
import type { IpcResult } from '../../../main/contract/errors';

export interface AppHostOptions {
  dataDir: string;
  clock: Clock;
  keychain: KeychainBackend;
  /** The page's origin: the only one the gateway answers. */
  appOrigin: string;
  idleTimeoutMs?: number;
  /** An identity provider stand-in (SSO has its own suite); none by default. */
  sso?: SsoProvider;
  /**
   * The "system browser" (the shell's shell.openExternal): given it, the core builds the real OpenID SSO
   * provider from the policy's `sso` block, as the app does. A stand-in `sso` wins over it.
   */
  openExternal?: (url: string) => Promise<void>;
  /** The machine's managed policy file, as the shell reads it (none by default). */
  managedPolicy?: ManagedPolicySource;
  /** The browser's languages stand in for the OS's (Electron's app.getPreferredSystemLanguages). */
  systemLocales?: readonly string[];
  /** The native save dialog (the shell: dialog.showSaveDialog): the test answers it. */
  chooseExportFile?: (suggestedName: string) => Promise<string | null>;
}

interface Client {
  page: Page;
  /** Pushes to this window, delivered one after the other; an answer waits for those made before it. */
  delivered: Promise<unknown>;
}

/**
 * The URL the host fetches for a page load: for the entry (/ or /index.html) the built page main/shell's
 * app:// handler would serve for this start state (main/contract/entry-page.ts), else the URL itself.
 */
function entryUrl(url: string, replies: SyncReplies): string {
  const target = new URL(url);
  if (target.pathname !== '/' && target.pathname !== '/index.html') return url;
  const start = replies[AUTH_INITIAL_STATE]?.mainFrame as IpcResult<AuthView> | undefined;
  target.pathname = `/${entryPageFor(start?.ok && start.value ? start : null)}`;
  return target.href;
}

/** How often the host ends idle sessions, as the shell does on its timer. */
const IDLE_SWEEP_MS = 1_000;

type Running = { core: AppCore; gateway: Pick<Gateway, 'invoke' | 'disconnect'>; unpush: () => void };

/**
 * The app refused to start (an invalid managed policy): no core, and every call the window makes answers
 * with the reason, which the window shows instead of Log on (the shell shows it in a start-up dialog).
 */
function refusedApp(refusal: ScError): Running {
  const error = { code: refusal.code, message: refusal.message };
  const core = new Proxy({} as AppCore, {
    get() {
      throw new Error(`the app refused to start: ${refusal.message}`);
    },
  });
  return {
    core,
    gateway: { invoke: () => Promise.resolve({ ok: false, error }), disconnect: () => {} },
    unpush: () => {},
  };
}

export class AppHost {
  private current: Running;
  /** Why the app did not start, when it did not. */
  refusal: ScError | null = null;
  private readonly clients = new Map<string, Client>();
  private readonly sweep: NodeJS.Timeout;
  private nextClient = 1;
  private readonly received = new Map<string, number>();
  private readonly slow = new Map<string, number>();

  constructor(private readonly options: AppHostOptions) {
    this.current = this.open();
    this.sweep = setInterval(() => this.sweepIdle(), IDLE_SWEEP_MS);
  }

  get core(): AppCore {
    return this.current.core;
  }

  get gateway(): Pick<Gateway, 'invoke' | 'disconnect'> {
    return this.current.gateway;
  }

  /** How many requests windows sent on `channel` (e.g. 'sc:auth:logOn') since the host started. */
  requests(channel: string): number {
    return this.received.get(channel) ?? 0;
  }

  /**
   * Holds every request on `channel` for `ms` before the gateway sees it, so a second click or Enter lands
   * while the first request is still on its way (as on a slow machine or network).
   */
  slowDown(channel: string, ms: number): void {
    this.slow.set(channel, ms);
  }

  /** Ends idle sessions now (the fixture's clock calls it after moving time). */
  sweepIdle(): void {
    try {
      this.current.core.auth.sweepIdle();
    } catch {
      // The core may be closing (restart, teardown).
    }
  }

  /** An app restart: closes the core and opens a new one on the same data dir. Sessions end; pages stay. */
  restart(): AppCore {
    this.current.unpush();
    if (!this.refusal) this.current.core.close();
    this.current = this.open();
    return this.current.core;
  }

  /** Makes `page` an app window: its own client id, the real preload, the gateway behind `window.sc`. */
  async attach(page: Page): Promise<string> {
    const clientId = `window-${this.nextClient++}`;
    const client: Client = { page, delivered: Promise.resolve() };
    this.clients.set(clientId, client);
    await page.exposeBinding('__scInvoke', async (source, channel: unknown, payload: unknown) => {
      const sender = {
        clientId,
        origin: originOf(source.frame.url()),
        isMainFrame: source.frame === source.page.mainFrame(),
      };
      this.received.set(String(channel), this.requests(String(channel)) + 1);
      const hold = this.slow.get(String(channel));
      if (hold) await new Promise((resolve) => setTimeout(resolve, hold));
      const result = await this.current.gateway.invoke(sender, String(channel), payload);
      // As on Electron's channel, state pushed while the call was handled reaches the window before the answer.
      await client.delivered;
      return result;
    });
    await this.injectPreload(page, clientId);
    page.once('close', () => {
      this.clients.delete(clientId);
      try {
        this.current.gateway.disconnect(clientId);
      } catch {
        // The core is already closed.
      }
    });
    return clientId;
  }

  /**
   * The real preload before each document's scripts, and main's answer to its synchronous start question.
   * In Electron main answers as the preload asks; a page cannot wait for this host synchronously, so the
   * host takes the answer from the gateway while the main frame's document is on its way and hands it over
   * in a cookie of that response, which the stand-in's `sendSync` reads (electron-stand-in.ts).
   */
  private async injectPreload(page: Page, clientId: string): Promise<void> {
    await page.addInitScript({ content: await preloadScript() });
    await page.route('**/*', async (route) => {
      const request = route.request();
      if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return route.fallback();
      const replies = await this.startReplies(clientId, request.url());
      // As main's app:// handler: the entry URL serves the page that suits the window's start state.
      const response = await route.fetch({ url: entryUrl(request.url(), replies) });
      const cookie = `${SYNC_REPLIES_COOKIE}=${encodeURIComponent(JSON.stringify(replies))}; Path=/; SameSite=Strict`;
      await route.fulfill({ response, headers: { ...response.headers(), 'set-cookie': cookie } });
    });
  }

  /** What main answers the preload's `sendSync(AUTH_INITIAL_STATE)` in a document at `url`. */
  private async startReplies(clientId: string, url: string): Promise<SyncReplies> {
    const origin = originOf(url);
    const ask = (isMainFrame: boolean) =>
      this.current.gateway.invoke({ clientId, origin, isMainFrame }, channelNames.auth.state, undefined);
    return { [AUTH_INITIAL_STATE]: { mainFrame: await ask(true), subFrame: await ask(false) } };
  }

  close(): void {
    clearInterval(this.sweep);
    this.current.unpush();
    if (!this.refusal) this.current.core.close();
  }

  private open(): Running {
    try {
      this.refusal = null;
      return this.openCore();
    } catch (error) {
      if (!isScError(error, 'managed-policy-refused')) throw error;
      this.refusal = error;
      return refusedApp(error);
    }
  }

  private openCore(): Running {
    const {
      dataDir,
      clock,
      keychain,
      appOrigin,
      idleTimeoutMs,
      sso,
      openExternal,
      managedPolicy,
      systemLocales,
      chooseExportFile,
    } = this.options;
    const core = createAppCore({
      dataDir,
      clock,
      keychain,
      sinchTimeoutMs: 3_000,
      // As the app does: a large database's search index is built after start-up.
      backgroundBuild: {},
      ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}),
      ...(sso ? { sso } : {}),
      ...(openExternal ? { openExternal } : {}),
      ...(managedPolicy ? { managedPolicy } : {}),
      ...(systemLocales ? { systemLocales } : {}),
      ...(chooseExportFile ? { chooseExportFile } : {}),
    });
    const gateway = createGateway(core, { appOrigin });
    const unpush = gateway.onStatePush((clientId, view) => this.push(clientId, view));
    return { core, gateway, unpush };
  }

  /** main → window (Electron's webContents.send): delivered at once, one after the other. */
  private push(clientId: string, view: AuthView): void {
    const client = this.clients.get(clientId);
    if (!client) return;
    const deliver = () =>
      client.page.evaluate(
        ([channel, payload]) =>
          (window as unknown as { __scDeliver?: (c: string, p: unknown) => void }).__scDeliver?.(
            channel,
            payload,
          ),
        [AUTH_STATE_EVENT, view] as const,
      );
    client.delivered = client.delivered.then(deliver).catch(() => undefined);
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}
