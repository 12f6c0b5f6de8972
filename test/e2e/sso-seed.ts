/**
 * SSO identities for the pictures and the layout checks, straight into the core: one that matches no user,
 * one linked to `linkedUser`, and another subject presenting that user's claim (held as "claim-taken").
 * SSO stays off (Log on shows no SSO button); only its issuer is set, which links must name.
 */
import { expect } from '@playwright/test';
import type { AppCore } from '../../main/core/app-core';
import type { Seed } from './fixtures';

const ISSUER = 'https://login.example.com';

export async function seedSsoIdentities(core: AppCore, seed: Seed, linkedUser: string): Promise<void> {
  await seed.policy({ sso: { issuer: ISSUER, clientId: 'sc-desktop', unknownUsers: 'admin-link' } });
  const settings = { ...core.policy.get().sso, enabled: true };
  const hold = (subject: string, claims: Readonly<Record<string, string | boolean>>) =>
    expect(() => core.ssoIdentities.resolve({ issuer: ISSUER, subject, claims }, settings)).toThrow();
  hold('00u8k2f9xQ3Lindgren', {
    preferred_username: 'elin.lindgren',
    name: 'Elin Lindgren',
    email: 'elin.lindgren@example.com',
    email_verified: true,
  });
  core.ssoIdentities.link({ issuer: ISSUER, subject: '00u1a7c3mW8Svensson', username: linkedUser }, 'admin');
  hold('00u5zz01Impostor', { preferred_username: linkedUser, name: 'M. Svensson' });
}
