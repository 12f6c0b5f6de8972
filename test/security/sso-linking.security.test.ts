/**
 * Issue 12, "SSO maps people by a claim they may be able to change": users of a real OpenID provider
 * (oidc-provider on 127.0.0.1) who set their own `preferred_username` or an unverified `email` try to
 * become someone else's System Configurator account. SC users are linked to the provider's issuer +
 * subject; the claim is only the first match. Driven through the app's own wiring (createAppCore with
 * `openExternal`, the scripted system browser), against a real SQLite file and the Sinch emulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthView } from '../../main/contract/ipc';
import type { SsoSettings } from '../../main/contract/domain';
import { isScError } from '../../main/core/errors';
import { loginFixture, PASSWORD, type LoginFixture } from '../support/app';
import { gatewayFixture, seedAccounts, signIn } from '../support/gateway-fixture';
import {
  HttpBrowser,
  SC_CLIENT_ID,
  startOidcProvider,
  stopOidcProviders,
  type IdpAccount,
  type TestIdp,
} from '../support/oidc-provider';

afterEach(stopOidcProviders);

const MOBILE = { alice: '+46701234567', bob: '+46701234568', carol: '+46701234569' } as const;
/** The real Alice, and someone who set their own preferred_username to "alice" (a second subject). */
const REAL_ALICE = 'u-alice-real-7f3a';
const FAKE_ALICE = 'u-alice-fake-0bad';

const ACCOUNTS: IdpAccount[] = [
  { sub: REAL_ALICE, preferred_username: 'alice', email: 'alice@example.com', email_verified: true },
  { sub: FAKE_ALICE, preferred_username: 'alice', email: 'alice@example.com', email_verified: false },
  { sub: 'u-bob-91c2', preferred_username: 'bob', email: 'bob@example.com', email_verified: true },
  { sub: 'u-stranger-5d10', preferred_username: 'stranger', name: 'Stranger' },
];

interface Fixture extends LoginFixture {
  idp: TestIdp;
  /** The subject the next browser round trip signs in as (each in a fresh browser). */
  next: string[];
  /** Every subject the browser signed in as, in the order the app opened it. */
  signedInAs: string[];
}

async function fixture(
  options: { accounts?: IdpAccount[]; sso?: Partial<SsoSettings>; twoFactor?: boolean } = {},
): Promise<Fixture> {
  const idp = await startOidcProvider({ accounts: options.accounts ?? structuredClone(ACCOUNTS) });
  const holder: { f?: Fixture } = {};
  const base = await loginFixture({
    twoFactor: { enabled: options.twoFactor ?? true },
    core: {
      openExternal: async (url) => {
        const f = holder.f!;
        const login = f.next.length > 1 ? f.next.shift()! : f.next[0]!;
        f.signedInAs.push(login);
        void new HttpBrowser().run(url, { login }).catch(() => undefined);
      },
    },
  });
  base.clock.set(Date.now());
  base.core.policy.set(
    { sso: { enabled: true, issuer: idp.issuer, clientId: SC_CLIENT_ID, ...options.sso } },
    'test',
  );
  await base.addUser({ username: 'admin', roles: ['administrator'] });
  await base.addUser({ username: 'alice', mobile: MOBILE.alice, password: undefined });
  await base.addUser({ username: 'bob', mobile: MOBILE.bob, password: undefined });
  await base.addUser({ username: 'carol', mobile: MOBILE.carol, password: undefined });
  const f: Fixture = Object.assign(base, { idp, next: [REAL_ALICE], signedInAs: [] as string[] });
  holder.f = f;
  return f;
}

async function ssoAs(f: Fixture, subject: string, client = 'window-1'): Promise<AuthView> {
  f.next = [subject];
  return f.core.auth.ssoStart(client);
}

function code(f: LoginFixture, to: string): string {
  const sent = f.emulator.lastCodeFor(to);
  if (!sent) throw new Error(`no code sent to ${to}`);
  return sent;
}

function links(f: LoginFixture) {
  return f.core.ssoIdentities.list().links;
}

function pending(f: LoginFixture) {
  return f.core.ssoIdentities.list().pending;
}

function auditOf(f: LoginFixture, action: 'sso.linked' | 'logon.sso' | 'sso.pending' | 'logon.success') {
  return f.core.audit.query({ action, limit: 500 }).entries;
}

const NOT_ALLOWED = 'Your SSO account is not allowed to use System Configurator. Ask your administrator.';

describe('SSO identities are linked by issuer + subject', () => {
  it('the first completed log-on of a claim-matched user records the link (issuer, subject), audited without a token', async () => {
    const f = await fixture();
    expect((await ssoAs(f, REAL_ALICE)).step).toBe('awaitingCode');
    // Not before the second factor: someone who cannot pass it links nobody.
    expect(links(f)).toEqual([]);
    expect((await f.core.auth.submitCode('window-1', code(f, MOBILE.alice))).step).toBe('signedIn');
    expect(links(f)).toEqual([
      expect.objectContaining({ issuer: f.idp.issuer, subject: REAL_ALICE, username: 'alice' }),
    ]);
    const [linked, ...more] = auditOf(f, 'sso.linked');
    expect(more).toEqual([]);
    expect(linked).toMatchObject({
      actor: 'alice',
      target: 'alice',
      outcome: 'success',
      details: { issuer: f.idp.issuer, subject: REAL_ALICE, via: 'first-logon' },
    });
    const everything = JSON.stringify(f.core.audit.query({ limit: 500 }).entries);
    expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT (ID or access token)
    expect(everything).not.toMatch(/token/i);
  });

  it('a second subject presenting the linked user’s preferred_username is refused, not signed in, audited and held', async () => {
    const f = await fixture();
    await ssoAs(f, REAL_ALICE);
    await f.core.auth.submitCode('window-1', code(f, MOBILE.alice));
    f.core.auth.signOut('window-1');
    const codesBefore = f.emulator.outbox().length;

    const view = await ssoAs(f, FAKE_ALICE, 'window-2');
    expect(view.step).toBe('signedOut');
    expect(view.error).toEqual({ code: 'sso-error', message: NOT_ALLOWED });
    expect(f.core.auth.session('window-2')).toBeNull();
    expect(f.emulator.outbox()).toHaveLength(codesBefore); // not even a code went to Alice
    expect(links(f)).toEqual([expect.objectContaining({ subject: REAL_ALICE, username: 'alice' })]);
    expect(auditOf(f, 'logon.sso').find((e) => e.details.reason === 'claim-taken')).toMatchObject({
      outcome: 'denied',
      target: 'alice',
      details: { issuer: f.idp.issuer, subject: FAKE_ALICE, claim: 'preferred_username' },
    });
    expect(pending(f)).toEqual([
      expect.objectContaining({
        issuer: f.idp.issuer,
        subject: FAKE_ALICE,
        reason: 'claim-taken',
        claims: expect.objectContaining({ preferred_username: 'alice' }),
      }),
    ]);
    // The real Alice still signs in.
    expect((await ssoAs(f, REAL_ALICE, 'window-3')).step).toBe('awaitingCode');
  });

  it('a log-on that passed the provider ends if the user is linked to another subject before it completes: the right code signs nobody in', async () => {
    const f = await fixture();
    expect((await ssoAs(f, FAKE_ALICE, 'window-fake')).step).toBe('awaitingCode');
    // Meanwhile an administrator links the real Alice (sc-admin, or another window).
    f.core.ssoIdentities.link({ issuer: f.idp.issuer, subject: REAL_ALICE, username: 'alice' }, 'admin');

    const view = await f.core.auth.submitCode('window-fake', code(f, MOBILE.alice));
    expect(view.step).toBe('signedOut');
    expect(view.error?.message).toBe(NOT_ALLOWED);
    expect(f.core.auth.session('window-fake')).toBeNull();
    expect(links(f)).toEqual([expect.objectContaining({ subject: REAL_ALICE, linkedBy: 'admin' })]);
    expect(
      auditOf(f, 'logon.sso').find(
        (e) => e.details.reason === 'claim-taken' && e.details.subject === FAKE_ALICE,
      ),
    ).toMatchObject({ outcome: 'denied', target: 'alice' });
    expect(auditOf(f, 'logon.success')).toEqual([]);
  });

  // 40 OIDC round trips at once: past the mutation run's 20 s per test (with coverage) on a loaded machine.
  it(
    '40 simultaneous first log-ons of two subjects with the same claim end with exactly one link, and only its subject signed in',
    { timeout: 60_000 },
    async () => {
      const f = await fixture({ twoFactor: false });
      const clients = Array.from({ length: 40 }, (_, i) => `window-${i}`);
      f.next = clients.map((_, i) => (i % 2 === 0 ? REAL_ALICE : FAKE_ALICE));
      f.next.push(f.next.at(-1)!); // the queue keeps its last entry
      const views = await Promise.all(clients.map((client) => f.core.auth.ssoStart(client)));

      const all = links(f);
      expect(all).toHaveLength(1);
      const winner = all[0]!.subject;
      expect([REAL_ALICE, FAKE_ALICE]).toContain(winner);
      expect(auditOf(f, 'sso.linked')).toHaveLength(1);
      // Every other window was refused with the same sentence (first: a window that failed for another
      // reason, e.g. a browser round trip lost on a loaded machine, shows its own message here, not a count).
      for (const view of views.filter((v) => v.step !== 'signedIn'))
        expect(view.error?.message).toBe(NOT_ALLOWED);
      const signedIn = views.filter((v) => v.step === 'signedIn').length;
      const sessions = clients.filter((c) => f.core.auth.session(c) !== null).length;
      expect(signedIn).toBe(sessions);
      expect(signedIn).toBe(f.signedInAs.slice(0, 40).filter((s) => s === winner).length);
      expect(signedIn).toBeGreaterThan(0);
      // And the loser is refused from now on.
      const loser = winner === REAL_ALICE ? FAKE_ALICE : REAL_ALICE;
      expect((await ssoAs(f, loser, 'window-late')).step).toBe('signedOut');
    },
  );

  it('the link wins: a linked subject whose preferred_username changes still signs in as its linked user, never as the claim’s new owner', async () => {
    const accounts = structuredClone(ACCOUNTS);
    const f = await fixture({ accounts, twoFactor: false });
    expect((await ssoAs(f, REAL_ALICE)).step).toBe('signedIn');
    f.core.auth.signOut('window-1');
    // Alice renames herself "bob" at the provider (users of many providers can).
    accounts.find((a) => a.sub === REAL_ALICE)!.preferred_username = 'bob';
    const view = await ssoAs(f, REAL_ALICE, 'window-2');
    expect(view.step).toBe('signedIn');
    expect(f.core.auth.session('window-2')?.username).toBe('alice');
    // Bob keeps his own first match: the renamed subject was not linked to him.
    expect(links(f).map((l) => l.username)).toEqual(['alice']);
    expect((await ssoAs(f, 'u-bob-91c2', 'window-3')).step).toBe('signedIn');
    expect(f.core.auth.session('window-3')?.username).toBe('bob');
  });
});

describe('e-mail as the matching claim', () => {
  it('is accepted only with email_verified: true — not false, not missing, not the string "true"', async () => {
    const accounts: IdpAccount[] = [
      { sub: 'u-false', email: 'alice@example.com', email_verified: false },
      { sub: 'u-missing', email: 'alice@example.com' },
      { sub: 'u-string', email: 'alice@example.com', email_verified: 'true' as unknown as boolean },
      { sub: 'u-true', email: 'alice@example.com', email_verified: true },
    ];
    const f = await fixture({ accounts, sso: { usernameClaim: 'email' }, twoFactor: false });
    await f.addUser({ username: 'alice@example.com', password: undefined });
    for (const subject of ['u-false', 'u-missing', 'u-string']) {
      const view = await ssoAs(f, subject, `window-${subject}`);
      expect(view.step, subject).toBe('signedOut');
      expect(view.error?.message, subject).toMatch(/e-mail address is not verified/);
      expect(
        auditOf(f, 'logon.sso').find(
          (e) => e.details.subject === subject && e.details.reason === 'email-unverified',
        ),
        subject,
      ).toBeDefined();
    }
    expect(links(f)).toEqual([]);
    expect((await ssoAs(f, 'u-true', 'window-true')).step).toBe('signedIn');
    expect(links(f)).toEqual([expect.objectContaining({ subject: 'u-true', username: 'alice@example.com' })]);
  });
});

describe('pending identities and the administrator’s link', () => {
  it('an unmatched identity ("admin-link") is held with bounded, escaped claims; once an administrator links it, it signs in', async () => {
    const hostile = `evil\u001b[31m\u202e${'x'.repeat(200)}`;
    const accounts: IdpAccount[] = [
      { sub: 'u-newcomer', preferred_username: hostile, name: `A\nB${'y'.repeat(5000)}` },
    ];
    const f = await fixture({ accounts, sso: { unknownUsers: 'admin-link' }, twoFactor: false });
    const view = await ssoAs(f, 'u-newcomer');
    expect(view.error?.message).toMatch(/An administrator must link it/);
    const [held, ...more] = pending(f);
    expect(more).toEqual([]);
    expect(held).toMatchObject({ issuer: f.idp.issuer, subject: 'u-newcomer', reason: 'unmatched' });
    expect(held!.claims.preferred_username).toBe(`evil\\u{1b}[31m\\u{202e}${'x'.repeat(200)}`);
    const name = held!.claims.name!;
    expect(name.startsWith('A\\u{a}Byyy')).toBe(true);
    expect([...name]).toHaveLength(257);
    expect(name.endsWith('…')).toBe(true);
    expect([...JSON.stringify(held)].some((c) => c < ' ' || c === '\u202e')).toBe(false);
    expect(auditOf(f, 'sso.pending')[0]).toMatchObject({
      details: { subject: 'u-newcomer', reason: 'unmatched' },
    });

    f.core.ssoIdentities.link({ issuer: f.idp.issuer, subject: 'u-newcomer', username: 'carol' }, 'admin');
    expect(pending(f)).toEqual([]);
    expect(auditOf(f, 'sso.linked')[0]).toMatchObject({
      actor: 'admin',
      target: 'carol',
      details: { issuer: f.idp.issuer, subject: 'u-newcomer', via: 'administrator' },
    });
    expect((await ssoAs(f, 'u-newcomer', 'window-2')).step).toBe('signedIn');
    expect(f.core.auth.session('window-2')?.username).toBe('carol');
  });

  it('after an administrator unlinks the real subject and links the other, the other signs in and the first is refused', async () => {
    const f = await fixture({ twoFactor: false });
    await ssoAs(f, REAL_ALICE);
    f.core.auth.signOut('window-1');
    expect((await ssoAs(f, FAKE_ALICE, 'window-2')).step).toBe('signedOut');
    f.core.ssoIdentities.unlink({ issuer: f.idp.issuer, subject: REAL_ALICE }, 'admin');
    f.core.ssoIdentities.link({ issuer: f.idp.issuer, subject: FAKE_ALICE, username: 'alice' }, 'admin');
    expect((await ssoAs(f, FAKE_ALICE, 'window-3')).step).toBe('signedIn');
    expect((await ssoAs(f, REAL_ALICE, 'window-4')).step).toBe('signedOut');
    expect(auditOf(f, 'sso.linked').map((e) => e.details.via)).toEqual(['administrator', 'first-logon']);
  });

  it('an identity an administrator unlinked is refused at its next log-on (its claim still matches) until an administrator links it again', async () => {
    const f = await fixture({ twoFactor: false });
    expect((await ssoAs(f, REAL_ALICE)).step).toBe('signedIn');
    f.core.auth.signOut('window-1');
    f.core.ssoIdentities.unlink({ issuer: f.idp.issuer, subject: REAL_ALICE }, 'admin');

    expect((await ssoAs(f, REAL_ALICE, 'window-2')).step).toBe('signedOut');
    expect(f.core.auth.session('window-2')).toBeNull();
    expect(links(f)).toEqual([]);
    expect(
      auditOf(f, 'logon.sso').find((e) => e.details.reason === 'unlinked-by-administrator'),
    ).toMatchObject({ outcome: 'denied', details: { issuer: f.idp.issuer, subject: REAL_ALICE } });

    f.core.ssoIdentities.link({ issuer: f.idp.issuer, subject: REAL_ALICE, username: 'alice' }, 'admin');
    expect((await ssoAs(f, REAL_ALICE, 'window-3')).step).toBe('signedIn');
    expect(f.core.auth.session('window-3')?.username).toBe('alice');
  });

  it('an unlink while a log-on is under way (after the provider, before the code) signs nobody in and links nothing', async () => {
    const f = await fixture();
    expect((await ssoAs(f, REAL_ALICE)).step).toBe('awaitingCode');
    expect((await f.core.auth.submitCode('window-1', code(f, MOBILE.alice))).step).toBe('signedIn');
    f.core.auth.signOut('window-1');
    expect((await ssoAs(f, REAL_ALICE, 'window-2')).step).toBe('awaitingCode');
    f.core.ssoIdentities.unlink({ issuer: f.idp.issuer, subject: REAL_ALICE }, 'admin');
    const view = await f.core.auth.submitCode('window-2', code(f, MOBILE.alice));
    expect(view.step).not.toBe('signedIn');
    expect(f.core.auth.session('window-2')).toBeNull();
    expect(links(f)).toEqual([]);
  });

  it('an administrator account is never linked by its claim: refused, held for another administrator, then signs in once linked', async () => {
    const accounts = [
      ...structuredClone(ACCOUNTS),
      {
        sub: 'u-claims-admin',
        preferred_username: 'admin',
        email: 'admin@example.com',
        email_verified: true,
      },
    ];
    const f = await fixture({ accounts, twoFactor: false });
    const view = await ssoAs(f, 'u-claims-admin');
    expect(view.step).toBe('signedOut');
    expect(f.core.auth.session('window-1')).toBeNull();
    expect(links(f)).toEqual([]);
    expect(pending(f)).toEqual([
      expect.objectContaining({ subject: 'u-claims-admin', reason: 'administrator' }),
    ]);
    expect(auditOf(f, 'logon.sso').find((e) => e.details.reason === 'administrator-claim')).toMatchObject({
      outcome: 'denied',
      target: 'admin',
    });

    f.core.ssoIdentities.link(
      { issuer: f.idp.issuer, subject: 'u-claims-admin', username: 'admin' },
      'admin',
    );
    expect((await ssoAs(f, 'u-claims-admin', 'window-2')).step).toBe('signedIn');
    expect(f.core.auth.session('window-2')?.username).toBe('admin');
  });

  it('a user made an administrator while their first SSO log-on waits for the code is not linked by the claim', async () => {
    const f = await fixture();
    expect((await ssoAs(f, REAL_ALICE)).step).toBe('awaitingCode');
    f.core.users.update('alice', { roles: ['administrator'] }, 'admin');
    const view = await f.core.auth.submitCode('window-1', code(f, MOBILE.alice));
    expect(view.step).not.toBe('signedIn');
    expect(f.core.auth.session('window-1')).toBeNull();
    expect(links(f)).toEqual([]);
  });

  it('an administrator cannot give one user two identities of a provider, nor one identity two users', async () => {
    const f = await fixture({ twoFactor: false });
    await ssoAs(f, REAL_ALICE);
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (isScError(error)) return { code: error.code, message: error.message };
      }
      throw new Error('not refused');
    };
    const issuer = f.idp.issuer;
    expect(
      refusal(() => f.core.ssoIdentities.link({ issuer, subject: FAKE_ALICE, username: 'alice' }, 'admin')),
    ).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/already linked to another identity/),
    });
    expect(
      refusal(() => f.core.ssoIdentities.link({ issuer, subject: REAL_ALICE, username: 'bob' }, 'admin')),
    ).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already linked to "alice"/) });
    expect(
      refusal(() =>
        f.core.ssoIdentities.link(
          { issuer: 'https://idp.example.net', subject: 's', username: 'bob' },
          'admin',
        ),
      ),
    ).toMatchObject({ code: 'validation' });
    expect(
      refusal(() => f.core.ssoIdentities.link({ issuer, subject: 'a\nb', username: 'bob' }, 'admin')),
    ).toMatchObject({
      code: 'validation',
    });
    expect(refusal(() => f.core.ssoIdentities.unlink({ issuer, subject: 'nobody' }, 'admin'))).toMatchObject({
      code: 'not-found',
    });
    // And the database itself refuses both, whatever the code above does.
    const insert = f.core.db.prepare(
      "INSERT INTO sso_links (issuer, subject, user_id, linked_at, linked_by) VALUES (?, ?, (SELECT id FROM users WHERE username = ?), 0, 'x')",
    );
    expect(() => insert.run(issuer, FAKE_ALICE, 'alice')).toThrow(/UNIQUE/);
    expect(() => insert.run(issuer, REAL_ALICE, 'bob')).toThrow(/UNIQUE/);
  });
});

describe('bounds on what the identity provider sends', () => {
  it('a subject longer than 255 characters is refused and links nothing', async () => {
    const long = `u-${'s'.repeat(300)}`;
    const f = await fixture({ accounts: [{ sub: long, preferred_username: 'alice' }], twoFactor: false });
    const view = await ssoAs(f, long);
    expect(view.step).toBe('signedOut');
    expect(view.error?.message).toMatch(/subject System Configurator cannot use/);
    expect(links(f)).toEqual([]);
    expect(auditOf(f, 'logon.sso').find((e) => e.details.reason === 'subject-invalid')).toBeDefined();
  });

  it('an answer from another issuer than the configured one is refused before any lookup', async () => {
    const f = await fixture({ twoFactor: false });
    const settings = f.core.policy.get().sso;
    const answer = {
      issuer: `${f.idp.issuer}/other`,
      subject: REAL_ALICE,
      claims: { preferred_username: 'alice' },
    };
    expect(() => f.core.ssoIdentities.resolve(answer, settings)).toThrow(
      /came from another identity provider/,
    );
    expect(f.core.ssoIdentities.resolve({ ...answer, issuer: f.idp.issuer }, settings).username).toBe(
      'alice',
    );
  });

  it('a claim longer than 256 characters matches nobody', async () => {
    const f = await fixture({ twoFactor: false });
    const settings = f.core.policy.get().sso;
    const answer = {
      issuer: f.idp.issuer,
      subject: 'u-1',
      claims: { preferred_username: `alice${'a'.repeat(300)}` },
    };
    expect(() => f.core.ssoIdentities.resolve(answer, settings)).toThrow(
      /does not provide the "preferred_username" claim/,
    );
  });

  it('pending identities are capped: the longest-unseen go first', async () => {
    const f = await fixture({ sso: { unknownUsers: 'admin-link' }, twoFactor: false });
    const settings = f.core.policy.get().sso;
    for (let i = 0; i < 520; i++) {
      f.clock.advance(1000);
      try {
        f.core.ssoIdentities.resolve(
          { issuer: f.idp.issuer, subject: `u-${i}`, claims: { preferred_username: `n${i}` } },
          settings,
        );
      } catch {
        // refused as unlinked: held
      }
    }
    expect(f.core.db.prepare('SELECT count(*) FROM sso_pending').pluck().get()).toBe(500);
    expect(f.core.db.prepare("SELECT count(*) FROM sso_pending WHERE subject = 'u-0'").pluck().get()).toBe(0);
    expect(f.core.db.prepare("SELECT count(*) FROM sso_pending WHERE subject = 'u-519'").pluck().get()).toBe(
      1,
    );
  });
});

describe('the SSO identity channels of the window', () => {
  const ISSUER = 'https://idp.example.com';

  it('refuse a user without a role (forbidden) and a read-only user’s link or unlink; nothing changes', async () => {
    const f = await gatewayFixture();
    const { admin, reader } = await seedAccounts(f);
    await f.ok(admin, 'sc:policy:set', { sso: { enabled: true, issuer: ISSUER, clientId: 'sc' } });
    await f.ok(admin, 'sc:users:create', { username: 'plain', password: PASSWORD });
    await signIn(f, 'plain-window', 'plain', PASSWORD);
    await f.ok(admin, 'sc:sso:link', { issuer: ISSUER, subject: 'u-kept', username: 'admin' });
    const before = f.databaseDigest();

    for (const [client, channel, payload] of [
      ['plain-window', 'sc:sso:identities', undefined],
      ['plain-window', 'sc:sso:link', { issuer: ISSUER, subject: 'u-evil', username: 'plain' }],
      ['plain-window', 'sc:sso:unlink', { issuer: ISSUER, subject: 'u-kept' }],
      [reader, 'sc:sso:link', { issuer: ISSUER, subject: 'u-evil', username: 'reader' }],
      [reader, 'sc:sso:unlink', { issuer: ISSUER, subject: 'u-kept' }],
      ['no-session-window', 'sc:sso:link', { issuer: ISSUER, subject: 'u-evil', username: 'admin' }],
    ] as const) {
      const result = await f.call(client, channel, payload);
      expect(result.ok, `${client} ${channel}`).toBe(false);
      if (!result.ok)
        expect(result.error.code, `${client} ${channel}`).toBe(
          client === 'no-session-window' ? 'unauthenticated' : 'forbidden',
        );
    }
    expect(f.databaseDigest()).toBe(before);
    // A read-only administrator may look (admin-read), and sees the link.
    expect(await f.ok(reader, 'sc:sso:identities')).toMatchObject({
      links: [{ issuer: ISSUER, subject: 'u-kept', username: 'admin', linkedBy: 'admin' }],
    });
  });

  it('an administrator links and unlinks through the gateway, audited; the payload is bounded', async () => {
    const f = await gatewayFixture();
    const { admin } = await seedAccounts(f);
    await f.ok(admin, 'sc:policy:set', { sso: { enabled: true, issuer: ISSUER, clientId: 'sc' } });
    await f.ok(admin, 'sc:sso:link', { issuer: ISSUER, subject: 'u-rita', username: 'reader' });
    await f.ok(admin, 'sc:sso:unlink', { issuer: ISSUER, subject: 'u-rita' });
    const actions = f.core.audit.query({ user: 'reader', limit: 50 }).entries.map((e) => [e.action, e.actor]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['sso.linked', 'admin'],
        ['sso.unlinked', 'admin'],
      ]),
    );
    const long = await f.call(admin, 'sc:sso:link', {
      issuer: ISSUER,
      subject: 's'.repeat(256),
      username: 'reader',
    });
    expect(long).toMatchObject({ ok: false, error: { code: 'validation', field: 'subject' } });
    const control = await f.call(admin, 'sc:sso:link', {
      issuer: ISSUER,
      subject: 'a\u001bb',
      username: 'reader',
    });
    expect(control).toMatchObject({ ok: false, error: { code: 'validation', field: 'subject' } });
  });
});
