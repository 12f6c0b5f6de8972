/**
 * Since oidc-sso.ts passes on a failure that is not an SSO refusal as it is (the window then says
 * "internal"), every step that talks to the provider must classify its own failure. The transport is the
 * provider's side: whatever it throws, even something that is not an Error at all, or an Error whose text
 * carries the provider's answer (a token), must end as a typed SSO refusal, audited exactly once, with none
 * of that text in the refusal or the audit log.
 */
import type { CustomFetch } from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import * as stubs from '../support/sso-stub-provider';

afterEach(stubs.closeStubProviders);

const SECRET = 'eyJhbGciOi.access-token-SECRET.sig';
const THROWN: [string, () => unknown][] = [
  ['a string', () => SECRET],
  ['a plain object', () => ({ message: SECRET, access_token: SECRET })],
  [
    'an Error with the answer in its text',
    () => new Error(`unexpected answer: {"access_token":"${SECRET}"}`),
  ],
  ['a RangeError', () => new RangeError(SECRET)],
  ['undefined', () => undefined],
];

/** A transport that throws `thrown()` for requests to `path`, and asks the stub for the others. */
function throwingAt(path: string, thrown: () => unknown): CustomFetch {
  return async (url, options) => {
    if (new URL(url).pathname.endsWith(path)) throw thrown();
    return fetch(url, options as RequestInit);
  };
}

describe.each([
  ['discovery', '/.well-known/openid-configuration', 'discovery-failed'],
  ['the code exchange', '/token', 'token-invalid'],
])('a transport that throws at %s', (_, path, reason) => {
  it.each(THROWN)('throwing %s: a typed refusal, audited once, none of its text kept', async (_, thrown) => {
    const stub = await stubs.stubProvider({ discovery: 'ok' });
    const h = stubs.harness({ issuer: stub.issuer }, stubs.withCode, { fetch: throwingAt(path, thrown) });
    const error = await h.authenticate();
    expect(error.code).toBe('sso-error');
    expect(error.details.reason).toBe(reason);
    expect(stubs.auditReasons(h)).toEqual([['failure', reason]]);
    expect(JSON.stringify({ message: error.message, details: error.details, audit: h.audit })).not.toContain(
      'SECRET',
    );
  });
});
