/**
 * A real OpenID provider for the SSO tests: `oidc-provider` on 127.0.0.1 (port 0) with public native test
 * clients (PKCE required, no secret, loopback redirects on any port), an in-memory account store, its
 * built-in dev login and consent pages, and an RSA signing key (one per test process, or its own). Plus a scripted "system
 * browser" over fetch (a cookie jar, redirects followed by hand, the dev forms submitted) and a helper that
 * fetches a genuine token response from a provider, for token-substitution tests.
 *
 *   const idp = await startOidcProvider();
 *   const browser = new HttpBrowser();
 *   const sso = createOidcSso({ policy, openExternal: (url) => browser.run(url, { login: 'u-alice' }), ... });
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type AccountClaims, type ClientMetadata, type JsonWebKey } from 'oidc-provider';
import * as oidc from 'openid-client';
import { isScError, type ScError } from '../../main/core/errors';

export interface IdpAccount {
  /** The subject; also what the dev login form takes as the "login". */
  sub: string;
  preferred_username?: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export const SC_CLIENT_ID = 'sc-desktop';
export const OTHER_CLIENT_ID = 'other-app';

export const DEFAULT_ACCOUNTS: IdpAccount[] = [
  {
    sub: 'u-alice-7f3a',
    preferred_username: 'alice',
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice',
  },
  {
    sub: 'u-bob-91c2',
    preferred_username: 'bob',
    email: 'bob@example.com',
    email_verified: true,
    name: 'Bob',
  },
  {
    sub: 'u-carol-5d10',
    preferred_username: 'carol',
    email: 'carol@example.com',
    email_verified: true,
    name: 'Carol',
  },
  {
    sub: 'u-mallory-0bad',
    preferred_username: 'mallory',
    email: 'mallory@example.com',
    email_verified: true,
  },
  { sub: 'u-noname-1234', email: 'noname@example.com', email_verified: false },
];

export interface TestIdp {
  /** The issuer string (the provider's own URL unless told otherwise). */
  issuer: string;
  /** Where it listens: http://127.0.0.1:PORT */
  url: string;
  accounts: IdpAccount[];
  /** The key id of its signing key. */
  kid: string;
  /** The subject of the account with this preferred_username. */
  subjectOf(username: string): string;
  close(): Promise<void>;
}

export interface StartIdpOptions {
  accounts?: IdpAccount[];
  /** Pretend to be another issuer (an impostor signing with its own keys). */
  issuer?: string;
  /** The key id of the signing key (an impostor can reuse the real provider's). */
  kid?: string;
  /** A signing key of its own (default: one RSA key shared by the test process, made once). */
  ownKey?: boolean;
  /** oidc-provider's default (true) puts profile/email claims in userinfo only, not in the ID token. */
  conformIdTokenClaims?: boolean;
  idTokenTtlSeconds?: number;
}

const running: TestIdp[] = [];
let sharedKey: JsonWebKey | undefined;

function newRsaKey(): JsonWebKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ format: 'jwk' }) as JsonWebKey;
}

export async function startOidcProvider(options: StartIdpOptions = {}): Promise<TestIdp> {
  const accounts = options.accounts ?? DEFAULT_ACCOUNTS;
  let handler: http.RequestListener = (_request, response) => response.writeHead(503).end();
  const server = http.createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = options.issuer ?? url;

  const signingKey: JsonWebKey = {
    ...(options.ownKey ? newRsaKey() : (sharedKey ??= newRsaKey())),
    kid: options.kid ?? `k-${randomUUID()}`,
    alg: 'RS256',
    use: 'sig',
  };
  const client = (client_id: string): ClientMetadata => ({
    client_id,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://127.0.0.1/callback'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  });

  // Its start-up warnings about the dev-only adapter and login pages are expected here: keep the output clean.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!(typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING: a quick start')))
      warn(...args);
  };
  let provider: Provider;
  try {
    provider = createProvider();
    handler = provider.callback();
  } finally {
    console.warn = warn;
  }

  function createProvider(): Provider {
    return new Provider(issuer, {
      clients: [client(SC_CLIENT_ID), client(OTHER_CLIENT_ID)],
      findAccount(_ctx, id) {
        const account = accounts.find((a) => a.sub === id);
        if (!account) return undefined;
        return { accountId: id, claims: (): AccountClaims => ({ ...account }) };
      },
      claims: {
        openid: ['sub'],
        profile: ['preferred_username', 'name'],
        email: ['email', 'email_verified'],
      },
      jwks: { keys: [signingKey] },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
      ttl: {
        IdToken: options.idTokenTtlSeconds ?? 3600,
        AccessToken: 3600,
        AuthorizationCode: 60,
        Interaction: 600,
        Session: 3600,
        Grant: 3600,
      },
      conformIdTokenClaims: options.conformIdTokenClaims ?? true,
    });
  }

  const idp: TestIdp = {
    issuer,
    url,
    accounts,
    kid: signingKey.kid!,
    subjectOf(username) {
      const account = accounts.find((a) => a.preferred_username === username);
      if (!account) throw new Error(`no IdP account ${username}`);
      return account.sub;
    },
    async close() {
      const index = running.indexOf(idp);
      if (index >= 0) running.splice(index, 1);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  running.push(idp);
  return idp;
}

/**
 * Closes every provider still running: `afterEach(stopOidcProviders)` in a vitest file (not registered
 * here, so the Playwright suite can import this module too).
 */
export async function stopOidcProviders(): Promise<void> {
  for (const idp of [...running]) await idp.close();
}

/** A port nobody listens on (for "provider down"). */
/** The SSO refusal (ScError 'sso-error') an authentication ends in; anything else fails the test. */
export async function authenticateError(
  sso: { authenticate(signal: AbortSignal): Promise<unknown> },
  signal = new AbortController().signal,
): Promise<ScError> {
  try {
    await sso.authenticate(signal);
  } catch (error) {
    if (isScError(error, 'sso-error')) return error;
    throw error;
  }
  throw new Error('expected an SSO refusal');
}

export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---- The scripted browser ----

export interface BrowserScript {
  /** The account to sign in as (its `sub`, typed into the dev login form). */
  login: string;
  /** 'cancel' follows the provider's "Cancel" link instead of signing in (access_denied). */
  action?: 'sign-in' | 'cancel';
  /** Change the callback before it is delivered (e.g. tamper with `state`). */
  tamper?: (callback: URL) => URL;
  /** Runs just before the callback is delivered (e.g. move a clock). */
  beforeCallback?: () => void | Promise<void>;
  /** Stop at the callback without requesting it (default: deliver it). */
  deliver?: boolean;
}

export interface BrowserResult {
  /** The redirect to the app's loopback URL, as delivered (after `tamper`). */
  callback: URL;
  /** What the loopback listener answered, when delivered. */
  page: { status: number; contentType: string | null; csp: string | null; body: string } | null;
}

/**
 * A "system browser" over fetch: keeps cookies per host, follows redirects by hand, fills the provider's
 * dev login form and accepts its consent form, and stops at a redirect to a loopback `/callback`.
 */
export class HttpBrowser {
  private readonly jar = new Map<string, Map<string, string>>();
  /** Every URL the browser was asked to open (what `openExternal` received). */
  readonly opened: string[] = [];

  async run(start: string, script: BrowserScript): Promise<BrowserResult> {
    this.opened.push(start);
    let url = new URL(start);
    let method = 'GET';
    let body: URLSearchParams | null = null;
    for (let hop = 0; hop < 30; hop += 1) {
      if (url.pathname === '/callback' && url.hostname === '127.0.0.1' && method === 'GET') {
        return this.deliver(url, script);
      }
      const response: Response = await fetch(url, {
        method,
        redirect: 'manual',
        headers: {
          ...(this.cookieHeader(url) ? { cookie: this.cookieHeader(url)! } : {}),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(body ? { body: body.toString() } : {}),
      });
      this.store(url, response.headers.getSetCookie());
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.arrayBuffer();
        url = new URL(location, url);
        method = 'GET';
        body = null;
        continue;
      }
      const html: string = await response.text();
      if (response.status !== 200)
        throw new Error(`browser: ${response.status} at ${url.href}: ${html.slice(0, 300)}`);
      const prompt: string | undefined = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (script.action === 'cancel') {
        const abort = /href="([^"]*\/abort)"/.exec(html)?.[1];
        if (!abort) throw new Error('browser: no cancel link on the page');
        url = new URL(decodeHtml(abort), url);
        continue;
      }
      const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/.exec(html)?.[1];
      if (!prompt || !action) throw new Error(`browser: no form to submit at ${url.href}`);
      body = new URLSearchParams(
        prompt === 'login' ? { prompt, login: script.login, password: 'any password' } : { prompt },
      );
      url = new URL(decodeHtml(action), url);
      method = 'POST';
    }
    throw new Error('browser: too many redirects');
  }

  private async deliver(callback: URL, script: BrowserScript): Promise<BrowserResult> {
    const delivered = script.tamper ? script.tamper(new URL(callback)) : callback;
    if (script.deliver === false) return { callback: delivered, page: null };
    await script.beforeCallback?.();
    const response = await fetch(delivered);
    return {
      callback: delivered,
      page: {
        status: response.status,
        contentType: response.headers.get('content-type'),
        csp: response.headers.get('content-security-policy'),
        body: await response.text(),
      },
    };
  }

  private cookieHeader(url: URL): string | null {
    const cookies = this.jar.get(url.host);
    if (!cookies || cookies.size === 0) return null;
    return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private store(url: URL, setCookies: string[]): void {
    const cookies = this.jar.get(url.host) ?? new Map<string, string>();
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((a) => {
        const [key = '', value = ''] = a.trim().split('=');
        if (key.toLowerCase() === 'max-age') return Number(value) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(value) <= Date.now();
        return false;
      });
      if (expired) cookies.delete(name);
      else cookies.set(name, pair.slice(eq + 1).trim());
    }
    this.jar.set(url.host, cookies);
  }
}

function decodeHtml(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"');
}

/** Parameters of an authorization URL the app opened (state, nonce, PKCE challenge, redirect URI). */
export function authorizationParams(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

/**
 * A new authorization request at `idp`, built by the test from the app's own one with some parameters
 * replaced (e.g. another nonce, another client): what an attacker's injected authorization would be.
 */
export function alteredAuthorizationUrl(
  idp: TestIdp,
  appUrl: string,
  changes: Record<string, string>,
): string {
  const url = new URL(`${idp.url}/auth`);
  for (const [key, value] of Object.entries({ ...authorizationParams(appUrl), ...changes })) {
    url.searchParams.set(key, value);
  }
  return url.href;
}

/**
 * A genuine token response (JSON text) from `idp` for `clientId` and `nonce`, obtained by a full
 * authorization code + PKCE round trip of the test's own: for substituting at the app's token endpoint.
 */
export async function obtainTokenResponse(
  idp: TestIdp,
  input: { clientId: string; nonce: string; login: string; scope?: string },
): Promise<string> {
  const verifier = oidc.randomPKCECodeVerifier();
  const redirectUri = 'http://127.0.0.1:9/callback';
  const start = new URL(`${idp.url}/auth`);
  start.search = new URLSearchParams({
    client_id: input.clientId,
    response_type: 'code',
    scope: input.scope ?? 'openid profile email',
    redirect_uri: redirectUri,
    state: oidc.randomState(),
    nonce: input.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  const { callback } = await new HttpBrowser().run(start.href, { login: input.login, deliver: false });
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback.href}`);
  const response = await fetch(`${idp.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: input.clientId,
      code_verifier: verifier,
    }).toString(),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`token: ${response.status} ${text}`);
  return text;
}
