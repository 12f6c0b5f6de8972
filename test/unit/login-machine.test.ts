import { describe, expect, it } from 'vitest';
import {
  decide,
  InvalidTransition,
  MAX_RESENDS_PER_ATTEMPT,
  RESEND_COOLDOWN_MS,
  isIdle,
  resendAvailableAt,
  signedOut,
  transition,
  type Decision,
  type Facts,
  type Login,
  type LoginState,
  type UserFacts,
} from '../../main/core/auth/machine';
import type { TwoFactorPolicy } from '../../main/contract/domain';
import { normalizeCode } from '../../main/core/auth/code';
import { maskEmail, maskPhone } from '../../main/core/auth/masking';
import { passwordDelayMs } from '../../main/core/auth/attempts';
import { alice as administratorAlice, twoFactorOn } from '../support/login-machine-facts';

const login: Login = {
  attemptId: 'a1',
  userId: 1,
  username: 'alice',
  displayName: 'Alice',
  roles: [],
  via: 'password',
  passwordStamp: 'stamp-1',
  mustChangePassword: false,
};
const challenge = {
  id: 'c1',
  method: 'sms' as const,
  maskedDestination: '+46 •• ••• •• 12',
  sentAt: 1_000,
  expiresAt: 301_000,
};
const awaiting: LoginState = { step: 'awaitingCode', login, purpose: 'logon', challenge, resendsUsed: 0 };

describe('the login state machine', () => {
  it('goes from credentials to sending a code when 2FA is on, to signed in when it is off', () => {
    expect(
      transition(signedOut(), {
        type: 'credentialsAccepted',
        login,
        twoFactorOn: true,
        lockedUntil: null,
        now: 0,
      }).step,
    ).toBe('sendingCode');
    expect(
      transition(signedOut(), {
        type: 'credentialsAccepted',
        login,
        twoFactorOn: false,
        lockedUntil: null,
        now: 0,
      }).step,
    ).toBe('signedIn');
  });

  it('shows the lock instead of sending a code while the account is locked', () => {
    const next = transition(signedOut(), {
      type: 'credentialsAccepted',
      login,
      twoFactorOn: true,
      lockedUntil: 10,
      now: 5,
    });
    expect(next).toEqual({ step: 'locked', login, lockedUntil: 10 });
  });

  it('asks a password log-on that must change its password to do so, but never an SSO log-on', () => {
    const must = { ...login, mustChangePassword: true };
    expect(
      transition(signedOut(), {
        type: 'credentialsAccepted',
        login: must,
        twoFactorOn: false,
        lockedUntil: null,
        now: 0,
      }).step,
    ).toBe('passwordChangeRequired');
    expect(
      transition(signedOut(), {
        type: 'credentialsAccepted',
        login: { ...must, via: 'sso' },
        twoFactorOn: false,
        lockedUntil: null,
        now: 0,
      }).step,
    ).toBe('signedIn');
  });

  it('needs a second code after a password change when 2FA is on', () => {
    const next = transition(
      { step: 'passwordChangeRequired', login },
      { type: 'passwordChanged', twoFactorOn: true, now: 0, passwordStamp: 'stamp-2' },
    );
    expect(next).toMatchObject({ step: 'sendingCode', purpose: 'afterPasswordChange' });
    const sent = transition(next, { type: 'codeSent', challenge });
    expect(transition(sent, { type: 'codeAccepted', now: 1 }).step).toBe('signedIn');
  });

  it('counts resends across a wrong code and offers the next resend after the cooldown until the cap', () => {
    const resent = transition(transition(awaiting, { type: 'resendRequested' }), {
      type: 'codeSent',
      challenge,
    });
    expect(resent).toMatchObject({ resendsUsed: 1 });
    const afterWrong = transition(transition(resent, { type: 'codeRejected' }), {
      type: 'codeSent',
      challenge,
    });
    expect(afterWrong).toMatchObject({ resendsUsed: 1 });
    expect(resendAvailableAt(afterWrong as Extract<LoginState, { step: 'awaitingCode' }>)).toBe(
      challenge.sentAt + RESEND_COOLDOWN_MS,
    );
    expect(
      resendAvailableAt({
        ...(awaiting as Extract<LoginState, { step: 'awaitingCode' }>),
        resendsUsed: MAX_RESENDS_PER_ATTEMPT,
      }),
    ).toBeNull();
  });

  it('refuses transitions the rules do not allow', () => {
    expect(() => transition(signedOut(), { type: 'codeAccepted', now: 0 })).toThrow(InvalidTransition);
    expect(() => transition(awaiting, { type: 'retry' })).toThrow(InvalidTransition);
    expect(() =>
      transition(
        { step: 'refused', login, purpose: 'logon', reason: 'no-verification-contact', resendsUsed: 0 },
        { type: 'retry' },
      ),
    ).toThrow(InvalidTransition);
  });

  it('ends any state on cancel, sign-out or idle time-out with the right notice', () => {
    expect(transition(awaiting, { type: 'cancel' })).toEqual({ step: 'signedOut', notice: 'cancelled' });
    expect(transition({ step: 'signedIn', login, lastActivityAt: 0 }, { type: 'signOut' })).toEqual({
      step: 'signedOut',
      notice: 'signedOut',
    });
    expect(transition({ step: 'signedIn', login, lastActivityAt: 0 }, { type: 'idleTimeout' })).toEqual({
      step: 'signedOut',
      notice: 'sessionExpired',
    });
    expect(isIdle({ step: 'signedIn', login, lastActivityAt: 0 }, 1_800_000, 1_800_000)).toBe(true);
    expect(isIdle({ step: 'signedIn', login, lastActivityAt: 0 }, 1_799_999, 1_800_000)).toBe(false);
  });
});

describe('codes, masks and delays', () => {
  it('normalises pasted codes and refuses what cannot be a code', () => {
    expect(normalizeCode('123 456\n')).toBe('123456');
    expect(normalizeCode('123-456')).toBe('123456');
    expect(normalizeCode('')).toBeNull();
    expect(normalizeCode('12')).toBeNull();
    expect(normalizeCode('12#456')).toBeNull();
  });

  it('masks destinations in main, keeping only the country code, last two digits or first letter and domain', () => {
    expect(maskPhone('+46701234512')).toBe('+46 •• ••• •• 12');
    expect(maskPhone('+14155550123')).toBe('+1 ••• ••• ••23');
    expect(maskEmail('alice@example.com')).toBe('a•••@example.com');
  });

  it('delays password attempts progressively from the 5th failure, at most 15 minutes', () => {
    expect([1, 4, 5, 6, 7, 8, 9, 50].map(passwordDelayMs)).toEqual([
      0, 0, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000,
    ]);
  });
});

// ---- decide: every rule as effects, as plain data (no database, no clock) ----

const NOW = 1_000_000;
const alice: UserFacts = { ...administratorAlice, roles: [] };
const twoFactor: TwoFactorPolicy = twoFactorOn;

function facts(overrides: Partial<Facts> = {}): Facts {
  return {
    now: NOW,
    newId: 'new-id',
    twoFactor,
    idleTimeoutMs: 30 * 60_000,
    user: alice,
    codeLock: { failed: 0, lockedUntil: null },
    codeChecksInFlight: 0,
    stale: false,
    ...overrides,
  };
}

const checking: LoginState = { step: 'checkingPassword', username: 'alice', userId: 1, notice: null };
const checkRequest = { kind: 'checkPassword' as const, userId: 1, username: 'alice', throttledUntil: null };
const codeCheck = {
  userId: 1,
  username: 'alice',
  attemptId: 'a1',
  purpose: 'logon' as const,
  challengeId: 'c1',
  method: 'sms' as const,
  limits: { maxAttempts: 3, lockMinutes: 30 },
};
const kinds = (d: Decision) => d.effects.map((e) => e.kind);
const audits = (d: Decision) =>
  d.effects.flatMap((e) => (e.kind === 'audit' ? [[e.entry.action, e.entry.outcome] as const] : []));

describe('decide: the password', () => {
  it('counts the attempt before the hash is checked, and refuses a second log-on in the same window', () => {
    const first = decide(signedOut(), { type: 'logOn', username: 'alice' }, facts());
    expect(first.state).toMatchObject({ step: 'checkingPassword', userId: 1 });
    expect(first.effects).toEqual([{ kind: 'reservePasswordAttempt', userId: 1, username: 'alice' }]);

    const second = decide(first.state, { type: 'logOn', username: 'alice' }, facts());
    expect(second.effects).toEqual([]);
    expect(second.state).toBe(first.state);
    expect(second.error?.code).toBe('conflict');
  });

  it('refuses a throttled name without checking the password', () => {
    const d = decide(
      checking,
      {
        type: 'passwordReserved',
        request: { kind: 'reservePasswordAttempt', userId: 1, username: 'alice' },
        throttledUntil: NOW + 90_000,
        until: null,
      },
      facts(),
    );
    expect(d.state).toMatchObject({ step: 'signedOut' });
    expect(kinds(d)).toEqual(['audit']);
    expect(audits(d)).toEqual([['logon.password', 'denied']]);
    expect(d.error).toMatchObject({
      code: 'password-throttled',
      message: expect.stringMatching(/2 minutes/),
    });
  });

  it('answers unknown, wrong and inactive alike; a right password resets the count even when inactive', () => {
    const wrong = decide(
      checking,
      { type: 'passwordChecked', request: checkRequest, ok: false, stamp: null },
      facts(),
    );
    const unknown = decide(
      { ...checking, userId: null },
      { type: 'passwordChecked', request: { ...checkRequest, userId: null }, ok: false, stamp: null },
      facts({ user: null }),
    );
    const inactive = decide(
      checking,
      { type: 'passwordChecked', request: checkRequest, ok: true, stamp: 'stamp-1' },
      facts({ user: { ...alice, active: false } }),
    );
    for (const d of [wrong, unknown, inactive]) {
      expect(d.state).toMatchObject({ step: 'signedOut' });
      expect(d.error).toEqual({ code: 'invalid-credentials', message: 'Invalid username or password.' });
    }
    const reasons = [wrong, unknown, inactive].map((d) =>
      d.effects.flatMap((e) => (e.kind === 'audit' ? [e.entry.details?.reason] : [])),
    );
    expect(reasons).toEqual([['wrong-password'], ['unknown-user'], ['inactive']]);
    expect(kinds(wrong)).not.toContain('resetPasswordFailures');
    expect(inactive.effects[0]).toEqual({ kind: 'resetPasswordFailures', userId: 1 });
  });

  it('keeps the stamp of the password it checked: a reset during the check ends the log-on at its next request', () => {
    const twoFactorOff = { twoFactor: { ...twoFactor, enabled: false } };
    const checked = decide(
      checking,
      { type: 'passwordChecked', request: checkRequest, ok: true, stamp: 'stamp-0' },
      facts(twoFactorOff),
    );
    expect(checked.state).toMatchObject({ step: 'signedIn', login: { passwordStamp: 'stamp-0' } });
    const next = decide(checked.state, { type: 'check' }, facts(twoFactorOff));
    expect(next.state).toMatchObject({ step: 'signedOut' });
    expect(next.effects).toContainEqual(
      expect.objectContaining({
        kind: 'audit',
        entry: expect.objectContaining({
          action: 'logon.revoked',
          details: { step: 'signedIn', reason: 'password-reset' },
        }),
      }),
    );
  });

  it('tells a failure that started a delay how long to wait', () => {
    const d = decide(
      checking,
      {
        type: 'passwordChecked',
        request: { ...checkRequest, throttledUntil: NOW + 60_000 },
        ok: false,
        stamp: null,
      },
      facts(),
    );
    expect(d.error?.code).toBe('password-throttled');
  });

  it('a right password with 2FA on resets the count, audits, and sends a code to the primary contact', () => {
    const d = decide(
      checking,
      { type: 'passwordChecked', request: checkRequest, ok: true, stamp: 'stamp-1' },
      facts(),
    );
    expect(d.state).toMatchObject({ step: 'sendingCode', purpose: 'logon', login: { attemptId: 'new-id' } });
    expect(d.effects).toEqual([
      { kind: 'resetPasswordFailures', userId: 1 },
      {
        kind: 'audit',
        entry: { actor: 'alice', action: 'logon.password', target: 'alice', outcome: 'success' },
      },
      {
        kind: 'sendCode',
        userId: 1,
        username: 'alice',
        attemptId: 'new-id',
        purpose: 'logon',
        isResend: false,
        method: 'sms',
        to: alice.mobile,
        validMinutes: 5,
      },
    ]);
  });

  it('a locked account sees its lock and is sent no code', () => {
    const d = decide(
      checking,
      { type: 'passwordChecked', request: checkRequest, ok: true, stamp: 'stamp-1' },
      facts({ codeLock: { failed: 3, lockedUntil: NOW + 60_000 } }),
    );
    expect(d.state).toMatchObject({ step: 'locked', lockedUntil: NOW + 60_000 });
    expect(kinds(d)).not.toContain('sendCode');
    expect(audits(d)).toContainEqual(['logon.password', 'denied']);
  });

  it('refuses to send without a contact for the policy method or its fallback', () => {
    const d = decide(
      checking,
      { type: 'passwordChecked', request: checkRequest, ok: true, stamp: 'stamp-1' },
      facts({ user: { ...alice, mobile: null } }),
    );
    expect(d.state).toMatchObject({ step: 'refused', reason: 'no-verification-contact' });
    expect(audits(d)).toContainEqual(['code.refused', 'denied']);
    expect(kinds(d)).not.toContain('sendCode');
    const fallback = decide(
      checking,
      { type: 'passwordChecked', request: checkRequest, ok: true, stamp: 'stamp-1' },
      facts({
        user: { ...alice, mobile: null, email: 'alice@example.com' },
        twoFactor: { ...twoFactor, fallbackMethod: 'email' },
      }),
    );
    expect(fallback.effects.at(-1)).toMatchObject({ kind: 'sendCode', method: 'email' });
  });

  it('a password check that returns after the window moved on settles counts but signs nobody in', () => {
    const d = decide(
      signedOut('cancelled'),
      { type: 'passwordChecked', request: checkRequest, ok: true, stamp: 'stamp-1' },
      facts({ stale: true }),
    );
    expect(d.state).toEqual(signedOut('cancelled'));
    expect(kinds(d)).toEqual(['resetPasswordFailures', 'audit']);
  });
});

describe('decide: the code', () => {
  it('reserves an attempt before asking the provider, and refuses malformed input uncounted', () => {
    const d = decide(awaiting, { type: 'submitCode', wellFormed: true }, facts());
    expect(d.effects).toEqual([{ kind: 'reserveCodeAttempt', ...codeCheck }]);
    const malformed = decide(awaiting, { type: 'submitCode', wellFormed: false }, facts());
    expect(malformed.effects).toEqual([]);
    expect(malformed.error?.code).toBe('validation');
  });

  it('holds a code back while the last allowed check is still at the provider', () => {
    const d = decide(
      awaiting,
      { type: 'submitCode', wellFormed: true },
      facts({ codeLock: { failed: 3, lockedUntil: null }, codeChecksInFlight: 1 }),
    );
    expect(d.effects).toEqual([]);
    expect(d.error?.code).toBe('conflict');
  });

  it('a wrong code counts, and the first to fail sends a new code', () => {
    const d = decide(
      awaiting,
      {
        type: 'codeSettled',
        request: codeCheck,
        attemptsLeft: 2,
        lockedUntil: null,
        lockedNow: false,
        firstToFail: true,
      },
      facts(),
    );
    expect(audits(d)).toEqual([['code.failure', 'failure']]);
    expect(d.state).toMatchObject({ step: 'sendingCode', isResend: false });
    expect(d.effects.at(-1)).toMatchObject({ kind: 'sendCode' });
    expect(d.error).toMatchObject({
      code: 'wrong-code',
      message: 'That code is not right. 2 attempts left. We sent you a new code.',
    });
  });

  it('the wrong code that reaches the maximum locks: audited, codes ended, the lock shown', () => {
    const d = decide(
      awaiting,
      {
        type: 'codeSettled',
        request: codeCheck,
        attemptsLeft: 0,
        lockedUntil: NOW + 1_800_000,
        lockedNow: true,
        firstToFail: true,
      },
      facts(),
    );
    expect(audits(d)).toEqual([
      ['code.failure', 'failure'],
      ['account.locked', 'success'],
    ]);
    expect(d.effects).toContainEqual({ kind: 'endChallenges', attemptId: 'a1' });
    expect(d.state).toMatchObject({ step: 'locked', lockedUntil: NOW + 1_800_000 });
  });

  it('the right code settles and signs in, audited; a right code for an old challenge signs nobody in', () => {
    const d = decide(awaiting, { type: 'codeReported', request: codeCheck, outcome: 'successful' }, facts());
    expect(kinds(d)).toEqual(['settleCorrectCode', 'audit', 'audit']);
    expect(audits(d)).toEqual([
      ['code.success', 'success'],
      ['logon.success', 'success'],
    ]);
    expect(d.state).toMatchObject({ step: 'signedIn', lastActivityAt: NOW });

    const old = decide(
      awaiting,
      { type: 'codeReported', request: { ...codeCheck, challengeId: 'c0' }, outcome: 'successful' },
      facts(),
    );
    expect(old.state).toBe(awaiting);
  });

  it('a provider failure gives the attempt back', () => {
    const d = decide(
      awaiting,
      {
        type: 'reportFailed',
        request: codeCheck,
        error: { code: 'verification-unavailable', message: 'x' },
        details: {},
      },
      facts(),
    );
    expect(kinds(d)).toEqual(['refundCodeAttempt', 'audit']);
    expect(audits(d)).toEqual([['code.failure', 'error']]);
  });

  it('a code sent is recorded with the policy validity and shown masked', () => {
    const send = {
      kind: 'sendCode' as const,
      userId: 1,
      username: 'alice',
      attemptId: 'a1',
      purpose: 'logon' as const,
      isResend: false,
      method: 'sms' as const,
      to: '+46701234512',
      validMinutes: 5,
    };
    const sendingState = transition(awaiting, { type: 'resendRequested' });
    const d = decide(sendingState, { type: 'codeSent', request: send, providerId: 'p1' }, facts());
    expect(d.effects[0]).toEqual({
      kind: 'recordChallenge',
      userId: 1,
      attemptId: 'a1',
      method: 'sms',
      providerId: 'p1',
      challenge: {
        id: 'new-id',
        method: 'sms',
        maskedDestination: '+46 •• ••• •• 12',
        sentAt: NOW,
        expiresAt: NOW + 5 * 60_000,
      },
    });
    expect(d.state).toMatchObject({ step: 'awaitingCode', challenge: { id: 'new-id' } });
  });
});

describe('decide: leaving', () => {
  it('cancel ends the attempt’s codes and audits where it was left', () => {
    const d = decide(awaiting, { type: 'cancel' }, facts());
    expect(d.effects).toEqual([
      { kind: 'abortSso' },
      { kind: 'endChallenges', attemptId: 'a1' },
      {
        kind: 'audit',
        entry: {
          actor: 'alice',
          action: 'logon.cancel',
          target: 'alice',
          outcome: 'success',
          details: { step: 'awaitingCode' },
        },
      },
    ]);
    expect(d.state).toMatchObject({ step: 'signedOut', notice: 'cancelled' });
  });

  it('an idle session ends at the time-out, audited; activity before it keeps it', () => {
    const signedInState: LoginState = { step: 'signedIn', login, lastActivityAt: NOW - 30 * 60_000 };
    const d = decide(signedInState, { type: 'check' }, facts());
    expect(audits(d)).toEqual([['logon.timeout', 'success']]);
    expect(d.state).toMatchObject({ step: 'signedOut', notice: 'sessionExpired' });
    const fresh: LoginState = { step: 'signedIn', login, lastActivityAt: NOW - 60_000 };
    const active = decide(fresh, { type: 'activity' }, facts());
    expect(active.effects).toEqual([]);
    expect(active.state).toMatchObject({ step: 'signedIn', lastActivityAt: NOW });
  });

  it('a closed window forgets its state without an audit entry of its own', () => {
    expect(kinds(decide(awaiting, { type: 'disconnect' }, facts()))).toEqual([
      'abortSso',
      'endChallenges',
      'forgetWindow',
    ]);
  });
});
