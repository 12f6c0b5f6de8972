/**
 * The refusal of an identity whose claim names a linked user or an administrator is worded exactly as the
 * refusal of an unknown identity under the same setting: the answer must not tell whether the claim
 * belongs to an account (sso-refusals.ts `unknownIdentityRefusal`). Driven on SsoIdentities directly.
 */
import { describe, expect, it } from 'vitest';
import { presentSsoAnswer, ssoCore, SSO_TEST_ISSUER } from '../support/sso-answer';

const ISSUER = SSO_TEST_ISSUER;
const core = ssoCore;
const present = presentSsoAnswer;

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
