/**
 * The log-on graph (`transition`) refuses every move its rules do not name, so no answer that arrives in the
 * wrong step can skip a factor or a lock; and a lock is a lock only while it lasts. The rules above it
 * (`decide`) check the step first as well; these pin the graph itself (found by mutation testing,
 * docs/threat-model.md › Mutation testing).
 */
import { describe, expect, it } from 'vitest';
import {
  InvalidTransition,
  decide,
  signedOut,
  transition,
  type LoginEvent,
  type LoginState,
} from '../../main/core/auth/machine';
import {
  NOW,
  aliceLogin,
  auditEntries,
  awaitingCode,
  challenge,
  machineFacts,
  signedInState,
} from '../support/login-machine-facts';

const sending: LoginState = {
  step: 'sendingCode',
  login: aliceLogin,
  purpose: 'logon',
  resendsUsed: 0,
  isResend: false,
};
const locked: LoginState = { step: 'locked', login: aliceLogin, lockedUntil: NOW + 60_000 };
const changing: LoginState = { step: 'passwordChangeRequired', login: aliceLogin };
const refused: LoginState = {
  step: 'refused',
  login: aliceLogin,
  purpose: 'logon',
  reason: 'verification-unavailable',
  resendsUsed: 0,
};
const accepted = (lockedUntil: number | null): LoginEvent => ({
  type: 'credentialsAccepted',
  login: aliceLogin,
  twoFactorOn: true,
  lockedUntil,
  now: NOW,
});

describe('the log-on graph', () => {
  it('accepts a first factor only on the way in: never into a code screen, a lock or a session', () => {
    for (const from of [sending, awaitingCode(), changing, locked, refused, signedInState()]) {
      expect(() => transition(from, accepted(null)), from.step).toThrow(InvalidTransition);
    }
    for (const from of [signedOut(), { step: 'ssoWaiting' } as const]) {
      expect(transition(from, accepted(null)).step).toBe('sendingCode');
    }
  });

  it('a lock that has run out, or runs out this very moment, is no lock: the code is sent', () => {
    expect(transition(signedOut(), accepted(NOW - 1)).step).toBe('sendingCode');
    expect(transition(signedOut(), accepted(NOW)).step).toBe('sendingCode');
    expect(transition(signedOut(), accepted(NOW + 1))).toMatchObject({
      step: 'locked',
      lockedUntil: NOW + 1,
    });
  });

  it('an answer in a step that does not expect it moves nothing', () => {
    const refusedMoves: [LoginState, LoginEvent][] = [
      [signedInState(), { type: 'ssoStarted' }],
      [awaitingCode(), { type: 'ssoStarted' }],
      [awaitingCode(), { type: 'codeSent', challenge }],
      [signedOut(), { type: 'codeSent', challenge }],
      [awaitingCode(), { type: 'sendRefused', reason: 'verification-unavailable' }],
      [sending, { type: 'resendRequested' }],
      [sending, { type: 'codeRejected' }],
      [signedInState(), { type: 'codeRejected' }],
      [signedInState(), { type: 'lockedOut', lockedUntil: NOW + 1 }],
      [sending, { type: 'codeAccepted', now: NOW }],
      [refused, { type: 'codeAccepted', now: NOW }],
      [signedInState(), { type: 'passwordChanged', twoFactorOn: false, now: NOW, passwordStamp: 's' }],
      [awaitingCode(), { type: 'activity', now: NOW }],
    ];
    for (const [from, event] of refusedMoves) {
      expect(() => transition(from, event), `${from.step} on ${event.type}`).toThrow(InvalidTransition);
    }
  });

  it('a lock reached while the next code is being sent is shown at once', () => {
    expect(transition(sending, { type: 'lockedOut', lockedUntil: NOW + 1 })).toMatchObject({
      step: 'locked',
      lockedUntil: NOW + 1,
    });
  });

  it('Cancel in a session is a sign-out: its notice, its audit entry, the codes ended', () => {
    const d = decide(signedInState(), { type: 'cancel' }, machineFacts());
    expect(d.state).toMatchObject({ step: 'signedOut', notice: 'signedOut' });
    expect(d.effects.filter((e) => e.kind !== 'audit')).toEqual([
      { kind: 'abortSso' },
      { kind: 'endChallenges', attemptId: 'attempt-1' },
    ]);
    expect(auditEntries(d)).toEqual([
      {
        actor: 'alice',
        action: 'logon.signout',
        target: 'alice',
        outcome: 'success',
        details: { step: 'signedIn' },
      },
    ]);
  });
});

describe('the code accepted (found by mutation testing)', () => {
  const mustChange = { ...aliceLogin, mustChangePassword: true };

  it('a log-on that must change its password goes from its code to the change screen, never into a session', () => {
    const screen = awaitingCode({ login: mustChange, purpose: 'logon' });
    expect(transition(screen, { type: 'codeAccepted', now: NOW })).toEqual({
      step: 'passwordChangeRequired',
      login: mustChange,
    });
  });

  it('the code after the password change opens the session of the same person', () => {
    // As `passwordChanged` leaves it: the change is done.
    const screen = awaitingCode({ purpose: 'afterPasswordChange' });
    expect(transition(screen, { type: 'codeAccepted', now: NOW })).toEqual({
      step: 'signedIn',
      login: aliceLogin,
      lastActivityAt: NOW,
    });
  });
});
