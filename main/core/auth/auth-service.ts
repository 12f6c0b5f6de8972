import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { AuditLog } from '../audit/audit-log';
import type { PolicyStore } from '../policy/policy-store';
import type { UserRecord, UserStore } from '../users/user-store';
import type { Verifier } from '../verify/verifier';
import type { AuthView } from '../../contract/ipc';
import type { IpcError } from '../../contract/errors';
import type { Role } from '../../contract/domain';
import type { AppLocale } from '../../contract/locale';
import type { Db } from '../db/database';
import { projectView } from './auth-view';
import { needsRehash, passwordStamp } from '../users/passwords';
import { normalizeCode } from './code';
import type { SsoIdentities } from '../sso/sso-identities';
import { LogonEffects, type Outcome, type RequestSecrets, type SsoProvider } from './logon-effects';
import {
  USERNAME_MAX_LENGTH,
  decide,
  isResult,
  isTransient,
  signedOut,
  type Effect,
  type Facts,
  type LoginInput,
  type LoginRequest,
  type LoginState,
  type UserFacts,
} from './machine';

export type { SsoProvider };

export interface Session {
  clientId: string;
  userId: number;
  username: string;
  displayName: string;
  roles: Role[];
}

export interface AuthServiceOptions {
  db: Db;
  clock: Clock;
  users: UserStore;
  policy: PolicyStore;
  audit: AuditLog;
  verifier: Verifier;
  sso?: SsoProvider;
  /** SSO identities linked to users (issuer + subject): recorded when a claim-matched log-on completes. */
  ssoLinks?: Pick<SsoIdentities, 'recordFirstLink' | 'linkedSubject'>;
  /** Signed-in sessions end after this long without activity (default 30 minutes). */
  idleTimeoutMs?: number;
  /** Accept-Language for verification messages, read at each send (the window's language). */
  locale?: () => string;
  /** The window's language, carried by every view. */
  language: () => AppLocale;
}

export type StateListener = (clientId: string, state: AuthView) => void;

const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60_000;

/**
 * The log-on's interpreter: one log-on state per window (client). For each request it gathers the facts,
 * asks the machine (machine.ts) to decide, carries out the effects in order, and feeds their results back
 * in. It holds no rule of its own. Restarting the app starts everyone signed out; failed counts, throttles
 * and locks live in SQLite and survive.
 */
export class AuthService {
  private readonly states = new Map<string, LoginState>();
  private readonly listeners = new Set<StateListener>();
  private readonly effects: LogonEffects;
  private readonly idleTimeoutMs: number;

  constructor(private readonly options: AuthServiceOptions) {
    this.effects = new LogonEffects({ ...options, forgetWindow: (clientId) => this.states.delete(clientId) });
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  // ---- Queries ----

  state(clientId: string): AuthView {
    return this.runNow(clientId, { type: 'check' });
  }

  /** The signed-in session of a window, or null (an idle session ends here). */
  session(clientId: string): Session | null {
    this.runNow(clientId, { type: 'check' });
    const state = this.current(clientId);
    if (state.step !== 'signedIn') return null;
    const { userId, username, displayName, roles } = state.login;
    return { clientId, userId, username, displayName, roles };
  }

  onStateChange(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- Requests ----

  firstRun(clientId: string, input: NonNullable<RequestSecrets['firstRun']>): Promise<AuthView> {
    const hasAdministrator = this.options.users.hasAdministrator();
    return this.run(clientId, { type: 'firstRun', hasAdministrator }, { firstRun: input });
  }

  logOn(clientId: string, input: { username: string; password: string }): Promise<AuthView> {
    return this.run(
      clientId,
      { type: 'logOn', username: input.username.trim() },
      { password: input.password },
    );
  }

  ssoStart(clientId: string): Promise<AuthView> {
    return this.run(clientId, { type: 'ssoStart', ssoEnabled: this.options.sso?.isEnabled() ?? false });
  }

  submitCode(clientId: string, typed: string): Promise<AuthView> {
    const code = normalizeCode(typed);
    return this.run(clientId, { type: 'submitCode', wellFormed: code !== null }, { code: code ?? '' });
  }

  resendCode(clientId: string): Promise<AuthView> {
    return this.run(clientId, { type: 'resend' });
  }

  retry(clientId: string): Promise<AuthView> {
    return this.run(clientId, { type: 'retry' });
  }

  changePassword(
    clientId: string,
    input: { newPassword: string; confirmPassword: string },
  ): Promise<AuthView> {
    return this.run(clientId, { type: 'changePassword' }, { newPassword: input });
  }

  cancel(clientId: string): AuthView {
    return this.runNow(clientId, { type: 'cancel' });
  }

  signOut(clientId: string): AuthView {
    return this.runNow(clientId, { type: 'signOut' });
  }

  activity(clientId: string): void {
    this.runNow(clientId, { type: 'activity' });
  }

  /** Ends every idle session; the shell calls it on a timer (tests call it after moving the clock). */
  sweepIdle(): void {
    for (const clientId of [...this.states.keys()]) this.runNow(clientId, { type: 'check' });
  }

  disconnect(clientId: string): void {
    this.runNow(clientId, { type: 'disconnect' });
  }

  // ---- The interpreter ----

  private run(clientId: string, request: LoginRequest, secrets: RequestSecrets = {}): Promise<AuthView> {
    this.runNow(clientId, { type: 'check' });
    return Promise.resolve(this.drive(clientId, request, secrets, null, this.current(clientId)));
  }

  /** For requests whose effects are all immediate (no provider, no hash): answers synchronously. */
  private runNow(clientId: string, request: LoginRequest): AuthView {
    const view = this.drive(clientId, request, {}, null, this.current(clientId));
    if (view instanceof Promise) throw new Error(`${request.type} must not wait`);
    return view;
  }

  /** Decide, apply, carry out, and feed each result back in, until nothing is left to do. */
  private drive(
    clientId: string,
    first: LoginInput,
    secrets: RequestSecrets,
    error: IpcError | null,
    origin: LoginState,
  ): AuthView | Promise<AuthView> {
    let input: LoginInput | null = first;
    while (input) {
      const state = this.current(clientId);
      const decision = decide(state, input, this.facts(state, input, origin));
      if (decision.error !== undefined) error = decision.error;
      if (decision.state !== state) this.set(clientId, decision.state, state);
      const asking = this.current(clientId);
      const outcome = this.performAll(clientId, decision.effects, secrets);
      if (outcome instanceof Promise)
        return outcome.then((next) =>
          next ? this.drive(clientId, next, secrets, error, asking) : this.view(clientId, error),
        );
      input = outcome;
      origin = asking;
    }
    return this.view(clientId, error);
  }

  private performAll(
    clientId: string,
    effects: Effect[],
    secrets: RequestSecrets,
    from = 0,
  ): Outcome | Promise<Outcome> {
    let result: Outcome = null;
    for (let i = from; i < effects.length; i++) {
      const done = this.effects.perform(clientId, effects[i]!, secrets);
      if (done instanceof Promise)
        return done.then(
          async (first) => (await this.performAll(clientId, effects, secrets, i + 1)) ?? first,
        );
      result = done ?? result;
    }
    return result;
  }

  /** What the machine needs to decide `input` in `state`; each fact is read only if the rule asks. */
  private facts(state: LoginState, input: LoginInput, origin: LoginState): Facts {
    const { clock, policy } = this.options;
    const user = this.userFor(state, input);
    const lazy = <T>(read: () => T) => {
      let value: { v: T } | null = null;
      return () => (value ??= { v: read() }).v;
    };
    const twoFactor = lazy(() => policy.get().twoFactor);
    const codeLock = lazy(() =>
      user ? this.effects.ledger.codeState(user.id) : { failed: 0, lockedUntil: null },
    );
    const newId = lazy(() => randomUUID());
    return {
      now: clock.now(),
      idleTimeoutMs: this.idleTimeoutMs,
      user,
      codeChecksInFlight: user ? this.effects.codeChecksInFlight(user.id) : 0,
      stale: isResult(input) && state !== origin,
      ...(this.options.ssoLinks
        ? { ssoLinkedSubject: this.options.ssoLinks.linkedSubject.bind(this.options.ssoLinks) }
        : {}),
      get twoFactor() {
        return twoFactor();
      },
      get codeLock() {
        return codeLock();
      },
      get newId() {
        return newId();
      },
    };
  }

  /** The user an input is about, as the database has it now. */
  private userFor(state: LoginState, input: LoginInput): UserFacts | null {
    const { users } = this.options;
    switch (input.type) {
      case 'logOn':
        return input.username && input.username.length <= USERNAME_MAX_LENGTH
          ? userFacts(users.findRecord(input.username))
          : null;
      case 'ssoAnswered':
        return userFacts(users.findRecord(input.username));
      case 'passwordChecked':
        return input.request.userId === null ? null : userFacts(users.findRecordById(input.request.userId));
    }
    const userId =
      'login' in state ? state.login.userId : state.step === 'checkingPassword' ? state.userId : null;
    return userId === null ? null : userFacts(users.findRecordById(userId));
  }

  private current(clientId: string): LoginState {
    return this.states.get(clientId) ?? signedOut(null);
  }

  private set(clientId: string, state: LoginState, previous: LoginState): void {
    this.states.set(clientId, state);
    // A transient state is not shown (the window keeps the previous screen), nor is mere activity.
    if (isTransient(state)) return;
    if (state.step === 'signedIn' && previous.step === 'signedIn' && state.login === previous.login) return;
    const view = this.view(clientId);
    for (const listener of this.listeners) listener(clientId, view);
  }

  private view(clientId: string, error: IpcError | null = null): AuthView {
    const { users, policy, sso, clock } = this.options;
    return projectView(this.current(clientId), error, {
      now: clock.now(),
      locale: this.options.language(),
      idleTimeoutMs: this.idleTimeoutMs,
      hasAdministrator: () => users.hasAdministrator(),
      ssoEnabled: () => sso?.isEnabled() ?? false,
      maxAttempts: () => policy.get().twoFactor.maxAttempts,
      failedCodes: (userId) => this.effects.ledger.codeState(userId).failed,
    });
  }
}

function userFacts(record: UserRecord | null): UserFacts | null {
  if (!record) return null;
  const { id, username, displayName, roles, active, mustChangePassword, email, mobile } = record;
  const hash = record.passwordHash;
  return {
    ...{ id, username, displayName, roles, active, mustChangePassword, email, mobile },
    hashOutdated: hash !== null && needsRehash(hash),
    passwordStamp: hash === null ? null : passwordStamp(hash),
  };
}
