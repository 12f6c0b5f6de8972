/**
 * The machine's rules for sending codes (`decide` with plain data): the resend limits against SMS pumping,
 * Retry only after an outage, where a code may go, and what a send's answer may still move once the window
 * has left. End to end they are tested in auth-flow, resend-limits and the Sinch suites; these pin the edges
 * those leave open (found by mutation testing, docs/threat-model.md › Mutation testing).
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_RESENDS_PER_ATTEMPT,
  RESEND_COOLDOWN_MS,
  decide,
  signedOut,
  type Effect,
  type LoginState,
} from '../../main/core/auth/machine';
import type { ErrorCode } from '../../main/contract/errors';
import {
  NOW,
  actions,
  alice,
  aliceLogin,
  auditEntries,
  awaitingCode,
  challenge,
  machineFacts,
  twoFactorOn,
  sendingCode as sending,
  aliceAudit,
} from '../support/login-machine-facts';

const refusedBy = (
  reason: 'no-verification-contact' | 'verification-unavailable' | 'verification-misconfigured',
): LoginState => ({
  step: 'refused',
  login: aliceLogin,
  purpose: 'logon',
  reason,
  resendsUsed: 1,
  enteredAt: NOW,
});
const sendRequest: Extract<Effect, { kind: 'sendCode' }> = {
  kind: 'sendCode',
  userId: 1,
  username: 'alice',
  attemptId: 'attempt-1',
  purpose: 'logon',
  isResend: false,
  method: 'sms',
  to: '+46701234512',
  validMinutes: 5,
};
const afterCooldown = challenge.sentAt + RESEND_COOLDOWN_MS;

describe('resend: against SMS pumping', () => {
  it('is refused outside the code screen, sending nothing', () => {
    for (const state of [signedOut(), sending, refusedBy('verification-unavailable')]) {
      const d = decide(state, { type: 'resend' }, machineFacts({ now: afterCooldown }));
      expect(d.effects).toEqual([]);
      expect(d.state).toBe(state);
      expect(d.error).toEqual({ code: 'conflict', message: 'No verification code is expected now.' });
    }
  });

  it('is refused at the cap for the log-on, however long the person waited', () => {
    const capped = awaitingCode({ resendsUsed: MAX_RESENDS_PER_ATTEMPT });
    const d = decide(capped, { type: 'resend' }, machineFacts({ now: afterCooldown + 60 * 60_000 }));
    expect(d.effects).toEqual([]);
    expect(d.state).toBe(capped);
    expect(d.error).toEqual({
      code: 'resend-limit',
      message: 'No more codes can be sent for this log-on. Cancel and log on again.',
    });
  });

  it('is refused during the cooldown, saying how many seconds are left', () => {
    const d = decide(awaitingCode(), { type: 'resend' }, machineFacts({ now: afterCooldown - 12_500 }));
    expect(d.effects).toEqual([]);
    expect(d.error).toEqual({
      code: 'resend-cooldown',
      message: 'You can send a new code in 13 seconds.',
      params: { seconds: 13 },
    });
  });

  it('goes out once the cooldown is over, below the cap', () => {
    const d = decide(
      awaitingCode({ resendsUsed: MAX_RESENDS_PER_ATTEMPT - 1 }),
      { type: 'resend' },
      machineFacts({ now: afterCooldown }),
    );
    expect(d.state).toMatchObject({
      step: 'sendingCode',
      resendsUsed: MAX_RESENDS_PER_ATTEMPT,
      isResend: true,
    });
    expect(actions(d)).toEqual([{ ...sendRequest, isResend: true }]);
  });
});

describe('Retry', () => {
  it('sends again only after an outage, keeping the resends used', () => {
    const d = decide(refusedBy('verification-unavailable'), { type: 'retry' }, machineFacts());
    expect(d.state).toMatchObject({ step: 'sendingCode', resendsUsed: 1, isResend: false });
    expect(actions(d)).toEqual([sendRequest]);
  });

  it('is refused after a setup failure or with no contact (only an administrator can fix those), and elsewhere', () => {
    for (const state of [
      refusedBy('verification-misconfigured'),
      refusedBy('no-verification-contact'),
      awaitingCode(),
      signedOut(),
    ]) {
      const d = decide(state, { type: 'retry' }, machineFacts());
      expect(d.effects).toEqual([]);
      expect(d.state).toBe(state);
      expect(d.error).toEqual({ code: 'conflict', message: 'There is nothing to retry.' });
    }
  });
});

describe('a failed send', () => {
  const failed = (code: ErrorCode) => ({
    type: 'sendFailed' as const,
    request: sendRequest,
    error: { code, message: 'the provider said no' },
    details: { providerStatus: 503 },
  });

  it('is audited with the method and what the provider said', () => {
    const d = decide(sending, failed('verification-unavailable'), machineFacts());
    expect(auditEntries(d)).toEqual([
      aliceAudit('code.sent', 'error', { method: 'sms', providerStatus: 503 }),
    ]);
  });

  it('an outage offers Retry; a setup failure does not', () => {
    const outage = decide(sending, failed('verification-unavailable'), machineFacts());
    expect(outage.state).toMatchObject({ step: 'refused', reason: 'verification-unavailable' });
    expect(outage.error).toEqual({ code: 'verification-unavailable', message: 'the provider said no' });
    for (const code of [
      'verification-bad-credentials',
      'secret-missing',
      'verification-no-credit',
    ] as const) {
      const setup = decide(sending, failed(code), machineFacts());
      expect(setup.state, code).toMatchObject({ step: 'refused', reason: 'verification-misconfigured' });
      expect(setup.error?.code).toBe(code);
    }
  });

  it('answered after the window left: audited, the window untouched, no error shown', () => {
    const d = decide(
      signedOut('cancelled'),
      failed('verification-unavailable'),
      machineFacts({ stale: true }),
    );
    expect(auditEntries(d)).toHaveLength(1);
    expect(d.state).toEqual(signedOut('cancelled'));
    expect(d.error).toBeNull();
  });
});

describe('a code sent', () => {
  it("for a log-on the window left is recorded and audited, but never shown on a newer log-on's screen", () => {
    const newer: LoginState = { ...sending, login: { ...aliceLogin, attemptId: 'attempt-2' } };
    const d = decide(
      newer,
      { type: 'codeSent', request: sendRequest, providerId: 'p1' },
      machineFacts({ stale: true }),
    );
    expect(actions(d).map((e) => e.kind)).toEqual(['recordChallenge']);
    expect(auditEntries(d).map((e) => e.action)).toEqual(['code.sent']);
    expect(d.state).toBe(newer);
    expect(d.error).toBeNull();
  });
});

describe('where a code may go', () => {
  const firstCode = (user: typeof alice, twoFactor = twoFactorOn) =>
    decide(
      { step: 'passwordChangeRequired', login: aliceLogin },
      { type: 'passwordStored', stamp: 'stamp-2' },
      machineFacts({ user, twoFactor }),
    );

  it('only to the policy method, or its fallback when one is set: never to another contact', () => {
    const d = firstCode({ ...alice, mobile: null, email: 'alice@example.com' });
    expect(actions(d)).toEqual([]);
    expect(d.state).toMatchObject({ step: 'refused', reason: 'no-verification-contact' });
    expect(auditEntries(d)).toEqual([
      aliceAudit('code.refused', 'denied', { reason: 'no-verification-contact' }),
    ]);
  });

  it('with a fallback set but no contact for it either, no code goes anywhere', () => {
    const d = firstCode({ ...alice, mobile: null, email: null }, { ...twoFactorOn, fallbackMethod: 'email' });
    expect(actions(d)).toEqual([]);
    expect(d.state).toMatchObject({ step: 'refused', reason: 'no-verification-contact' });
  });

  it('to the fallback when the primary contact is missing', () => {
    const d = firstCode(
      { ...alice, mobile: null, email: 'alice@example.com' },
      { ...twoFactorOn, fallbackMethod: 'email' },
    );
    expect(actions(d)).toEqual([
      { ...sendRequest, purpose: 'afterPasswordChange', method: 'email', to: 'alice@example.com' },
    ]);
  });
});
