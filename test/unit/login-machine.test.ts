import { describe, expect, it } from 'vitest';
import {
  InvalidTransition,
  MAX_RESENDS_PER_ATTEMPT,
  RESEND_COOLDOWN_MS,
  isIdle,
  resendAvailableAt,
  signedOut,
  transition,
  type Login,
  type LoginState,
} from '../../main/core/auth/machine';
import { normalizeCode } from '../../main/core/auth/code';
import { maskEmail, maskPhone } from '../../main/core/auth/masking';
import { passwordDelayMs } from '../../main/core/auth/attempts';

const login: Login = {
  attemptId: 'a1',
  userId: 1,
  username: 'alice',
  displayName: 'Alice',
  roles: [],
  via: 'password',
  mustChangePassword: false,
};
const challenge = {
  id: 'c1',
  method: 'sms' as const,
  maskedDestination: '+46 ••• ••• •12',
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
      { type: 'passwordChanged', twoFactorOn: true, now: 0 },
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
    expect(maskPhone('+46701234512')).toBe('+46 ••• ••• •12');
    expect(maskPhone('+14155550123')).toBe('+1 ••• ••• •23');
    expect(maskEmail('alice@example.com')).toBe('a•••@example.com');
  });

  it('delays password attempts progressively from the 5th failure, at most 15 minutes', () => {
    expect([1, 4, 5, 6, 7, 8, 9, 50].map(passwordDelayMs)).toEqual([
      0, 0, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000,
    ]);
  });
});
