/**
 * The log-on machine: every rule of the log-on, as pure functions over plain data. `decide(state, input,
 * facts)` returns the next state and the effects to carry out, in order; the auth service (the interpreter)
 * gathers the facts, runs the effects and feeds their results back in as inputs. Every audit entry the
 * log-on writes is an `audit` effect made here, and every message a person sees about the log-on is here.
 *
 * The states and their transitions (`transition`, the graph without the rules):
 *
 *  signedOut ──logOn──► checkingPassword ──(right password)──► locked      (SC lock in force: no code sent)
 *            │                           │                    ├─► sendingCode(logon)              (2FA on)
 *            │                           │                    ├─► passwordChangeRequired (2FA off, must change)
 *            │                           │                    └─► signedIn                        (2FA off)
 *            │                           └──(wrong / throttled)──► signedOut
 *            └──ssoStart──► ssoWaiting ──(identity accepted)──► as after a right password (never a change)
 *  sendingCode ──codeSent──► awaitingCode · ──sendRefused──► refused (no contact | provider unavailable)
 *  refused(provider) ──retry──► sendingCode
 *  awaitingCode ──codeAccepted──► passwordChangeRequired (logon code, must change) | signedIn
 *               ──codeRejected──► sendingCode (a report is one-shot at Sinch: a new code goes out)
 *               ──lockedOut──► locked · ──resendRequested──► sendingCode
 *  passwordChangeRequired ──passwordChanged──► sendingCode(afterPasswordChange) (2FA on) | signedIn
 *  any ──cancel | signOut | idleTimeout──► signedOut (with a notice)
 */
import type { AuditEntryInput } from '../audit/audit-log';
import type { IpcError } from '../../contract/errors';
import type { Method, Role, TwoFactorPolicy } from '../../contract/domain';
import type { ChallengeRefusal, CodeLimits, Reservation } from './attempts';
import { maskDestination } from './masking';
import { SSO_MESSAGES } from '../sso/sso-refusals';

// ---- States ----

/** Who is logging on, fixed when the first factor passes. */
export interface Login {
  /** One per credentials check: challenges belong to it, and codes from other attempts are refused. */
  attemptId: string;
  userId: number;
  username: string;
  displayName: string;
  roles: Role[];
  via: 'password' | 'sso';
  /** A password log-on's password (`passwordStamp`): once the user's password is another, it ends. */
  passwordStamp?: string;
  mustChangePassword: boolean;
  /** An SSO log-on's identity: linked to the user when the log-on completes, refused if another holds the link. */
  sso?: SsoIdentityRef;
}

/** An identity at the SSO provider: its issuer and subject. */
interface SsoIdentityRef {
  issuer: string;
  subject: string;
}

type CodePurpose = 'logon' | 'afterPasswordChange';

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
type RefusalReason = 'no-verification-contact' | 'verification-unavailable' | 'verification-misconfigured';

export type LoginState = (
  | { step: 'signedOut'; notice: Notice | null }
  | {
      step: 'checkingPassword';
      username: string;
      userId: number | null;
      /** The notice of the Log on screen this check started from, shown again if the check fails. */
      notice: Notice | null;
    }
  | { step: 'ssoWaiting' }
  | { step: 'sendingCode'; login: Login; purpose: CodePurpose; resendsUsed: number; isResend: boolean }
  | { step: 'awaitingCode'; login: Login; purpose: CodePurpose; challenge: Challenge; resendsUsed: number }
  | { step: 'passwordChangeRequired'; login: Login }
  | { step: 'locked'; login: Login; lockedUntil: number }
  | { step: 'refused'; login: Login; purpose: CodePurpose; reason: RefusalReason; resendsUsed: number }
  | { step: 'signedIn'; login: Login; lastActivityAt: number }
) & {
  /** When `decide` entered this state (pre-sign-in states end a while after it). */
  enteredAt?: number;
};

type StateOf<S extends LoginState['step']> = Extract<LoginState, { step: S }>;
type WithLogin = Extract<LoginState, { login: Login }>;

/** The graph's own events: `transition` moves along them; `decide` chooses which one the rules allow. */
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
  | { type: 'passwordChanged'; twoFactorOn: boolean; now: number; passwordStamp: string }
  | { type: 'activity'; now: number }
  | { type: 'cancel' }
  | { type: 'signOut' }
  | { type: 'idleTimeout' };

/** Resend limits, against SMS pumping: a cooldown after each code sent, and a cap per log-on attempt. */
export const RESEND_COOLDOWN_MS = 30_000;
export const MAX_RESENDS_PER_ATTEMPT = 5;
/** No username is longer: a longer typed name is an unknown user (never a truncated match). */
export const USERNAME_MAX_LENGTH = 64;

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
      if (state.step !== 'signedOut' && state.step !== 'ssoWaiting' && state.step !== 'checkingPassword')
        break;
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
      // The log-on goes on with the password its user just chose.
      const login = { ...state.login, mustChangePassword: false, passwordStamp: event.passwordStamp };
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
export function resendAvailableAt(state: StateOf<'awaitingCode'>): number | null {
  if (state.resendsUsed >= MAX_RESENDS_PER_ATTEMPT) return null;
  return state.challenge.sentAt + RESEND_COOLDOWN_MS;
}

export function isIdle(state: LoginState, now: number, idleTimeoutMs: number): boolean {
  return state.step === 'signedIn' && now - state.lastActivityAt >= idleTimeoutMs;
}

/** What a window sees of a state it must not show yet: the Log on screen, as before the request. */
export function isTransient(state: LoginState): boolean {
  return state.step === 'sendingCode' || state.step === 'checkingPassword';
}

// ---- Facts: what the interpreter reads for each input ----

/** The user a log-on is about, as the database has it now (re-read for every input). */
export interface UserFacts {
  id: number;
  username: string;
  displayName: string;
  roles: Role[];
  active: boolean;
  mustChangePassword: boolean;
  email: string | null;
  mobile: string | null;
  /** The stored password hash has weaker parameters than today's. */
  hashOutdated: boolean;
  /** Which password is stored now (`passwordStamp`), or null when the account has none. Never the hash. */
  passwordStamp: string | null;
}

export interface Facts {
  now: number;
  /** A fresh random id, for a new log-on attempt or challenge. */
  newId: string;
  twoFactor: TwoFactorPolicy;
  idleTimeoutMs: number;
  /**
   * For `logOn` the typed username's user; for `ssoAnswered` the identity's; for `passwordChecked` the
   * checked user; otherwise the user of the state's log-on. Null when there is none (or no such user).
   */
  user: UserFacts | null;
  /** That user's failed-code count and SC lock (a lock that has run out reads as none). */
  codeLock: { failed: number; lockedUntil: number | null };
  /** Code checks of that user now at the provider (any window). */
  codeChecksInFlight: number;
  /** For a result: the window has left the state whose effect produced it. */
  stale: boolean;
  /** The subject a user is linked to at an SSO issuer now, or null (absent: no SSO links are kept). */
  ssoLinkedSubject?: (userId: number, issuer: string) => string | null;
}

// ---- Inputs: requests from the window, and results of effects ----

export type LoginRequest =
  | { type: 'check' }
  | { type: 'activity' }
  | { type: 'firstRun'; hasAdministrator: boolean }
  | { type: 'logOn'; username: string }
  | { type: 'ssoStart'; ssoEnabled: boolean }
  /** `wellFormed`: the typed code has the form of a code (the code itself stays with the interpreter). */
  | { type: 'submitCode'; wellFormed: boolean }
  | { type: 'resend' }
  | { type: 'retry' }
  | { type: 'changePassword' }
  | { type: 'cancel' }
  | { type: 'signOut' }
  | { type: 'disconnect' };

export type LoginResult =
  | { type: 'firstAdministratorCreated'; username: string }
  | { type: 'firstRunRefused'; error: IpcError }
  | {
      type: 'passwordReserved';
      request: ReservePassword;
      throttledUntil: number | null;
      until: number | null;
    }
  /** `stamp`: the stamp of the hash the password was checked against (null when not right). */
  | { type: 'passwordChecked'; request: CheckPassword; ok: boolean; stamp: string | null }
  | { type: 'ssoAnswered'; username: string; identity?: SsoIdentityRef }
  /** The identity could not be linked at the end of the log-on: another subject holds the user's link. */
  | { type: 'ssoLinkLost'; attemptId: string }
  | { type: 'ssoFailed'; error: IpcError; failure: string }
  | { type: 'codeSent'; request: SendCode; providerId: string }
  | { type: 'sendFailed'; request: SendCode; error: IpcError; details: AuditDetails }
  | { type: 'codeReserved'; request: CodeCheck; reservation: Reservation }
  | {
      type: 'codeReported';
      request: CodeCheck;
      outcome: 'successful' | 'wrong-code' | 'not-valid';
      /** The provider's reason, e.g. "Expired". */
      reason?: string;
    }
  | { type: 'reportFailed'; request: CodeCheck; error: IpcError; details: AuditDetails }
  | {
      type: 'codeSettled';
      request: CodeCheck;
      attemptsLeft: number;
      lockedUntil: number | null;
      /** This check took the lock (not another one before it). */
      lockedNow: boolean;
      firstToFail: boolean;
    }
  | { type: 'passwordStored'; stamp: string }
  /** The new password was not stored: the one the log-on checked was replaced meanwhile (a reset). */
  | { type: 'passwordReplaced' }
  | { type: 'passwordRefused'; error: IpcError };

export type LoginInput = LoginRequest | LoginResult;

const REQUEST_TYPES: ReadonlySet<string> = new Set<LoginRequest['type']>([
  'check',
  'activity',
  'firstRun',
  'logOn',
  'ssoStart',
  'submitCode',
  'resend',
  'retry',
  'changePassword',
  'cancel',
  'signOut',
  'disconnect',
]);

/** A result of an effect (not a request): it may arrive after the window has moved on. */
export function isResult(input: LoginInput): input is LoginResult {
  return !REQUEST_TYPES.has(input.type);
}

// ---- Effects: what the interpreter carries out, in order ----

type AuditDetails = NonNullable<AuditEntryInput['details']>;

/** Counts a password failure before the hash is checked (so parallel guesses cannot overshoot). */
interface ReservePassword {
  kind: 'reservePasswordAttempt';
  userId: number | null;
  username: string;
}
/** Checks the typed password against the user's hash, or a dummy one (the same work for everyone). */
interface CheckPassword {
  kind: 'checkPassword';
  userId: number | null;
  username: string;
  /** Until when this attempt's reservation throttles the name (null: no delay yet). */
  throttledUntil: number | null;
}
interface SendCode {
  kind: 'sendCode';
  userId: number;
  username: string;
  attemptId: string;
  purpose: CodePurpose;
  isResend: boolean;
  method: Method;
  to: string;
  validMinutes: number;
}
/** The typed code, checked: reserve an attempt, report it to the provider, settle the attempt. */
interface CodeCheck {
  userId: number;
  username: string;
  attemptId: string;
  purpose: CodePurpose;
  challengeId: string;
  method: Method;
  limits: CodeLimits;
}

export type Effect =
  | { kind: 'audit'; entry: AuditEntryInput }
  | { kind: 'createFirstAdministrator' }
  | ReservePassword
  | CheckPassword
  | { kind: 'resetPasswordFailures'; userId: number }
  | { kind: 'authenticateSso' }
  | { kind: 'abortSso' }
  /** A claim-matched SSO log-on completed: link its identity to the user (audited), unless linked meanwhile. */
  | { kind: 'linkSsoIdentity'; userId: number; attemptId: string; identity: SsoIdentityRef }
  | SendCode
  | {
      kind: 'recordChallenge';
      userId: number;
      attemptId: string;
      method: Method;
      providerId: string;
      challenge: Challenge;
    }
  | { kind: 'endChallenges'; attemptId: string }
  | ({ kind: 'reserveCodeAttempt' } & CodeCheck)
  | ({ kind: 'reportCode' } & CodeCheck)
  | { kind: 'refundCodeAttempt'; userId: number }
  /** The challenge can no longer be used: later tries of it are refused locally as expired. */
  | { kind: 'expireChallenge'; challengeId: string; at: number }
  | { kind: 'lockAccount'; userId: number; until: number }
  /** Re-hashes the typed (right) password with today's parameters; the audit entry is written if it was. */
  | { kind: 'upgradePasswordHash'; userId: number; audit: AuditEntryInput }
  | { kind: 'settleCorrectCode'; userId: number; challengeId: string }
  | ({ kind: 'settleWrongCode' } & CodeCheck)
  /** The user's own new password, stored only over `replacing` (the stamp of the password the log-on checked). */
  | { kind: 'storeNewPassword'; userId: number; replacing: string }
  | { kind: 'forgetWindow' };

export interface Decision {
  state: LoginState;
  effects: Effect[];
  /** The error shown with the resulting view: undefined keeps the one so far, null clears it. */
  error?: IpcError | null;
}

// ---- Messages ----

const INVALID_CREDENTIALS: IpcError = {
  code: 'invalid-credentials',
  message: 'Invalid username or password.',
};
const conflict = (message: string): IpcError => ({ code: 'conflict', message });
const SSO_NOT_ALLOWED: IpcError = { code: 'sso-error', message: SSO_MESSAGES['not-allowed'] };
const BUSY_LOGGING_ON = conflict('Finish or cancel the current log-on first.');
const NO_CODE_EXPECTED = conflict('No verification code is expected now.');

/** Send failures only an administrator can fix (setup, not an outage): retrying cannot help. */
const SETUP_FAILURES: ReadonlySet<string> = new Set([
  'verification-bad-credentials',
  'secret-missing',
  'keychain-unavailable',
  'verification-no-credit',
  'verification-invalid-destination',
]);

function refusalReason(errorCode: string): RefusalReason {
  return SETUP_FAILURES.has(errorCode) ? 'verification-misconfigured' : 'verification-unavailable';
}

function throttledError(until: number, now: number): IpcError {
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  return {
    code: 'password-throttled',
    message: `Too many failed log-ons. Wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} and try again.`,
    params: { minutes },
  };
}

/** The code ran out (by the policy, or by the provider's shorter validity): nothing is counted. */
const CODE_EXPIRED: IpcError = {
  code: 'code-expired',
  field: 'code',
  message: 'The code has expired. Send a new code.',
};

function refusedCodeError(reason: ChallengeRefusal): IpcError {
  if (reason === 'expired') return CODE_EXPIRED;
  const message = 'This code is no longer valid. Use the newest code, or send a new one.';
  return { code: 'code-not-valid', field: 'code', message };
}

// ---- The rules ----

export function decide(state: LoginState, input: LoginInput, facts: Facts): Decision {
  const d = new DecisionBuilder(state, facts);
  switch (input.type) {
    case 'check':
      return checkLiveness(d).done();
    case 'activity':
      checkLiveness(d);
      if (d.state.step === 'signedIn') d.move({ type: 'activity', now: facts.now });
      return d.done();

    case 'firstRun':
      if (input.hasAdministrator)
        return d.fail(conflict('System Configurator already has an administrator. Log on.'));
      return d.effect({ kind: 'createFirstAdministrator' }).done();
    case 'firstAdministratorCreated':
      d.audit({
        actor: input.username,
        action: 'admin.initialized',
        target: input.username,
        outcome: 'success',
      });
      return d.to(signedOut(null)).done();
    case 'firstRunRefused':
    case 'passwordRefused':
      return d.fail(input.error);

    case 'logOn': {
      if (state.step !== 'signedOut') return d.fail(BUSY_LOGGING_ON);
      const userId = facts.user?.id ?? null;
      d.to({ step: 'checkingPassword', username: input.username, userId, notice: state.notice });
      return d.effect({ kind: 'reservePasswordAttempt', userId, username: input.username }).done();
    }
    case 'passwordReserved':
      return passwordReserved(d, input);
    case 'passwordChecked':
      return passwordChecked(d, input);

    case 'ssoStart':
      if (!input.ssoEnabled)
        return d.fail({ code: 'sso-error', message: 'SSO is not configured for System Configurator.' });
      if (state.step !== 'signedOut') return d.fail(BUSY_LOGGING_ON);
      return d.move({ type: 'ssoStarted' }).effect({ kind: 'authenticateSso' }).done();
    case 'ssoAnswered':
      return ssoAnswered(d, input.username, input.identity);
    case 'ssoLinkLost':
      if (!('login' in state) || state.login.attemptId !== input.attemptId) return d.done();
      return d.refuseSsoIdentity(state).done();
    case 'ssoFailed':
      d.audit({
        actor: 'anonymous',
        action: 'logon.sso',
        outcome: 'failure',
        details: { stage: 'sign-in', failure: input.failure },
      });
      return d.to(signedOut(null)).fail(input.error);

    case 'codeSent':
      return codeSent(d, input);
    case 'sendFailed': {
      const { request } = input;
      d.audit({
        actor: request.username,
        action: 'code.sent',
        target: request.username,
        outcome: 'error',
        details: { method: request.method, ...input.details },
      });
      if (facts.stale) return d.fail(null);
      return d.move({ type: 'sendRefused', reason: refusalReason(input.error.code) }).fail(input.error);
    }
    case 'resend': {
      if (state.step !== 'awaitingCode') return d.fail(NO_CODE_EXPECTED);
      const availableAt = resendAvailableAt(state);
      if (availableAt === null)
        return d.fail({
          code: 'resend-limit',
          message: 'No more codes can be sent for this log-on. Cancel and log on again.',
        });
      if (facts.now < availableAt)
        return d.fail({
          code: 'resend-cooldown',
          message: `You can send a new code in ${Math.ceil((availableAt - facts.now) / 1000)} seconds.`,
          params: { seconds: Math.ceil((availableAt - facts.now) / 1000) },
        });
      return d.move({ type: 'resendRequested' }).done();
    }
    case 'retry':
      if (state.step !== 'refused' || state.reason !== 'verification-unavailable')
        return d.fail(conflict('There is nothing to retry.'));
      return d.move({ type: 'retry' }).done();

    case 'submitCode':
      return submitCode(d, input.wellFormed);
    case 'codeReserved':
      return codeReserved(d, input);
    case 'reportFailed':
      d.effect({ kind: 'refundCodeAttempt', userId: input.request.userId });
      d.audit({
        actor: input.request.username,
        action: 'code.failure',
        target: input.request.username,
        outcome: 'error',
        details: input.details,
      });
      return d.fail(input.error);
    case 'codeReported':
      return codeReported(d, input);
    case 'codeSettled':
      return codeSettled(d, input);

    case 'changePassword':
      if (state.step !== 'passwordChangeRequired')
        return d.fail(conflict('No password change is expected now.'));
      if (!facts.user || state.login.passwordStamp === undefined) return leave(d, 'cancel').done();
      return d
        .effect({ kind: 'storeNewPassword', userId: facts.user.id, replacing: state.login.passwordStamp })
        .done();
    case 'passwordReplaced':
      // An administrator's reset landed while the new password was hashed: it wins, and this log-on ends.
      if (state.step !== 'passwordChangeRequired') return d.done();
      return d.revoke(state, 'password-reset').done();
    case 'passwordStored':
      if (state.step !== 'passwordChangeRequired') return d.done();
      return d
        .move({
          type: 'passwordChanged',
          twoFactorOn: facts.twoFactor.enabled,
          now: facts.now,
          passwordStamp: input.stamp,
        })
        .done();

    case 'cancel':
      d.effect({ kind: 'abortSso' });
      return leave(d, 'cancel').done();
    case 'signOut':
      return leave(d, 'signOut').done();
    case 'disconnect':
      d.effect({ kind: 'abortSso' });
      if ('login' in state) d.effect({ kind: 'endChallenges', attemptId: state.login.attemptId });
      return d.effect({ kind: 'forgetWindow' }).done();
  }
}

/** Collects one decision: the state moves, the effects, the error. Entering a state runs its entry rules. */
class DecisionBuilder {
  readonly effects: Effect[] = [];
  private error: IpcError | null | undefined;
  state: LoginState;

  constructor(
    readonly from: LoginState,
    readonly facts: Facts,
  ) {
    this.state = from;
  }

  effect(effect: Effect): this {
    this.effects.push(effect);
    return this;
  }

  audit(entry: AuditEntryInput): this {
    return this.effect({ kind: 'audit', entry });
  }

  /** Follows the graph and runs the entry rules of the state it lands in. */
  move(event: LoginEvent): this {
    return this.to(transition(this.state, event));
  }

  to(next: LoginState): this {
    const previous = this.state;
    // No log-on goes on, and no session starts or lasts, for an account that is gone or deactivated.
    if (hasLogin(next) && !isActiveUser(this.facts.user, next.login.userId)) return this.revoke(next);
    // Nor for an SSO identity once another subject holds the user's link (linked while this one went on).
    const linked = hasLogin(next) ? this.linkedSubject(next.login) : null;
    if (hasLogin(next) && linked !== null && linked !== next.login.sso?.subject)
      return this.refuseSsoIdentity(next);
    this.state = { ...next, enteredAt: this.facts.now };
    if (next.step === 'signedIn' && previous.step !== 'signedIn' && next.login.sso && linked === null) {
      // The claim matched a user with no link: the completed log-on links this identity to them.
      this.effect({
        kind: 'linkSsoIdentity',
        userId: next.login.userId,
        attemptId: next.login.attemptId,
        identity: next.login.sso,
      });
    }
    if (next.step === 'signedIn' && previous.step !== 'signedIn') {
      this.audit({
        actor: next.login.username,
        action: 'logon.success',
        target: next.login.username,
        outcome: 'success',
        details: { via: next.login.via },
      });
    }
    if (next.step === 'sendingCode') this.startSending(next);
    return this;
  }

  /** The same state with fresher details (roles, names): no entry rules, the same entry time. */
  update(next: LoginState): this {
    this.state = { ...next, enteredAt: this.state.enteredAt ?? this.facts.now };
    return this;
  }

  fail(error: IpcError | null): Decision {
    this.error = error;
    return this.done();
  }

  /** The subject the log-on's user is linked to at its SSO issuer (null: none, or not an SSO log-on). */
  private linkedSubject(login: Login): string | null {
    if (!login.sso) return null;
    return this.facts.ssoLinkedSubject?.(login.userId, login.sso.issuer) ?? null;
  }

  /** Another SSO subject holds the user's link: this identity is not that user, and its log-on ends. */
  refuseSsoIdentity(state: WithLogin): this {
    this.effect({ kind: 'endChallenges', attemptId: state.login.attemptId });
    this.audit({
      actor: state.login.username,
      action: 'logon.sso',
      target: state.login.username,
      outcome: 'denied',
      details: {
        stage: state.step,
        reason: 'claim-taken',
        ...(state.login.sso ? { issuer: state.login.sso.issuer, subject: state.login.sso.subject } : {}),
      },
    });
    this.state = { ...signedOut(null), enteredAt: this.facts.now };
    this.error = SSO_NOT_ALLOWED;
    return this;
  }

  /** The account was deactivated, deleted or reset during the log-on or the session: it ends now. */
  revoke(state: WithLogin, reason?: PasswordSessionEnd): this {
    this.effect({ kind: 'endChallenges', attemptId: state.login.attemptId });
    this.audit({
      actor: state.login.username,
      action: 'logon.revoked',
      target: state.login.username,
      outcome: 'success',
      details: { step: state.step, reason: reason ?? (this.facts.user ? 'inactive' : 'no-such-user') },
    });
    this.state = { ...signedOut('signedOut'), enteredAt: this.facts.now };
    return this;
  }

  done(): Decision {
    return {
      state: this.state,
      effects: this.effects,
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }

  /** A code is due: to the policy's method when the user has its contact, else to the fallback's, else none. */
  private startSending(state: StateOf<'sendingCode'>): void {
    const { login } = state;
    const choice = this.facts.user ? chooseMethod(this.facts.twoFactor, this.facts.user) : null;
    if (!choice) {
      this.audit({
        actor: login.username,
        action: 'code.refused',
        target: login.username,
        outcome: 'denied',
        details: { reason: 'no-verification-contact' },
      });
      this.move({ type: 'sendRefused', reason: 'no-verification-contact' });
      // The refusal is the answer: an error from before (a wrong code) no longer applies.
      this.error = null;
      return;
    }
    this.effect({
      kind: 'sendCode',
      userId: login.userId,
      username: login.username,
      attemptId: login.attemptId,
      purpose: state.purpose,
      isResend: state.isResend,
      method: choice.method,
      to: choice.to,
      validMinutes: this.facts.twoFactor.validMinutes,
    });
  }
}

/** The primary method if the user has its contact; else the fallback if set and present; else none. */
function chooseMethod(
  twoFactor: Pick<TwoFactorPolicy, 'primaryMethod' | 'fallbackMethod'>,
  user: Pick<UserFacts, 'email' | 'mobile'>,
): { method: Method; to: string } | null {
  const contact = (method: Method) => (method === 'sms' ? user.mobile : user.email);
  const primaryTo = contact(twoFactor.primaryMethod);
  if (primaryTo) return { method: twoFactor.primaryMethod, to: primaryTo };
  const fallback = twoFactor.fallbackMethod;
  if (fallback !== 'none') {
    const fallbackTo = contact(fallback);
    if (fallbackTo) return { method: fallback, to: fallbackTo };
  }
  return null;
}

/** What the audit log records of a typed username: bounded, never empty. */
function auditName(username: string): string {
  return username ? username.slice(0, USERNAME_MAX_LENGTH) : 'anonymous';
}

/** Why a password's log-on or session ends now: its password was replaced, or must be. */
type PasswordSessionEnd = 'must-change-password' | 'password-reset';

/**
 * The one rule for a password an administrator set (the window, sc-admin, with or without "must change"):
 * the old password may be known to someone else, so what it opened ends at its next request. A session of a
 * user who must change their password ends too (an administrator flagged it); before sign-in that flag is
 * the log-on's own next step. An SSO log-on never used the password and stays.
 */
function passwordSessionEnd(state: WithLogin, user: UserFacts): PasswordSessionEnd | null {
  if (state.login.via !== 'password') return null;
  if (state.step === 'signedIn' && user.mustChangePassword) return 'must-change-password';
  if (user.passwordStamp !== (state.login.passwordStamp ?? null)) return 'password-reset';
  return null;
}

/**
 * Before anything else, for every request: an account that was deactivated (here or in another process)
 * ends its log-on or session, changed roles apply at once, an idle session ends, and a half-finished
 * log-on left alone ends (back to Log on) so the next person at the desk cannot finish it.
 */
function checkLiveness(d: DecisionBuilder): DecisionBuilder {
  const { state, facts } = d;
  if (hasLogin(state)) {
    if (!isActiveUser(facts.user, state.login.userId)) return d.revoke(state);
    const passwordEnd = passwordSessionEnd(state, facts.user!);
    if (passwordEnd) return d.revoke(state, passwordEnd);
    const { roles, displayName } = facts.user!;
    if (roles.join() !== state.login.roles.join() || displayName !== state.login.displayName)
      d.update({ ...state, login: { ...state.login, roles, displayName } });
  }
  const current = d.state;
  if (current.step === 'signedIn' && isIdle(current, facts.now, facts.idleTimeoutMs)) {
    d.audit({
      actor: current.login.username,
      action: 'logon.timeout',
      target: current.login.username,
      outcome: 'success',
    });
    return d.move({ type: 'idleTimeout' });
  }
  const deadline = halfFinishedDeadline(current, facts);
  if (deadline === null || facts.now < deadline) return d;
  if (current.step === 'ssoWaiting') d.effect({ kind: 'abortSso' });
  if (hasLogin(current)) {
    d.effect({ kind: 'endChallenges', attemptId: current.login.attemptId });
    d.audit({
      actor: current.login.username,
      action: 'logon.timeout',
      target: current.login.username,
      outcome: 'success',
      details: { step: current.step },
    });
  }
  return d.move({ type: 'idleTimeout' });
}

/**
 * When a half-finished log-on ends: the policy's code validity after the step began (at most the idle
 * time-out); on the code screen, that long after its code expired, to leave time to ask for a new one.
 * The lock screen is not a half-finished log-on (it only leads back to Log on) and stays, to show the
 * lock's end; the transient steps (a password check, a send) end with their own answer.
 */
function halfFinishedDeadline(state: LoginState, facts: Facts): number | null {
  if (state.step === 'signedOut' || state.step === 'signedIn' || state.step === 'locked') return null;
  if (isTransient(state)) return null;
  const lifetime = Math.min(facts.twoFactor.validMinutes * 60_000, facts.idleTimeoutMs);
  if (state.step === 'awaitingCode') return state.challenge.expiresAt + lifetime;
  return state.enteredAt === undefined ? null : state.enteredAt + lifetime;
}

function isActiveUser(user: UserFacts | null, userId: number): user is UserFacts {
  return user !== null && user.id === userId && user.active;
}

function passwordReserved(
  d: DecisionBuilder,
  input: Extract<LoginResult, { type: 'passwordReserved' }>,
): Decision {
  const { state, facts } = d;
  if (state.step !== 'checkingPassword') return d.done();
  const name = auditName(input.request.username);
  if (input.throttledUntil !== null) {
    d.audit({
      actor: name,
      action: 'logon.password',
      target: name,
      outcome: 'denied',
      details: { reason: 'throttled' },
    });
    return d.to(signedOut(state.notice)).fail(throttledError(input.throttledUntil, facts.now));
  }
  return d
    .effect({
      kind: 'checkPassword',
      userId: input.request.userId,
      username: input.request.username,
      throttledUntil: input.until,
    })
    .done();
}

function passwordChecked(
  d: DecisionBuilder,
  input: Extract<LoginResult, { type: 'passwordChecked' }>,
): Decision {
  const { state, facts } = d;
  const { request, ok } = input;
  const user = request.userId !== null && facts.user?.id === request.userId ? facts.user : null;
  // A right password ends the throttle of its account (the log-on may still be refused below).
  if (ok && user) d.effect({ kind: 'resetPasswordFailures', userId: user.id });
  const reason = !user ? 'unknown-user' : !ok ? 'wrong-password' : !user.active ? 'inactive' : null;
  const current = facts.stale || state.step !== 'checkingPassword' ? null : state;
  if (reason || !user) {
    // The same answer for an unknown user, a wrong password and a deactivated account.
    const name = auditName(request.username);
    d.audit({ actor: name, action: 'logon.password', target: name, outcome: 'failure', details: { reason } });
    if (!current) return d.done();
    d.to(signedOut(current.notice));
    return d.fail(
      !ok && request.throttledUntil !== null
        ? throttledError(request.throttledUntil, facts.now)
        : INVALID_CREDENTIALS,
    );
  }
  d.audit({ actor: user.username, action: 'logon.password', target: user.username, outcome: 'success' });
  if (user.hashOutdated) {
    d.effect({
      kind: 'upgradePasswordHash',
      userId: user.id,
      audit: { actor: user.username, action: 'password.upgraded', target: user.username, outcome: 'success' },
    });
  }
  if (!current) return d.done();
  // The log-on keeps the stamp of the password it checked: a reset meanwhile ends it at its next request.
  return acceptFirstFactor(d, user, 'password', undefined, input.stamp ?? undefined);
}

function ssoAnswered(d: DecisionBuilder, username: string, identity: SsoIdentityRef | undefined): Decision {
  if (d.state.step !== 'ssoWaiting') return d.done();
  const user = d.facts.user;
  if (!user || !user.active) {
    d.audit({
      actor: username,
      action: 'logon.sso',
      target: auditName(username),
      outcome: 'failure',
      details: { reason: user ? 'inactive' : 'unknown-user' },
    });
    return d.to(signedOut(null)).fail(SSO_NOT_ALLOWED);
  }
  d.audit({ actor: user.username, action: 'logon.sso', target: user.username, outcome: 'success' });
  return acceptFirstFactor(d, user, 'sso', identity);
}

/** The first factor passed: a locked account sees its lock (no code is sent), else the next factor. */
function acceptFirstFactor(
  d: DecisionBuilder,
  user: UserFacts,
  via: Login['via'],
  identity?: SsoIdentityRef,
  passwordStamp?: string,
): Decision {
  const { facts } = d;
  const login: Login = {
    attemptId: facts.newId,
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    via,
    ...(passwordStamp !== undefined ? { passwordStamp } : {}),
    mustChangePassword: user.mustChangePassword,
    ...(identity ? { sso: identity } : {}),
  };
  const { failed, lockedUntil } = facts.codeLock;
  const { enabled, maxAttempts, lockMinutes } = facts.twoFactor;
  // The maximum was lowered to or below this account's failed count: a code could only lock, so lock now.
  const atMaximum = enabled && lockedUntil === null && failed >= maxAttempts;
  const until = atMaximum ? facts.now + lockMinutes * 60_000 : lockedUntil;
  if (atMaximum && until !== null) {
    d.effect({ kind: 'lockAccount', userId: user.id, until });
    d.audit(lockedEntry(user.username, until, 'maximum-lowered'));
  }
  d.move({ type: 'credentialsAccepted', login, twoFactorOn: enabled, lockedUntil: until, now: facts.now });
  if (d.state.step === 'locked') {
    d.audit({
      actor: user.username,
      action: 'logon.password',
      target: user.username,
      outcome: 'denied',
      details: { reason: 'sc-locked', lockedUntil: new Date(d.state.lockedUntil).toISOString() },
    });
  }
  return d.done();
}

function codeSent(d: DecisionBuilder, input: Extract<LoginResult, { type: 'codeSent' }>): Decision {
  const { facts } = d;
  const { request } = input;
  const challenge: Challenge = {
    id: facts.newId,
    method: request.method,
    maskedDestination: maskDestination(request.method, request.to),
    sentAt: facts.now,
    expiresAt: facts.now + request.validMinutes * 60_000,
  };
  d.effect({
    kind: 'recordChallenge',
    userId: request.userId,
    attemptId: request.attemptId,
    method: request.method,
    providerId: input.providerId,
    challenge,
  });
  d.audit({
    actor: request.username,
    action: 'code.sent',
    target: request.username,
    outcome: 'success',
    details: { method: request.method, purpose: request.purpose, resend: request.isResend },
  });
  if (facts.stale) return d.fail(null);
  return d.move({ type: 'codeSent', challenge }).done();
}

function submitCode(d: DecisionBuilder, wellFormed: boolean): Decision {
  const { state, facts } = d;
  if (state.step !== 'awaitingCode') return d.fail(NO_CODE_EXPECTED);
  if (!wellFormed)
    return d.fail({
      code: 'validation',
      field: 'code',
      message: 'Enter the code from the message, digits only.',
    });
  const limits = { maxAttempts: facts.twoFactor.maxAttempts, lockMinutes: facts.twoFactor.lockMinutes };
  const { lockedUntil, failed } = facts.codeLock;
  // At the limit with a check still out, the next code waits: it can only lock or be refused.
  if (lockedUntil === null && failed >= limits.maxAttempts && facts.codeChecksInFlight > 0)
    return d.fail(conflict('Your code is being checked. Wait a moment.'));
  const { login, challenge, purpose } = state;
  return d
    .effect({
      kind: 'reserveCodeAttempt',
      userId: login.userId,
      username: login.username,
      attemptId: login.attemptId,
      purpose,
      challengeId: challenge.id,
      method: challenge.method,
      limits,
    })
    .done();
}

function codeReserved(d: DecisionBuilder, input: Extract<LoginResult, { type: 'codeReserved' }>): Decision {
  const { request, reservation } = input;
  if (reservation.kind === 'locked') {
    // The maximum was lowered while the code screen was open: this code took the lock.
    if (reservation.lockedNow)
      d.audit(lockedEntry(request.username, reservation.lockedUntil, 'maximum-lowered'));
    return lockOut(d, reservation.lockedUntil);
  }
  if (reservation.kind === 'challenge-invalid') {
    d.audit({
      actor: request.username,
      action: 'code.refused',
      target: request.username,
      outcome: 'denied',
      details: { reason: reservation.reason },
    });
    return d.fail(refusedCodeError(reservation.reason));
  }
  return d.effect({ ...request, kind: 'reportCode' }).done();
}

function codeReported(d: DecisionBuilder, input: Extract<LoginResult, { type: 'codeReported' }>): Decision {
  const { request } = input;
  if (input.outcome === 'not-valid') return notValidAtProvider(d, input);
  if (input.outcome !== 'successful') return d.effect({ ...request, kind: 'settleWrongCode' }).done();
  d.effect({ kind: 'settleCorrectCode', userId: request.userId, challengeId: request.challengeId });
  d.audit({
    actor: request.username,
    action: 'code.success',
    target: request.username,
    outcome: 'success',
    details: { method: request.method, purpose: request.purpose },
  });
  if (!isSameChallenge(d.state, request.challengeId)) return d.done();
  return d.move({ type: 'codeAccepted', now: d.facts.now }).done();
}

function codeSettled(d: DecisionBuilder, input: Extract<LoginResult, { type: 'codeSettled' }>): Decision {
  const { request, attemptsLeft } = input;
  d.audit({
    actor: request.username,
    action: 'code.failure',
    target: request.username,
    outcome: 'failure',
    details: { attemptsLeft },
  });
  if (input.lockedUntil !== null) {
    // Audited by the check that took the lock, whether or not its window is still there to show it.
    if (input.lockedNow) d.audit(lockedEntry(request.username, input.lockedUntil));
    return lockOut(d, input.lockedUntil);
  }
  const left = `${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left`;
  // Another check of the same code got there first: it sends the new code.
  if (!input.firstToFail || !isSameChallenge(d.state, request.challengeId))
    return d.fail({
      code: 'wrong-code',
      field: 'code',
      message: `That code is not right. ${attemptsLeft} left.`,
      params: { attemptsLeft, anotherSent: false },
    });
  d.fail({
    code: 'wrong-code',
    field: 'code',
    message: `That code is not right. ${left}. We sent you a new code.`,
    params: { attemptsLeft, anotherSent: true },
  });
  return d.move({ type: 'codeRejected' }).done();
}

/**
 * The provider can no longer check this code (its own validity can be shorter than the policy's, or it
 * ended the verification): the code was never judged, so nothing is counted; the challenge ends and the
 * person is offered a new code. Never "That code is not right".
 */
function notValidAtProvider(
  d: DecisionBuilder,
  input: Extract<LoginResult, { type: 'codeReported' }>,
): Decision {
  const { request } = input;
  const expired = input.reason === 'Expired';
  d.effect({ kind: 'refundCodeAttempt', userId: request.userId });
  d.effect({ kind: 'expireChallenge', challengeId: request.challengeId, at: d.facts.now });
  d.audit({
    actor: request.username,
    action: 'code.refused',
    target: request.username,
    outcome: 'denied',
    details: { reason: expired ? 'expired' : 'not-valid', by: 'provider' },
  });
  const { state } = d;
  if (state.step === 'awaitingCode' && state.challenge.id === request.challengeId) {
    const expiresAt = Math.min(state.challenge.expiresAt, d.facts.now);
    d.update({ ...state, challenge: { ...state.challenge, expiresAt } });
  }
  return d.fail(expired ? CODE_EXPIRED : refusedCodeError('failed'));
}

/** The account is locked: the window shows the lock and the attempt's codes end. */
function lockOut(d: DecisionBuilder, lockedUntil: number): Decision {
  const { state } = d;
  if (state.step !== 'awaitingCode' && state.step !== 'sendingCode') return d.done();
  d.effect({ kind: 'endChallenges', attemptId: state.login.attemptId });
  return d.move({ type: 'lockedOut', lockedUntil }).done();
}

/** The audit entry of an SC lock, written once, by the log-on that took it. */
function lockedEntry(username: string, lockedUntil: number, reason?: 'maximum-lowered'): AuditEntryInput {
  return {
    actor: username,
    action: 'account.locked',
    target: username,
    outcome: 'success',
    details: { lockedUntil: new Date(lockedUntil).toISOString(), ...(reason ? { reason } : {}) },
  };
}

/** Cancel or sign out: the attempt's codes end, and the audit log says who left from where. */
function leave(d: DecisionBuilder, how: 'cancel' | 'signOut'): DecisionBuilder {
  const { state } = d;
  if (hasLogin(state)) {
    d.effect({ kind: 'endChallenges', attemptId: state.login.attemptId });
    d.audit({
      actor: state.login.username,
      action: how === 'cancel' && state.step !== 'signedIn' ? 'logon.cancel' : 'logon.signout',
      target: state.login.username,
      outcome: 'success',
      ...(how === 'cancel' ? { details: { step: state.step } } : {}),
    });
  }
  return d.move({ type: how });
}

function hasLogin(state: LoginState): state is WithLogin & { enteredAt?: number } {
  return 'login' in state;
}

function isSameChallenge(state: LoginState, challengeId: string): boolean {
  return state.step === 'awaitingCode' && state.challenge.id === challengeId;
}
