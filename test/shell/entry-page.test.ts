/**
 * Which page the window's entry URL serves (issue 15, first paint): Log on prerendered in the window's
 * language only when the start state is exactly that screen, otherwise the page without a screen, so a
 * window never shows a Log on it is not on. The rule (main/contract/entry-page.ts), main's app:// handler
 * with a chooser, and the shell's chooser asking the gateway for the window's state, against the stand-in
 * electron. (The real protocol handler in a real Electron is not run here: no Electron binary.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthView } from '../../main/contract/ipc';
import type { IpcResult } from '../../main/contract/errors';
import {
  BLANK_PAGE,
  ENTRY_PAGES,
  entryPageFor,
  isPlainLogOn,
  logOnPage,
  plainLogOnView,
} from '../../main/contract/entry-page';
import { APP_LOCALES } from '../../main/contract/locale';
import { channels } from '../../main/contract/ipc';
import { APP_ENTRY_URL, APP_ORIGIN, createRendererHandler } from '../../main/shell/protocol';
import { SESSION_PARTITION } from '../../main/shell/window';
import { resetFakeElectron, session } from './support/fake-electron';
import { rendererDir, startTestShell } from './support/shell-fixture';

vi.mock('electron', () => import('./support/fake-electron'));

const ok = (view: AuthView): IpcResult<AuthView> => ({ ok: true, value: view });
const signedOut = (changes: Partial<Extract<AuthView, { step: 'signedOut' }>> = {}): AuthView => ({
  ...plainLogOnView('en'),
  serverNow: 1_700_000_000_000,
  ...changes,
});

describe('the page for a start state', () => {
  it('plain Log on: the page prerendered in its language (English is index.html, the window URL)', () => {
    expect(entryPageFor(ok(signedOut()))).toBe('index.html');
    for (const locale of APP_LOCALES) {
      expect(entryPageFor(ok(signedOut({ locale })))).toBe(logOnPage(locale));
      expect(ENTRY_PAGES).toContain(logOnPage(locale));
    }
    expect(logOnPage('fi')).toBe('index.fi.html');
  });

  it('anything else: the page without a screen (a notice, an error, the SSO button, another step, no state)', () => {
    const others: (IpcResult<AuthView> | null)[] = [
      ok(signedOut({ notice: 'sessionExpired' })),
      ok(signedOut({ notice: 'signedOut' })),
      ok(signedOut({ ssoEnabled: true })),
      ok(signedOut({ error: { code: 'invalid-credentials', message: 'Invalid username or password.' } })),
      ok({ step: 'firstRun', serverNow: 0, error: null, locale: 'en' } as AuthView),
      ok({ step: 'ssoWaiting', serverNow: 0, error: null, locale: 'fi' }),
      { ok: false, error: { code: 'internal', message: 'x' } },
      null,
    ];
    for (const start of others) expect(entryPageFor(start), JSON.stringify(start)).toBe(BLANK_PAGE);
    expect(isPlainLogOn(plainLogOnView('de'))).toBe(true);
  });
});

describe("app:// serves the chosen page at the window's entry URL", () => {
  let dir: string;
  const body = async (response: Response) => ({ status: response.status, text: await response.text() });
  beforeEach(() => {
    resetFakeElectron();
    dir = rendererDir();
  });

  it('/ and /index.html: the page the chooser names; other files as they are', async () => {
    const serve = createRendererHandler(dir, async () => 'index.fi.html');
    for (const url of [APP_ENTRY_URL, `${APP_ORIGIN}/`]) {
      const page = await body(await serve(new Request(url)));
      expect(page, url).toEqual({ status: 200, text: expect.stringContaining('<!-- index.fi.html -->') });
    }
    expect((await body(await serve(new Request(`${APP_ORIGIN}/assets/index-abc123.js`)))).text).toBe(
      'console.log("hi")',
    );
    // The other pages only through the entry URL (test/shell/protocol.security.test.ts).
    expect(await body(await serve(new Request(`${APP_ORIGIN}/index.sv.html`)))).toEqual({
      status: 404,
      text: 'Not found.',
    });
  });

  it("a chooser's answer that is not one of the build's pages, or a failing chooser, gives the page without a screen", async () => {
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a page');
    for (const chooser of [
      async () => '../../etc/passwd',
      async () => 'notes.txt',
      async () => 'assets/index-abc123.js',
      async () => {
        throw new Error('the gateway is closing');
      },
    ]) {
      const page = await body(await createRendererHandler(dir, chooser)(new Request(APP_ENTRY_URL)));
      expect(page.text).toContain(`<!-- ${BLANK_PAGE} -->`);
    }
  });

  it('without a chooser, index.html as before', async () => {
    const page = await body(await createRendererHandler(dir)(new Request(APP_ENTRY_URL)));
    expect(page.text).toContain('<!-- index.html -->');
  });
});

describe("the shell chooses by the window's start state, as its preload will get it", () => {
  beforeEach(() => resetFakeElectron());

  const entryWith = async (state: IpcResult<unknown>) => {
    const { gateway } = await startTestShell();
    gateway.invoke.mockResolvedValue(state);
    const handler = session.fromPartition(SESSION_PARTITION).protocolHandlers.get('app')!;
    const text = await (await handler(new Request(APP_ENTRY_URL))).text();
    return { text, gateway };
  };

  it('plain Log on in Swedish: index.sv.html, asked for the one window as its main frame', async () => {
    const { text, gateway } = await entryWith(ok(signedOut({ locale: 'sv' })));
    expect(text).toContain('<!-- index.sv.html -->');
    expect(gateway.invoke).toHaveBeenCalledWith(
      { clientId: expect.stringMatching(/^window-\d+$/), origin: APP_ORIGIN, isMainFrame: true },
      channels.auth.state.name,
      undefined,
    );
  });

  it('a locked or signed-in window, a notice, or a refusal: the page without a screen', async () => {
    const states: IpcResult<unknown>[] = [
      ok(signedOut({ notice: 'sessionExpired' })),
      ok({ step: 'ssoWaiting', serverNow: 0, error: null, locale: 'en' }),
      { ok: false, error: { code: 'internal', message: 'x' } },
      { ok: true, value: null },
    ];
    for (const state of states) {
      resetFakeElectron();
      expect((await entryWith(state)).text, JSON.stringify(state)).toContain(`<!-- ${BLANK_PAGE} -->`);
    }
  });
});
