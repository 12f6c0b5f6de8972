/**
 * The system browser is only ever sent to the identity provider's own authorization endpoint (oidc-sso.ts,
 * `assertAuthorizationUrl`): the URL is built by openid-client from that endpoint, and checked again before
 * the browser opens, so a library that built it otherwise (another host, another path, credentials in it)
 * cannot send the user's sign-in anywhere else. openid-client's builder is wrapped here to build it otherwise.
 * Its own module graph in the mutation run (vitest.mutation.config.ts › NEEDS_OWN_MODULES): it mocks a
 * module other suites import.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeStubProviders, harness, stubProvider } from '../support/sso-stub-provider';

/** How the next authorization URL is changed after openid-client built it (null: left as built). */
const rebuild = vi.hoisted(() => ({ current: null as ((built: URL) => URL) | null }));

vi.mock('openid-client', async (importOriginal) => {
  const original = await importOriginal<typeof import('openid-client')>();
  return {
    ...original,
    buildAuthorizationUrl: (...args: Parameters<typeof original.buildAuthorizationUrl>) => {
      const built = original.buildAuthorizationUrl(...args);
      return rebuild.current ? rebuild.current(built) : built;
    },
  };
});

afterEach(async () => {
  rebuild.current = null;
  await closeStubProviders();
});

describe('the authorization URL the system browser opens', () => {
  it('is the provider’s authorization endpoint as built', async () => {
    const stub = await stubProvider();
    const cancel = new AbortController();
    const h = harness({ issuer: stub.issuer }, async () => cancel.abort());
    expect((await h.authenticate(cancel.signal)).details.reason).toBe('aborted');
    expect(h.opened).toHaveLength(1);
    const opened = new URL(h.opened[0]!);
    expect(`${opened.origin}${opened.pathname}`).toBe(`${stub.issuer}/auth`);
  });

  it.each([
    [
      'on another host',
      (built: URL) => new URL(`${built.pathname}${built.search}`, 'https://sign-in.example.net'),
    ],
    [
      'at another path of the provider',
      (built: URL) => Object.assign(new URL(built.href), { pathname: '/device' }),
    ],
    [
      'with credentials in it (same host and path)',
      (built: URL) => Object.assign(new URL(built.href), { username: 'someone', password: 'secret' }),
    ],
  ])('built %s is refused before the browser opens, audited', async (_, change) => {
    const stub = await stubProvider();
    rebuild.current = change;
    const h = harness({ issuer: stub.issuer });
    const error = await h.authenticate();
    expect(error.details.reason).toBe('discovery-failed');
    expect(error.message).toMatch(/check the SSO issuer URL/);
    expect(h.opened).toEqual([]);
    expect(h.audit.map((entry) => entry.details?.reason)).toEqual(['discovery-failed']);
  });
});
