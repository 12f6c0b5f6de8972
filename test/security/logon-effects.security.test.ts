/**
 * The log-on's effects where answers race each other (main/core/auth/logon-effects.ts): the code checks a
 * user has out at the provider, the re-check before a stored hash is upgraded, the browser sign-ins a window
 * cancelled, and what the audit log says of a failed one. Found by mutation testing (docs/threat-model.md ›
 * Mutation testing); each test fails with its mutant put in by hand.
 */
import { hash as argon2Hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import type { AuthView } from '../../main/contract/ipc';
import type { SsoProvider } from '../../main/core/auth/auth-service';
import { ScError } from '../../main/core/errors';
import { ARGON2_PARAMETERS } from '../../main/core/users/argon2-parameters';
import { verifyPassword } from '../../main/core/users/passwords';
import { createGateway } from '../../main/gateway/gateway';
import { PASSWORD, loginFixture } from '../support/app';
import { APP_ORIGIN } from '../support/gateway-fixture';
import { wrongCodeFor } from '../support/codes';

const CLIENT = 'window-1';
const MOBILE = '+46701234567';

describe('code checks out at the provider', () => {
  it('the right code sent 40 times at once at the last attempt signs in once, and locks nobody', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 3, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    const gateway = createGateway(f.core, { appOrigin: APP_ORIGIN });
    const sender = { clientId: CLIENT, origin: APP_ORIGIN, isMainFrame: true };
    await gateway.invoke(sender, 'sc:auth:logOn', { username: 'alice', password: PASSWORD });
    for (let i = 0; i < 2; i++)
      await f.core.auth.submitCode(CLIENT, wrongCodeFor(f.emulator.lastCodeFor(MOBILE)!));
    expect(f.core.users.get('alice').failedCodeAttempts).toBe(2);

    // A double click, or a window that sends its request again: the first copy takes the last attempt, and
    // while the provider checks it every other copy is held back, not counted against an account that the
    // first copy is about to open.
    const reports = f.emulator.stats().reports;
    const code = f.emulator.lastCodeFor(MOBILE)!;
    const results = await Promise.all(
      Array.from({ length: 40 }, () => gateway.invoke(sender, 'sc:auth:submitCode', { code })),
    );
    const views = results.map((result) => (result.ok ? (result.value as AuthView) : null));
    expect(views.filter((view) => view?.step === 'signedIn')).toHaveLength(1);
    expect(
      views.filter((view) => view?.error?.message === 'Your code is being checked. Wait a moment.'),
    ).toHaveLength(39);
    expect(f.core.auth.session(CLIENT)?.username).toBe('alice');
    expect(f.emulator.stats().reports - reports).toBe(1);
    expect(f.core.users.get('alice')).toMatchObject({ failedCodeAttempts: 0, scLockedUntil: null });
    expect(f.core.audit.query({ action: 'account.locked' }).entries).toEqual([]);
    expect(f.core.audit.query({ action: 'code.success' }).entries).toHaveLength(1);
  });

  it('codes checked at once leave none counted as out: a maximum lowered afterwards locks at the next code', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 3, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    await f.addUser({ username: 'boss', mobile: '+46701234568', roles: ['administrator'] });
    await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD });
    const typo = wrongCodeFor(f.emulator.lastCodeFor(MOBILE)!);
    await Promise.all([f.core.auth.submitCode(CLIENT, typo), f.core.auth.submitCode(CLIENT, typo)]);
    expect(f.core.users.get('alice').failedCodeAttempts).toBe(2);
    expect(f.core.auth.state(CLIENT).step).toBe('awaitingCode');
    f.core.policy.set({ twoFactor: { maxAttempts: 2 } }, 'boss');

    // Both checks have ended: the next code is not told to wait for one, it meets the lowered maximum.
    const reports = f.emulator.stats().reports;
    const view = await f.core.auth.submitCode(CLIENT, f.emulator.lastCodeFor(MOBILE)!);
    expect(view).toMatchObject({ step: 'locked', lockedUntil: f.clock.now() + 30 * 60_000 });
    expect(f.emulator.stats().reports).toBe(reports);
    expect(f.core.audit.query({ action: 'account.locked' }).entries).toMatchObject([
      { actor: 'alice', details: { reason: 'maximum-lowered' } },
    ]);
  });
});

describe('a stored hash upgraded at log-on', () => {
  it('a password replaced while the old one was being checked stays replaced: the old one is never written back', async () => {
    const f = await loginFixture({ twoFactor: { enabled: false } });
    await f.addUser({ username: 'alice', roles: ['administrator'] });
    // Hashes with weaker parameters than today's (as a release from before they were raised writes them),
    // so the log-on upgrades whatever hash it finds.
    const weaker = { ...ARGON2_PARAMETERS, timeCost: ARGON2_PARAMETERS.timeCost - 1 };
    const old = await argon2Hash(PASSWORD, weaker);
    const replacement = 'a-new-Pa55word-after-a-leak-4417';
    const replaced = await argon2Hash(replacement, weaker);
    const store = f.core.db.prepare('UPDATE users SET password_hash = ? WHERE username = ?');
    store.run(old, 'alice');

    const logOn = f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD });
    // While argon2 checks the old password, the administrator replaces it (from another process).
    store.run(replaced, 'alice');
    await logOn;

    const stored = f.core.users.findRecord('alice')!.passwordHash!;
    expect(stored).toBe(replaced);
    expect(await verifyPassword(stored, PASSWORD)).toBe(false);
    expect(f.core.audit.query({ action: 'password.upgraded' }).entries).toEqual([]);
    // The log-on with the old password opens no session, and the old password opens no other.
    expect(f.core.auth.session(CLIENT)).toBeNull();
    const again = await f.core.auth.logOn('window-2', { username: 'alice', password: PASSWORD });
    expect(again.error?.code).toBe('invalid-credentials');
  });
});

/** An identity provider whose browser round trips the test answers (or leaves open) one by one. */
function browserRounds() {
  const rounds: { signal: AbortSignal; answer: (username: string) => void }[] = [];
  const sso: SsoProvider = {
    isEnabled: () => true,
    authenticate: (signal) =>
      new Promise((resolve, reject) => {
        rounds.push({ signal, answer: (username) => resolve({ username, subject: `subject-${username}` }) });
        signal.addEventListener('abort', () =>
          reject(new ScError('sso-error', 'The sign-in was cancelled.', { reason: 'aborted' })),
        );
      }),
  };
  return { sso, rounds };
}

async function ssoFixture(sso: SsoProvider) {
  const f = await loginFixture({ twoFactor: { enabled: false }, core: { sso } });
  await f.addUser({ username: 'alice', roles: ['administrator'] });
  await f.addUser({ username: 'mallory', roles: ['administrator'] });
  return f;
}

describe('a browser sign-in the window cancelled', () => {
  it('an answer that comes as the window cancels does not sign in the sign-in started next', async () => {
    const { sso, rounds } = browserRounds();
    const f = await ssoFixture(sso);
    const first = f.core.auth.ssoStart(CLIENT);
    // Mallory's answer arrives in the same moment as the window cancels and starts again.
    rounds[0]!.answer('mallory');
    f.core.auth.cancel(CLIENT);
    const second = f.core.auth.ssoStart(CLIENT);
    await first;
    expect(f.core.auth.state(CLIENT).step).toBe('ssoWaiting');
    expect(f.core.auth.session(CLIENT)).toBeNull();

    rounds[1]!.answer('alice');
    expect((await second).step).toBe('signedIn');
    expect(f.core.auth.session(CLIENT)?.username).toBe('alice');
    expect(f.core.audit.query({ action: 'logon.success' }).entries.map((e) => e.actor)).toEqual(['alice']);
  });

  it('the next sign-in, started before the cancelled one wound down, outlives its refusal; a second cancel abandons it, and its answer signs nobody in', async () => {
    const { sso, rounds } = browserRounds();
    const f = await ssoFixture(sso);
    const first = f.core.auth.ssoStart(CLIENT);
    f.core.auth.cancel(CLIENT);
    // Started before the first round trip has wound down.
    const second = f.core.auth.ssoStart(CLIENT);
    await first;
    // The first one's refusal (it was aborted) ends neither the second nor the window's screen.
    expect(rounds.map((round) => round.signal.aborted)).toEqual([true, false]);
    expect(f.core.auth.state(CLIENT).step).toBe('ssoWaiting');
    expect(f.core.audit.query({ action: 'logon.sso' }).entries).toEqual([]);

    f.core.auth.cancel(CLIENT);
    expect(rounds[1]!.signal.aborted).toBe(true);
    await second;
    // A third sign-in waits; the abandoned second one's browser tab is finished by someone else.
    const third = f.core.auth.ssoStart(CLIENT);
    rounds[1]!.answer('mallory');
    rounds[2]!.answer('alice');
    expect((await third).step).toBe('signedIn');
    expect(f.core.auth.session(CLIENT)?.username).toBe('alice');
  });
});

describe('a failed browser sign-in', () => {
  it('is audited with the reason the provider gave, else its error code, else "internal" as the provider step says it (never the message)', async () => {
    const failures: unknown[] = [
      new ScError('sso-error', 'The answer did not match the request.', { reason: 'state-mismatch' }),
      new ScError('sso-error', 'The identity provider could not be reached.'),
      new TypeError('fetch failed: https://idp.example.com/secret-path?code=abc'),
    ];
    let next = 0;
    const f = await ssoFixture({
      isEnabled: () => true,
      authenticate: async () => {
        throw failures[next++];
      },
    });
    const views: AuthView[] = [];
    for (let i = 0; i < failures.length; i++) views.push(await f.core.auth.ssoStart(CLIENT));

    expect(views.map((view) => [view.step, view.error?.code])).toEqual([
      ['signedOut', 'sso-error'],
      ['signedOut', 'sso-error'],
      ['signedOut', 'internal'],
    ]);
    const audited = f.core.audit.query({ action: 'logon.sso' }).entries;
    expect(audited.map((entry) => entry.details).reverse()).toEqual([
      { stage: 'sign-in', failure: 'state-mismatch' },
      { stage: 'sign-in', failure: 'sso-error' },
      { stage: 'sign-in', failure: 'internal' },
    ]);
    expect(JSON.stringify(audited)).not.toMatch(/secret-path|code=abc/);
  });
});
