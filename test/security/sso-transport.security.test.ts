/**
 * The SSO round trip's transport toward the identity provider (oidc-sso.ts): plain http is allowed only for
 * an http issuer on this machine (a local test provider). An https provider whose metadata points the code
 * exchange at plain http on 127.0.0.1 would send the authorization code and the PKCE verifier to a port any
 * local user can listen on: that request is never made.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CustomFetch } from 'openid-client';
import { closeStubProviders, harness, stubProvider, withCode } from '../support/sso-stub-provider';

afterEach(closeStubProviders);

const HTTPS_ISSUER = 'https://idp.example.test';

describe('an https identity provider', () => {
  it('cannot move the code exchange to plain http on this machine: the code is never sent there', async () => {
    // The plain-http listener another local user could hold.
    const local = await stubProvider({ discovery: 'ok', token: 'invalid-grant' });
    const asked: string[] = [];
    // The https provider's own answers (no network): its metadata names the local http token endpoint.
    const transport: CustomFetch = async (url, init) => {
      asked.push(url);
      if (url === `${HTTPS_ISSUER}/.well-known/openid-configuration`) {
        return Response.json({
          issuer: HTTPS_ISSUER,
          authorization_endpoint: `${HTTPS_ISSUER}/auth`,
          token_endpoint: `${local.issuer}/token`,
          jwks_uri: `${HTTPS_ISSUER}/jwks`,
          response_types_supported: ['code'],
        });
      }
      return fetch(url, init as RequestInit);
    };
    const h = harness({ issuer: HTTPS_ISSUER }, withCode, { fetch: transport });

    const error = await h.authenticate();
    expect(h.opened).toHaveLength(1); // the browser step happened: the app had a code to exchange
    expect(error.details.reason).toBe('token-invalid');
    expect(asked).toEqual([`${HTTPS_ISSUER}/.well-known/openid-configuration`]);
    expect(local.requests).toEqual([]);
  });
});
