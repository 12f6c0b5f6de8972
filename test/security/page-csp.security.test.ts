/**
 * The built page inlines its stylesheet; its CSP allows that style by hash and nothing else. The policy
 * stays strict: no 'unsafe-inline' (or any other unsafe keyword), every other directive unchanged, and a
 * page's hashes are those of its own <style> elements only (the app:// header, the test host's header and
 * the build's <meta> all come from main/shell/page-csp.ts). A style added at run time matches no hash: the
 * e2e host suite sees Chromium block one (test/e2e/host.spec.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, inlineStyles } from '../../main/contract/csp';
import { pageContentSecurityPolicy, pageContentSecurityPolicyMeta } from '../../main/shell/page-csp';
import { APP_ORIGIN, createRendererHandler } from '../../main/shell/protocol';
import { resetFakeElectron } from '../shell/support/fake-electron';
import { rendererDir } from '../shell/support/shell-fixture';

vi.mock('electron', () => import('../shell/support/fake-electron'));

const CSS = ':root{--bg:#f3f5f8}body{margin:0}';
const PAGE = `<!doctype html><html><head><title>System Configurator</title><style>${CSS}</style></head><body></body></html>`;
const hashOf = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');
const directives = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0], d] as const));

describe("a page's Content-Security-Policy", () => {
  it("allows the page's own inline style by its SHA-256 hash, and changes nothing else", () => {
    const policy = directives(pageContentSecurityPolicy(PAGE));
    expect(policy.get('style-src')).toBe(`style-src 'self' 'sha256-${hashOf(CSS)}'`);
    const base = directives(CONTENT_SECURITY_POLICY);
    for (const [name, directive] of base) if (name !== 'style-src') expect(policy.get(name)).toBe(directive);
    expect([...policy.keys()].sort()).toEqual([...base.keys()].sort());
  });

  it('never contains an unsafe keyword, whatever the page holds', () => {
    const hostile = `${PAGE}<style nonce="x">'unsafe-inline'</style><div style="color:red"></div>`;
    for (const policy of [pageContentSecurityPolicy(hostile), pageContentSecurityPolicyMeta(hostile)]) {
      expect(policy).not.toMatch(/unsafe|\*|nonce-|data:.*style/);
      expect(policy).toMatch(
        /^default-src 'none'; script-src 'self'; style-src 'self'( 'sha256-[A-Za-z0-9+/]+=*')+;/,
      );
    }
  });

  it('lists exactly the styles of the page: a page without one gets the base policy', () => {
    expect(inlineStyles(PAGE)).toEqual([CSS]);
    expect(pageContentSecurityPolicy('<!doctype html><title>x</title>')).toBe(CONTENT_SECURITY_POLICY);
    expect(pageContentSecurityPolicy(`${PAGE}<style>b{}</style>`)).toContain(`'sha256-${hashOf('b{}')}'`);
  });

  it('the <meta> carries the same policy, without frame-ancestors', () => {
    expect(pageContentSecurityPolicyMeta(PAGE)).toBe(
      pageContentSecurityPolicy(PAGE).replace("; frame-ancestors 'none'", ''),
    );
  });
});

describe('app:// sends a page its own policy', () => {
  let serve: (request: Request) => Promise<Response>;
  beforeEach(() => {
    resetFakeElectron();
    const dir = rendererDir();
    fs.writeFileSync(path.join(dir, 'index.html'), PAGE);
    serve = createRendererHandler(dir);
  });

  it('index.html: the hash of its stylesheet; a script: the base policy', async () => {
    const page = await serve(new Request(`${APP_ORIGIN}/index.html`));
    expect(page.headers.get('content-security-policy')).toBe(pageContentSecurityPolicy(PAGE));
    expect(page.headers.get('content-security-policy')).toContain(`'sha256-${hashOf(CSS)}'`);
    const script = await serve(new Request(`${APP_ORIGIN}/assets/index-abc123.js`));
    expect(script.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
