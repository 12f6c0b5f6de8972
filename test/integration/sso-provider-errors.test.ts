/**
 * How the OpenID round trip (oidc-sso.ts) answers a provider that is missing, slow, broken or hostile, and
 * a browser that comes back with something other than this log-on's answer: each with the refusal the
 * person reads, what the audit log keeps, and what was (not) sent where. A small stub provider on
 * 127.0.0.1 stands in for the real one (sso.test.ts runs the whole flow against oidc-provider).
 */
import type { CustomFetch } from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  auditReasons,
  browserReturning,
  closeStubProviders,
  harness,
  stubProvider,
  withCode,
} from '../support/sso-stub-provider';

afterEach(closeStubProviders);

describe('SSO that is not configured', () => {
  it.each([
    ['switched off', { enabled: false }],
    ['without an issuer', { issuer: '' }],
    ['without a client ID', { clientId: '' }],
    ['with an http issuer off this machine', { issuer: 'http://idp.example.com' }],
  ])('%s: not offered, refused as not configured, nothing sent', async (_, settings) => {
    const stub = await stubProvider();
    const h = harness({ issuer: stub.issuer, ...settings });
    expect(h.isEnabled()).toBe(false);
    const error = await h.authenticate();
    expect(error.details.reason).toBe('not-configured');
    expect(error.message).toBe('SSO is not configured for System Configurator.');
    expect(stub.requests).toEqual([]);
    expect(auditReasons(h)).toEqual([['failure', 'not-configured']]);
  });

  it('an https issuer and a client ID are enough to offer it', async () => {
    expect(harness({ issuer: 'https://idp.example.com' }).isEnabled()).toBe(true);
  });
});

describe('a log-on cancelled before it starts', () => {
  it('sends nothing and is not audited as a failure (it was the user’s own Cancel)', async () => {
    const stub = await stubProvider();
    const abort = new AbortController();
    abort.abort();
    const h = harness({ issuer: stub.issuer });
    const error = await h.authenticate(abort.signal);
    expect(error.details.reason).toBe('aborted');
    expect(error.message).toBe('The SSO log-on was cancelled.');
    expect(stub.requests).toEqual([]);
    expect(h.audit).toEqual([]);
  });
});

describe('discovery', () => {
  it('a provider that accepts but never answers is unreachable after the HTTP time-out; nothing is opened', async () => {
    const stub = await stubProvider({ discovery: 'hang' });
    const h = harness({ issuer: stub.issuer }, undefined, { httpTimeoutMs: 300 });
    const error = await h.authenticate();
    expect(error.details.reason).toBe('provider-unreachable');
    expect(h.opened).toEqual([]);
    expect(h.audit).toEqual([
      expect.objectContaining({
        actor: 'anonymous',
        action: 'logon.sso',
        outcome: 'failure',
        details: { stage: 'identity-provider', issuer: stub.issuer, reason: 'provider-unreachable' },
      }),
    ]);
  });

  it('a provider slower than the HTTP time-out is unreachable, even though it answers later', async () => {
    const stub = await stubProvider({ discovery: 'ok', delayMs: 1_500 });
    const h = harness({ issuer: stub.issuer }, undefined, { httpTimeoutMs: 300 });
    expect((await h.authenticate()).details.reason).toBe('provider-unreachable');
    expect(h.opened).toEqual([]);
  });

  it('a transport that reports its time-out as a plain abort (AbortError) is "cannot be reached" too', async () => {
    const stub = await stubProvider({ discovery: 'hang' });
    const asked: string[] = [];
    // No answer; when the time-out fires, it rejects with an AbortError, not the signal's TimeoutError.
    const abortingFetch: CustomFetch = (url, init) =>
      new Promise((_, reject) => {
        asked.push(url);
        init.signal?.addEventListener('abort', () =>
          reject(new DOMException('This operation was aborted', 'AbortError')),
        );
      });
    const h = harness({ issuer: stub.issuer }, undefined, { httpTimeoutMs: 300, fetch: abortingFetch });
    const error = await h.authenticate();
    expect(error.details.reason).toBe('provider-unreachable');
    expect(asked).toEqual([`${stub.issuer}/.well-known/openid-configuration`]);
    expect(h.opened).toEqual([]);
  });

  it('a server error is "cannot be reached" (try later); a page that is not OpenID metadata is "check the issuer URL"', async () => {
    const stub = await stubProvider({ discovery: 'status-500' });
    const h = harness({ issuer: stub.issuer });
    expect((await h.authenticate()).details.reason).toBe('provider-unreachable');
    for (const discovery of ['status-404', 'not-json'] as const) {
      stub.behaviour = { discovery };
      const error = await h.authenticate();
      expect(error.details.reason).toBe('discovery-failed');
      expect(error.message).toMatch(/check the SSO issuer URL/);
    }
    expect(h.opened).toEqual([]);
  });

  it('a failed discovery is not cached: the next log-on asks again and goes on once the provider answers', async () => {
    const stub = await stubProvider({ discovery: 'status-500' });
    const cancel = new AbortController();
    const abortOnOpen = cancel.signal;
    const h = harness({ issuer: stub.issuer }, async () => cancel.abort());
    await h.authenticate();
    stub.behaviour = { discovery: 'ok' };
    const error = await h.authenticate(abortOnOpen);
    expect(stub.requests.filter((url) => url.endsWith('/openid-configuration'))).toHaveLength(2);
    expect(h.opened).toHaveLength(1);
    expect(error.details.reason).toBe('aborted');
  });

  it.each([
    ['no authorization endpoint', { authorization_endpoint: undefined }],
    ['no token endpoint', { token_endpoint: undefined }],
    ['no key set', { jwks_uri: undefined }],
    [
      'an http authorization endpoint off this machine',
      { authorization_endpoint: 'http://idp.example.net/auth' },
    ],
    ['an http token endpoint off this machine', { token_endpoint: 'http://idp.example.net/token' }],
    ['an http key set off this machine', { jwks_uri: 'http://idp.example.net/jwks' }],
    ['an http userinfo endpoint off this machine', { userinfo_endpoint: 'http://idp.example.net/me' }],
    ['an endpoint with credentials in it', { token_endpoint: 'https://user:pw@idp.example.net/token' }],
  ])('metadata with %s is refused before any browser opens', async (_, metadata) => {
    const stub = await stubProvider({ discovery: 'ok', metadata });
    const h = harness({ issuer: stub.issuer });
    const error = await h.authenticate();
    expect(error.details.reason).toBe('discovery-failed');
    expect(h.opened).toEqual([]);
  });

  it('https endpoints elsewhere are the provider’s own choice: the browser opens at its authorization endpoint', async () => {
    const stub = await stubProvider({
      discovery: 'ok',
      metadata: {
        authorization_endpoint: 'https://login.example.net/authorize',
        userinfo_endpoint: 'https://login.example.net/me',
      },
    });
    // The user presses Cancel once the browser is open.
    const cancel = new AbortController();
    const h = harness({ issuer: stub.issuer, scopes: 'openid email' }, async () => cancel.abort());
    expect((await h.authenticate(cancel.signal)).details.reason).toBe('aborted');
    const opened = new URL(h.opened[0]!);
    expect(`${opened.origin}${opened.pathname}`).toBe('https://login.example.net/authorize');
    const params = opened.searchParams;
    expect(params.get('client_id')).toBe('sc-desktop');
    expect(params.get('response_type')).toBe('code');
    expect(params.get('scope')).toBe('openid email');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(params.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(params.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(params.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  });
});

describe('the system browser', () => {
  it('that cannot be opened ends the log-on at once with its own refusal, audited', async () => {
    const stub = await stubProvider();
    const h = harness({ issuer: stub.issuer }, async () => {
      throw new Error('no browser');
    });
    const error = await h.authenticate();
    expect(error.details.reason).toBe('browser-failed');
    expect(error.message).toBe('The system browser could not be opened for the SSO log-on.');
    expect(auditReasons(h)).toEqual([['failure', 'browser-failed']]);
    const redirect = new URL(h.opened[0]!).searchParams.get('redirect_uri')!;
    await expect(fetch(redirect)).rejects.toThrow();
  });
});

describe('the callback', () => {
  it('with another state is refused before anything else is looked at (even an error or another issuer)', async () => {
    const stub = await stubProvider();
    const h = harness(
      { issuer: stub.issuer },
      browserReturning(() => ({ state: 'forged', iss: 'https://evil.example.com', error: 'access_denied' })),
    );
    const error = await h.authenticate();
    expect(error.details.reason).toBe('state-mismatch');
    expect(auditReasons(h)).toEqual([['failure', 'state-mismatch']]);
    expect(stub.requests.some((url) => url.startsWith('/token'))).toBe(false);
  });

  it('naming another issuer (RFC 9207) is refused, even with an error', async () => {
    const stub = await stubProvider();
    const h = harness(
      { issuer: stub.issuer },
      browserReturning((auth) => ({
        state: auth.get('state')!,
        iss: `${stub.issuer}/other`,
        error: 'access_denied',
      })),
    );
    expect((await h.authenticate()).details.reason).toBe('issuer-mismatch');
  });

  it('naming this issuer goes on to the error it carries', async () => {
    const stub = await stubProvider();
    const h = harness(
      { issuer: stub.issuer },
      browserReturning((auth) => ({ state: auth.get('state')!, iss: stub.issuer, error: 'access_denied' })),
    );
    expect((await h.authenticate()).details.reason).toBe('cancelled');
  });

  it('with a provider error says which, in the provider’s own short code only', async () => {
    const stub = await stubProvider();
    let error = 'temporarily_unavailable';
    const h = harness(
      { issuer: stub.issuer },
      browserReturning((auth) => ({ state: auth.get('state')!, error })),
    );
    const shown = await h.authenticate();
    expect(shown.details).toEqual({ reason: 'provider-error', providerError: 'temporarily_unavailable' });
    expect(shown.message).toBe('The SSO identity provider refused the log-on. (temporarily_unavailable)');
    for (const unusable of ['<script>alert(1)</script>', 'e'.repeat(65), '']) {
      error = unusable;
      const refused = await h.authenticate();
      expect(refused.details).toEqual({ reason: 'provider-error', providerError: 'invalid' });
      expect(refused.message).toBe('The SSO identity provider refused the log-on. (invalid)');
    }
    error = `a.b-c_${'d'.repeat(58)}`;
    expect((await h.authenticate()).details.providerError).toBe(error);
    expect(stub.requests.some((url) => url.startsWith('/token'))).toBe(false);
  });
});

describe('the token endpoint', () => {
  it('that accepts but never answers is unreachable after the HTTP time-out', async () => {
    const stub = await stubProvider({ discovery: 'ok', token: 'hang' });
    const h = harness({ issuer: stub.issuer }, withCode, { httpTimeoutMs: 300 });
    expect((await h.authenticate()).details.reason).toBe('provider-unreachable');
    expect(stub.requests).toContain('/token');
  });

  it('a server error (500) is "cannot be reached"; a refused code or an answer that is not JSON is an unverifiable token, saying which check', async () => {
    const stub = await stubProvider({ discovery: 'ok', token: 'server-error' });
    const h = harness({ issuer: stub.issuer }, withCode);
    // A provider that is down at the exchange is not a bad token (it was reported as one before).
    expect((await h.authenticate()).details).toEqual({ reason: 'provider-unreachable' });
    stub.behaviour = { discovery: 'ok', token: 'invalid-grant' };
    const refused = await h.authenticate();
    expect(refused.details).toEqual({ reason: 'token-invalid', check: 'OAUTH_RESPONSE_BODY_ERROR' });
    expect(refused.message).toBe(
      'The SSO identity token could not be verified (issuer, audience, signature or expiry). It was refused.',
    );
    stub.behaviour = { discovery: 'ok', token: 'not-json' };
    expect((await h.authenticate()).details).toMatchObject({ reason: 'token-invalid' });
    expect(auditReasons(h)).toEqual(
      [
        ['failure', 'token-invalid'],
        ['failure', 'token-invalid'],
        ['failure', 'provider-unreachable'],
      ].reverse(),
    );
  });
});
