/**
 * The log-on machine's messages: the English fallback the window shows when it has no catalog text, and
 * what a developer reads from an impossible move. Each count is shown in the singular or plural it needs.
 */
import { describe, expect, it } from 'vitest';
import { InvalidTransition, decide, signedOut, transition } from '../../main/core/auth/machine';
import { MINUTE, NOW, awaitingCode, machineFacts, codeCheck } from '../support/login-machine-facts';

const checking = { step: 'checkingPassword' as const, username: 'alice', userId: 1, notice: null };
const reserveRequest = { kind: 'reservePasswordAttempt' as const, userId: 1, username: 'alice' };

describe("the log-on's messages", () => {
  it('names the step and the event of a move the graph does not have', () => {
    expect(() => transition(signedOut(), { type: 'codeAccepted', now: 0 })).toThrow(
      new InvalidTransition('signedOut', 'codeAccepted'),
    );
    expect(new InvalidTransition('signedOut', 'codeAccepted').message).toBe(
      'no transition from signedOut on codeAccepted',
    );
  });

  it('the password throttle: in whole minutes, at least one, in the singular for one', () => {
    const throttled = (until: number) =>
      decide(
        checking,
        { type: 'passwordReserved', request: reserveRequest, throttledUntil: until, until: null },
        machineFacts(),
      ).error;
    expect(throttled(NOW + 1_000)).toEqual({
      code: 'password-throttled',
      message: 'Too many failed log-ons. Wait 1 minute and try again.',
      params: { minutes: 1 },
    });
    expect(throttled(NOW + 2 * MINUTE)?.message).toBe(
      'Too many failed log-ons. Wait 2 minutes and try again.',
    );
  });

  it('a wrong code: the attempts left, in the singular for one', () => {
    const d = decide(
      awaitingCode(),
      {
        type: 'codeSettled',
        request: codeCheck,
        attemptsLeft: 1,
        lockedUntil: null,
        lockedNow: false,
        firstToFail: true,
      },
      machineFacts(),
    );
    expect(d.error).toEqual({
      code: 'wrong-code',
      field: 'code',
      message: 'That code is not right. 1 attempt left. We sent you a new code.',
      params: { attemptsLeft: 1, anotherSent: true },
    });
  });

  it('a typed code that cannot be a code', () => {
    const d = decide(awaitingCode(), { type: 'submitCode', wellFormed: false }, machineFacts());
    expect(d.error).toEqual({
      code: 'validation',
      field: 'code',
      message: 'Enter the code from the message, digits only.',
    });
  });
});
