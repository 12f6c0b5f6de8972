import { AuditLog } from './audit/audit-log';
import { systemClock, type Clock } from './clock';
import { databasePath, openDatabase, storageErrorOf, type Db } from './db/database';
import { ScError, isScError } from './errors';
import { readManagedPolicy, type ManagedPolicy, type ManagedPolicySource } from './policy/managed-policy';
import { PolicyStore } from './policy/policy-store';
import type { KeychainBackend } from './secrets/keychain';
import { SecretStore } from './secrets/secret-store';
import { SsoIdentities } from './sso/sso-identities';
import { SearchIndex } from './users/search-index';
import { UserImporter } from './users/user-import';
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
  /**
   * The machine-wide managed policy file (shell and sc-admin: managedPolicySource(platform, env)); none
   * when absent. An invalid one refuses the start: createCore throws ScError('managed-policy-refused').
   */
  managedPolicy?: ManagedPolicySource;
}

/**
 * Builds the core: the one function the Electron shell, the tests, sc-admin, the benchmark and the browser
 * test host all call, the same way. Plain Node: nothing here imports electron.
 */
export function createCore(options: CoreOptions) {
  const clock = options.clock ?? systemClock;
  const db: Db = openDatabase({ dataDir: options.dataDir, now: () => clock.now() });
  const audit = new AuditLog(db, clock);
  const searchIndex = new SearchIndex(db);
  buildSmallIndexNow(searchIndex, options.dataDir);
  const users = new UserStore(db, clock, audit, searchIndex);
  const userImport = new UserImporter(db, clock, audit, users, searchIndex);
  const managedPolicy = loadManagedPolicy(options.managedPolicy, db, clock, audit);
  const policy = new PolicyStore(db, clock, audit, managedPolicy);
  const ssoIdentities = new SsoIdentities(db, clock, audit, users, () => policy.get().sso.issuer);
  const secrets = new SecretStore(db, clock, audit, options.keychain, () => policy.get().sinch.endpoint);
  const verifier = options.verifier;

  return {
    dataDir: options.dataDir,
    clock,
    db,
    audit,
    searchIndex,
    users,
    userImport,
    policy,
    ssoIdentities,
    managedPolicy,
    secrets,
    verifier,
    close(): void {
      if (db.open) db.close();
    },
  };
}

export type Core = ReturnType<typeof createCore>;

/**
 * A large database's search index is built after start-up (createAppCore), a small one's here and now. A
 * damaged users table does not stop the start: it surfaces as the typed error of the first call that reads it.
 */
function buildSmallIndexNow(searchIndex: SearchIndex, dataDir: string): void {
  try {
    searchIndex.buildIfSmall();
  } catch (error) {
    if (!storageErrorOf(error, databasePath(dataDir))) throw error;
  }
}

/**
 * Reads the managed policy and checks the policy in force with it. A refusal is audited and ends the
 * start: the app never runs on weaker local settings than its organisation set.
 */
function loadManagedPolicy(
  source: ManagedPolicySource | undefined,
  db: Db,
  clock: Clock,
  audit: AuditLog,
): ManagedPolicy {
  if (!source) return { state: 'absent', path: '' };
  try {
    const managed = readManagedPolicy(source);
    if (managed.state === 'active') {
      new PolicyStore(db, clock, audit, managed).assertValid();
    }
    return managed;
  } catch (error) {
    const refusal = isScError(error, 'managed-policy-refused') ? error : conflictRefusal(source, error);
    audit.append({
      actor: 'system',
      action: 'policy.managedRefused',
      target: source.path,
      outcome: 'failure',
      details: { reason: String(refusal.details.reason ?? refusal.message) },
    });
    if (db.open) db.close();
    throw refusal;
  }
}

/** The managed fields are valid alone but not with this computer's own (e.g. fallback = local primary). */
function conflictRefusal(source: ManagedPolicySource, error: unknown): ScError {
  if (!isScError(error)) throw error;
  const field = typeof error.details.field === 'string' ? `${error.details.field}: ` : '';
  const reason = `with this computer's settings, ${field}${error.message} Set the related fields in the managed policy too.`;
  return new ScError('managed-policy-refused', `The managed policy ${source.path} is refused: ${reason}`, {
    path: source.path,
    reason,
  });
}
