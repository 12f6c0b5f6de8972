/**
 * The app:// handler serves the built renderer and nothing else: traversal (literal and encoded), other
 * hosts, unknown file types and missing files are refused, every answer carries the CSP and nosniff.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  createRendererHandler,
  installProtocols,
  registerAppScheme,
  resolveRequestPath,
} from '../../main/shell/protocol';
import { BLANK_PAGE, ENTRY_PAGES } from '../../main/contract/entry-page';
import { tempDir } from '../support/temp-dir';
import { FakeSession, protocol, resetFakeElectron } from './support/fake-electron';
import { rendererDir } from './support/shell-fixture';

vi.mock('electron', () => import('./support/fake-electron'));

let root: string;
let serve: (request: Request) => Promise<Response>;

beforeEach(() => {
  resetFakeElectron();
  // the renderer folder sits next to a secret file that traversal would reach
  const parent = tempDir('sc-protocol-');
  root = path.join(parent, 'renderer');
  fs.renameSync(rendererDir(), root);
  fs.writeFileSync(path.join(parent, 'secret.js'), 'the-secret');
  fs.writeFileSync(path.join(root, 'notes.txt'), 'not a served type');
  fs.writeFileSync(path.join(root, '.hidden.js'), 'hidden');
  serve = createRendererHandler(root);
});

describe('app:// protocol handler', () => {
  it('serves index.html for / and /index.html with the CSP header and nosniff', async () => {
    for (const url of [`${APP_ORIGIN}/`, `${APP_ORIGIN}/index.html`, APP_ORIGIN]) {
      const response = await serve(new Request(url));
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toContain('System Configurator');
    }
  });

  it('serves a script with a JavaScript type, and HEAD without a body', async () => {
    const get = await serve(new Request(`${APP_ORIGIN}/assets/index-abc123.js`));
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const head = await serve(new Request(`${APP_ORIGIN}/assets/index-abc123.js`, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it.each([
    ['a literal ..', '/../secret.js'],
    ['an encoded ..', '/%2e%2e/secret.js'],
    ['an upper-case encoded ..', '/%2E%2E/secret.js'],
    ['a half-encoded ..', '/.%2e/secret.js'],
    ['.. after a folder', '/assets/../../secret.js'],
    ['an encoded slash', '/..%2fsecret.js'],
    ['an encoded backslash', '/..%5csecret.js'],
    ['an encoded NUL', '/index.html%00.js'],
    ['a . segment', '/./index.html'],
  ])('refuses traversal with %s (%s) as sent, before touching the disk', async (_name, pathname) => {
    expect(resolveRequestPath(root, `${APP_ORIGIN}${pathname}`)).toEqual({ ok: false, status: 403 });
    const response = await serve(new Request(`${APP_ORIGIN}${pathname}`));
    // what reaches the handler after URL parsing (Request, like Chromium, resolves dot segments) stays inside
    expect(await response.text()).not.toContain('the-secret');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses a traversal that the URL parser would normalise (Chromium hands over what it parsed)', async () => {
    // new Request() normalises /../ away; whatever reaches the handler stays inside the renderer folder
    const response = await serve(new Request(`${APP_ORIGIN}/../secret.js`));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('the-secret');
  });

  it('refuses other hosts and other schemes', async () => {
    for (const url of [
      'app://evil/index.html',
      'app://system-configurator.evil/index.html',
      'https://system-configurator/index.html',
    ]) {
      expect(resolveRequestPath(root, url), url).toEqual({ ok: false, status: 404 });
    }
    expect((await serve(new Request('app://other-host/index.html'))).status).toBe(404);
  });

  it('refuses missing files, folders, hidden files and unknown file types with 404', async () => {
    fs.mkdirSync(path.join(root, 'folder.js'));
    for (const pathname of [
      '/folder.js',
      '/missing.js',
      '/assets',
      '/assets/',
      '/notes.txt',
      '/.hidden.js',
      '//index.html',
    ]) {
      const response = await serve(new Request(`${APP_ORIGIN}${pathname}`));
      expect(response.status, pathname).toBe(404);
    }
  });

  it("with a chooser, no request picks a page itself: the build's other pages, in any case, only through the entry URL", async () => {
    fs.writeFileSync(path.join(root, 'INDEX.html'), '<!-- as a case-insensitive disk finds index.html -->');
    const chosen = createRendererHandler(root, async () => BLANK_PAGE);
    const pages = ENTRY_PAGES.flatMap((page) => [
      page,
      page.toUpperCase(),
      page.replace(/^./, (c) => c.toUpperCase()),
    ]);
    for (const page of pages.filter((name) => name !== 'index.html')) {
      for (const pathname of [
        `/${page}`,
        `/${encodeURIComponent(page).replace(/\./g, '%2E')}`,
        `/${page}?x=1#y`,
      ]) {
        const response = await chosen(new Request(`${APP_ORIGIN}${pathname}`));
        expect(response.status, pathname).toBe(404);
        expect(response.headers.get('content-security-policy'), pathname).toBe(CONTENT_SECURITY_POLICY);
        expect(await response.text(), pathname).toBe('Not found.');
      }
    }
    // The entry URL, however spelt, serves the chosen page, with the CSP.
    for (const pathname of ['/', '/index.html', '/%69ndex%2Ehtml', '/index.html?lang=fi#x']) {
      const response = await chosen(new Request(`${APP_ORIGIN}${pathname}`));
      expect(await response.text(), pathname).toContain(`<!-- ${BLANK_PAGE} -->`);
      expect(response.headers.get('content-security-policy'), pathname).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await serve(new Request(`${APP_ORIGIN}/index.html`, { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
  });

  it('registers app:// as standard, secure and fetch-capable, and installs app:// and a file:// refusal in the session', async () => {
    registerAppScheme();
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    const ses = new FakeSession('persist:test');
    installProtocols(ses as never, root);
    expect([...ses.protocolHandlers.keys()].sort()).toEqual(['app', 'file']);
    const file = await ses.protocolHandlers.get('file')!(new Request('file:///etc/passwd'));
    expect(file.status).toBe(403);
  });
});
