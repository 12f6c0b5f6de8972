/**
 * SSO log-on (issue 7) against a REAL OpenID provider (oidc-provider on 127.0.0.1): the browser step by a
 * scripted fetch browser (and once by headless Chromium), the callback on the app's loopback listener,
 * the token exchange and ID token checks by openid-client, then the same 2FA path as a password log-on
 * against the Sinch emulator. Every refusal the issue lists has its test.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CustomFetch } from 'openid-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SsoSettings } from '../../main/contract/domain';
import type { AuthView } from '../../main/contract/ipc';
import { MINUTE } from '../../main/core/clock';
import { INTERNAL_ERROR } from '../../main/core/errors';
import { createOidcSso, type OidcSso } from '../../main/core/sso/oidc-sso';
import { loginFixture, PASSWORD, type LoginFixture } from '../support/app';
import {
  alteredAuthorizationUrl,
  authenticateError,
  authorizationParams,
  closedPort,
  HttpBrowser,
  obtainTokenResponse,
  OTHER_CLIENT_ID,
  SC_CLIENT_ID,
  startOidcProvider,
  stopOidcProviders,
  type BrowserResult,
  type BrowserScript,
  type TestIdp,
} from '../support/oidc-provider';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../tools/chromium';

afterEach(stopOidcProviders);

const CLIENT = 'window-1';
const MOBILE = { alice: '+46701234567', carol: '+46701234569', admin: '+46701234560' } as const;

interface SsoFixture extends LoginFixture {
  idp: TestIdp;
  sso: OidcSso;
  browser: HttpBrowser;
  /** What the app asked the system browser to open. */
  opened: string[];
  /** The browser runs started by `openExternal`. */
  runs: Promise<BrowserResult>[];
  /** What `openExternal` does (default: the scripted browser signs in as alice). */
  onOpen: (url: string) => Promise<BrowserResult | void>;
  /** When set, the app's token request is answered with this body instead (token substitution). */
  substitute: string | null;
  /** Every token endpoint response the app received (to prove no token leaks anywhere). */
  tokenBodies: string[];
  discoveries: number;
  /** Every URL the app asked of the provider, in order. */
  requested: string[];
  /** Runs as the app asks the provider for `url`; a Response returned is the provider's answer instead. */
  onRequest: (url: string) => Response | void;
}

async function ssoFixture(
  options: { timeoutMs?: number; sso?: Partial<SsoSettings>; idp?: TestIdp } = {},
): Promise<SsoFixture> {
  const idp = options.idp ?? (await startOidcProvider());
  const holder: { f?: SsoFixture } = {};
  const fx = () => holder.f!;
  const fetchVia: CustomFetch = async (url, init) => {
    fx().requested.push(url);
    const instead = fx().onRequest(url);
    if (instead) return instead;
    if (url.endsWith('/.well-known/openid-configuration')) fx().discoveries += 1;
    const isToken = url === `${idp.url}/token`;
    if (isToken && fx().substitute !== null) {
      return new Response(fx().substitute, { status: 200, headers: { 'content-type': 'application/json' } });
    }
    const response = await fetch(url, init as RequestInit);
    if (isToken) fx().tokenBodies.push(await response.clone().text());
    return response;
  };
  const sso = createOidcSso({
    policy: () => fx().core.policy.get().sso,
    openExternal: async (url) => {
      fx().opened.push(url);
      const run = fx().onOpen(url);
      fx().runs.push(run.then((r) => r ?? { callback: new URL(url), page: null }));
      run.catch(() => undefined);
    },
    clock: { now: () => fx().clock.now() },
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    fetch: fetchVia,
    audit: { append: (entry) => fx().core.audit.append(entry) },
    identities: { resolve: (answer, settings) => fx().core.ssoIdentities.resolve(answer, settings) },
  });
  const base = await loginFixture({ core: { sso } });
  base.clock.set(Date.now());
  base.core.policy.set(
    { sso: { enabled: true, issuer: idp.issuer, clientId: SC_CLIENT_ID, ...options.sso } },
    'test',
  );
  // SSO-only accounts have no password; carol has one too (she also logs on with it).
  await base.addUser({
    username: 'admin',
    mobile: MOBILE.admin,
    roles: ['administrator'],
    password: undefined,
  });
  await base.addUser({ username: 'alice', mobile: MOBILE.alice, password: undefined });
  await base.addUser({ username: 'bob', mobile: '+46701234568', active: false, password: undefined });
  await base.addUser({ username: 'carol', mobile: MOBILE.carol });
  const browser = new HttpBrowser();
  const f: SsoFixture = Object.assign(base, {
    idp,
    sso,
    browser,
    opened: [] as string[],
    runs: [] as Promise<BrowserResult>[],
    onOpen: (url: string) => browser.run(url, { login: idp.subjectOf('alice') }),
    substitute: null as string | null,
    tokenBodies: [] as string[],
    discoveries: 0,
    requested: [] as string[],
    onRequest: () => undefined,
  });
  holder.f = f;
  return f;
}

/** The next browser step signs in as `username`, in a fresh browser (no provider session from before). */
function signInAs(f: SsoFixture, username: string, extra: Partial<BrowserScript> = {}) {
  f.browser = new HttpBrowser();
  f.onOpen = (url) => f.browser.run(url, { login: f.idp.subjectOf(username), ...extra });
}

function expectStep<S extends AuthView['step']>(view: AuthView, step: S): Extract<AuthView, { step: S }> {
  expect(view.step, JSON.stringify(view.error)).toBe(step);
  return view as Extract<AuthView, { step: S }>;
}

function expectRefusal(view: AuthView, message: RegExp): void {
  expectStep(view, 'signedOut');
  expect(view.error?.code).toBe('sso-error');
  expect(view.error?.message).toMatch(message);
}

function lastCode(f: LoginFixture, to: string): string {
  const code = f.emulator.lastCodeFor(to);
  if (!code) throw new Error(`no code sent to ${to}`);
  return code;
}

function wrongCode(f: LoginFixture, to: string): string {
  return lastCode(f, to) === '000000' ? '111111' : '000000';
}

/** The identity-provider audit rows of SSO (stage, subject, reason), newest first. */
function ssoAudit(f: SsoFixture) {
  return f.core.audit.query({ action: 'logon.sso' }).entries;
}

function providerReasons(f: SsoFixture): unknown[] {
  return ssoAudit(f)
    .filter((e) => e.details.stage === 'identity-provider')
    .map((e) => e.details.reason ?? 'ok');
}

async function isListening(url: string): Promise<boolean> {
  try {
    await fetch(url, { headers: { connection: 'close' } });
    return true;
  } catch {
    return false;
  }
}

describe('SSO log-on, the whole flow', () => {
  it('browser sign-in → code screen → the code from the emulator → signed in via sso; audit has the subject, no token', async () => {
    const f = await ssoFixture();
    expect(f.core.auth.state(CLIENT)).toMatchObject({ step: 'signedOut', ssoEnabled: true });

    const view = expectStep(await f.core.auth.ssoStart(CLIENT), 'awaitingCode');
    expect(view.maskedDestination).toMatch(/67$/);
    const signedIn = expectStep(await f.core.auth.submitCode(CLIENT, lastCode(f, MOBILE.alice)), 'signedIn');
    expect(signedIn.user.username).toBe('alice');
    expect(f.core.audit.query({ action: 'logon.success' }).entries[0]?.details.via).toBe('sso');

    // The authorization request: code flow, PKCE S256, state, nonce, the loopback redirect.
    expect(f.opened).toHaveLength(1);
    const params = authorizationParams(f.opened[0]!);
    expect(f.opened[0]!.startsWith(`${f.idp.url}/auth?`)).toBe(true);
    expect(params).toMatchObject({
      client_id: SC_CLIENT_ID,
      response_type: 'code',
      scope: 'openid profile email',
      code_challenge_method: 'S256',
    });
    expect(params.code_challenge).toMatch(/^[\w-]{43}$/);
    expect(params.state!.length).toBeGreaterThanOrEqual(32);
    expect(params.nonce!.length).toBeGreaterThanOrEqual(32);
    expect(params.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    // The browser got the small self-contained page, and the listener is gone.
    const run = await f.runs[0]!;
    expect(run.page).toMatchObject({ status: 200, contentType: 'text/html; charset=utf-8' });
    expect(run.page!.body).toContain('You can return to System Configurator');
    expect(run.page!.body).not.toMatch(/<script|src=|href=|url\(/i);
    expect(run.page!.csp).toMatch(/^default-src 'none'/);
    expect(await isListening(params.redirect_uri!)).toBe(false);

    // Audit: the identity provider's answer with the subject and outcome, then the SC side.
    const rows = ssoAudit(f);
    const provider = rows.find((e) => e.details.stage === 'identity-provider');
    expect(provider).toMatchObject({
      actor: 'alice',
      outcome: 'success',
      details: { subject: f.idp.subjectOf('alice'), issuer: f.idp.issuer, claim: 'preferred_username' },
    });
    expect(rows.some((e) => e.outcome === 'success' && e.details.stage === undefined)).toBe(true);

    // No token anywhere: not in the audit log (every row), not in the views.
    expect(f.tokenBodies).toHaveLength(1);
    const tokens = JSON.parse(f.tokenBodies[0]!) as { access_token: string; id_token: string };
    expect(tokens.id_token.split('.')).toHaveLength(3);
    const everything = JSON.stringify([f.core.audit.query({ limit: 500 }).entries, view, signedIn]);
    for (const secret of [
      tokens.access_token,
      tokens.id_token,
      params.code_challenge!,
      run.callback.searchParams.get('code')!,
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toMatch(/eyJ[\w-]{10,}\./);
  });

  it('an SSO user who must change the password is not asked to (no password change for SSO)', async () => {
    const f = await ssoFixture();
    f.core.users.update('alice', { mustChangePassword: true }, 'test');
    expectStep(await f.core.auth.ssoStart(CLIENT), 'awaitingCode');
    expectStep(await f.core.auth.submitCode(CLIENT, lastCode(f, MOBILE.alice)), 'signedIn');
  });

  it('with 2FA off, SSO alone signs in', async () => {
    const f = await ssoFixture();
    f.core.policy.set({ twoFactor: { enabled: false } }, 'test');
    expectStep(await f.core.auth.ssoStart(CLIENT), 'signedIn');
    expect(f.emulator.stats().starts).toBe(0);
  });

  it('discovery is cached per issuer (for an hour), and its keys: two log-ons, one discovery and one key set request', async () => {
    const f = await ssoFixture({ idp: await startOidcProvider({ idTokenTtlSeconds: 3 * 3600 }) });
    const keySets = () => f.requested.filter((url) => url === `${f.idp.url}/jwks`).length;
    expect((await f.sso.authenticate(new AbortController().signal)).username).toBe('alice');
    expect((await f.sso.authenticate(new AbortController().signal)).username).toBe('alice');
    expect(f.discoveries).toBe(1);
    expect(keySets()).toBe(1);
    f.sso.clearCache();
    await f.sso.authenticate(new AbortController().signal);
    expect(f.discoveries).toBe(2);
    expect(keySets()).toBe(2);
    // Metadata is discovered again once an hour has passed, not a millisecond before.
    f.clock.advance(60 * MINUTE - 1);
    await f.sso.authenticate(new AbortController().signal);
    expect(f.discoveries).toBe(2);
    f.clock.advance(1);
    await f.sso.authenticate(new AbortController().signal);
    expect(f.discoveries).toBe(3);
  });

  it('the user claim can be email or sub, from userinfo (conforming provider) or from the ID token', async () => {
    for (const conformIdTokenClaims of [true, false]) {
      const idp = await startOidcProvider({ conformIdTokenClaims });
      const f = await ssoFixture({ idp });
      f.core.policy.set({ sso: { usernameClaim: 'email' } }, 'test');
      expect(await f.sso.authenticate(new AbortController().signal)).toEqual({
        username: 'alice@example.com',
        subject: idp.subjectOf('alice'),
        issuer: idp.issuer,
      });
      f.core.policy.set({ sso: { usernameClaim: 'sub' } }, 'test');
      expect((await f.sso.authenticate(new AbortController().signal)).username).toBe(idp.subjectOf('alice'));
    }
  });
});

describe('the user claim and userinfo', () => {
  it('a claim the (signed) ID token carries is taken from it: userinfo is not asked', async () => {
    const f = await ssoFixture({ idp: await startOidcProvider({ conformIdTokenClaims: false }) });
    for (const usernameClaim of ['preferred_username', 'email'] as const) {
      f.core.policy.set({ sso: { usernameClaim } }, 'test');
      expect((await f.sso.authenticate(new AbortController().signal)).subject).toBe(f.idp.subjectOf('alice'));
    }
    expect(f.requested.filter((url) => url.endsWith('/me'))).toEqual([]);
  });

  it('userinfo that fails is "cannot be reached" (not a missing claim), audited', async () => {
    const f = await ssoFixture();
    f.onRequest = (url) =>
      url.endsWith('/me') ? new Response('down for maintenance', { status: 503 }) : undefined;
    expectRefusal(await f.core.auth.ssoStart(CLIENT), /cannot be reached/);
    expect(f.requested.filter((url) => url.endsWith('/me'))).toHaveLength(1);
    expect(providerReasons(f)).toEqual(['provider-unreachable']);
  });
});

describe('SSO refusals', () => {
  it('wrong state: a tampered callback is refused (state mismatch)', async () => {
    const f = await ssoFixture();
    signInAs(f, 'alice', {
      tamper: (callback) => {
        callback.searchParams.set('state', 'forged-state');
        return callback;
      },
    });
    expectRefusal(await f.core.auth.ssoStart(CLIENT), /state mismatch/);
    expect(f.tokenBodies).toHaveLength(0); // refused before any token request
    expect(providerReasons(f)).toEqual(['state-mismatch']);
    expect(f.emulator.stats().starts).toBe(0);
  });

  it('wrong nonce: a code from another authorization request (injected, same state and PKCE) is refused', async () => {
    const f = await ssoFixture();
    f.onOpen = (url) =>
      f.browser.run(alteredAuthorizationUrl(f.idp, url, { nonce: 'a-nonce-of-another-request-0123456789' }), {
        login: f.idp.subjectOf('alice'),
      });
    expectRefusal(await f.core.auth.ssoStart(CLIENT), /nonce mismatch/);
    expect(f.tokenBodies).toHaveLength(1); // the provider did answer: the ID token check refused it
    expect(providerReasons(f)).toEqual(['nonce-mismatch']);
  });

  it('a token from another issuer (a second provider) is refused', async () => {
    const f = await ssoFixture();
    const other = await startOidcProvider({ ownKey: true });
    f.onOpen = async (url) => {
      const { nonce } = authorizationParams(url);
      f.substitute = await obtainTokenResponse(other, {
        clientId: SC_CLIENT_ID,
        nonce: nonce!,
        login: other.subjectOf('alice'),
      });
      return f.browser.run(url, { login: f.idp.subjectOf('alice') });
    };
    expectRefusal(await f.core.auth.ssoStart(CLIENT), /another identity provider/);
    expect(providerReasons(f)).toEqual(['issuer-mismatch']);
  });

  it('a callback that names another issuer (RFC 9207 iss) is refused', async () => {
    const f = await ssoFixture();
    signInAs(f, 'alice', {
      tamper: (callback) => {
        callback.searchParams.set('iss', 'https://idp.example.net');
        return callback;
      },
    });
    expectRefusal(await f.core.auth.ssoStart(CLIENT), /another identity provider/);
  });

  it('a token for another audience (another client of the same provider) is refused', async () => {
    const f = await ssoFixture();
    f.onOpen = async (url) => {
      f.substitute = await obtainTokenResponse(f.idp, {
        clientId: OTHER_CLIENT_ID,
        nonce: authorizationParams(url).nonce!,
        login: f.idp.subjectOf('alice'),
      });
      return f.browser.run(url, { login: f.idp.subjectOf('alice') });
    };
    const error = await authenticateError(f.sso);
    expect(error.details).toMatchObject({ reason: 'token-invalid', check: 'aud' });
    expect(error.message).toMatch(/could not be verified/);
  });

  it('a token with a bad signature (an impostor with the same issuer name and key id) is refused on its signature alone', async () => {
    // Both put the user's claims in the ID token itself: nothing but its signature can refuse it (with claims
    // in userinfo, the real provider refusing the impostor's access token there hid a missing signature check).
    const f = await ssoFixture({ idp: await startOidcProvider({ conformIdTokenClaims: false }) });
    const impostor = await startOidcProvider({
      issuer: f.idp.issuer,
      kid: f.idp.kid,
      ownKey: true,
      conformIdTokenClaims: false,
    });
    f.onOpen = async (url) => {
      f.substitute = await obtainTokenResponse(impostor, {
        clientId: SC_CLIENT_ID,
        nonce: authorizationParams(url).nonce!,
        login: impostor.subjectOf('alice'),
      });
      return f.browser.run(url, { login: f.idp.subjectOf('alice') });
    };
    const error = await authenticateError(f.sso);
    expect(error.details.reason).toBe('token-invalid');
    expect(f.requested.some((url) => url.endsWith('/me'))).toBe(false);
    expect(providerReasons(f)).toEqual(['token-invalid']);
    // The same token without the substitution trick would pass: only the signature differs.
    const claims = JSON.parse(
      Buffer.from(JSON.parse(f.substitute!).id_token.split('.')[1], 'base64url').toString(),
    );
    expect(claims).toMatchObject({ iss: f.idp.issuer, aud: SC_CLIENT_ID, preferred_username: 'alice' });
  });

  it('an expired ID token is refused (the validation clock moved past exp)', async () => {
    const f = await ssoFixture();
    signInAs(f, 'alice', { beforeCallback: () => f.clock.advance(2 * 60 * MINUTE) });
    const error = await authenticateError(f.sso);
    expect(error.details).toMatchObject({ reason: 'token-invalid', check: 'exp' });
  });

  it('an unknown user is refused (default "refuse"), with the subject in the audit', async () => {
    const f = await ssoFixture();
    signInAs(f, 'mallory');
    expectRefusal(await f.core.auth.ssoStart(CLIENT), /not allowed to use System Configurator/);
    const rows = ssoAudit(f);
    expect(rows.find((e) => e.details.reason === 'unknown-user')).toMatchObject({
      actor: 'mallory',
      outcome: 'failure',
    });
    expect(rows.find((e) => e.details.stage === 'identity-provider')?.details.subject).toBe(
      f.idp.subjectOf('mallory'),
    );
  });

  it('an unknown user with "admin-link" is refused with "an administrator must link it", audited', async () => {
    const f = await ssoFixture({ sso: { unknownUsers: 'admin-link' } });
    signInAs(f, 'mallory');
    expectRefusal(await f.core.auth.ssoStart(CLIENT), /An administrator must link it/);
    expect(ssoAudit(f).find((e) => e.details.reason === 'unlinked')).toMatchObject({
      actor: 'mallory',
      outcome: 'denied',
      details: { subject: f.idp.subjectOf('mallory') },
    });
    // A known user is not affected by the setting.
    signInAs(f, 'alice');
    expectStep(await f.core.auth.ssoStart(CLIENT), 'awaitingCode');
  });

  it('a deactivated user is refused', async () => {
    const f = await ssoFixture();
    signInAs(f, 'bob');
    expectRefusal(await f.core.auth.ssoStart(CLIENT), /not allowed to use System Configurator/);
    expect(ssoAudit(f).find((e) => e.details.reason === 'inactive')).toMatchObject({
      actor: 'bob',
      outcome: 'failure',
    });
    expect(f.emulator.stats().starts).toBe(0);
  });

  it('a missing claim is refused by name; an unverified e-mail cannot identify a user', async () => {
    const f = await ssoFixture();
    signInAs(f, 'alice');
    f.onOpen = (url) => f.browser.run(url, { login: 'u-noname-1234' });
    expectRefusal(await f.core.auth.ssoStart(CLIENT), /does not provide the "preferred_username" claim/);
    f.core.policy.set({ sso: { usernameClaim: 'email' } }, 'test');
    const error = await authenticateError(f.sso);
    expect(error.details.reason).toBe('email-unverified');
  });

  it('provider down (closed port): "cannot be reached", no browser opened, nothing cached', async () => {
    const f = await ssoFixture();
    f.core.policy.set({ sso: { issuer: `http://127.0.0.1:${await closedPort()}` } }, 'test');
    expectRefusal(await f.core.auth.ssoStart(CLIENT), /cannot be reached/);
    expect(f.opened).toHaveLength(0);
    expect(providerReasons(f)).toEqual(['provider-unreachable']);
    // Back up: the next log-on discovers again and works.
    f.core.policy.set({ sso: { issuer: f.idp.issuer } }, 'test');
    expectStep(await f.core.auth.ssoStart(CLIENT), 'awaitingCode');
  });

  it('a provider whose metadata names an http endpoint off this machine is refused before any browser', async () => {
    const f = await ssoFixture();
    const stub = http.createServer((request, response) => {
      const issuer = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer,
          authorization_endpoint: 'http://idp.example.net/auth',
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
        }),
      );
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    try {
      f.core.policy.set(
        { sso: { issuer: `http://127.0.0.1:${(stub.address() as AddressInfo).port}` } },
        'test',
      );
      expectRefusal(await f.core.auth.ssoStart(CLIENT), /did not answer as an OpenID provider/);
      expect(f.opened).toHaveLength(0);
    } finally {
      stub.closeAllConnections();
      await new Promise<void>((resolve) => stub.close(() => resolve()));
    }
  });

  it('the callback never arrives: the time-out closes the listener (a later connection is refused)', async () => {
    const f = await ssoFixture({ timeoutMs: 300 });
    f.onOpen = async () => undefined; // the user never finishes in the browser
    expectRefusal(await f.core.auth.ssoStart(CLIENT), /took too long/);
    const { redirect_uri } = authorizationParams(f.opened[0]!);
    expect(await isListening(redirect_uri!)).toBe(false);
    expect(providerReasons(f)).toEqual(['timeout']);
  });

  it('a second callback to the same listener is refused', async () => {
    const f = await ssoFixture();
    expectStep(await f.core.auth.ssoStart(CLIENT), 'awaitingCode');
    const { callback } = await f.runs[0]!;
    expect(await isListening(callback.href)).toBe(false);
    await expect(fetch(callback)).rejects.toThrow();
  });

  it('the user cancels at the provider (access_denied): "cancelled in the browser"', async () => {
    const f = await ssoFixture();
    signInAs(f, 'alice', { action: 'cancel' });
    expectRefusal(await f.core.auth.ssoStart(CLIENT), /cancelled in the browser/);
    expect((await f.runs[0]!).page?.body).toContain('not completed');
    expect(providerReasons(f)).toEqual(['cancelled']);
  });

  it('Cancel in the app while the browser is open stops the log-on and closes the listener', async () => {
    const f = await ssoFixture();
    f.onOpen = async () => undefined;
    const pending = f.core.auth.ssoStart(CLIENT);
    await expect.poll(() => f.opened.length).toBe(1);
    expect(f.core.auth.state(CLIENT).step).toBe('ssoWaiting');
    expectStep(f.core.auth.cancel(CLIENT), 'signedOut');
    const view = expectStep(await pending, 'signedOut');
    expect(view.notice).toBe('cancelled');
    expect(await isListening(authorizationParams(f.opened[0]!).redirect_uri!)).toBe(false);
  });
});

describe('Cancel after the browser step', () => {
  /** Cancel is pressed just as the app asks the provider for `path` (the answer still arrives). */
  async function cancelledAt(f: SsoFixture, path: string) {
    const cancel = new AbortController();
    f.onRequest = (url) => {
      if (new URL(url).pathname === path) cancel.abort();
    };
    const error = await authenticateError(f.sso, cancel.signal);
    expect(f.requested.map((url) => new URL(url).pathname)).toContain(path);
    return error;
  }

  it('during the code exchange: nothing more is asked of the provider, nothing is audited as a success', async () => {
    const f = await ssoFixture(); // its claims are in userinfo: the next request would be for them
    expect((await cancelledAt(f, '/token')).details.reason).toBe('aborted');
    expect(f.requested.some((url) => url.endsWith('/me'))).toBe(false);
    expect(ssoAudit(f)).toEqual([]);
  });

  it('while the claim is fetched from userinfo: the identity is not taken, nothing is audited as a success', async () => {
    const f = await ssoFixture();
    expect((await cancelledAt(f, '/me')).details.reason).toBe('aborted');
    expect(ssoAudit(f)).toEqual([]);
  });
});

describe('a failure of the identity store', () => {
  it('is said as this app’s own failure, audited as internal: never as a refused token, never with the store’s text', async () => {
    const f = await ssoFixture();
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    vi.spyOn(f.core.ssoIdentities, 'resolve').mockImplementation(() => {
      throw busy;
    });
    // The provider step answered; what failed is the store, passed on as it is (not dressed as an SSO refusal).
    await expect(f.sso.authenticate(new AbortController().signal)).rejects.toBe(busy);
    expect(providerReasons(f)).toEqual(['internal']);
    expect(ssoAudit(f)[0]).toMatchObject({ outcome: 'failure', details: { issuer: f.idp.issuer } });

    // The window says what the app says of any failure nobody planned for.
    signInAs(f, 'alice');
    const view = await f.core.auth.ssoStart(CLIENT);
    expect(view.step).toBe('signedOut');
    expect(view.error).toEqual(INTERNAL_ERROR);
    const signIn = ssoAudit(f).filter((entry) => entry.details.stage === 'sign-in');
    expect(signIn.map((entry) => entry.details.failure)).toEqual(['internal']);
    expect(JSON.stringify(f.core.audit.query({}).entries)).not.toMatch(/database|SQLITE/);
  });
});

describe('SSO and the SC lock', () => {
  it('a locked account stays locked through SSO: no code is sent', async () => {
    const f = await ssoFixture();
    expectStep(await f.core.auth.logOn(CLIENT, { username: 'carol', password: PASSWORD }), 'awaitingCode');
    for (let i = 0; i < 3; i++) await f.core.auth.submitCode(CLIENT, wrongCode(f, MOBILE.carol));
    const locked = expectStep(f.core.auth.state(CLIENT), 'locked');
    f.core.auth.cancel(CLIENT);
    const sent = f.emulator.stats().starts;

    signInAs(f, 'carol');
    const view = expectStep(await f.core.auth.ssoStart(CLIENT), 'locked');
    expect(view.lockedUntil).toBe(locked.lockedUntil);
    expect(f.emulator.stats().starts).toBe(sent);
  });

  it('failed attempts are shared: a wrong code via SSO and one via password count together', async () => {
    const f = await ssoFixture();
    signInAs(f, 'carol');
    expect(expectStep(await f.core.auth.ssoStart(CLIENT), 'awaitingCode').attemptsLeft).toBe(3);
    expect(
      expectStep(await f.core.auth.submitCode(CLIENT, wrongCode(f, MOBILE.carol)), 'awaitingCode')
        .attemptsLeft,
    ).toBe(2);
    f.core.auth.cancel(CLIENT);

    const byPassword = expectStep(
      await f.core.auth.logOn(CLIENT, { username: 'carol', password: PASSWORD }),
      'awaitingCode',
    );
    expect(byPassword.attemptsLeft).toBe(2);
    expect(
      expectStep(await f.core.auth.submitCode(CLIENT, wrongCode(f, MOBILE.carol)), 'awaitingCode')
        .attemptsLeft,
    ).toBe(1);
    f.core.auth.cancel(CLIENT);

    expect(expectStep(await f.core.auth.ssoStart(CLIENT), 'awaitingCode').attemptsLeft).toBe(1);
    expectStep(await f.core.auth.submitCode(CLIENT, wrongCode(f, MOBILE.carol)), 'locked');
    expect(f.core.users.get('carol').failedCodeAttempts).toBe(3);
  });
});

describe('SSO wired by createAppCore({ openExternal })', () => {
  it('builds the provider from the policy: off until configured, then the whole flow', async () => {
    const idp = await startOidcProvider();
    const browser = new HttpBrowser();
    const f = await loginFixture({
      core: {
        openExternal: async (url) =>
          void browser.run(url, { login: idp.subjectOf('alice') }).catch(() => undefined),
      },
    });
    f.clock.set(Date.now());
    await f.addUser({ username: 'alice', mobile: MOBILE.alice, roles: ['administrator'] });
    expect(f.core.auth.state(CLIENT)).toMatchObject({ step: 'signedOut', ssoEnabled: false });
    f.core.policy.set({ sso: { enabled: true, issuer: idp.issuer, clientId: SC_CLIENT_ID } }, 'test');
    expect(f.core.auth.state(CLIENT)).toMatchObject({ step: 'signedOut', ssoEnabled: true });
    // An administrator is linked by an administrator, never by a claim.
    f.core.ssoIdentities.link(
      { issuer: idp.issuer, subject: idp.subjectOf('alice'), username: 'alice' },
      'test',
    );
    expectStep(await f.core.auth.ssoStart(CLIENT), 'awaitingCode');
    expectStep(await f.core.auth.submitCode(CLIENT, lastCode(f, MOBILE.alice)), 'signedIn');
    const provider = f.core.audit
      .query({ action: 'logon.sso' })
      .entries.find((e) => e.details.stage === 'identity-provider');
    expect(provider?.details.subject).toBe(idp.subjectOf('alice'));
  });
});

describe('SSO in a real browser (headless Chromium)', () => {
  it('signs in through the provider pages in Chromium and shows "You can return to System Configurator"', async () => {
    const f = await ssoFixture();
    // Imported here, not at the top: it takes seconds, and the mutation run re-imports per mutant.
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM_EXECUTABLE,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const context = await browser.newContext();
      // Nothing leaves this machine (the provider's dev page imports a web font).
      await context.route('**/*', (route) =>
        new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
      );
      const page = await context.newPage();
      const sub = f.idp.subjectOf('alice');
      f.onOpen = async (url) => {
        await page.goto(url);
        await page.fill('input[name="login"]', sub);
        await page.fill('input[name="password"]', 'any password');
        await page.click('button[type="submit"]');
        await page.waitForSelector('input[name="prompt"][value="consent"]', { state: 'attached' });
        await page.click('button[type="submit"]');
        await page.waitForURL(/127\.0\.0\.1:\d+\/callback\?/);
      };
      expectStep(await f.core.auth.ssoStart(CLIENT), 'awaitingCode');
      await f.runs[0];
      await expect.poll(() => page.textContent('h1')).toBe('You can return to System Configurator');
      expectStep(await f.core.auth.submitCode(CLIENT, lastCode(f, MOBILE.alice)), 'signedIn');
    } finally {
      await browser.close();
    }
  }, 60_000);
});
