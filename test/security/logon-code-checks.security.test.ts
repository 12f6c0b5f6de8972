/**
 * The machine's code-check rules (`decide` with plain data): which typed code is checked at all, what the
 * ledger's reservation and the provider's answer lead to, who audits a lock, and which screen a late answer
 * may still move. End to end they are tested in auth-flow, code-limits and the Sinch suites; these pin the
 * edges those leave open (found by mutation testing, docs/threat-model.md › Mutation testing).
 */
import { describe, expect, it } from 'vitest';
import { decide, signedOut, type LoginState } from '../../main/core/auth/machine';
import {
  MINUTE,
  NOW,
  actions,
  auditEntries,
  awaitingCode,
  challenge,
  machineFacts,
  codeCheck,
  sendingCode as sending,
  aliceAudit,
} from '../support/login-machine-facts';

const submit = { type: 'submitCode' as const, wellFormed: true };
const LOCK_END = NOW + 30 * MINUTE;

function settled(
  overrides: {
    attemptsLeft?: number;
    lockedUntil?: number | null;
    lockedNow?: boolean;
    firstToFail?: boolean;
  } = {},
) {
  return {
    type: 'codeSettled' as const,
    request: codeCheck,
    attemptsLeft: 1,
    lockedUntil: null,
    lockedNow: false,
    firstToFail: true,
    ...overrides,
  };
}

describe('which typed code is checked', () => {
  it('takes a code only on the code screen: elsewhere nothing is reserved or sent to the provider', () => {
    for (const state of [signedOut(), sending, { step: 'ssoWaiting' } as LoginState]) {
      const d = decide(state, submit, machineFacts());
      expect(d.effects).toEqual([]);
      expect(d.state).toBe(state);
      expect(d.error).toMatchObject({ code: 'conflict', message: 'No verification code is expected now.' });
    }
  });

  it('holds the next code back only at the maximum, with no lock yet, while another check is out', () => {
    const reserves = (codeLock: { failed: number; lockedUntil: number | null }, codeChecksInFlight: number) =>
      actions(decide(awaitingCode(), submit, machineFacts({ codeLock, codeChecksInFlight }))).map(
        (e) => e.kind,
      );
    // At the maximum with a check out: that check decides (lock or not); this code waits.
    const held = decide(
      awaitingCode(),
      submit,
      machineFacts({ codeLock: { failed: 3, lockedUntil: null }, codeChecksInFlight: 2 }),
    );
    expect(held.effects).toEqual([]);
    expect(held.error).toEqual({ code: 'conflict', message: 'Your code is being checked. Wait a moment.' });
    // Below the maximum, with nothing out, or with the lock already taken: the ledger decides.
    expect(reserves({ failed: 2, lockedUntil: null }, 1)).toEqual(['reserveCodeAttempt']);
    expect(reserves({ failed: 3, lockedUntil: null }, 0)).toEqual(['reserveCodeAttempt']);
    expect(reserves({ failed: 3, lockedUntil: LOCK_END }, 1)).toEqual(['reserveCodeAttempt']);
  });
});

describe("the ledger's reservation", () => {
  it('reserved: the code goes to the provider with its challenge and limits', () => {
    const d = decide(
      awaitingCode(),
      { type: 'codeReserved', request: codeCheck, reservation: { kind: 'reserved' } },
      machineFacts(),
    );
    expect(d.effects).toEqual([{ kind: 'reportCode', ...codeCheck }]);
    expect(d.state).toMatchObject({ step: 'awaitingCode' });
  });

  it('locked by a lowered maximum: this code took the lock, so it audits it once; the screen shows the lock', () => {
    const d = decide(
      awaitingCode(),
      {
        type: 'codeReserved',
        request: codeCheck,
        reservation: { kind: 'locked', lockedUntil: LOCK_END, lockedNow: true },
      },
      machineFacts(),
    );
    expect(auditEntries(d)).toEqual([
      aliceAudit('account.locked', 'success', {
        lockedUntil: new Date(LOCK_END).toISOString(),
        reason: 'maximum-lowered',
      }),
    ]);
    expect(actions(d)).toEqual([{ kind: 'endChallenges', attemptId: 'attempt-1' }]);
    expect(d.state).toMatchObject({ step: 'locked', lockedUntil: LOCK_END });
  });

  it('locked by another check before this one: shown, but not audited a second time', () => {
    const d = decide(
      awaitingCode(),
      {
        type: 'codeReserved',
        request: codeCheck,
        reservation: { kind: 'locked', lockedUntil: LOCK_END, lockedNow: false },
      },
      machineFacts(),
    );
    expect(auditEntries(d)).toEqual([]);
    expect(d.state).toMatchObject({ step: 'locked', lockedUntil: LOCK_END });
  });

  it('a challenge that can no longer be used is refused uncounted, audited with why, and says what to do', () => {
    const refuse = (reason: 'expired' | 'superseded' | 'consumed' | 'failed' | 'unknown') =>
      decide(
        awaitingCode(),
        { type: 'codeReserved', request: codeCheck, reservation: { kind: 'challenge-invalid', reason } },
        machineFacts(),
      );
    const expired = refuse('expired');
    expect(actions(expired)).toEqual([]);
    expect(auditEntries(expired)).toEqual([aliceAudit('code.refused', 'denied', { reason: 'expired' })]);
    expect(expired.error).toEqual({
      code: 'code-expired',
      field: 'code',
      message: 'The code has expired. Send a new code.',
    });
    expect(expired.state).toMatchObject({ step: 'awaitingCode' });
    const superseded = refuse('superseded');
    expect(auditEntries(superseded)[0]?.details).toEqual({ reason: 'superseded' });
    expect(superseded.error).toEqual({
      code: 'code-not-valid',
      field: 'code',
      message: 'This code is no longer valid. Use the newest code, or send a new one.',
    });
  });
});

describe("the provider's answer", () => {
  it('a wrong code is settled as a failure (counted); nothing is decided before the ledger answers', () => {
    const d = decide(
      awaitingCode(),
      { type: 'codeReported', request: codeCheck, outcome: 'wrong-code' },
      machineFacts(),
    );
    expect(d.effects).toEqual([{ kind: 'settleWrongCode', ...codeCheck }]);
    expect(d.state).toMatchObject({ step: 'awaitingCode' });
  });

  it('a right code is audited with its method and purpose', () => {
    const d = decide(
      awaitingCode(),
      { type: 'codeReported', request: codeCheck, outcome: 'successful' },
      machineFacts(),
    );
    expect(auditEntries(d)[0]).toEqual(
      aliceAudit('code.success', 'success', { method: 'sms', purpose: 'logon' }),
    );
    expect(auditEntries(d)[1]).toMatchObject({ action: 'logon.success', details: { via: 'password' } });
  });

  it('a right code answered after the window left is settled and audited, and signs nobody in', () => {
    for (const state of [signedOut('cancelled'), sending]) {
      const d = decide(
        state,
        { type: 'codeReported', request: codeCheck, outcome: 'successful' },
        machineFacts({ stale: true }),
      );
      expect(actions(d)).toEqual([{ kind: 'settleCorrectCode', userId: 1, challengeId: 'challenge-1' }]);
      expect(auditEntries(d).map((e) => e.action)).toEqual(['code.success']);
      expect(d.state).toBe(state);
    }
  });

  it('a right code for a user deactivated while the provider checked it signs nobody in: the log-on is revoked', () => {
    const d = decide(
      awaitingCode(),
      { type: 'codeReported', request: codeCheck, outcome: 'successful' },
      machineFacts({ user: { ...machineFacts().user!, active: false } }),
    );
    expect(d.state).toMatchObject({ step: 'signedOut', notice: 'signedOut' });
    expect(auditEntries(d).map((e) => [e.action, e.details])).toEqual([
      ['code.success', { method: 'sms', purpose: 'logon' }],
      ['logon.revoked', { step: 'signedIn', reason: 'inactive' }],
    ]);
  });

  it('a code the provider can no longer check (expired there) is not counted: refunded, the challenge ended, "expired"', () => {
    const d = decide(
      awaitingCode(),
      { type: 'codeReported', request: codeCheck, outcome: 'not-valid', reason: 'Expired' },
      machineFacts(),
    );
    expect(actions(d)).toEqual([
      { kind: 'refundCodeAttempt', userId: 1 },
      { kind: 'expireChallenge', challengeId: 'challenge-1', at: NOW },
    ]);
    expect(auditEntries(d)).toEqual([
      aliceAudit('code.refused', 'denied', { reason: 'expired', by: 'provider' }),
    ]);
    expect(d.error).toEqual({
      code: 'code-expired',
      field: 'code',
      message: 'The code has expired. Send a new code.',
    });
    // The screen shows the code as expired from now (not later, and not earlier than it was).
    expect(d.state).toMatchObject({ step: 'awaitingCode', challenge: { ...challenge, expiresAt: NOW } });
  });

  it('a code the provider ended for another reason is "no longer valid", never "not right", and not counted', () => {
    const d = decide(
      awaitingCode(),
      { type: 'codeReported', request: codeCheck, outcome: 'not-valid', reason: 'Denied' },
      machineFacts(),
    );
    expect(actions(d).map((e) => e.kind)).toEqual(['refundCodeAttempt', 'expireChallenge']);
    expect(auditEntries(d)[0]?.details).toEqual({ reason: 'not-valid', by: 'provider' });
    expect(d.error).toMatchObject({ code: 'code-not-valid', field: 'code' });
  });

  it("a provider refusal of an older code leaves the newer code's screen as it is", () => {
    const newer = awaitingCode({ challenge: { ...challenge, id: 'challenge-2' } });
    const d = decide(
      newer,
      { type: 'codeReported', request: codeCheck, outcome: 'not-valid', reason: 'Expired' },
      machineFacts(),
    );
    expect(d.state).toEqual(newer);
    const gone = decide(
      signedOut('cancelled'),
      { type: 'codeReported', request: codeCheck, outcome: 'not-valid', reason: 'Expired' },
      machineFacts({ stale: true }),
    );
    expect(gone.state).toEqual(signedOut('cancelled'));
  });

  it('a code whose expiry the policy already passed keeps that earlier expiry', () => {
    const late = awaitingCode({ challenge: { ...challenge, expiresAt: NOW - MINUTE } });
    const d = decide(
      late,
      { type: 'codeReported', request: codeCheck, outcome: 'not-valid', reason: 'Expired' },
      machineFacts(),
    );
    expect(d.state).toMatchObject({ challenge: { expiresAt: NOW - MINUTE } });
  });
});

describe('a wrong code, settled', () => {
  it('audits the failure with the attempts left', () => {
    const d = decide(awaitingCode(), settled({ attemptsLeft: 2 }), machineFacts());
    expect(auditEntries(d)).toEqual([aliceAudit('code.failure', 'failure', { attemptsLeft: 2 })]);
    expect(d.error).toMatchObject({ field: 'code', params: { attemptsLeft: 2, anotherSent: true } });
  });

  it('a lock another check took is shown but not audited again', () => {
    const d = decide(awaitingCode(), settled({ attemptsLeft: 0, lockedUntil: LOCK_END }), machineFacts());
    expect(auditEntries(d).map((e) => e.action)).toEqual(['code.failure']);
    expect(d.state).toMatchObject({ step: 'locked', lockedUntil: LOCK_END });
  });

  it('a lock reached while the next code is being sent is shown at once, and that send ends', () => {
    const d = decide(
      sending,
      settled({ attemptsLeft: 0, lockedUntil: LOCK_END, lockedNow: true }),
      machineFacts(),
    );
    expect(actions(d)).toEqual([{ kind: 'endChallenges', attemptId: 'attempt-1' }]);
    expect(d.state).toMatchObject({ step: 'locked', lockedUntil: LOCK_END });
  });

  it('a lock taken after the window left is audited, and the Log on screen stays as it is', () => {
    const d = decide(
      signedOut('cancelled'),
      settled({ attemptsLeft: 0, lockedUntil: LOCK_END, lockedNow: true }),
      machineFacts({ stale: true }),
    );
    expect(auditEntries(d).map((e) => e.action)).toEqual(['code.failure', 'account.locked']);
    expect(actions(d)).toEqual([]);
    expect(d.state).toEqual(signedOut('cancelled'));
  });

  it('not the first to fail: another check of the same code sends the new one, so this sends none', () => {
    const d = decide(awaitingCode(), settled({ attemptsLeft: 1, firstToFail: false }), machineFacts());
    expect(actions(d)).toEqual([]);
    expect(d.state).toMatchObject({ step: 'awaitingCode' });
    expect(d.error).toEqual({
      code: 'wrong-code',
      field: 'code',
      message: 'That code is not right. 1 left.',
      params: { attemptsLeft: 1, anotherSent: false },
    });
  });

  it('a wrong older code sends no new one: the screen already has a newer code', () => {
    const newer = awaitingCode({ challenge: { ...challenge, id: 'challenge-2' } });
    const d = decide(newer, settled({ attemptsLeft: 1 }), machineFacts());
    expect(actions(d)).toEqual([]);
    expect(d.state).toEqual(newer);
    expect(d.error).toMatchObject({ params: { anotherSent: false } });
  });
});
