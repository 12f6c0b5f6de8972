import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import { passwordThrottleUntil, type PasswordReservation } from './attempts';

/** How many unknown names are tracked at most; the least recently tried go first. */
const UNKNOWN_USER_TRACKING_LIMIT = 10_000;
const KEY_NAME = 'unknown-user-throttle';

/** The form of a typed username that the throttle keys on: "Bob ", "bob" and "BOB" are one name. */
function normalizeUsername(username: string): string {
  return username.trim().normalize('NFKC').toLowerCase();
}

/**
 * Password throttling for usernames that no account has, with the same delays as for accounts, so that
 * throttling does not tell which names exist, before or after a restart. Kept in SQLite under an
 * HMAC-SHA256 of the normalised name, with a random key made on first use: the typed names are not stored.
 */
export class UnknownUserThrottle {
  private readonly sql;
  private key: Buffer | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.sql = {
      key: db.prepare('SELECT value FROM local_keys WHERE name = ?').pluck(),
      insertKey: db.prepare('INSERT OR IGNORE INTO local_keys (name, value) VALUES (?, ?)'),
      row: db.prepare('SELECT failures, locked_until FROM unknown_user_throttle WHERE name_key = ?'),
      upsert: db.prepare(
        `INSERT INTO unknown_user_throttle (name_key, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name_key) DO UPDATE SET failures = excluded.failures,
           locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
      ),
      count: db.prepare('SELECT count(*) FROM unknown_user_throttle').pluck(),
      trim: db.prepare(
        'DELETE FROM unknown_user_throttle WHERE name_key IN (SELECT name_key FROM unknown_user_throttle ORDER BY updated_at LIMIT ?)',
      ),
    };
  }

  /** As AttemptLedger.reservePasswordAttempt, for a name no account has. */
  reserve(username: string): PasswordReservation {
    return this.db
      .transaction((): PasswordReservation => {
        const nameKey = this.nameKey(username);
        const now = this.clock.now();
        const row = this.sql.row.get(nameKey) as
          { failures: number; locked_until: number | null } | undefined;
        if (row?.locked_until != null && row.locked_until > now)
          return { throttledUntil: row.locked_until, until: null };
        const failures = (row?.failures ?? 0) + 1;
        const until = passwordThrottleUntil(failures, now);
        this.sql.upsert.run(nameKey, failures, until, now);
        const excess = (this.sql.count.get() as number) - UNKNOWN_USER_TRACKING_LIMIT;
        if (excess > 0) this.sql.trim.run(excess);
        return { throttledUntil: null, until };
      })
      .immediate();
  }

  /** Inside a write transaction: the keyed hash of the normalised name. */
  private nameKey(username: string): Buffer {
    if (!this.key) {
      this.sql.insertKey.run(KEY_NAME, randomBytes(32));
      this.key = this.sql.key.get(KEY_NAME) as Buffer;
    }
    return createHmac('sha256', this.key).update(normalizeUsername(username)).digest();
  }
}
