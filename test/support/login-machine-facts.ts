/**
 * Plain data for driving the log-on machine's `decide` directly (no database, no clock): a user, the
 * policy, the facts the interpreter would read, and the states a window can be in.
 */
import type { TwoFactorPolicy } from '../../main/contract/domain';
import type { Decision, Effect, Facts, Login, LoginState, UserFacts } from '../../main/core/auth/machine';
import type { AuditEntryInput } from '../../main/core/audit/audit-log';

export const NOW = 1_000_000_000;
export const MINUTE = 60_000;

export const alice: UserFacts = {
  id: 1,
  username: 'alice',
  displayName: 'Alice',
  roles: ['administrator'],
  active: true,
  mustChangePassword: false,
  email: null,
  mobile: '+46701234512',
  hashOutdated: false,
  passwordStamp: 'stamp-1',
};

export const twoFactorOn: TwoFactorPolicy = {
  enabled: true,
  primaryMethod: 'sms',
  fallbackMethod: 'none',
  validMinutes: 5,
  maxAttempts: 3,
  lockMinutes: 30,
};

export function machineFacts(overrides: Partial<Facts> = {}): Facts {
  return {
    now: NOW,
    newId: 'new-id',
    twoFactor: twoFactorOn,
    idleTimeoutMs: 30 * MINUTE,
    user: alice,
    codeLock: { failed: 0, lockedUntil: null },
    codeChecksInFlight: 0,
    stale: false,
    ...overrides,
  };
}

export const aliceLogin: Login = {
  attemptId: 'attempt-1',
  userId: 1,
  username: 'alice',
  displayName: 'Alice',
  roles: ['administrator'],
  via: 'password',
  passwordStamp: 'stamp-1',
  mustChangePassword: false,
};

export const challenge = {
  id: 'challenge-1',
  method: 'sms' as const,
  maskedDestination: '+46 •• ••• •• 12',
  sentAt: NOW - MINUTE,
  expiresAt: NOW + 4 * MINUTE,
};

/** Alice's log-on while its code is being sent. */
export const sendingCode: Extract<LoginState, { step: 'sendingCode' }> = {
  step: 'sendingCode',
  login: aliceLogin,
  purpose: 'logon',
  resendsUsed: 0,
  isResend: false,
  enteredAt: NOW,
};

/** The check of a code typed on Alice's code screen (`challenge`), under the policy's limits. */
export const codeCheck = {
  userId: 1,
  username: 'alice',
  attemptId: 'attempt-1',
  purpose: 'logon' as const,
  challengeId: 'challenge-1',
  method: 'sms' as const,
  limits: { maxAttempts: twoFactorOn.maxAttempts, lockMinutes: twoFactorOn.lockMinutes },
};

export function awaitingCode(
  overrides: Partial<Extract<LoginState, { step: 'awaitingCode' }>> = {},
): LoginState {
  return {
    step: 'awaitingCode',
    login: aliceLogin,
    purpose: 'logon',
    challenge,
    resendsUsed: 0,
    enteredAt: NOW - MINUTE,
    ...overrides,
  };
}

export function signedInState(
  overrides: Partial<Extract<LoginState, { step: 'signedIn' }>> = {},
): LoginState {
  return {
    step: 'signedIn',
    login: aliceLogin,
    lastActivityAt: NOW - MINUTE,
    enteredAt: NOW - MINUTE,
    ...overrides,
  };
}

/** The audit entries of a decision, in order. */
/** An audit entry Alice's own log-on writes (she is both actor and target). */
export function aliceAudit(
  action: AuditEntryInput['action'],
  outcome: AuditEntryInput['outcome'],
  details: AuditEntryInput['details'],
): AuditEntryInput {
  return { actor: 'alice', action, target: 'alice', outcome, details };
}

export function auditEntries(d: Decision): AuditEntryInput[] {
  return d.effects.flatMap((e) => (e.kind === 'audit' ? [e.entry] : []));
}

/** The effects of a decision other than its audit entries. */
export function actions(d: Decision): Exclude<Effect, { kind: 'audit' }>[] {
  return d.effects.filter((e): e is Exclude<Effect, { kind: 'audit' }> => e.kind !== 'audit');
}
