/**
 * The machine's first-factor rules (`decide` with plain data): the password throttle's refusal, answers
 * that arrive after the window moved on, SSO answers, and the lock a lowered maximum takes at log-on, with
 * the audit entries an administrator reads. End to end they are tested in logon-throttle, code-limits and
 * sso; these pin the edges those leave open (found by mutation testing, docs/threat-model.md).
 */
import { describe, expect, it } from 'vitest';
import { decide, signedOut, type LoginState } from '../../main/core/auth/machine';
import {
  MINUTE,
  NOW,
  actions,
  alice,
  auditEntries,
  machineFacts,
  twoFactorOn,
} from '../support/login-machine-facts';

const checking: LoginState = { step: 'checkingPassword', username: 'alice', userId: 1, notice: null };
const checkRequest = { kind: 'checkPassword' as const, userId: 1, username: 'alice', throttledUntil: null };
const reserveRequest = { kind: 'reservePasswordAttempt' as const, userId: 1, username: 'alice' };
const rightPassword = { type: 'passwordChecked' as const, request: checkRequest, ok: true, stamp: 'stamp-1' };

describe('the password: refusals and late answers', () => {
  it('a throttled name is refused before any hash check, audited as throttled under the typed name', () => {
    const d = decide(
      checking,
      { type: 'passwordReserved', request: reserveRequest, throttledUntil: NOW + MINUTE, until: null },
      machineFacts(),
    );
    expect(actions(d)).toEqual([]);
    expect(auditEntries(d)).toEqual([
      {
        actor: 'alice',
        action: 'logon.password',
        target: 'alice',
        outcome: 'denied',
        details: { reason: 'throttled' },
      },
    ]);
    expect(d.error).toMatchObject({ code: 'password-throttled', params: { minutes: 1 } });
  });

  it('a reservation answered after the window left checks no password and changes nothing', () => {
    const left = signedOut('cancelled');
    const d = decide(
      left,
      { type: 'passwordReserved', request: reserveRequest, throttledUntil: null, until: null },
      machineFacts(),
    );
    expect(d.effects).toEqual([]);
    expect(d.state).toBe(left);
    expect(d.error).toBeUndefined();
  });

  it('audits each failed password with its reason, and answers all of them alike', () => {
    const cases = [
      { ok: false, user: alice, reason: 'wrong-password' },
      { ok: true, user: { ...alice, active: false }, reason: 'inactive' },
      // Deleted while its password was checked: the unknown user's answer, not a crash.
      { ok: true, user: null, reason: 'unknown-user' },
    ];
    for (const { ok, user, reason } of cases) {
      const d = decide(checking, { ...rightPassword, ok }, machineFacts({ user }));
      expect(auditEntries(d)).toEqual([
        {
          actor: 'alice',
          action: 'logon.password',
          target: 'alice',
          outcome: 'failure',
          details: { reason },
        },
      ]);
      expect(d.state).toMatchObject({ step: 'signedOut' });
      expect(d.error).toMatchObject({ code: 'invalid-credentials' });
    }
  });

  it('a wrong password answered after the window left is audited, and leaves the window as it is', () => {
    const left = signedOut('cancelled');
    const d = decide(left, { ...rightPassword, ok: false, stamp: null }, machineFacts({ stale: true }));
    expect(d.state).toBe(left);
    expect(d.error).toBeUndefined();
    expect(auditEntries(d)).toMatchObject([{ action: 'logon.password', outcome: 'failure' }]);
  });

  it('a right password for a window that is no longer checking one signs nobody in', () => {
    for (const stale of [true, false]) {
      const left = signedOut('cancelled');
      const d = decide(left, rightPassword, machineFacts({ stale }));
      expect(d.state).toBe(left);
      expect(actions(d)).toEqual([{ kind: 'resetPasswordFailures', userId: 1 }]);
    }
  });
});

describe('the lock at the first factor', () => {
  it('a lowered maximum locks at log-on: the lock is stored, audited with its end, and shown; no code', () => {
    const d = decide(
      checking,
      rightPassword,
      machineFacts({
        codeLock: { failed: 3, lockedUntil: null },
        twoFactor: { ...twoFactorOn, maxAttempts: 3 },
      }),
    );
    const until = NOW + 30 * MINUTE;
    expect(d.state).toMatchObject({ step: 'locked', lockedUntil: until });
    expect(actions(d)).toEqual([
      { kind: 'resetPasswordFailures', userId: 1 },
      { kind: 'lockAccount', userId: 1, until },
    ]);
    expect(auditEntries(d)).toEqual([
      { actor: 'alice', action: 'logon.password', target: 'alice', outcome: 'success' },
      {
        actor: 'alice',
        action: 'account.locked',
        target: 'alice',
        outcome: 'success',
        details: { lockedUntil: new Date(until).toISOString(), reason: 'maximum-lowered' },
      },
      {
        actor: 'alice',
        action: 'logon.password',
        target: 'alice',
        outcome: 'denied',
        details: { reason: 'sc-locked', lockedUntil: new Date(until).toISOString() },
      },
    ]);
  });

  it('with 2FA off, failed codes left from before lock nobody', () => {
    const d = decide(
      checking,
      rightPassword,
      machineFacts({
        codeLock: { failed: 9, lockedUntil: null },
        twoFactor: { ...twoFactorOn, enabled: false },
      }),
    );
    expect(d.state).toMatchObject({ step: 'signedIn' });
    expect(actions(d).map((e) => e.kind)).not.toContain('lockAccount');
  });
});

describe('SSO answers', () => {
  const identity = { issuer: 'https://idp.example', subject: 'sub-1' };

  it('an answer that arrives after the window cancelled the SSO sign-in signs nobody in', () => {
    const left = signedOut('cancelled');
    const d = decide(left, { type: 'ssoAnswered', username: 'alice', identity }, machineFacts());
    expect(d.state).toBe(left);
    expect(d.effects).toEqual([]);
  });

  it('an identity without an active account is refused alike, audited with why', () => {
    for (const [user, reason] of [
      [null, 'unknown-user'],
      [{ ...alice, active: false }, 'inactive'],
    ] as const) {
      const d = decide(
        { step: 'ssoWaiting' },
        { type: 'ssoAnswered', username: 'alice', identity },
        machineFacts({ user }),
      );
      expect(d.state).toMatchObject({ step: 'signedOut' });
      expect(d.error).toMatchObject({ code: 'sso-error' });
      expect(d.effects).toEqual([
        {
          kind: 'audit',
          entry: {
            actor: 'alice',
            action: 'logon.sso',
            target: 'alice',
            outcome: 'failure',
            details: { reason },
          },
        },
      ]);
    }
  });

  it('an accepted identity is audited and goes on to the code, as the user it matched', () => {
    const d = decide(
      { step: 'ssoWaiting' },
      { type: 'ssoAnswered', username: 'Alice', identity },
      machineFacts(),
    );
    expect(auditEntries(d)).toEqual([
      { actor: 'alice', action: 'logon.sso', target: 'alice', outcome: 'success' },
    ]);
    expect(d.state).toMatchObject({
      step: 'sendingCode',
      login: { userId: 1, username: 'alice', via: 'sso', sso: identity, mustChangePassword: false },
    });
  });
});

describe('the password: edges found by mutation testing', () => {
  it('a name no user has is still counted and checked (against a dummy hash), never a crash', () => {
    const d = decide(
      signedOut('cancelled'),
      { type: 'logOn', username: 'mallory' },
      machineFacts({ user: null }),
    );
    expect(d.state).toMatchObject({
      step: 'checkingPassword',
      username: 'mallory',
      userId: null,
      notice: 'cancelled',
    });
    expect(d.effects).toEqual([{ kind: 'reservePasswordAttempt', userId: null, username: 'mallory' }]);
  });

  it('an unthrottled reservation goes on to the password check, carrying the delay this attempt started', () => {
    const d = decide(
      checking,
      { type: 'passwordReserved', request: reserveRequest, throttledUntil: null, until: NOW + MINUTE },
      machineFacts(),
    );
    expect(d.effects).toEqual([{ ...checkRequest, throttledUntil: NOW + MINUTE }]);
    expect(d.state).toBe(checking);
    expect(d.error).toBeUndefined();
  });

  it('a name unknown when counted stays unknown: an account created or renamed meanwhile is not signed in', () => {
    const unknownAtReservation = { ...checkRequest, userId: null, username: 'alice' };
    for (const [request, user] of [
      [unknownAtReservation, alice],
      [checkRequest, { ...alice, id: 2 }],
    ] as const) {
      const d = decide(checking, { ...rightPassword, request }, machineFacts({ user }));
      expect(actions(d)).toEqual([]);
      expect(auditEntries(d)).toMatchObject([{ outcome: 'failure', details: { reason: 'unknown-user' } }]);
      expect(d.state).toMatchObject({ step: 'signedOut' });
    }
  });

  it('a right password against a weaker hash is re-hashed with today’s parameters, audited when done', () => {
    const d = decide(checking, rightPassword, machineFacts({ user: { ...alice, hashOutdated: true } }));
    expect(actions(d)).toContainEqual({
      kind: 'upgradePasswordHash',
      userId: 1,
      audit: { actor: 'alice', action: 'password.upgraded', target: 'alice', outcome: 'success' },
    });
    const current = decide(checking, rightPassword, machineFacts());
    expect(actions(current).map((e) => e.kind)).not.toContain('upgradePasswordHash');
  });

  it('the audit log records a typed name bounded, and an empty one as anonymous', () => {
    const long = 'x'.repeat(1000);
    for (const [username, recorded] of [
      [long, 'x'.repeat(64)],
      ['', 'anonymous'],
    ] as const) {
      const d = decide(
        { ...checking, username, userId: null },
        { ...rightPassword, ok: false, request: { ...checkRequest, username, userId: null } },
        machineFacts({ user: null }),
      );
      expect(auditEntries(d)).toMatchObject([{ actor: recorded, target: recorded }]);
    }
  });

  it('an account already locked is shown its lock, not locked or audited as locked again', () => {
    const until = NOW + 10 * MINUTE;
    const d = decide(checking, rightPassword, machineFacts({ codeLock: { failed: 3, lockedUntil: until } }));
    expect(d.state).toMatchObject({ step: 'locked', lockedUntil: until });
    expect(actions(d)).toEqual([{ kind: 'resetPasswordFailures', userId: 1 }]);
    expect(auditEntries(d).map((e) => [e.action, e.outcome])).toEqual([
      ['logon.password', 'success'],
      ['logon.password', 'denied'],
    ]);
  });
});
