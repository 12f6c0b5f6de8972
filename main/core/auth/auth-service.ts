import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { AuditLog } from '../audit/audit-log';
import type { PolicyStore } from '../policy/policy-store';
import type { UserRecord, UserStore } from '../users/user-store';
import { verifyAgainstDummy, verifyPassword } from '../users/passwords';
import { ScError, isScError, providerDetails } from '../errors';
import type { Verifier } from '../verify/verifier';
import type { AuthView, ViewError } from '../../contract/ipc';
import type { Method, Policy, Role } from '../../contract/domain';
import { DEFAULT_LOCALE, type AppLocale } from '../../contract/locale';
import { AttemptLedger, passwordDelayMs } from './attempts';
import { normalizeCode } from './code';
import { maskDestination } from './masking';
import { FIRST_PASSWORD_RULES, PASSWORD_RULES, checkNewPassword } from './password-policy';
import {
  MAX_RESENDS_PER_ATTEMPT,
  isIdle,
  resendAvailableAt,
  signedOut,
  transition,
  type Challenge,
  type Login,
  type LoginEvent,
  type LoginState,
  type RefusalReason,
} from './machine';

export interface Session {
  clientId: string;
  userId: number;
  username: string;
  displayName: string;
  roles: Role[];
}

/** The SSO seam: an identity provider's answer enters the flow where a password check would. */
export interface SsoProvider {
  isEnabled(): boolean;
  /** Runs the browser round trip and returns the SC username it maps to; throws ScError('sso-error'). */
  authenticate(signal: AbortSignal): Promise<{ username: string; subject: string }>;
}

export interface AuthServiceOptions {
  db: ConstructorParameters<typeof AttemptLedger>[0];
  clock: Clock;
  users: UserStore;
  policy: PolicyStore;
  audit: AuditLog;
  verifier: Verifier;
  sso?: SsoProvider;
  /** Signed-in sessions end after this long without activity (default 30 minutes). */
  idleTimeoutMs?: number;
  /** Accept-Language for verification messages, read at each send (the window's language). */
  locale?: () => string;
  /** The window's language, carried by every view. */
  language?: () => AppLocale;
}

export type StateListener = (clientId: string, state: AuthView) => void;

export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60_000;
const INVALID_CREDENTIALS = 'Invalid username or password.';
const UNKNOWN_USER_TRACKING_LIMIT = 10_000;

type AwaitingCode = Extract<LoginState, { step: 'awaitingCode' }>;

/**
 * The login and two-factor flow: one login state per window (client), the rules of design.md enforced
 * here, the state machine in machine.ts deciding every step. Restarting the app starts everyone signed out;
 * failed-code counts and locks live in SQLite and survive.
 */
export class AuthService {
  private readonly states = new Map<string, LoginState>();
  private readonly listeners = new Set<StateListener>();
  private readonly ssoAborts = new Map<string, AbortController>();
  /** Password throttling for usernames that do not exist, so throttling does not reveal which do. */
  private readonly unknownFailures = new Map<string, { failures: number; until: number | null }>();
  private readonly inFlight = new Map<number, number>();
  private readonly ledger: AttemptLedger;
  private readonly idleTimeoutMs: number;

  constructor(private readonly options: AuthServiceOptions) {
    this.ledger = new AttemptLedger(options.db, options.clock);
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  // ---- Queries ----

  state(clientId: string): AuthView {
    this.expireIfIdle(clientId);
    return this.view(clientId);
  }

  /** The signed-in session of a window, or null (an idle session ends here). */
  session(clientId: string): Session | null {
    this.expireIfIdle(clientId);
    const state = this.current(clientId);
    if (state.step !== 'signedIn') return null;
    const { userId, username, displayName, roles } = state.login;
    return { clientId, userId, username, displayName, roles };
  }

  onStateChange(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- First factor ----

  async firstRun(
    clientId: string,
    input: { username: string; displayName?: string; password: string; confirmPassword: string },
  ): Promise<AuthView> {
    const { users, audit } = this.options;
    if (users.hasAdministrator())
      return this.view(clientId, {
        code: 'conflict',
        message: 'System Configurator already has an administrator. Log on.',
      });
    try {
      checkNewPassword({
        username: input.username,
        newPassword: input.password,
        confirmPassword: input.confirmPassword,
      });
      await users.create(
        {
          username: input.username,
          displayName: input.displayName || input.username,
          password: input.password,
          roles: ['administrator'],
        },
        input.username,
        { firstAdministrator: true },
      );
    } catch (error) {
      return this.view(clientId, errorOf(error));
    }
    audit.append({
      actor: input.username,
      action: 'admin.initialized',
      target: input.username,
      outcome: 'success',
    });
    return this.set(clientId, signedOut(null));
  }

  async logOn(clientId: string, input: { username: string; password: string }): Promise<AuthView> {
    const { users, audit, clock } = this.options;
    const state = this.current(clientId);
    if (state.step !== 'signedOut')
      return this.view(clientId, { code: 'conflict', message: 'Finish or cancel the current log-on first.' });
    const username = input.username.trim();
    // No username is longer than 64: such input is an unknown user (never a truncated match).
    const user = username && username.length <= 64 ? users.findRecord(username) : null;
    const now = clock.now();

    const throttledUntil = user ? this.ledger.passwordLockedUntil(user.id) : this.unknownThrottle(username);
    if (throttledUntil !== null) {
      audit.append({
        actor: auditName(username),
        action: 'logon.password',
        target: auditName(username),
        outcome: 'denied',
        details: { reason: 'throttled' },
      });
      return this.view(clientId, throttledError(throttledUntil, now));
    }

    // The same work and the same answer for an unknown user, a wrong password and a deactivated account.
    const passwordOk = user?.passwordHash
      ? await verifyPassword(user.passwordHash, input.password)
      : await verifyAgainstDummy(input.password);
    if (!user || !passwordOk || !user.active) {
      const reason = !user ? 'unknown-user' : !passwordOk ? 'wrong-password' : 'inactive';
      const until = user
        ? passwordOk
          ? null
          : this.ledger.recordPasswordFailure(user.id)
        : this.recordUnknownFailure(username);
      audit.append({
        actor: auditName(username),
        action: 'logon.password',
        target: auditName(username),
        outcome: 'failure',
        details: { reason },
      });
      return this.view(
        clientId,
        until !== null
          ? throttledError(until, now)
          : { code: 'invalid-credentials', message: INVALID_CREDENTIALS },
      );
    }
    this.ledger.recordPasswordSuccess(user.id);
    audit.append({
      actor: user.username,
      action: 'logon.password',
      target: user.username,
      outcome: 'success',
    });
    return this.acceptFirstFactor(clientId, user, 'password');
  }

  /** The SSO seam: the identity provider vouched for `username`; continue as after a password. */
  async acceptExternalIdentity(clientId: string, username: string): Promise<AuthView> {
    const user = this.options.users.findRecord(username);
    if (!user || !user.active) {
      this.options.audit.append({
        actor: username,
        action: 'logon.sso',
        target: auditName(username),
        outcome: 'failure',
        details: { reason: user ? 'inactive' : 'unknown-user' },
      });
      this.set(clientId, signedOut(null));
      return this.view(clientId, {
        code: 'sso-error',
        message: 'Your SSO account is not allowed to use System Configurator. Ask your administrator.',
      });
    }
    this.options.audit.append({
      actor: user.username,
      action: 'logon.sso',
      target: user.username,
      outcome: 'success',
    });
    return this.acceptFirstFactor(clientId, user, 'sso');
  }

  async ssoStart(clientId: string): Promise<AuthView> {
    const sso = this.options.sso;
    if (!sso?.isEnabled())
      return this.view(clientId, {
        code: 'sso-error',
        message: 'SSO is not configured for System Configurator.',
      });
    if (this.current(clientId).step !== 'signedOut')
      return this.view(clientId, { code: 'conflict', message: 'Finish or cancel the current log-on first.' });
    const abort = new AbortController();
    this.ssoAborts.set(clientId, abort);
    this.apply(clientId, { type: 'ssoStarted' });
    try {
      const identity = await sso.authenticate(abort.signal);
      if (abort.signal.aborted || this.current(clientId).step !== 'ssoWaiting') return this.view(clientId);
      return await this.acceptExternalIdentity(clientId, identity.username);
    } catch (error) {
      if (abort.signal.aborted) return this.view(clientId);
      this.options.audit.append({
        actor: 'anonymous',
        action: 'logon.sso',
        outcome: 'failure',
        details: {
          stage: 'sign-in',
          failure: isScError(error) ? String(error.details.reason ?? error.code) : 'error',
        },
      });
      this.set(clientId, signedOut(null));
      return this.view(clientId, errorOf(error));
    } finally {
      if (this.ssoAborts.get(clientId) === abort) this.ssoAborts.delete(clientId);
    }
  }

  private async acceptFirstFactor(clientId: string, user: UserRecord, via: Login['via']): Promise<AuthView> {
    const policy = this.options.policy.get();
    const login: Login = {
      attemptId: randomUUID(),
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      roles: user.roles,
      via,
      mustChangePassword: user.mustChangePassword,
    };
    const { lockedUntil } = this.ledger.codeState(user.id);
    const now = this.options.clock.now();
    const next = this.apply(clientId, {
      type: 'credentialsAccepted',
      login,
      twoFactorOn: policy.twoFactor.enabled,
      lockedUntil,
      now,
    });
    if (next.step === 'locked') {
      this.options.audit.append({
        actor: user.username,
        action: 'logon.password',
        target: user.username,
        outcome: 'denied',
        details: { reason: 'sc-locked', lockedUntil: new Date(next.lockedUntil).toISOString() },
      });
    }
    if (next.step === 'signedIn') this.auditSignedIn(next.login);
    return this.runSendIfNeeded(clientId, policy);
  }

  // ---- Second factor ----

  async submitCode(clientId: string, typed: string): Promise<AuthView> {
    const state = this.current(clientId);
    if (state.step !== 'awaitingCode')
      return this.view(clientId, { code: 'conflict', message: 'No verification code is expected now.' });
    const code = normalizeCode(typed);
    if (code === null)
      return this.view(clientId, {
        code: 'validation',
        field: 'code',
        message: 'Enter the code from the message, digits only.',
      });

    const { audit, verifier } = this.options;
    const policy = this.options.policy.get();
    const limits = { maxAttempts: policy.twoFactor.maxAttempts, lockMinutes: policy.twoFactor.lockMinutes };
    const { login, challenge } = state;
    const reservation = this.reserve(login.userId, challenge.id, limits);
    if (reservation.kind === 'busy')
      return this.view(clientId, { code: 'conflict', message: 'Your code is being checked. Wait a moment.' });
    if (reservation.kind === 'locked') return this.lockOut(clientId, state, reservation.lockedUntil);
    if (reservation.kind === 'challenge-invalid') {
      audit.append({
        actor: login.username,
        action: 'code.refused',
        target: login.username,
        outcome: 'denied',
        details: { reason: reservation.reason },
      });
      const message =
        reservation.reason === 'expired'
          ? 'The code has expired. Send a new code.'
          : 'This code is no longer valid. Use the newest code, or send a new one.';
      return this.view(clientId, {
        code: 'code-not-valid',
        field: 'code',
        message,
        params: { expired: reservation.reason === 'expired' },
      });
    }

    let outcome: 'successful' | 'wrong-code' | 'not-valid';
    try {
      const providerId = this.ledger.providerId(challenge.id);
      outcome = providerId
        ? (await verifier.report(providerId, challenge.method, code)).outcome
        : 'not-valid';
    } catch (error) {
      this.ledger.refund(login.userId);
      this.release(login.userId);
      audit.append({
        actor: login.username,
        action: 'code.failure',
        target: login.username,
        outcome: 'error',
        details: providerDetails(error),
      });
      return this.view(clientId, errorOf(error));
    }
    this.release(login.userId);

    if (outcome === 'successful') {
      this.ledger.settleCorrect(login.userId, challenge.id);
      audit.append({
        actor: login.username,
        action: 'code.success',
        target: login.username,
        outcome: 'success',
        details: { method: challenge.method, purpose: state.purpose },
      });
      if (!this.isSameChallenge(clientId, challenge.id)) return this.view(clientId);
      const next = this.apply(clientId, { type: 'codeAccepted', now: this.options.clock.now() });
      if (next.step === 'signedIn') this.auditSignedIn(next.login);
      return this.view(clientId);
    }

    // Wrong code (or one Sinch no longer accepts): the reserved attempt stays counted.
    const settled = this.ledger.settleWrong(login.userId, challenge.id, limits);
    audit.append({
      actor: login.username,
      action: 'code.failure',
      target: login.username,
      outcome: 'failure',
      details: { attemptsLeft: settled.attemptsLeft },
    });
    if (settled.lockedUntil !== null) {
      const current = this.current(clientId);
      if (current.step === 'awaitingCode' || current.step === 'sendingCode')
        return this.lockOut(clientId, current, settled.lockedUntil, true);
      return this.view(clientId);
    }
    const error: ViewError = {
      code: 'wrong-code',
      field: 'code',
      message: `That code is not right. ${settled.attemptsLeft} ${settled.attemptsLeft === 1 ? 'attempt' : 'attempts'} left. We sent you a new code.`,
      params: { attemptsLeft: settled.attemptsLeft, newCodeSent: true },
    };
    if (!settled.firstToFail || !this.isSameChallenge(clientId, challenge.id))
      return this.view(clientId, {
        ...error,
        message: `That code is not right. ${settled.attemptsLeft} left.`,
        params: { attemptsLeft: settled.attemptsLeft, newCodeSent: false },
      });
    this.apply(clientId, { type: 'codeRejected' });
    const after = await this.runSendIfNeeded(clientId, policy);
    return after.step === 'awaitingCode' ? { ...after, error } : after;
  }

  async resendCode(clientId: string): Promise<AuthView> {
    const state = this.current(clientId);
    if (state.step !== 'awaitingCode')
      return this.view(clientId, { code: 'conflict', message: 'No verification code is expected now.' });
    const availableAt = resendAvailableAt(state);
    const now = this.options.clock.now();
    if (availableAt === null)
      return this.view(clientId, {
        code: 'resend-limit',
        message: 'No more codes can be sent for this log-on. Cancel and log on again.',
      });
    if (now < availableAt)
      return this.view(clientId, {
        code: 'resend-cooldown',
        message: `You can send a new code in ${Math.ceil((availableAt - now) / 1000)} seconds.`,
        params: { seconds: Math.ceil((availableAt - now) / 1000) },
      });
    this.apply(clientId, { type: 'resendRequested' });
    return this.runSendIfNeeded(clientId, this.options.policy.get());
  }

  async retry(clientId: string): Promise<AuthView> {
    const state = this.current(clientId);
    if (state.step !== 'refused' || state.reason !== 'verification-unavailable')
      return this.view(clientId, { code: 'conflict', message: 'There is nothing to retry.' });
    this.apply(clientId, { type: 'retry' });
    return this.runSendIfNeeded(clientId, this.options.policy.get());
  }

  async changePassword(
    clientId: string,
    input: { newPassword: string; confirmPassword: string },
  ): Promise<AuthView> {
    const state = this.current(clientId);
    if (state.step !== 'passwordChangeRequired')
      return this.view(clientId, { code: 'conflict', message: 'No password change is expected now.' });
    const user = this.options.users.findRecordById(state.login.userId);
    if (!user) return this.cancel(clientId);
    try {
      checkNewPassword({ username: user.username, ...input });
      if (user.passwordHash && (await verifyPassword(user.passwordHash, input.newPassword))) {
        throw new ScError('validation', 'The new password must differ from your current one.', {
          field: 'newPassword',
        });
      }
      await this.options.users.setPassword(user.id, input.newPassword, user.username);
    } catch (error) {
      return this.view(clientId, errorOf(error));
    }
    if (!this.isStep(clientId, 'passwordChangeRequired')) return this.view(clientId);
    const policy = this.options.policy.get();
    const next = this.apply(clientId, {
      type: 'passwordChanged',
      twoFactorOn: policy.twoFactor.enabled,
      now: this.options.clock.now(),
    });
    if (next.step === 'signedIn') this.auditSignedIn(next.login);
    return this.runSendIfNeeded(clientId, policy);
  }

  // ---- Leaving ----

  cancel(clientId: string): AuthView {
    const state = this.current(clientId);
    this.ssoAborts.get(clientId)?.abort();
    if ('login' in state) {
      this.ledger.supersedeAttempt(state.login.attemptId);
      this.options.audit.append({
        actor: state.login.username,
        action: state.step === 'signedIn' ? 'logon.signout' : 'logon.cancel',
        target: state.login.username,
        outcome: 'success',
        details: { step: state.step },
      });
    }
    return this.set(clientId, transition(state, { type: 'cancel' }));
  }

  signOut(clientId: string): AuthView {
    const state = this.current(clientId);
    if ('login' in state) {
      this.ledger.supersedeAttempt(state.login.attemptId);
      this.options.audit.append({
        actor: state.login.username,
        action: 'logon.signout',
        target: state.login.username,
        outcome: 'success',
      });
    }
    return this.set(clientId, transition(state, { type: 'signOut' }));
  }

  activity(clientId: string): void {
    this.expireIfIdle(clientId);
    if (this.isStep(clientId, 'signedIn'))
      this.states.set(
        clientId,
        transition(this.current(clientId), { type: 'activity', now: this.options.clock.now() }),
      );
  }

  /** Ends every idle session; the shell calls it on a timer (tests call it after moving the clock). */
  sweepIdle(): void {
    for (const clientId of [...this.states.keys()]) this.expireIfIdle(clientId);
  }

  disconnect(clientId: string): void {
    this.ssoAborts.get(clientId)?.abort();
    const state = this.states.get(clientId);
    if (state && 'login' in state) this.ledger.supersedeAttempt(state.login.attemptId);
    this.states.delete(clientId);
  }

  // ---- Internals ----

  /** Performs the send that a `sendingCode` state asks for, and moves on with its result. */
  private async runSendIfNeeded(clientId: string, policy: Policy): Promise<AuthView> {
    const state = this.current(clientId);
    if (state.step !== 'sendingCode') return this.view(clientId);
    const { login } = state;
    const { audit, verifier, clock } = this.options;
    const user = this.options.users.findRecordById(login.userId);
    const choice = user ? chooseMethod(policy, user) : null;
    if (!choice) {
      audit.append({
        actor: login.username,
        action: 'code.refused',
        target: login.username,
        outcome: 'denied',
        details: { reason: 'no-verification-contact' },
      });
      this.apply(clientId, { type: 'sendRefused', reason: 'no-verification-contact' });
      return this.view(clientId);
    }
    try {
      const started = await verifier.start({
        method: choice.method,
        to: choice.to,
        validMinutes: policy.twoFactor.validMinutes,
        reference: randomUUID(),
        locale: this.options.locale?.(),
      });
      const sentAt = clock.now();
      const challenge: Challenge = {
        id: randomUUID(),
        method: choice.method,
        maskedDestination: maskDestination(choice.method, choice.to),
        sentAt,
        expiresAt: sentAt + policy.twoFactor.validMinutes * 60_000,
      };
      this.ledger.recordChallenge({
        userId: login.userId,
        attemptId: login.attemptId,
        method: choice.method,
        providerId: started.id,
        challenge,
      });
      audit.append({
        actor: login.username,
        action: 'code.sent',
        target: login.username,
        outcome: 'success',
        details: { method: choice.method, purpose: state.purpose, resend: state.isResend },
      });
      if (this.current(clientId) !== state) return this.view(clientId);
      this.apply(clientId, { type: 'codeSent', challenge });
      return this.view(clientId);
    } catch (error) {
      audit.append({
        actor: login.username,
        action: 'code.sent',
        target: login.username,
        outcome: 'error',
        details: { method: choice.method, ...providerDetails(error) },
      });
      if (this.current(clientId) !== state) return this.view(clientId);
      this.apply(clientId, { type: 'sendRefused', reason: refusalReason(error) });
      return this.view(clientId, errorOf(error));
    }
  }

  private reserve(userId: number, challengeId: string, limits: { maxAttempts: number; lockMinutes: number }) {
    const { failed, lockedUntil } = this.ledger.codeState(userId);
    if (lockedUntil === null && failed >= limits.maxAttempts && (this.inFlight.get(userId) ?? 0) > 0)
      return { kind: 'busy' as const };
    const reservation = this.ledger.reserveCodeAttempt(userId, challengeId, limits);
    if (reservation.kind === 'reserved') this.inFlight.set(userId, (this.inFlight.get(userId) ?? 0) + 1);
    return reservation;
  }

  private release(userId: number): void {
    const left = (this.inFlight.get(userId) ?? 1) - 1;
    if (left > 0) this.inFlight.set(userId, left);
    else this.inFlight.delete(userId);
  }

  private lockOut(
    clientId: string,
    state: Extract<LoginState, { step: 'awaitingCode' | 'sendingCode' }>,
    lockedUntil: number,
    justLocked = false,
  ): AuthView {
    if (justLocked) {
      this.options.audit.append({
        actor: state.login.username,
        action: 'account.locked',
        target: state.login.username,
        outcome: 'success',
        details: { lockedUntil: new Date(lockedUntil).toISOString() },
      });
    }
    this.ledger.supersedeAttempt(state.login.attemptId);
    this.apply(clientId, { type: 'lockedOut', lockedUntil });
    return this.view(clientId);
  }

  private expireIfIdle(clientId: string): void {
    const state = this.states.get(clientId);
    if (!state || !isIdle(state, this.options.clock.now(), this.idleTimeoutMs)) return;
    if (state.step === 'signedIn') {
      this.options.audit.append({
        actor: state.login.username,
        action: 'logon.timeout',
        target: state.login.username,
        outcome: 'success',
      });
    }
    this.set(clientId, transition(state, { type: 'idleTimeout' }));
  }

  private auditSignedIn(login: Login): void {
    this.options.audit.append({
      actor: login.username,
      action: 'logon.success',
      target: login.username,
      outcome: 'success',
      details: { via: login.via },
    });
  }

  private unknownThrottle(username: string): number | null {
    const entry = this.unknownFailures.get(username.toLowerCase());
    return entry?.until !== null && entry?.until !== undefined && entry.until > this.options.clock.now()
      ? entry.until
      : null;
  }

  private recordUnknownFailure(username: string): number | null {
    const key = username.toLowerCase();
    const failures = (this.unknownFailures.get(key)?.failures ?? 0) + 1;
    const delay = passwordDelayMs(failures);
    const until = delay === 0 ? null : this.options.clock.now() + delay;
    this.unknownFailures.delete(key);
    this.unknownFailures.set(key, { failures, until });
    if (this.unknownFailures.size > UNKNOWN_USER_TRACKING_LIMIT) {
      const oldest = this.unknownFailures.keys().next().value;
      if (oldest !== undefined) this.unknownFailures.delete(oldest);
    }
    return until;
  }

  private current(clientId: string): LoginState {
    return this.states.get(clientId) ?? signedOut(null);
  }

  private isStep(clientId: string, step: LoginState['step']): boolean {
    return this.current(clientId).step === step;
  }

  private isSameChallenge(clientId: string, challengeId: string): boolean {
    const state = this.current(clientId);
    return state.step === 'awaitingCode' && state.challenge.id === challengeId;
  }

  private apply(clientId: string, event: LoginEvent): LoginState {
    const next = transition(this.current(clientId), event);
    this.set(clientId, next);
    return next;
  }

  private set(clientId: string, state: LoginState): AuthView {
    this.states.set(clientId, state);
    const view = this.view(clientId);
    // A transient sending state is not shown: the window keeps the previous screen until the result.
    if (state.step !== 'sendingCode') for (const listener of this.listeners) listener(clientId, view);
    return view;
  }

  /** The view model: what the window may know. Codes, hashes, tokens and secrets never enter it. */
  private view(clientId: string, error: ViewError | null = null): AuthView {
    const state = this.current(clientId);
    const serverNow = this.options.clock.now();
    const base = { serverNow, error, locale: this.options.language?.() ?? DEFAULT_LOCALE };
    switch (state.step) {
      case 'signedOut':
        if (!this.options.users.hasAdministrator())
          return { step: 'firstRun', ...base, passwordRules: FIRST_PASSWORD_RULES };
        return {
          step: 'signedOut',
          ...base,
          ssoEnabled: this.options.sso?.isEnabled() ?? false,
          notice: state.notice,
        };
      case 'ssoWaiting':
        return { step: 'ssoWaiting', ...base };
      case 'sendingCode':
        // Seen only by a concurrent caller while a send is in flight.
        return { step: 'signedOut', ...base, ssoEnabled: false, notice: null };
      case 'awaitingCode':
        return this.codeView(state, base);
      case 'passwordChangeRequired':
        return { step: 'passwordChangeRequired', ...base, passwordRules: PASSWORD_RULES };
      case 'locked':
        return { step: 'locked', ...base, lockedUntil: state.lockedUntil };
      case 'refused':
        return {
          step: 'refused',
          ...base,
          reason: state.reason,
          canRetry: state.reason === 'verification-unavailable',
          passed: state.purpose === 'afterPasswordChange' ? 'passwordChange' : state.login.via,
          isAdministrator: state.login.roles.includes('administrator'),
        };
      case 'signedIn': {
        const { username, displayName, roles } = state.login;
        return {
          step: 'signedIn',
          ...base,
          user: { username, displayName, roles },
          idleTimeoutMs: this.idleTimeoutMs,
        };
      }
    }
  }

  private codeView(
    state: AwaitingCode,
    base: { serverNow: number; error: ViewError | null; locale: AppLocale },
  ): AuthView {
    const { maxAttempts } = this.options.policy.get().twoFactor;
    const { failed } = this.ledger.codeState(state.login.userId);
    return {
      step: 'awaitingCode',
      ...base,
      purpose: state.purpose,
      method: state.challenge.method,
      maskedDestination: state.challenge.maskedDestination,
      expiresAt: state.challenge.expiresAt,
      attemptsLeft: Math.max(maxAttempts - failed, 0),
      resendAt: resendAvailableAt(state),
      resendsLeft: Math.max(MAX_RESENDS_PER_ATTEMPT - state.resendsUsed, 0),
    };
  }
}

/** The primary method if the user has its contact; else the fallback if set and present; else none. */
export function chooseMethod(
  policy: Policy,
  user: Pick<UserRecord, 'email' | 'mobile'>,
): { method: Method; to: string } | null {
  const contact = (method: Method) => (method === 'sms' ? user.mobile : user.email);
  const primary = policy.twoFactor.primaryMethod;
  const primaryTo = contact(primary);
  if (primaryTo) return { method: primary, to: primaryTo };
  const fallback = policy.twoFactor.fallbackMethod;
  if (fallback !== 'none') {
    const fallbackTo = contact(fallback);
    if (fallbackTo) return { method: fallback, to: fallbackTo };
  }
  return null;
}

/** What the audit log records of a typed username: bounded, never empty. */
function auditName(username: string): string {
  return username ? username.slice(0, 64) : 'anonymous';
}

/** Failures only an administrator can fix: retrying cannot help. */
const SETUP_FAILURES: ReadonlySet<string> = new Set([
  'verification-bad-credentials',
  'secret-missing',
  'keychain-unavailable',
  'verification-no-credit',
  'verification-invalid-destination',
]);

function refusalReason(error: unknown): RefusalReason {
  return isScError(error) && SETUP_FAILURES.has(error.code)
    ? 'verification-misconfigured'
    : 'verification-unavailable';
}

function throttledError(until: number, now: number): ViewError {
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  return {
    code: 'password-throttled',
    message: `Too many failed log-ons. Wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} and try again.`,
    params: { minutes },
  };
}

function errorOf(error: unknown): ViewError {
  if (isScError(error)) {
    const field = error.details.field;
    return {
      code: error.code,
      message: error.message,
      ...(typeof field === 'string' && field ? { field } : {}),
    };
  }
  return { code: 'internal', message: 'Something went wrong in System Configurator. Try again.' };
}
