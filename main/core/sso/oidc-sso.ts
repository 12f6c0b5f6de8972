/**
 * SSO log-on the way native apps must do it (RFC 8252): OpenID Connect authorization code flow with PKCE
 * (S256), state and nonce, in the user's system browser, the answer caught on a loopback redirect. Built
 * on openid-client v6. Tokens live in local variables of `authenticate` only: they are never stored,
 * logged, audited, put in an error or returned. What leaves this module is the SC username the identity
 * maps to (sso-identities.ts decides: by its link, else by the configured claim) with its issuer and subject.
 */
import * as oidc from 'openid-client';
import type { AuditLog } from '../audit/audit-log';
import type { SsoProvider } from '../auth/auth-service';
import { systemClock, type Clock } from '../clock';
import { ScError } from '../errors';
import type { SsoSettings } from '../../contract/domain';
import { parseHttpsOrLoopbackUrl } from '../../contract/web-url';
import { startLoopbackListener } from './loopback-listener';
import { auditIdentityProvider, IDENTITY_REFUSALS, type SsoIdentities } from './sso-identities';
import { SSO_MESSAGES, ssoFailure, ssoRefusal, type SsoFailureReason } from './sso-refusals';

export interface OidcSsoOptions {
  /** The SSO block of the policy, read at every log-on. */
  policy: () => SsoSettings;
  /**
   * Opens the system browser at the authorization URL. The shell passes Electron's shell.openExternal
   * (behind its own allow-list); tests pass a scripted browser. It need not wait for the browser.
   */
  openExternal: (url: string) => Promise<void>;
  /** Time for validating the ID token (exp): the core's clock. */
  clock?: Clock;
  /** How long the loopback listener waits for the browser (default 5 minutes). */
  timeoutMs?: number;
  /** Per request to the identity provider (default 10 s). */
  httpTimeoutMs?: number;
  /** Replaces fetch for requests to the provider (e.g. Electron's net.fetch for the system proxy). */
  fetch?: oidc.CustomFetch;
  /** Records the identity provider's answer (issuer, subject, outcome; never a token) as `logon.sso`. */
  audit: Pick<AuditLog, 'append'>;
  /** Maps an accepted answer to an SC user: by its issuer + subject link, else by the claim (first match). */
  identities: Pick<SsoIdentities, 'resolve'>;
}

export interface OidcSso extends SsoProvider {
  /** Forgets discovered provider metadata and keys (the next log-on discovers again). */
  clearCache(): void;
}

const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
/** Provider metadata is discovered again after this long (keys are refreshed by openid-client on a new kid). */
const DISCOVERY_TTL_MS = 60 * 60_000;
/** The SSO provider of the login flow (the `SsoProvider` seam of the auth service). */
export function createOidcSso(options: OidcSsoOptions): OidcSso {
  const clock = options.clock ?? systemClock;
  const httpTimeoutMs = options.httpTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const discovered = new Map<string, { at: number; metadata: Promise<oidc.ServerMetadata> }>();
  const jwksCaches = new Map<string, oidc.ExportedJWKSCache>();

  /**
   * The transport rule (https, or http to 127.0.0.1/localhost, as the policy's issuer): every endpoint the
   * provider names must keep to it too.
   */
  const isAllowedUrl = (value: string | undefined): boolean =>
    value === undefined || parseHttpsOrLoopbackUrl(value) !== null;
  const isInsecure = (issuer: string) => new URL(issuer).protocol === 'http:';

  const discover = (issuer: string): Promise<oidc.ServerMetadata> => {
    const cached = discovered.get(issuer);
    let pending = cached && clock.now() - cached.at < DISCOVERY_TTL_MS ? cached.metadata : undefined;
    if (!pending) {
      pending = (async () => {
        const config = await oidc.discovery(new URL(issuer), 'discovery', undefined, oidc.None(), {
          timeout: httpTimeoutMs / 1000,
          execute: isInsecure(issuer) ? [oidc.allowInsecureRequests] : [],
          ...(options.fetch ? { [oidc.customFetch]: options.fetch } : {}),
        });
        const server = config.serverMetadata();
        const endpoints = [
          server.authorization_endpoint,
          server.token_endpoint,
          server.jwks_uri,
          server.userinfo_endpoint,
        ];
        if (
          !server.authorization_endpoint ||
          !server.token_endpoint ||
          !server.jwks_uri ||
          !endpoints.every(isAllowedUrl)
        ) {
          throw ssoRefusal('discovery-failed');
        }
        return server;
      })();
      const entry = { at: clock.now(), metadata: pending };
      discovered.set(issuer, entry);
      pending.catch(() => {
        if (discovered.get(issuer) === entry) discovered.delete(issuer);
      });
    }
    return pending.catch((error: unknown) => {
      throw classifyProviderError(error, 'discovery');
    });
  };

  /** A configuration for one request: the clock skew follows the core's clock at the moment of use. */
  const configure = (server: oidc.ServerMetadata, clientId: string): oidc.Configuration => {
    const skewSeconds = Math.round((clock.now() - Date.now()) / 1000);
    const config = new oidc.Configuration(server, clientId, { [oidc.clockSkew]: skewSeconds }, oidc.None());
    if (isInsecure(server.issuer)) oidc.allowInsecureRequests(config);
    config.timeout = httpTimeoutMs / 1000;
    if (options.fetch) config[oidc.customFetch] = options.fetch;
    const keys = jwksCaches.get(server.issuer);
    if (keys) oidc.setJwksCache(config, keys);
    // openid-client skips the ID token signature for a token straight from the token endpoint unless asked.
    oidc.enableNonRepudiationChecks(config);
    return config;
  };

  const audit = (
    outcome: 'success' | 'failure' | 'denied',
    facts: Parameters<typeof auditIdentityProvider>[2],
  ) => auditIdentityProvider(options.audit, outcome, facts);

  const isConfigured = (settings: SsoSettings) =>
    settings.enabled && settings.issuer !== '' && settings.clientId !== '' && isAllowedUrl(settings.issuer);

  async function run(
    signal: AbortSignal,
    settings: SsoSettings,
  ): Promise<{ username: string; subject: string; issuer: string }> {
    const server = await discover(settings.issuer);
    throwIfAborted(signal);
    const listener = await startLoopbackListener({
      signal,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    try {
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const authorizationUrl = oidc.buildAuthorizationUrl(configure(server, settings.clientId), {
        redirect_uri: listener.redirectUri,
        scope: settings.scopes,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      assertAuthorizationUrl(authorizationUrl, server, isAllowedUrl);

      const browserFailed = new Promise<never>((_, reject) => {
        Promise.resolve()
          .then(() => options.openExternal(authorizationUrl.href))
          .catch(() => reject(ssoRefusal('browser-failed')));
      });
      browserFailed.catch(() => undefined);
      const callback = await Promise.race([listener.callback, browserFailed]);
      throwIfAborted(signal);
      checkCallback(callback, state, server.issuer);

      const config = configure(server, settings.clientId);
      let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
      try {
        tokens = await oidc.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: codeVerifier,
          expectedState: state,
          expectedNonce: nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw classifyProviderError(error, 'token');
      } finally {
        const keys = oidc.getJwksCache(config);
        if (keys) jwksCaches.set(server.issuer, keys);
      }
      throwIfAborted(signal);
      const claims = tokens.claims();
      if (!claims) throw ssoRefusal('token-invalid');
      const subject = claims.sub;
      const claim = settings.usernameClaim;

      let answered: Record<string, unknown> = { ...claims };
      if (claims[claim] === undefined && claim !== 'sub' && server.userinfo_endpoint) {
        try {
          const info = await oidc.fetchUserInfo(config, tokens.access_token, subject);
          answered = { ...info, ...claims, [claim]: info[claim], email_verified: info.email_verified };
        } catch (error) {
          throw classifyProviderError(error, 'token');
        }
      }
      throwIfAborted(signal);
      const match = options.identities.resolve({ issuer: claims.iss, subject, claims: answered }, settings);
      audit('success', { username: match.username, issuer: match.issuer, subject: match.subject, claim });
      return match;
    } finally {
      await listener.close();
    }
  }

  return {
    isEnabled: () => isConfigured(options.policy()),

    async authenticate(signal: AbortSignal) {
      const settings = options.policy();
      try {
        if (!isConfigured(settings)) throw ssoRefusal('not-configured');
        throwIfAborted(signal);
        return await run(signal, settings);
      } catch (error) {
        // Every step that talks to the provider classifies its own failure where it runs; anything else is
        // this app's own (the identity store, the loopback listener): passed on as it is, so the window says
        // 'internal', never "the token could not be verified".
        const reason = error instanceof ScError ? String(error.details.reason ?? 'error') : 'internal';
        // Refusals that carry a subject were recorded where it was known; aborted is the user's own Cancel.
        if (![...IDENTITY_REFUSALS, 'aborted'].includes(reason as SsoFailureReason)) {
          audit('failure', { ...(settings.issuer ? { issuer: settings.issuer } : {}), reason });
        }
        throw error;
      }
    },

    clearCache() {
      discovered.clear();
      jwksCaches.clear();
    },
  };
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw ssoFailure('aborted', 'The SSO log-on was cancelled.');
}

/** Only ever open the provider's own authorization endpoint (defence in depth: the URL is built here). */
function assertAuthorizationUrl(
  url: URL,
  server: oidc.ServerMetadata,
  isAllowedUrl: (value: string) => boolean,
): void {
  const endpoint = new URL(server.authorization_endpoint!);
  if (url.origin !== endpoint.origin || url.pathname !== endpoint.pathname || !isAllowedUrl(url.href)) {
    throw ssoRefusal('discovery-failed');
  }
}

/** The callback's own checks, in the order that gives the most precise answer. */
function checkCallback(callback: URL, expectedState: string, issuer: string): void {
  const params = callback.searchParams;
  if (params.get('state') !== expectedState) throw ssoRefusal('state-mismatch');
  const iss = params.get('iss');
  if (iss !== null && iss !== issuer) throw ssoRefusal('issuer-mismatch');
  const error = params.get('error');
  if (error !== null) {
    if (error === 'access_denied') throw ssoRefusal('cancelled');
    const code = /^[\w.-]{1,64}$/.test(error) ? error : 'invalid';
    throw ssoFailure('provider-error', `${SSO_MESSAGES['provider-error']} (${code})`, {
      providerError: code,
    });
  }
}

/** Maps what openid-client throws to a typed refusal, keeping nothing of the response (tokens stay out). */
function classifyProviderError(error: unknown, stage: 'discovery' | 'token'): ScError {
  if (error instanceof ScError) return error;
  // No connection, no answer in time, or a server error (5xx: oauth4webapi keeps the response as the cause of
  // its "not a conform response"; it reads an OAuth error body only from a 4xx), at whichever step.
  if (
    error instanceof TypeError ||
    errorCode(error) === 'OAUTH_TIMEOUT' ||
    errorCode(error) === 'OAUTH_ABORT' ||
    isServerError(error)
  ) {
    return ssoRefusal('provider-unreachable');
  }
  if (stage === 'discovery') return ssoRefusal('discovery-failed');
  const claim = comparedClaim(error);
  if (claim === 'nonce') return ssoRefusal('nonce-mismatch');
  if (claim === 'iss') return ssoRefusal('issuer-mismatch');
  return ssoFailure('token-invalid', SSO_MESSAGES['token-invalid'], {
    check: claim ?? errorCode(error) ?? 'response',
  });
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function isServerError(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Response && cause.status >= 500;
}

/** The claim a failed JWT check names (openid-client keeps it in the cause chain), e.g. 'nonce', 'aud'. */
function comparedClaim(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const cause: unknown = current.cause;
    if (cause && typeof cause === 'object' && 'claim' in cause && typeof cause.claim === 'string')
      return cause.claim;
    current = cause;
  }
  return undefined;
}
