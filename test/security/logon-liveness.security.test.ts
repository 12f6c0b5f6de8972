/**
 * The machine's liveness rules, checked before every request (`decide` with plain data): who loses a log-on
 * or session at their next call, which screens end by themselves and which never do. The same rules are
 * tested end to end in session-revocation, halfway-logon and password-reset-sessions; these pin the edges
 * those leave open (found by mutation testing, docs/threat-model.md › Mutation testing).
 */
import { describe, expect, it } from 'vitest';
import { decide, signedOut, type LoginState } from '../../main/core/auth/machine';
import {
  MINUTE,
  NOW,
  actions,
  alice,
  aliceLogin,
  auditEntries,
  awaitingCode,
  challenge,
  machineFacts,
  signedInState,
  aliceAudit,
} from '../support/login-machine-facts';

const DAY = 24 * 60 * MINUTE;

describe('liveness: screens that end by themselves, and those that never do', () => {
  it('the Log on screen left open for a day keeps its notice and never turns into "session expired"', () => {
    for (const notice of [null, 'cancelled', 'signedOut', 'sessionExpired'] as const) {
      const idle: LoginState = { ...signedOut(notice), enteredAt: NOW - DAY };
      const d = decide(idle, { type: 'check' }, machineFacts({ user: null }));
      expect(d.state).toMatchObject({ step: 'signedOut', notice });
      expect(d.effects).toEqual([]);
    }
  });

  it('a password check or a code send under way is not cut short: its own answer decides', () => {
    const checking: LoginState = {
      step: 'checkingPassword',
      username: 'alice',
      userId: 1,
      notice: null,
      enteredAt: NOW - DAY,
    };
    const stillChecking = decide(checking, { type: 'check' }, machineFacts());
    expect(stillChecking.state).toMatchObject({ step: 'checkingPassword' });
    expect(stillChecking.effects).toEqual([]);

    const sending: LoginState = {
      step: 'sendingCode',
      login: aliceLogin,
      purpose: 'logon',
      resendsUsed: 0,
      isResend: false,
      enteredAt: NOW - DAY,
    };
    const stillSending = decide(sending, { type: 'check' }, machineFacts());
    expect(stillSending.state).toMatchObject({ step: 'sendingCode' });
    expect(stillSending.effects).toEqual([]);
  });

  it('an SSO sign-in left waiting ends after the code validity, and the browser sign-in is abandoned', () => {
    const waiting: LoginState = { step: 'ssoWaiting', enteredAt: NOW - 5 * MINUTE + 1 };
    const before = decide(waiting, { type: 'check' }, machineFacts({ user: null }));
    expect(before.state).toMatchObject({ step: 'ssoWaiting' });
    expect(before.effects).toEqual([]);

    const after = decide(waiting, { type: 'check' }, machineFacts({ user: null, now: NOW + 1 }));
    expect(after.state).toMatchObject({ step: 'signedOut', notice: 'sessionExpired' });
    expect(after.effects).toEqual([{ kind: 'abortSso' }]);
  });

  it('an expired code screen ends its codes and is audited with its step, and abandons no SSO sign-in', () => {
    const screen = awaitingCode();
    const deadline = challenge.expiresAt + 5 * MINUTE;
    const d = decide(screen, { type: 'check' }, machineFacts({ now: deadline }));
    expect(d.state).toMatchObject({ step: 'signedOut', notice: 'sessionExpired' });
    expect(d.effects).toEqual([
      { kind: 'endChallenges', attemptId: 'attempt-1' },
      {
        kind: 'audit',
        entry: aliceAudit('logon.timeout', 'success', { step: 'awaitingCode' }),
      },
    ]);
  });

  it('a change of roles or name does not restart the change-password screen’s time', () => {
    const screen: LoginState = {
      step: 'passwordChangeRequired',
      login: aliceLogin,
      enteredAt: NOW - 5 * MINUTE,
    };
    const d = decide(screen, { type: 'check' }, machineFacts({ user: { ...alice, roles: ['read-only'] } }));
    expect(d.state).toMatchObject({ step: 'signedOut', notice: 'sessionExpired' });
    expect(auditEntries(d)).toMatchObject([
      { action: 'logon.timeout', details: { step: 'passwordChangeRequired' } },
    ]);
  });
});

describe('liveness: changes to the account apply at the next call', () => {
  it('a new display name shows at once, without a change of roles', () => {
    const d = decide(
      signedInState(),
      { type: 'activity' },
      machineFacts({ user: { ...alice, displayName: 'Alice B.' } }),
    );
    expect(d.state).toMatchObject({
      step: 'signedIn',
      login: { displayName: 'Alice B.', roles: ['administrator'] },
    });
    expect(d.effects).toEqual([]);
  });

  it('new roles apply at once, without a change of name, and keep the session going', () => {
    const d = decide(
      signedInState(),
      { type: 'activity' },
      machineFacts({ user: { ...alice, roles: ['read-only'] } }),
    );
    expect(d.state).toMatchObject({
      step: 'signedIn',
      login: { displayName: 'Alice', roles: ['read-only'] },
    });
    expect(d.effects).toEqual([]);
  });

  it('a deleted account’s session ends, audited as no such user; a deactivated one as inactive', () => {
    const deleted = decide(signedInState(), { type: 'check' }, machineFacts({ user: null }));
    expect(deleted.state).toMatchObject({ step: 'signedOut', notice: 'signedOut' });
    expect(actions(deleted)).toEqual([{ kind: 'endChallenges', attemptId: 'attempt-1' }]);
    expect(auditEntries(deleted)).toEqual([
      aliceAudit('logon.revoked', 'success', { step: 'signedIn', reason: 'no-such-user' }),
    ]);

    const inactive = decide(
      awaitingCode(),
      { type: 'check' },
      machineFacts({ user: { ...alice, active: false } }),
    );
    expect(inactive.state).toMatchObject({ step: 'signedOut', notice: 'signedOut' });
    expect(auditEntries(inactive)).toMatchObject([{ details: { step: 'awaitingCode', reason: 'inactive' } }]);
  });

  it('an SSO session never used the password: a reset or the must-change flag leaves it signed in', () => {
    const ssoLogin = { ...aliceLogin, via: 'sso' as const, passwordStamp: undefined };
    const d = decide(
      signedInState({ login: ssoLogin }),
      { type: 'check' },
      machineFacts({ user: { ...alice, mustChangePassword: true, passwordStamp: 'stamp-2' } }),
    );
    expect(d.state).toMatchObject({ step: 'signedIn' });
    expect(d.effects).toEqual([]);
  });

  it('the must-change flag ends a password session, but not the log-on that is changing it now', () => {
    const flagged = machineFacts({ user: { ...alice, mustChangePassword: true } });
    const session = decide(signedInState(), { type: 'check' }, flagged);
    expect(session.state).toMatchObject({ step: 'signedOut' });
    expect(auditEntries(session)).toMatchObject([
      { action: 'logon.revoked', details: { step: 'signedIn', reason: 'must-change-password' } },
    ]);

    const changing: LoginState = {
      step: 'passwordChangeRequired',
      login: { ...aliceLogin, mustChangePassword: true },
      enteredAt: NOW - MINUTE,
    };
    const stays = decide(changing, { type: 'check' }, flagged);
    expect(stays.state).toMatchObject({ step: 'passwordChangeRequired' });
    expect(stays.effects).toEqual([]);
  });
});

describe('liveness: what does not end a screen (found by mutation testing)', () => {
  it('a session in use lasts however long ago it began: only idleness ends it', () => {
    const session = signedInState({ enteredAt: NOW - DAY, lastActivityAt: NOW - MINUTE });
    const d = decide(session, { type: 'check' }, machineFacts());
    expect(d.state).toMatchObject({ step: 'signedIn' });
    expect(d.effects).toEqual([]);
  });

  it('the lock screen stays to show the lock’s end, however long it is open', () => {
    const locked: LoginState = {
      step: 'locked',
      login: aliceLogin,
      lockedUntil: NOW + DAY,
      enteredAt: NOW - DAY,
    };
    const d = decide(locked, { type: 'check' }, machineFacts());
    expect(d.state).toMatchObject({ step: 'locked', lockedUntil: NOW + DAY });
    expect(d.effects).toEqual([]);
  });

  it('the code screen lasts from its code’s expiry, not from when it opened: time to ask for a new code', () => {
    // Opened 9 minutes ago; its code (5 minutes valid) ran out 1 minute ago: 4 minutes are left to resend.
    const screen = awaitingCode({
      enteredAt: NOW - 9 * MINUTE,
      challenge: { ...challenge, sentAt: NOW - 6 * MINUTE, expiresAt: NOW - MINUTE },
    });
    const d = decide(screen, { type: 'check' }, machineFacts());
    expect(d.state).toMatchObject({ step: 'awaitingCode' });
    expect(d.effects).toEqual([]);
    const ended = decide(screen, { type: 'check' }, machineFacts({ now: NOW + 4 * MINUTE }));
    expect(ended.state).toMatchObject({ step: 'signedOut', notice: 'sessionExpired' });
  });

  it('a check is not activity: it never postpones the idle time-out', () => {
    const session = signedInState({ lastActivityAt: NOW - 10 * MINUTE });
    const d = decide(session, { type: 'check' }, machineFacts());
    expect(d.state).toMatchObject({ step: 'signedIn', lastActivityAt: NOW - 10 * MINUTE });
  });

  it('activity outside a session moves nothing', () => {
    for (const state of [awaitingCode(), { ...signedOut('cancelled'), enteredAt: NOW }] as LoginState[]) {
      const d = decide(state, { type: 'activity' }, machineFacts());
      expect(d.state).toEqual(state);
      expect(d.effects).toEqual([]);
    }
  });

  it('the facts of another account never keep a session alive: it ends, revoked', () => {
    const d = decide(signedInState(), { type: 'check' }, machineFacts({ user: { ...alice, id: 2 } }));
    expect(d.state).toMatchObject({ step: 'signedOut', notice: 'signedOut' });
    expect(auditEntries(d)).toMatchObject([{ action: 'logon.revoked' }]);
  });
});
