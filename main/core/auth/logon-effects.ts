import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import { isScError, providerDetails, toIpcError } from '../errors';
import type { UserStore } from '../users/user-store';
import { passwordStamp, rehashPassword, verifyAgainstDummy, verifyPassword } from '../users/passwords';
import type { Verifier } from '../verify/verifier';
import type { Role } from '../../contract/domain';
import { AttemptLedger } from './attempts';
import { checkNewPassword, checkPasswordChange } from './password-policy';
import { UnknownUserThrottle } from './unknown-user-throttle';
import type { Effect, LoginResult } from './machine';
import type { SsoIdentities } from '../sso/sso-identities';

/** The SSO seam: an identity provider's answer enters the flow where a password check would. */
export interface SsoProvider {
  isEnabled(): boolean;
  /**
   * Runs the browser round trip and returns the SC username it maps to, with the identity (issuer +
   * subject) the log-on links to that user when it completes; throws ScError('sso-error') for a refusal,
   * and this app's own failures (the identity store) as they are.
   */
  authenticate(signal: AbortSignal): Promise<{ username: string; subject: string; issuer?: string }>;
}

/** What a request brings that must never enter a state, an effect or a log: passwords and codes. */
export interface RequestSecrets {
  password?: string;
  code?: string;
  newPassword?: { newPassword: string; confirmPassword: string };
  firstRun?: { username: string; displayName?: string; password: string; confirmPassword: string };
}

export type Outcome = LoginResult | null;

export interface LogonEffectsOptions {
  db: Db;
  clock: Clock;
  users: UserStore;
  audit: AuditLog;
  verifier: Verifier;
  sso?: SsoProvider;
  /** Where SSO log-ons record their identity's link (absent: no links are kept, e.g. a stand-in provider). */
  ssoLinks?: Pick<SsoIdentities, 'recordFirstLink' | 'linkedSubject'>;
  /** Accept-Language for verification messages, read at each send. */
  locale?: () => string;
  /** The interpreter's part: a closed window's state goes. */
  forgetWindow(clientId: string): void;
}

/**
 * Carries out the log-on machine's effects against the outside world: the attempt ledger and throttles in
 * SQLite, the password hashes, the verification provider, the identity provider and the audit log. Each
 * effect does exactly what it names; which effect runs when is the machine's decision.
 */
export class LogonEffects {
  readonly ledger: AttemptLedger;
  private readonly unknownUsers: UnknownUserThrottle;
  private readonly ssoAborts = new Map<string, AbortController>();
  /** Code checks at the provider, per user (this process). */
  private readonly codeChecks = new Map<number, number>();

  constructor(private readonly options: LogonEffectsOptions) {
    this.ledger = new AttemptLedger(options.db, options.clock);
    this.unknownUsers = new UnknownUserThrottle(options.db, options.clock);
  }

  codeChecksInFlight(userId: number): number {
    return this.codeChecks.get(userId) ?? 0;
  }

  /** Carries out one effect; returns the result the machine decides next, if the effect has one. */
  perform(clientId: string, effect: Effect, secrets: RequestSecrets): Outcome | Promise<Outcome> {
    const { audit } = this.options;
    switch (effect.kind) {
      case 'audit':
        audit.append(effect.entry);
        return null;
      case 'createFirstAdministrator':
        return this.createFirstAdministrator(secrets.firstRun);
      case 'reservePasswordAttempt': {
        const reservation =
          effect.userId === null
            ? this.unknownUsers.reserve(effect.username)
            : this.ledger.reservePasswordAttempt(effect.userId);
        return { type: 'passwordReserved', request: effect, ...reservation };
      }
      case 'checkPassword':
        return this.checkPassword(effect, secrets.password ?? '');
      case 'resetPasswordFailures':
        this.ledger.resetPasswordFailures(effect.userId);
        return null;
      case 'authenticateSso':
        return this.authenticateSso(clientId);
      case 'abortSso':
        this.ssoAborts.get(clientId)?.abort();
        return null;
      case 'linkSsoIdentity': {
        const linked = this.options.ssoLinks?.recordFirstLink(effect.userId, effect.identity) ?? true;
        return linked ? null : { type: 'ssoLinkLost', attemptId: effect.attemptId };
      }
      case 'sendCode':
        return this.sendCode(effect);
      case 'recordChallenge':
        this.ledger.recordChallenge(effect);
        return null;
      case 'endChallenges':
        this.ledger.supersedeAttempt(effect.attemptId);
        return null;
      case 'reserveCodeAttempt': {
        const reservation = this.ledger.reserveCodeAttempt(effect.userId, effect.challengeId, effect.limits);
        return { type: 'codeReserved', request: effect, reservation };
      }
      case 'reportCode':
        return this.reportCode(effect, secrets.code ?? '');
      case 'expireChallenge':
        this.ledger.expireChallenge(effect.challengeId, effect.at);
        return null;
      case 'lockAccount':
        this.ledger.lockAccount(effect.userId, effect.until);
        return null;
      case 'upgradePasswordHash':
        return this.upgradePasswordHash(effect, secrets.password ?? '');
      case 'refundCodeAttempt':
        this.ledger.refund(effect.userId);
        return null;
      case 'settleCorrectCode':
        this.ledger.settleCorrect(effect.userId, effect.challengeId);
        return null;
      case 'settleWrongCode':
        return {
          type: 'codeSettled',
          request: effect,
          ...this.ledger.settleWrong(effect.userId, effect.challengeId, effect.limits),
        };
      case 'storeNewPassword':
        return this.storeNewPassword(effect, secrets.newPassword);
      case 'forgetWindow':
        this.options.forgetWindow(clientId);
        return null;
    }
  }

  private async createFirstAdministrator(input: RequestSecrets['firstRun']): Promise<Outcome> {
    if (!input) return null;
    try {
      checkNewPassword({
        username: input.username,
        newPassword: input.password,
        confirmPassword: input.confirmPassword,
      });
      const roles: Role[] = ['administrator'];
      const { username, password } = input;
      await this.options.users.create(
        { username, displayName: input.displayName || username, password, roles },
        username,
        { firstAdministrator: true },
      );
      return { type: 'firstAdministratorCreated', username };
    } catch (error) {
      return { type: 'firstRunRefused', error: toIpcError(error) };
    }
  }

  /** The same work for an unknown user, a password-less account and a wrong password. */
  private async checkPassword(
    effect: Extract<Effect, { kind: 'checkPassword' }>,
    password: string,
  ): Promise<Outcome> {
    const hash =
      effect.userId === null ? null : this.options.users.findRecordById(effect.userId)?.passwordHash;
    const ok = hash ? await verifyPassword(hash, password) : await verifyAgainstDummy(password);
    // The stamp of the password just verified, not of whatever is stored when the answer is decided.
    return { type: 'passwordChecked', request: effect, ok, stamp: ok && hash ? passwordStamp(hash) : null };
  }

  private async upgradePasswordHash(
    effect: Extract<Effect, { kind: 'upgradePasswordHash' }>,
    password: string,
  ): Promise<Outcome> {
    const previous = this.options.users.findRecordById(effect.userId)?.passwordHash;
    if (!previous || !(await verifyPassword(previous, password))) return null;
    const next = await rehashPassword(password, previous);
    if (this.options.users.upgradePasswordHash(effect.userId, previous, next))
      this.options.audit.append(effect.audit);
    return null;
  }

  private async authenticateSso(clientId: string): Promise<Outcome> {
    const sso = this.options.sso;
    if (!sso) return null;
    const abort = new AbortController();
    this.ssoAborts.set(clientId, abort);
    try {
      const identity = await sso.authenticate(abort.signal);
      if (abort.signal.aborted) return null;
      const { username, issuer, subject } = identity;
      return {
        type: 'ssoAnswered',
        username,
        ...(issuer !== undefined ? { identity: { issuer, subject } } : {}),
      };
    } catch (error) {
      if (abort.signal.aborted) return null;
      const failure = isScError(error) ? String(error.details.reason ?? error.code) : 'internal';
      return { type: 'ssoFailed', error: toIpcError(error), failure };
    } finally {
      if (this.ssoAborts.get(clientId) === abort) this.ssoAborts.delete(clientId);
    }
  }

  private async sendCode(request: Extract<Effect, { kind: 'sendCode' }>): Promise<Outcome> {
    try {
      const started = await this.options.verifier.start({
        method: request.method,
        to: request.to,
        validMinutes: request.validMinutes,
        reference: randomUUID(),
        locale: this.options.locale?.(),
      });
      return { type: 'codeSent', request, providerId: started.id };
    } catch (error) {
      return { type: 'sendFailed', request, error: toIpcError(error), details: providerDetails(error) };
    }
  }

  private async reportCode(request: Extract<Effect, { kind: 'reportCode' }>, code: string): Promise<Outcome> {
    const { userId } = request;
    this.codeChecks.set(userId, (this.codeChecks.get(userId) ?? 0) + 1);
    try {
      const providerId = this.ledger.providerId(request.challengeId);
      if (!providerId) return { type: 'codeReported', request, outcome: 'not-valid' };
      const { outcome, reason } = await this.options.verifier.report(providerId, request.method, code);
      return { type: 'codeReported', request, outcome, ...(reason !== undefined ? { reason } : {}) };
    } catch (error) {
      return { type: 'reportFailed', request, error: toIpcError(error), details: providerDetails(error) };
    } finally {
      const left = (this.codeChecks.get(userId) ?? 1) - 1;
      if (left > 0) this.codeChecks.set(userId, left);
      else this.codeChecks.delete(userId);
    }
  }

  private async storeNewPassword(
    effect: Extract<Effect, { kind: 'storeNewPassword' }>,
    input: RequestSecrets['newPassword'],
  ): Promise<Outcome> {
    const user = this.options.users.findRecordById(effect.userId);
    if (!user || !input) return null;
    try {
      await checkPasswordChange(user, input);
      const { users } = this.options;
      const stamp = await users.setPassword(user.id, input.newPassword, user.username, effect.replacing);
      return stamp === null ? { type: 'passwordReplaced' } : { type: 'passwordStored', stamp };
    } catch (error) {
      return { type: 'passwordRefused', error: toIpcError(error) };
    }
  }
}
