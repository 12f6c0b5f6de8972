/**
 * A small stub OpenID provider on 127.0.0.1 for the SSO tests that need a provider that is missing, slow,
 * broken or hostile (sso.test.ts runs the whole flow against the real oidc-provider), and a harness around
 * createOidcSso toward it: what the app asked the browser to open, what it audited, how it was refused.
 *
 *   afterEach(closeStubProviders);
 *   const stub = await stubProvider({ discovery: 'ok', token: 'hang' });
 *   const error = await harness({ issuer: stub.issuer }, withCode).authenticate();
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CustomFetch } from 'openid-client';
import { SSO_DEFAULTS, type SsoSettings } from '../../main/contract/domain';
import type { AuditEntryInput } from '../../main/core/audit/audit-log';
import type { ScError } from '../../main/core/errors';
import { createOidcSso } from '../../main/core/sso/oidc-sso';
import { authenticateError } from './oidc-provider';

/** What the stub answers on /.well-known/openid-configuration; `metadata` is merged over a valid document. */
export interface StubBehaviour {
  discovery: 'ok' | 'hang' | 'status-500' | 'status-404' | 'not-json';
  metadata?: Record<string, unknown>;
  /** What the token endpoint answers (a code for a token). */
  token?: 'hang' | 'server-error' | 'invalid-grant' | 'not-json';
  /** Every answer comes this late (a slow provider). */
  delayMs?: number;
}

export interface Stub {
  issuer: string;
  requests: string[];
  behaviour: StubBehaviour;
}

const servers: http.Server[] = [];

/** Closes every stub still running: `afterEach(closeStubProviders)` in each file that starts one. */
export async function closeStubProviders(): Promise<void> {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function answer(stub: Stub, url: string, response: http.ServerResponse): void {
  const { discovery, metadata, token } = stub.behaviour;
  if (url === '/token') {
    if (token === 'hang') return;
    if (token === 'not-json') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
      return;
    }
    const status = token === 'server-error' ? 500 : 400;
    const error = token === 'server-error' ? 'server_error' : 'invalid_grant';
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
    return;
  }
  if (discovery === 'hang') return; // accepts, never answers
  if (discovery === 'status-500') return void response.writeHead(500).end('down for maintenance');
  if (discovery === 'status-404') return void response.writeHead(404).end('no such page');
  if (discovery === 'not-json') {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<html>a web page</html>');
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      issuer: stub.issuer,
      authorization_endpoint: `${stub.issuer}/auth`,
      token_endpoint: `${stub.issuer}/token`,
      jwks_uri: `${stub.issuer}/jwks`,
      response_types_supported: ['code'],
      ...metadata,
    }),
  );
}

export async function stubProvider(behaviour: StubBehaviour = { discovery: 'ok' }): Promise<Stub> {
  const stub: Stub = { issuer: '', requests: [], behaviour };
  const server = http.createServer((request, response) => {
    const url = request.url ?? '';
    stub.requests.push(url);
    const { delayMs } = stub.behaviour;
    if (delayMs === undefined) answer(stub, url, response);
    else setTimeout(() => answer(stub, url, response), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  stub.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}

export interface Harness {
  authenticate(signal?: AbortSignal): Promise<ScError>;
  isEnabled(): boolean;
  /** What the app asked the system browser to open. */
  opened: string[];
  audit: AuditEntryInput[];
}

export interface HarnessOptions {
  httpTimeoutMs?: number;
  timeoutMs?: number;
  /** The transport toward the provider (OidcSsoOptions.fetch). */
  fetch?: CustomFetch;
}

/**
 * An OidcSso toward `issuer`; `browser` is what the system browser does with the authorization URL (default:
 * nothing, the user never finishes). Identities are never reached in these tests.
 */
export function harness(
  settings: Partial<SsoSettings>,
  browser: (url: string) => Promise<void> = async () => undefined,
  options: HarnessOptions = {},
): Harness {
  const opened: string[] = [];
  const audit: AuditEntryInput[] = [];
  const sso = createOidcSso({
    policy: () => ({ ...SSO_DEFAULTS, enabled: true, clientId: 'sc-desktop', ...settings }),
    openExternal: async (url) => {
      opened.push(url);
      await browser(url);
    },
    audit: { append: (entry) => audit.push(entry) },
    identities: {
      resolve: () => {
        throw new Error('not reached');
      },
    },
    timeoutMs: options.timeoutMs ?? 5_000,
    ...(options.httpTimeoutMs !== undefined ? { httpTimeoutMs: options.httpTimeoutMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    opened,
    audit,
    isEnabled: () => sso.isEnabled(),
    authenticate: (signal) => authenticateError(sso, signal),
  };
}

/** The browser comes back to the app's redirect URI with `params` instead of the provider's answer. */
export function browserReturning(params: (authorization: URLSearchParams) => Record<string, string>) {
  return async (url: string) => {
    const authorization = new URL(url).searchParams;
    const callback = new URL(authorization.get('redirect_uri')!);
    for (const [name, value] of Object.entries(params(authorization))) callback.searchParams.set(name, value);
    const response = await fetch(callback);
    await response.text();
  };
}

/** The browser comes back with this log-on's state and a code, so the app asks the token endpoint. */
export const withCode = browserReturning((auth) => ({ state: auth.get('state')!, code: 'a-code' }));

/** Each audit entry's outcome and reason, in order. */
export const auditReasons = (h: Harness) => h.audit.map((entry) => [entry.outcome, entry.details?.reason]);
