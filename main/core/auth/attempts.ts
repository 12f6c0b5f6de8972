import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { Challenge } from './machine';
import type { Method } from '../../contract/domain';

export type ChallengeRefusal = 'expired' | 'superseded' | 'consumed' | 'failed' | 'unknown';

export type Reservation =
  | { kind: 'reserved' }
  /** `lockedNow`: this reservation took the lock (the maximum was lowered), rather than meeting one. */
  | { kind: 'locked'; lockedUntil: number; lockedNow: boolean }
  | { kind: 'challenge-invalid'; reason: ChallengeRefusal };

export interface CodeLimits {
  maxAttempts: number;
  lockMinutes: number;
}

interface LockRow {
  failed_code_attempts: number;
  sc_locked_until: number | null;
}

/** Password failures before a temporary lock, and its length: 1, 2, 4, 8, then 15 minutes at most. */
const PASSWORD_FAILURES_BEFORE_DELAY = 4;
const PASSWORD_MAX_DELAY_MS = 15 * 60_000;

export function passwordDelayMs(failures: number): number {
  if (failures <= PASSWORD_FAILURES_BEFORE_DELAY) return 0;
  return Math.min(60_000 * 2 ** (failures - PASSWORD_FAILURES_BEFORE_DELAY - 1), PASSWORD_MAX_DELAY_MS);
}

/** Until when a name is throttled after `failures` failed passwords, or null (no delay yet). */
export function passwordThrottleUntil(failures: number, now: number): number | null {
  const delay = passwordDelayMs(failures);
  return delay === 0 ? null : now + delay;
}

/** A password attempt counted before its check: refused while throttled, else with its own delay. */
export interface PasswordReservation {
  /** Set when the attempt is refused: the throttle in force. */
  throttledUntil: number | null;
  /** Until when this attempt, if it fails, throttles the name (null: no delay yet). */
  until: number | null;
}

/**
 * The persistent side of the login rules: failed-code counts and SC locks per account, challenges per log-on
 * attempt, and password throttling. Every check and its count happen in one SQLite transaction, so
 * concurrent submissions cannot overshoot and a restart (or a crash) changes nothing.
 */
export class AttemptLedger {
  /** Every statement, prepared once: these run on each code, view and log-on. */
  private readonly sql;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    const prepare = (text: string) => db.prepare(text);
    this.sql = {
      lockRow: prepare('SELECT failed_code_attempts, sc_locked_until FROM users WHERE id = ?'),
      clearLock: prepare('UPDATE users SET failed_code_attempts = 0, sc_locked_until = NULL WHERE id = ?'),
      setLock: prepare('UPDATE users SET sc_locked_until = ? WHERE id = ?'),
      countAttempt: prepare('UPDATE users SET failed_code_attempts = failed_code_attempts + 1 WHERE id = ?'),
      refund: prepare(
        'UPDATE users SET failed_code_attempts = max(failed_code_attempts - 1, 0) WHERE id = ? AND sc_locked_until IS NULL',
      ),
      challenge: prepare('SELECT state, expires_at FROM challenges WHERE id = ? AND user_id = ?'),
      providerId: prepare('SELECT provider_id FROM challenges WHERE id = ?').pluck(),
      consume: prepare("UPDATE challenges SET state = 'consumed' WHERE id = ?"),
      expire: prepare('UPDATE challenges SET expires_at = min(expires_at, ?) WHERE id = ?'),
      lockIfUnlocked: prepare(
        'UPDATE users SET sc_locked_until = ? WHERE id = ? AND sc_locked_until IS NULL',
      ),
      fail: prepare("UPDATE challenges SET state = 'failed' WHERE id = ? AND state = 'pending'"),
      supersedeUser: prepare(
        "UPDATE challenges SET state = 'superseded' WHERE user_id = ? AND state = 'pending'",
      ),
      supersedeAttempt: prepare(
        "UPDATE challenges SET state = 'superseded' WHERE login_attempt_id = ? AND state = 'pending'",
      ),
      insertChallenge: prepare(
        "INSERT INTO challenges (id, user_id, login_attempt_id, method, provider_id, created_at, expires_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')",
      ),
      passwordLockedUntil: prepare('SELECT password_locked_until FROM users WHERE id = ?').pluck(),
      countPasswordFailure: prepare(
        'UPDATE users SET failed_password_attempts = failed_password_attempts + 1 WHERE id = ? RETURNING failed_password_attempts',
      ).pluck(),
      setPasswordLock: prepare('UPDATE users SET password_locked_until = ? WHERE id = ?'),
      clearPasswordFailures: prepare(
        'UPDATE users SET failed_password_attempts = 0, password_locked_until = NULL WHERE id = ?',
      ),
    };
  }

  /**
   * The account's SC lock and failed-code count. A plain read; only when a lock has run out is the write
   * lock taken, to clear it (with its count).
   */
  codeState(userId: number): { failed: number; lockedUntil: number | null } {
    let row = this.sql.lockRow.get(userId) as LockRow;
    if (this.lockExpired(row)) row = this.db.transaction(() => this.readLock(userId)).immediate();
    return { failed: row.failed_code_attempts, lockedUntil: row.sc_locked_until };
  }

  /**
   * Before a code goes to Sinch: refuses it locally when the challenge is not the live one or the account
   * is locked, else counts the attempt now (pessimistically, so a crash mid-check keeps it counted, and
   * so at most `maxAttempts` codes are ever in flight or checked).
   */
  reserveCodeAttempt(userId: number, challengeId: string, limits: CodeLimits): Reservation {
    return this.db
      .transaction((): Reservation => {
        const now = this.clock.now();
        const lock = this.readLock(userId);
        if (lock.sc_locked_until !== null)
          return { kind: 'locked', lockedUntil: lock.sc_locked_until, lockedNow: false };
        if (lock.failed_code_attempts >= limits.maxAttempts) {
          // Only reachable if the maximum was lowered meanwhile: lock now rather than allow another guess.
          return { kind: 'locked', lockedUntil: this.lock(userId, now, limits.lockMinutes), lockedNow: true };
        }
        const challenge = this.sql.challenge.get(challengeId, userId) as
          { state: string; expires_at: number } | undefined;
        if (!challenge) return { kind: 'challenge-invalid', reason: 'unknown' };
        if (challenge.state !== 'pending')
          return { kind: 'challenge-invalid', reason: challenge.state as ChallengeRefusal };
        if (now >= challenge.expires_at) return { kind: 'challenge-invalid', reason: 'expired' };
        this.sql.countAttempt.run(userId);
        return { kind: 'reserved' };
      })
      .immediate();
  }

  /** The code was right: the challenge is used up and the account's count starts again. */
  settleCorrect(userId: number, challengeId: string): void {
    this.db
      .transaction(() => {
        this.sql.consume.run(challengeId);
        this.sql.clearLock.run(userId);
      })
      .immediate();
  }

  /** The code was wrong: the reserved attempt stays counted; at the maximum the account locks. */
  settleWrong(
    userId: number,
    challengeId: string,
    limits: CodeLimits,
  ): { attemptsLeft: number; lockedUntil: number | null; lockedNow: boolean; firstToFail: boolean } {
    return this.db
      .transaction(() => {
        const now = this.clock.now();
        const changed = this.sql.fail.run(challengeId);
        const row = this.sql.lockRow.get(userId) as LockRow;
        let lockedUntil = row.sc_locked_until;
        // This check takes the lock (exactly one does): its log-on audits it, even if its window has left.
        const lockedNow = lockedUntil === null && row.failed_code_attempts >= limits.maxAttempts;
        if (lockedNow) lockedUntil = this.lock(userId, now, limits.lockMinutes);
        return {
          attemptsLeft: Math.max(limits.maxAttempts - row.failed_code_attempts, 0),
          lockedUntil,
          lockedNow,
          firstToFail: changed.changes === 1,
        };
      })
      .immediate();
  }

  /** The provider failed, so the code was never checked: the reserved attempt is given back. */
  refund(userId: number): void {
    this.sql.refund.run(userId);
  }

  /** The provider no longer accepts this challenge: from `at` on it is refused locally as expired. */
  expireChallenge(challengeId: string, at: number): void {
    this.sql.expire.run(at, challengeId);
  }

  /** Locks an account that is not locked already (a lowered maximum it is at or above). */
  lockAccount(userId: number, until: number): void {
    this.sql.lockIfUnlocked.run(until, userId);
  }

  /** Records a code just sent; every earlier pending challenge of the same user is superseded. */
  recordChallenge(input: {
    userId: number;
    attemptId: string;
    method: Method;
    providerId: string;
    challenge: Challenge;
  }): void {
    const { userId, attemptId, method, providerId, challenge } = input;
    this.db
      .transaction(() => {
        this.sql.supersedeUser.run(userId);
        this.sql.insertChallenge.run(
          challenge.id,
          userId,
          attemptId,
          method,
          providerId,
          challenge.sentAt,
          challenge.expiresAt,
        );
      })
      .immediate();
  }

  providerId(challengeId: string): string | null {
    return (this.sql.providerId.get(challengeId) as string | undefined) ?? null;
  }

  /** Ends the live challenges of a log-on attempt (cancel, sign-out). */
  supersedeAttempt(attemptId: string): void {
    this.sql.supersedeAttempt.run(attemptId);
  }

  // ---- Password throttling ----

  /**
   * Before a password is checked: refuses while the account's throttle is on, else counts the attempt as a
   * failure now (a right password resets the count afterwards), so parallel guesses cannot overshoot.
   */
  reservePasswordAttempt(userId: number): PasswordReservation {
    return this.db
      .transaction((): PasswordReservation => {
        const now = this.clock.now();
        const until = (this.sql.passwordLockedUntil.get(userId) as number | null | undefined) ?? null;
        if (until !== null && until > now) return { throttledUntil: until, until: null };
        const failures = this.sql.countPasswordFailure.get(userId) as number;
        const next = passwordThrottleUntil(failures, now);
        if (next !== null) this.sql.setPasswordLock.run(next, userId);
        return { throttledUntil: null, until: next };
      })
      .immediate();
  }

  resetPasswordFailures(userId: number): void {
    this.sql.clearPasswordFailures.run(userId);
  }

  private lockExpired(row: LockRow): boolean {
    return row.sc_locked_until !== null && row.sc_locked_until <= this.clock.now();
  }

  /** Inside a write transaction: the lock row, with a lock that has run out cleared (and its count). */
  private readLock(userId: number): LockRow {
    const row = this.sql.lockRow.get(userId) as LockRow;
    if (!this.lockExpired(row)) return row;
    this.sql.clearLock.run(userId);
    return { failed_code_attempts: 0, sc_locked_until: null };
  }

  private lock(userId: number, now: number, lockMinutes: number): number {
    const until = now + lockMinutes * 60_000;
    this.sql.setLock.run(until, userId);
    return until;
  }
}
