/**
 * Who an identity provider's answer may sign in as (SsoIdentities.resolve and the first link), every branch
 * driven on the module directly: the link wins, an unlinked identity stays refused, a claim is only a
 * first match (never an administrator's, never a linked user's), `email` only when verified, and what each
 * refusal leaves behind (the pending identity, the audit entry). sso-linking.security.test.ts drives the
 * same decisions through real log-ons against a real OpenID provider; these are the fast, exact ones.
 */
import { describe, expect, it } from 'vitest';
import type { SsoSettings } from '../../main/contract/domain';
import { isScError } from '../../main/core/errors';
import { ssoCore, SSO_TEST_ISSUER } from '../support/sso-answer';

const ISSUER = SSO_TEST_ISSUER;
type TestCore = Awaited<ReturnType<typeof ssoCore>>;

/** The policy's SSO settings with `change` applied (the policy itself unchanged). */
function settingsOf(c: TestCore, change: Partial<SsoSettings> = {}): SsoSettings {
  return { ...c.policy.get().sso, ...change };
}

/** resolve() for `subject` with `claims`: the match, or the refusal's reason and message. */
function decide(
  c: TestCore,
  subject: unknown,
  claims: Record<string, unknown>,
  change: Partial<SsoSettings> = {},
  issuer = ISSUER,
) {
  try {
    return { match: c.ssoIdentities.resolve({ issuer, subject, claims }, settingsOf(c, change)) };
  } catch (error) {
    if (!isScError(error, 'sso-error')) throw error;
    return { refused: error.details.reason, message: error.message, details: error.details };
  }
}

const pendingOf = (c: TestCore) => c.ssoIdentities.list().pending.map((p) => [p.subject, p.reason]);
const ssoAudit = (c: TestCore) => c.audit.query({ action: 'logon.sso' }).entries;
const linkedSubjects = (c: TestCore) => c.ssoIdentities.list().links.map((l) => [l.subject, l.username]);

async function withAdministrator(c: TestCore, username = 'root') {
  await c.users.create(
    { username, password: `${username}-Pa55word-unique-333`, roles: ['administrator'] },
    'test',
  );
  return c.users.findRecord(username)!;
}

describe('the link wins', () => {
  it('a linked subject is its user whatever its claims say now: another user’s name, none, an unverified e-mail', async () => {
    const c = await ssoCore();
    await c.users.create({ username: 'dave', password: 'dave-Pa55word-unique-22' }, 'test');
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-carol', username: 'carol' }, 'admin');
    const carol = { match: { username: 'carol', issuer: ISSUER, subject: 'u-carol' } };
    expect(decide(c, 'u-carol', { preferred_username: 'dave' })).toEqual(carol);
    expect(decide(c, 'u-carol', {})).toEqual(carol);
    expect(
      decide(c, 'u-carol', { email: 'dave@example.com', email_verified: false }, { usernameClaim: 'email' }),
    ).toEqual(carol);
    expect(pendingOf(c)).toEqual([]);
  });

  it('an answer from another issuer is refused before any lookup, even for a linked subject, and nothing is held', async () => {
    const c = await ssoCore();
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-carol', username: 'carol' }, 'admin');
    const other = decide(c, 'u-carol', { preferred_username: 'carol' }, {}, 'https://other.example.com');
    expect(other.refused).toBe('issuer-mismatch');
    const unknown = decide(c, 'u-new', { preferred_username: 'nobody' }, {}, 'https://other.example.com');
    expect(unknown.refused).toBe('issuer-mismatch');
    expect(pendingOf(c)).toEqual([]);
  });

  it('a link at another issuer is not a link here: the claim matches as for an unlinked user', async () => {
    const c = await ssoCore();
    c.policy.set({ sso: { issuer: 'https://old-idp.example.com' } }, 'test');
    c.ssoIdentities.link(
      { issuer: 'https://old-idp.example.com', subject: 'u-old', username: 'carol' },
      'admin',
    );
    c.policy.set({ sso: { issuer: ISSUER } }, 'test');
    expect(decide(c, 'u-old', { preferred_username: 'nobody' })).toMatchObject({ refused: 'unlinked' });
    expect(decide(c, 'u-carol', { preferred_username: 'carol' })).toEqual({
      match: { username: 'carol', issuer: ISSUER, subject: 'u-carol' },
    });
  });
});

describe('an identity an administrator unlinked', () => {
  it('is refused as an unknown identity is under each setting, audited as denied, and not held again', async () => {
    const c = await ssoCore();
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-carol', username: 'carol' }, 'admin');
    c.ssoIdentities.unlink({ issuer: ISSUER, subject: 'u-carol' }, 'admin');
    const unknown = decide(c, 'u-nobody', { preferred_username: 'nobody' });

    const adminLink = decide(c, 'u-carol', { preferred_username: 'carol' });
    expect(adminLink).toMatchObject({ refused: 'unlinked', message: unknown.message });
    const refuse = decide(c, 'u-carol', { preferred_username: 'carol' }, { unknownUsers: 'refuse' });
    expect(refuse.refused).toBe('not-allowed');
    expect(pendingOf(c)).toEqual([['u-nobody', 'unmatched']]);
    expect(ssoAudit(c).filter((e) => e.details.reason === 'unlinked-by-administrator')).toEqual([
      expect.objectContaining({
        outcome: 'denied',
        target: null,
        details: expect.objectContaining({ subject: 'u-carol' }),
      }),
      expect.objectContaining({
        outcome: 'denied',
        target: null,
        details: expect.objectContaining({ subject: 'u-carol' }),
      }),
    ]);
  });
});

describe('the subject', () => {
  it.each([
    ['empty', ''],
    ['256 characters', 's'.repeat(256)],
    ['a control character', 'u-1\n'],
    ['not a string', 42],
  ])('is refused when %s, audited with the issuer only, and nothing is held', async (_, subject) => {
    const c = await ssoCore();
    expect(decide(c, subject, { preferred_username: 'carol' }).refused).toBe('subject-invalid');
    expect(pendingOf(c)).toEqual([]);
    expect(ssoAudit(c)).toEqual([
      expect.objectContaining({
        actor: 'anonymous',
        target: null,
        outcome: 'failure',
        details: { stage: 'identity-provider', issuer: ISSUER, reason: 'subject-invalid' },
      }),
    ]);
  });

  it('of 255 printable characters is used as it is', async () => {
    const c = await ssoCore();
    const subject = `u ${'~'.repeat(253)}`;
    expect(decide(c, subject, { preferred_username: 'carol' }).match).toEqual({
      username: 'carol',
      issuer: ISSUER,
      subject,
    });
  });
});

describe('the matching claim', () => {
  it('is trimmed, and matches the user by their username', async () => {
    const c = await ssoCore();
    expect(decide(c, 'u-carol', { preferred_username: '  carol \t' }).match?.username).toBe('carol');
  });

  it('"sub" matches the subject itself, whatever the other claims say', async () => {
    const c = await ssoCore();
    expect(decide(c, 'carol', { preferred_username: 'nobody' }, { usernameClaim: 'sub' }).match).toEqual({
      username: 'carol',
      issuer: ISSUER,
      subject: 'carol',
    });
  });

  it.each([
    ['missing', {}],
    ['blank', { preferred_username: '   ' }],
    ['not a string', { preferred_username: 7 }],
    ['longer than 256 characters', { preferred_username: `carol${' '.repeat(10)}${'x'.repeat(252)}` }],
  ])(
    '%s: refused as a missing claim, naming the claim, audited without a username; held only under "admin-link"',
    async (_, claims) => {
      const c = await ssoCore();
      const held = decide(c, 'u-1', claims);
      expect(held).toMatchObject({ refused: 'missing-claim', details: { claim: 'preferred_username' } });
      expect(held.message).toContain('does not provide the "preferred_username" claim');
      expect(pendingOf(c)).toEqual([['u-1', 'unmatched']]);
      expect(decide(c, 'u-2', claims, { unknownUsers: 'refuse' }).refused).toBe('missing-claim');
      expect(pendingOf(c)).toEqual([['u-1', 'unmatched']]);
      expect(ssoAudit(c).map((e) => [e.actor, e.target, e.outcome, e.details])).toEqual([
        [
          'anonymous',
          null,
          'failure',
          {
            stage: 'identity-provider',
            issuer: ISSUER,
            subject: 'u-2',
            claim: 'preferred_username',
            reason: 'missing-claim',
          },
        ],
        [
          'anonymous',
          null,
          'failure',
          {
            stage: 'identity-provider',
            issuer: ISSUER,
            subject: 'u-1',
            claim: 'preferred_username',
            reason: 'missing-claim',
          },
        ],
      ]);
    },
  );

  it('of exactly 256 characters (once trimmed) is still a name: under "refuse" it goes on as an unknown user', async () => {
    const c = await ssoCore();
    const name = 'n'.repeat(256);
    expect(decide(c, 'u-1', { preferred_username: ` ${name} ` }, { unknownUsers: 'refuse' }).match).toEqual({
      username: name,
      issuer: ISSUER,
      subject: 'u-1',
    });
  });
});

describe('e-mail as the matching claim', () => {
  it('matches only with email_verified exactly true; otherwise refused, audited with the address, held under "admin-link"', async () => {
    const c = await ssoCore();
    const email = { usernameClaim: 'email' as const };
    await c.users.create({ username: 'carol@example.com', password: 'carolmail-Pa55word-unique-1' }, 'test');
    for (const [subject, verified] of [
      ['u-false', false],
      ['u-string', 'true'],
      ['u-one', 1],
      ['u-missing', undefined],
    ] as const) {
      const answer = decide(c, subject, { email: 'carol@example.com', email_verified: verified }, email);
      expect(answer.refused).toBe('email-unverified');
    }
    expect(
      decide(c, 'u-refuse', { email: 'carol@example.com' }, { ...email, unknownUsers: 'refuse' }).refused,
    ).toBe('email-unverified');
    expect(
      pendingOf(c)
        .map(([subject]) => subject)
        .sort(),
    ).toEqual(['u-false', 'u-missing', 'u-one', 'u-string']);
    expect(ssoAudit(c)[0]).toMatchObject({
      actor: 'carol@example.com',
      target: 'carol@example.com',
      outcome: 'failure',
      details: { subject: 'u-refuse', claim: 'email', reason: 'email-unverified' },
    });
    expect(
      decide(c, 'u-true', { email: 'carol@example.com', email_verified: true }, email).match?.username,
    ).toBe('carol@example.com');
  });

  it('email_verified does not matter when another claim matches', async () => {
    const c = await ssoCore();
    expect(decide(c, 'u-carol', { preferred_username: 'carol', email_verified: false }).match?.username).toBe(
      'carol',
    );
  });
});

describe('a claim that names nobody', () => {
  it('under "refuse" goes on as that name (the log-on refuses an unknown user), nothing held or audited here', async () => {
    const c = await ssoCore();
    expect(decide(c, 'u-1', { preferred_username: 'nobody' }, { unknownUsers: 'refuse' })).toEqual({
      match: { username: 'nobody', issuer: ISSUER, subject: 'u-1' },
    });
    expect(pendingOf(c)).toEqual([]);
    expect(ssoAudit(c)).toEqual([]);
  });

  it('under "admin-link" is refused as unlinked, held, and audited as denied with the claimed name', async () => {
    const c = await ssoCore();
    expect(decide(c, 'u-1', { preferred_username: 'nobody' }).refused).toBe('unlinked');
    expect(pendingOf(c)).toEqual([['u-1', 'unmatched']]);
    expect(ssoAudit(c)).toEqual([
      expect.objectContaining({
        actor: 'nobody',
        target: 'nobody',
        outcome: 'denied',
        details: {
          stage: 'identity-provider',
          issuer: ISSUER,
          subject: 'u-1',
          claim: 'preferred_username',
          reason: 'unlinked',
        },
      }),
    ]);
  });
});

describe('a claim that names a user who cannot be matched by it', () => {
  it('a linked user’s name from another subject: refused, held as claim-taken, audited under that user; never the user', async () => {
    const c = await ssoCore();
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-carol', username: 'carol' }, 'admin');
    for (const unknownUsers of ['admin-link', 'refuse'] as const) {
      const answer = decide(
        c,
        `u-impostor-${unknownUsers}`,
        { preferred_username: 'carol' },
        { unknownUsers },
      );
      expect(answer.refused).toBe(unknownUsers === 'admin-link' ? 'unlinked' : 'not-allowed');
    }
    expect(pendingOf(c).sort()).toEqual([
      ['u-impostor-admin-link', 'claim-taken'],
      ['u-impostor-refuse', 'claim-taken'],
    ]);
    expect(ssoAudit(c)[0]).toMatchObject({
      actor: 'carol',
      target: 'carol',
      outcome: 'denied',
      details: { subject: 'u-impostor-refuse', reason: 'claim-taken' },
    });
  });

  it('an administrator’s name: refused under either setting, held as administrator, audited; linked only by an administrator', async () => {
    const c = await ssoCore();
    await withAdministrator(c);
    expect(decide(c, 'u-root', { preferred_username: 'root' }).refused).toBe('unlinked');
    expect(decide(c, 'u-root2', { preferred_username: 'root' }, { unknownUsers: 'refuse' }).refused).toBe(
      'not-allowed',
    );
    expect(pendingOf(c).sort()).toEqual([
      ['u-root', 'administrator'],
      ['u-root2', 'administrator'],
    ]);
    expect(ssoAudit(c)[0]).toMatchObject({
      actor: 'root',
      outcome: 'denied',
      details: { subject: 'u-root2', reason: 'administrator-claim' },
    });
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-root', username: 'root' }, 'admin');
    expect(decide(c, 'u-root', { preferred_username: 'root' }).match?.username).toBe('root');
    expect(pendingOf(c)).toEqual([['u-root2', 'administrator']]);
  });
});

describe('the first link of a claim-matched user', () => {
  it('records issuer + subject, audits it once (no token), forgets the identity’s pending row', async () => {
    const c = await ssoCore();
    const carol = c.users.findRecord('carol')!;
    decide(c, 'u-carol', { preferred_username: 'nobody' }); // held as unmatched first
    expect(c.ssoIdentities.recordFirstLink(carol.id, { issuer: ISSUER, subject: 'u-carol' })).toBe(true);
    expect(linkedSubjects(c)).toEqual([['u-carol', 'carol']]);
    expect(c.ssoIdentities.list().links[0]).toMatchObject({ linkedAt: c.clock.now(), linkedBy: 'carol' });
    expect(pendingOf(c)).toEqual([]);
    // The same link again is the user's link: true, nothing written or audited twice.
    expect(c.ssoIdentities.recordFirstLink(carol.id, { issuer: ISSUER, subject: 'u-carol' })).toBe(true);
    expect(c.audit.query({ action: 'sso.linked' }).entries).toEqual([
      expect.objectContaining({
        actor: 'carol',
        target: 'carol',
        outcome: 'success',
        details: { issuer: ISSUER, subject: 'u-carol', via: 'first-logon' },
      }),
    ]);
  });

  it('is refused (false, nothing linked or audited) for an identity linked to another user, a user linked to another identity, an unlinked identity, an administrator, a removed user', async () => {
    const c = await ssoCore();
    await c.users.create({ username: 'dave', password: 'dave-Pa55word-unique-22' }, 'test');
    const carol = c.users.findRecord('carol')!;
    const dave = c.users.findRecord('dave')!;
    const root = await withAdministrator(c);
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-dave', username: 'dave' }, 'admin');
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-gone', username: 'carol' }, 'admin');
    c.ssoIdentities.unlink({ issuer: ISSUER, subject: 'u-gone' }, 'admin');
    const before = c.audit.query({}).entries.length;

    expect(c.ssoIdentities.recordFirstLink(carol.id, { issuer: ISSUER, subject: 'u-dave' })).toBe(false);
    expect(c.ssoIdentities.recordFirstLink(dave.id, { issuer: ISSUER, subject: 'u-other' })).toBe(false);
    expect(c.ssoIdentities.recordFirstLink(carol.id, { issuer: ISSUER, subject: 'u-gone' })).toBe(false);
    expect(c.ssoIdentities.recordFirstLink(root.id, { issuer: ISSUER, subject: 'u-root' })).toBe(false);
    expect(c.ssoIdentities.recordFirstLink(99_999, { issuer: ISSUER, subject: 'u-ghost' })).toBe(false);
    expect(linkedSubjects(c)).toEqual([['u-dave', 'dave']]);
    expect(c.audit.query({}).entries.length).toBe(before);
  });
});

describe('pending identities', () => {
  it('keep the claims an administrator sees: 256 characters whole, longer ones cut with an ellipsis, control characters escaped', async () => {
    const c = await ssoCore();
    const exact = 'a'.repeat(256);
    decide(c, 'u-exact', { preferred_username: 'nobody-1', name: exact, email_verified: true });
    decide(c, 'u-long', { preferred_username: 'nobody-2', name: `${'b'.repeat(256)}c` });
    decide(c, 'u-huge', { preferred_username: 'nobody-3', name: 'd'.repeat(5000) });
    decide(c, 'u-ctrl', { preferred_username: 'nobody-4', name: `${'e'.repeat(254)}\u0007\n` });
    decide(c, 'u-typed', { preferred_username: 'nobody-5', name: 7, email: ['x'], email_verified: 'yes' });
    const claims = Object.fromEntries(c.ssoIdentities.list().pending.map((p) => [p.subject, p.claims]));
    expect(claims['u-exact']).toEqual({
      preferred_username: 'nobody-1',
      name: exact,
      email_verified: 'true',
    });
    expect(claims['u-long']?.name).toBe(`${'b'.repeat(256)}…`);
    expect(claims['u-huge']?.name).toBe(`${'d'.repeat(256)}…`);
    const escaped = claims['u-ctrl']?.name ?? '';
    expect(escaped).toMatch(/^e{254}\\/);
    expect(escaped.endsWith('…')).toBe(true);
    expect([...escaped.slice(0, -1)]).toHaveLength(256);
    expect([...escaped].filter((char) => char.charCodeAt(0) < 0x20)).toEqual([]);
    expect(claims['u-typed']).toEqual({ preferred_username: 'nobody-5', email_verified: 'yes' });
  });

  it('bound a claim by characters, not UTF-16 units: 256 astral characters whole, 257 cut', async () => {
    const c = await ssoCore();
    decide(c, 'u-256', { preferred_username: 'nobody-1', name: '😀'.repeat(256) });
    decide(c, 'u-257', { preferred_username: 'nobody-2', name: '😀'.repeat(257) });
    const claims = Object.fromEntries(c.ssoIdentities.list().pending.map((p) => [p.subject, p.claims]));
    expect(claims['u-256']?.name).toBe('😀'.repeat(256));
    expect(claims['u-257']?.name).toBe(`${'😀'.repeat(256)}…`);
  });

  it('a repeat updates the row and is audited once; a new identity is audited with its reason', async () => {
    const c = await ssoCore();
    decide(c, 'u-1', { preferred_username: 'nobody' });
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-carol', username: 'carol' }, 'admin');
    decide(c, 'u-1', { preferred_username: 'carol' });
    expect(pendingOf(c)).toEqual([['u-1', 'claim-taken']]);
    expect(c.audit.query({ action: 'sso.pending' }).entries.map((e) => e.details)).toEqual([
      { issuer: ISSUER, subject: 'u-1', reason: 'unmatched' },
    ]);
  });

  it('are capped at 500: the longest-unseen go first, and one seen again stays', async () => {
    const c = await ssoCore();
    for (let i = 0; i < 502; i++) {
      c.clock.advance(1_000);
      decide(c, `u-${i}`, { preferred_username: `n${i}` });
      if (i === 250) decide(c, 'u-0', { preferred_username: 'n0' });
    }
    const subjects = c.db.prepare('SELECT subject FROM sso_pending').pluck().all() as string[];
    expect(subjects).toHaveLength(500);
    expect(subjects).toContain('u-0');
    expect(subjects).not.toContain('u-1');
    expect(subjects).not.toContain('u-2');
    expect(subjects).toContain('u-3');
  });
});

describe('an administrator’s link and unlink', () => {
  it('links the chosen user, forgets the pending identity and its earlier unlink, audited under the administrator', async () => {
    const c = await ssoCore();
    decide(c, 'u-9', { preferred_username: 'nobody' });
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-9', username: 'carol' }, 'admin');
    c.ssoIdentities.unlink({ issuer: ISSUER, subject: 'u-9' }, 'admin');
    decide(c, 'u-9', { preferred_username: 'nobody' });
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-9', username: 'carol' }, 'second-admin');
    expect(c.ssoIdentities.list()).toMatchObject({
      pending: [],
      unlinked: [],
      links: [{ subject: 'u-9', username: 'carol' }],
    });
    expect(c.audit.query({ action: 'sso.linked' }).entries[0]).toMatchObject({
      actor: 'second-admin',
      target: 'carol',
      outcome: 'success',
      details: { issuer: ISSUER, subject: 'u-9', via: 'administrator' },
    });
  });

  it('never gives one identity two users, nor one user two identities of the provider; says which and where', async () => {
    const c = await ssoCore();
    await c.users.create({ username: 'dave', password: 'dave-Pa55word-unique-22' }, 'test');
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-carol', username: 'carol' }, 'admin');
    const refusal = (input: { subject: string; username: string }) => {
      try {
        c.ssoIdentities.link({ issuer: ISSUER, ...input }, 'admin');
      } catch (error) {
        return error;
      }
      return null;
    };
    expect(refusal({ subject: 'u-carol', username: 'dave' })).toMatchObject({
      code: 'conflict',
      message: 'This SSO identity is already linked to "carol". Unlink it first.',
      details: { field: 'subject' },
    });
    expect(refusal({ subject: 'u-other', username: 'carol' })).toMatchObject({
      code: 'conflict',
      message: '"carol" is already linked to another identity of this provider. Unlink that one first.',
      details: { field: 'username' },
    });
    expect(linkedSubjects(c)).toEqual([['u-carol', 'carol']]);
  });

  it('refuses to unlink an identity that is not linked, changing nothing', async () => {
    const c = await ssoCore();
    const before = c.audit.query({}).entries.length;
    expect(() => c.ssoIdentities.unlink({ issuer: ISSUER, subject: 'u-none' }, 'admin')).toThrow(
      expect.objectContaining({
        code: 'not-found',
        message: 'No user is linked to this SSO identity.',
        details: { field: 'subject' },
      }),
    );
    expect(c.ssoIdentities.list().unlinked).toEqual([]);
    expect(c.audit.query({}).entries.length).toBe(before);
  });
});
