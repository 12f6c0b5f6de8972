/**
 * The login state machine: every state and every transition, as data and pure functions. The auth
 * service does the I/O (database, verifier, audit) at the edges and feeds the results in as events.
 *
 *  signedOut ──credentialsAccepted──► locked                          (SC lock in force: no code is sent)
 *            │                    ├─► sendingCode(logon)              (2FA on)
 *            │                    ├─► passwordChangeRequired          (2FA off, must change, password log-on)
 *            │                    └─► signedIn                        (2FA off)
 *  sendingCode ──codeSent──► awaitingCode · ──sendRefused──► refused (no contact | provider unavailable)
 *  refused(provider) ──retry──► sendingCode
 *  awaitingCode ──codeAccepted──► passwordChangeRequired (logon code, must change) | signedIn
 *               ──codeRejected──► sendingCode (a report is one-shot at Sinch: a new code goes out)
 *               ──lockedOut──► locked · ──resendRequested──► sendingCode
 *  passwordChangeRequired ──passwordChanged──► sendingCode(afterPasswordChange) (2FA on) | signedIn
 *  any ──cancel | signOut | idleTimeout──► signedOut (with a notice)
 *  SSO: the identity provider's answer enters as credentialsAccepted with via = 'sso' (no password change).
 */
import type { Method } from '../../contract/domain';
import type { Role } from '../../contract/domain';

/** Who is logging on, fixed when the first factor passes. */
export interface Login {
  /** One per credentials check: challenges belong to it, and codes from other attempts are refused. */
  attemptId: string;
  userId: number;
  username: string;
  displayName: string;
  roles: Role[];
  via: 'password' | 'sso';
  mustChangePassword: boolean;
}

export type CodePurpose = 'logon' | 'afterPasswordChange';

export interface Challenge {
  id: string;
  method: Method;
  maskedDestination: string;
  sentAt: number;
  expiresAt: number;
}

export type Notice = 'signedOut' | 'sessionExpired' | 'cancelled';
/**
 * Why no code could be sent: the user has no contact; the provider is down for now (Retry may help); or
 * the setup is wrong (key/secret not accepted, secret missing, no credit, number refused): only an
 * administrator can fix that, so Retry is not offered.
 */
export type RefusalReason =
  'no-verification-contact' | 'verification-unavailable' | 'verification-misconfigured';

export type LoginState =
  | { step: 'signedOut'; notice: Notice | null }
  | { step: 'ssoWaiting' }
  | { step: 'sendingCode'; login: Login; purpose: CodePurpose; resendsUsed: number; isResend: boolean }
  | { step: 'awaitingCode'; login: Login; purpose: CodePurpose; challenge: Challenge; resendsUsed: number }
  | { step: 'passwordChangeRequired'; login: Login }
  | { step: 'locked'; login: Login; lockedUntil: number }
  | { step: 'refused'; login: Login; purpose: CodePurpose; reason: RefusalReason; resendsUsed: number }
  | { step: 'signedIn'; login: Login; lastActivityAt: number };

export type LoginEvent =
  | {
      type: 'credentialsAccepted';
      login: Login;
      twoFactorOn: boolean;
      lockedUntil: number | null;
      now: number;
    }
  | { type: 'ssoStarted' }
  | { type: 'codeSent'; challenge: Challenge }
  | { type: 'sendRefused'; reason: RefusalReason }
  | { type: 'retry' }
  | { type: 'resendRequested' }
  | { type: 'codeAccepted'; now: number }
  | { type: 'codeRejected' }
  | { type: 'lockedOut'; lockedUntil: number }
  | { type: 'passwordChanged'; twoFactorOn: boolean; now: number }
  | { type: 'activity'; now: number }
  | { type: 'cancel' }
  | { type: 'signOut' }
  | { type: 'idleTimeout' };

/** Resend limits, against SMS pumping: a cooldown after each code sent, and a cap per log-on attempt. */
export const RESEND_COOLDOWN_MS = 30_000;
export const MAX_RESENDS_PER_ATTEMPT = 5;

export class InvalidTransition extends Error {
  constructor(step: LoginState['step'], event: LoginEvent['type']) {
    super(`no transition from ${step} on ${event}`);
  }
}

export const signedOut = (notice: Notice | null = null): LoginState => ({ step: 'signedOut', notice });

export function transition(state: LoginState, event: LoginEvent): LoginState {
  switch (event.type) {
    case 'cancel':
      return signedOut(state.step === 'signedIn' ? 'signedOut' : 'cancelled');
    case 'signOut':
      return signedOut('signedOut');
    case 'idleTimeout':
      return signedOut('sessionExpired');
    case 'ssoStarted':
      if (state.step !== 'signedOut') break;
      return { step: 'ssoWaiting' };
    case 'credentialsAccepted': {
      if (state.step !== 'signedOut' && state.step !== 'ssoWaiting') break;
      const { login } = event;
      if (event.lockedUntil !== null && event.lockedUntil > event.now) {
        return { step: 'locked', login, lockedUntil: event.lockedUntil };
      }
      if (event.twoFactorOn) return sending(login, 'logon', 0, false);
      return afterFirstFactors(login, event.now);
    }
    case 'codeSent':
      if (state.step !== 'sendingCode') break;
      return {
        step: 'awaitingCode',
        login: state.login,
        purpose: state.purpose,
        challenge: event.challenge,
        resendsUsed: state.resendsUsed,
      };
    case 'sendRefused':
      if (state.step !== 'sendingCode') break;
      return {
        step: 'refused',
        login: state.login,
        purpose: state.purpose,
        reason: event.reason,
        resendsUsed: state.resendsUsed,
      };
    case 'retry':
      if (state.step !== 'refused' || state.reason !== 'verification-unavailable') break;
      return sending(state.login, state.purpose, state.resendsUsed, false);
    case 'resendRequested':
      if (state.step !== 'awaitingCode') break;
      return sending(state.login, state.purpose, state.resendsUsed + 1, true);
    case 'codeRejected':
      if (state.step !== 'awaitingCode') break;
      // Sinch ends a verification at its first wrong code, so the next attempt needs a new code.
      return sending(state.login, state.purpose, state.resendsUsed, false);
    case 'lockedOut':
      if (state.step !== 'awaitingCode' && state.step !== 'sendingCode') break;
      return { step: 'locked', login: state.login, lockedUntil: event.lockedUntil };
    case 'codeAccepted':
      if (state.step !== 'awaitingCode') break;
      if (state.purpose === 'logon') return afterFirstFactors(state.login, event.now);
      return {
        step: 'signedIn',
        login: { ...state.login, mustChangePassword: false },
        lastActivityAt: event.now,
      };
    case 'passwordChanged': {
      if (state.step !== 'passwordChangeRequired') break;
      const login = { ...state.login, mustChangePassword: false };
      if (event.twoFactorOn) return sending(login, 'afterPasswordChange', 0, false);
      return { step: 'signedIn', login, lastActivityAt: event.now };
    }
    case 'activity':
      if (state.step !== 'signedIn') break;
      return { ...state, lastActivityAt: event.now };
  }
  throw new InvalidTransition(state.step, event.type);
}

function sending(login: Login, purpose: CodePurpose, resendsUsed: number, isResend: boolean): LoginState {
  return { step: 'sendingCode', login, purpose, resendsUsed, isResend };
}

/** All factors passed: a password log-on that must change its password does so now; else signed in. */
function afterFirstFactors(login: Login, now: number): LoginState {
  if (login.mustChangePassword && login.via === 'password') return { step: 'passwordChangeRequired', login };
  return { step: 'signedIn', login, lastActivityAt: now };
}

/** When "Resend code" becomes available in this state, or null when no resend is left. */
export function resendAvailableAt(state: Extract<LoginState, { step: 'awaitingCode' }>): number | null {
  if (state.resendsUsed >= MAX_RESENDS_PER_ATTEMPT) return null;
  return state.challenge.sentAt + RESEND_COOLDOWN_MS;
}

export function isIdle(state: LoginState, now: number, idleTimeoutMs: number): boolean {
  return state.step === 'signedIn' && now - state.lastActivityAt >= idleTimeoutMs;
}
