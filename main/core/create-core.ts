import { AuditLog } from './audit/audit-log';
import { systemClock, type Clock } from './clock';
import { openDatabase, type Db } from './db/database';
import { PolicyStore } from './policy/policy-store';
import type { KeychainBackend } from './secrets/keychain';
import { SecretStore } from './secrets/secret-store';
import { UserStore } from './users/user-store';
import type { Verifier } from './verify/verifier';

export interface CoreOptions {
  /** Folder holding the database (Electron's userData, or --data-dir / SC_DATA_DIR). */
  dataDir: string;
  clock?: Clock;
  /** The OS keychain (keytar in the app) or a stand-in in unit tests. */
  keychain: KeychainBackend;
  /** A stand-in verifier for tests; createAppCore defaults it to the Sinch client (policy + keychain). */
  verifier?: Verifier;
}

/**
 * Builds the core: the one function the Electron shell, the tests, sc-admin, the benchmark and the browser
 * test host all call, the same way. Plain Node: nothing here imports electron.
 */
export function createCore(options: CoreOptions) {
  const clock = options.clock ?? systemClock;
  const db: Db = openDatabase({ dataDir: options.dataDir, now: () => clock.now() });
  const audit = new AuditLog(db, clock);
  const users = new UserStore(db, clock, audit);
  const policy = new PolicyStore(db, clock, audit);
  const secrets = new SecretStore(db, clock, audit, options.keychain);
  const verifier = options.verifier;

  return {
    dataDir: options.dataDir,
    clock,
    db,
    audit,
    users,
    policy,
    secrets,
    verifier,
    close(): void {
      if (db.open) db.close();
    },
  };
}

export type Core = ReturnType<typeof createCore>;
