/**
 * The administrator's view of SSO identities (SsoIdentities, without a provider): who waits for a link
 * since when, who was unlinked by whom, which links exist and who made them. sso-linking.security.test.ts
 * drives the same module through real log-ons; these pin what the administrator's list shows.
 */
import { describe, expect, it } from 'vitest';
import { presentSsoAnswer, ssoCore, SSO_TEST_ISSUER } from '../support/sso-answer';

const ISSUER = SSO_TEST_ISSUER;
const core = ssoCore;
const present = presentSsoAnswer;

describe('the administrator’s list of SSO identities', () => {
  it('shows each pending identity with when it was first and last seen, newest seen first; a repeat is audited once', async () => {
    const c = await core();
    present(c, 'u-early', 'nobody-1', { name: 'Early' });
    const first = c.clock.now();
    c.clock.advance(60_000);
    present(c, 'u-late', 'nobody-2');
    c.clock.advance(60_000);
    // Seen again, with another name: the row is updated, its first sighting kept.
    present(c, 'u-early', 'nobody-1', { name: 'Early again', email_verified: false });
    const again = c.clock.now();

    expect(c.ssoIdentities.list().pending).toEqual([
      {
        issuer: ISSUER,
        subject: 'u-early',
        reason: 'unmatched',
        claims: { preferred_username: 'nobody-1', name: 'Early again', email_verified: 'false' },
        firstSeen: first,
        lastSeen: again,
      },
      {
        issuer: ISSUER,
        subject: 'u-late',
        reason: 'unmatched',
        claims: { preferred_username: 'nobody-2' },
        firstSeen: first + 60_000,
        lastSeen: first + 60_000,
      },
    ]);
    const held = c.audit.query({ action: 'sso.pending' }).entries;
    expect(held.map((e) => e.details.subject)).toEqual(['u-late', 'u-early']);
    expect(held[0]).toMatchObject({ actor: 'system', target: null, outcome: 'success' });
  });

  it('shows claims it cannot read back as none, rather than failing the whole list', async () => {
    const c = await core();
    present(c, 'u-damaged', 'nobody');
    c.db.prepare("UPDATE sso_pending SET claims = '{not json'").run();
    expect(c.ssoIdentities.list().pending).toMatchObject([{ subject: 'u-damaged', claims: {} }]);
    c.db.prepare(`UPDATE sso_pending SET claims = '{"name": 7}'`).run();
    // toEqual: toMatchObject would take a missing claims object (which the window's contract refuses) for {}.
    expect(c.ssoIdentities.list().pending.map((p) => [p.subject, p.claims])).toEqual([['u-damaged', {}]]);
  });

  it('shows links and unlinked identities with who made them and when, newest first', async () => {
    const c = await core();
    await c.users.create({ username: 'dave', password: 'dave-Pa55word-unique-22' }, 'test');
    const t0 = c.clock.now();
    expect(c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-carol', username: 'carol' }, 'admin')).toEqual({
      issuer: ISSUER,
      subject: 'u-carol',
      username: 'carol',
      linkedAt: t0,
      linkedBy: 'admin',
    });
    c.clock.advance(1_000);
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-dave', username: 'dave' }, 'root-admin');
    expect(c.ssoIdentities.list().links).toEqual([
      { issuer: ISSUER, subject: 'u-dave', username: 'dave', linkedAt: t0 + 1_000, linkedBy: 'root-admin' },
      { issuer: ISSUER, subject: 'u-carol', username: 'carol', linkedAt: t0, linkedBy: 'admin' },
    ]);

    c.clock.advance(1_000);
    expect(c.ssoIdentities.unlink({ issuer: ISSUER, subject: 'u-carol' }, 'second-admin')).toEqual({
      issuer: ISSUER,
      subject: 'u-carol',
      username: 'carol',
      linkedAt: t0,
      linkedBy: 'admin',
    });
    c.clock.advance(1_000);
    c.ssoIdentities.unlink({ issuer: ISSUER, subject: 'u-dave' }, 'admin');
    // Unlinked again later: the latest unlink is the one shown.
    c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-carol', username: 'carol' }, 'admin');
    c.clock.advance(1_000);
    c.ssoIdentities.unlink({ issuer: ISSUER, subject: 'u-carol' }, 'third-admin');
    const view = c.ssoIdentities.list();
    expect(view.links).toEqual([]);
    expect(view.unlinked).toEqual([
      { issuer: ISSUER, subject: 'u-carol', unlinkedAt: t0 + 4_000, unlinkedBy: 'third-admin' },
      { issuer: ISSUER, subject: 'u-dave', unlinkedAt: t0 + 3_000, unlinkedBy: 'admin' },
    ]);
    expect(c.audit.query({ action: 'sso.unlinked' }).entries[0]).toMatchObject({
      actor: 'third-admin',
      target: 'carol',
      outcome: 'success',
      details: { issuer: ISSUER, subject: 'u-carol' },
    });
  });

  it('a link names the issuer SSO is configured for (or none) and a user that exists', async () => {
    const c = await core();
    expect(() =>
      c.ssoIdentities.link(
        { issuer: 'https://other.example.com', subject: 'u-1', username: 'carol' },
        'admin',
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'validation',
        message: `The issuer must be the SSO issuer System Configurator is configured for (${ISSUER}).`,
        details: { field: 'issuer' },
      }),
    );
    expect(() => c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-1', username: 'zed' }, 'admin')).toThrow(
      expect.objectContaining({
        code: 'not-found',
        message: 'There is no user "zed".',
        details: { field: 'username' },
      }),
    );
    c.policy.set({ sso: { enabled: false, issuer: '' } }, 'test');
    expect(() =>
      c.ssoIdentities.link({ issuer: ISSUER, subject: 'u-1', username: 'carol' }, 'admin'),
    ).toThrow('The issuer must be the SSO issuer System Configurator is configured for (none).');
    expect(c.ssoIdentities.list().links).toEqual([]);
  });
});
