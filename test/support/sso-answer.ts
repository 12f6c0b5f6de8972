import type { Core } from '../../main/core/create-core';
import { testCore } from './core';

/**
 * Hands SsoIdentities an identity provider's answer for `subject` claiming `username` (preferred_username),
 * under the policy's SSO settings. Returns the match, or the refusal it threw (held identities are refused).
 */
export function presentSsoAnswer(
  core: Core,
  subject: string,
  username: string,
  extra: Record<string, unknown> = {},
): unknown {
  const settings = core.policy.get().sso;
  try {
    return core.ssoIdentities.resolve(
      { issuer: settings.issuer, subject, claims: { preferred_username: username, ...extra } },
      settings,
    );
  } catch (error) {
    return error;
  }
}

/** The issuer of `ssoCore`'s policy. */
export const SSO_TEST_ISSUER = 'https://idp.example.com';

/** A core with SSO on ("admin-link") for SSO_TEST_ISSUER, one user (carol) and the clock at a fixed time. */
export async function ssoCore() {
  const c = testCore();
  c.clock.set(1_700_000_000_000);
  c.policy.set(
    { sso: { enabled: true, issuer: SSO_TEST_ISSUER, clientId: 'sc', unknownUsers: 'admin-link' } },
    'test',
  );
  await c.users.create({ username: 'carol', password: 'carol-Pa55word-unique-1' }, 'test');
  return c;
}
