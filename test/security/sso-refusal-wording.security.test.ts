/**
 * The refusal of an identity whose claim names a linked user or an administrator is worded exactly as the
 * refusal of an unknown identity under the same setting: the answer must not tell whether the claim
 * belongs to an account (sso-refusals.ts `unknownIdentityRefusal`). Driven on SsoIdentities directly.
 */
import { describe, expect, it } from 'vitest';
import type { SsoSettings } from '../../main/contract/domain';
import { testCore } from '../support/core';

const ISSUER = 'https://idp.example.com';

async function core() {
  const c = testCore();
  c.policy.set(
    { sso: { enabled: true, issuer: ISSUER, clientId: 'sc', unknownUsers: 'admin-link' } },
    'test',
  );
  await c.users.create({ username: 'carol', password: 'carol-Pa55word-unique-1' }, 'test');
  return c;
}

function present(c: Awaited<ReturnType<typeof core>>, subject: string, username: string): unknown {
  const settings: SsoSettings = c.policy.get().sso;
  try {
    return c.ssoIdentities.resolve(
      { issuer: ISSUER, subject, claims: { preferred_username: username } },
      settings,
    );
  } catch (error) {
    return error;
  }
}

describe('refusals under "admin-link"', () => {
  it('a claim that names a linked user, or an administrator, is refused exactly as an unknown identity is', async () => {
    const c = await core();
    await c.users.create(
      { username: 'root', password: 'root-Pa55word-unique-333', roles: ['administrator'] },
      'test',
    );
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-carol', username: 'carol' }, 'admin');
    const unknown = present(c, 'u-new', 'nobody') as Error;
    const claimTaken = present(c, 'u-impostor', 'carol') as Error;
    const adminClaim = present(c, 'u-root', 'root') as Error;
    expect(unknown.message).toMatch(/An administrator must link it/);
    expect(claimTaken.message).toBe(unknown.message);
    expect(adminClaim.message).toBe(unknown.message);
  });
});
