import { randomUUID } from 'node:crypto';
import { ScError } from '../errors';
import { KEYCHAIN_SERVICE, type KeychainBackend } from './keychain';

/**
 * The OS keychain through keytar: macOS Keychain, Windows Credential Manager, and on Linux a Secret Service
 * (gnome-keyring, KWallet, KeePassXC) over D-Bus through libsecret.
 *
 * Only getPassword/setPassword/deletePassword are ever called. Never findCredentials: on a locked Linux
 * collection it crashes Node with a segfault.
 *
 * keytar is loaded on first use, so a missing or broken native module is a typed error and not a crash
 * at start-up. Every failure is ScError('keychain-unavailable', 'OS keychain unavailable: <reason>'); there
 * is no plaintext fallback.
 */

/** The three keytar calls this module uses, and nothing else. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** Why the keychain cannot be used; a stable value for programs, tests and the audit log. */
const KEYCHAIN_FAILURES = [
  'module-unavailable',
  'no-secret-service',
  'no-keyring',
  'locked',
  'access-denied',
  'timeout',
  'error',
] as const;
type KeychainFailure = (typeof KEYCHAIN_FAILURES)[number];

export interface KeytarKeychainOptions {
  /** Upper bound for one keychain call (a desktop unlock prompt counts). Default 20 s. */
  timeoutMs?: number;
  /** Tests only: a service name of their own, so parallel test files never share an entry. */
  service?: string;
  /** Tests only: a stand-in for `import('keytar')`. */
  loadKeytar?: () => Promise<KeytarApi>;
}

export type KeychainProbeResult = { ok: true } | { ok: false; failure: KeychainFailure; reason: string };

const DEFAULT_TIMEOUT_MS = 20_000;
const PREFIX = 'OS keychain unavailable: ';

export function createKeytarKeychain(options: KeytarKeychainOptions = {}): KeychainBackend {
  return new KeytarKeychain(options);
}

/**
 * Writes, reads back and deletes a throwaway entry. For start-up checks and `sc-admin`: tells whether
 * secrets can be stored here, and if not, why.
 */
export async function probeKeychain(options: KeytarKeychainOptions = {}): Promise<KeychainProbeResult> {
  try {
    await new KeytarKeychain(options).probe();
    return { ok: true };
  } catch (error) {
    if (error instanceof ScError && error.code === 'keychain-unavailable') {
      return { ok: false, failure: failureOf(error), reason: error.message.slice(PREFIX.length) };
    }
    throw error;
  }
}

class KeytarKeychain implements KeychainBackend {
  private readonly service: string;
  private readonly timeoutMs: number;
  private readonly load: () => Promise<KeytarApi>;
  private loaded: Promise<KeytarApi> | null = null;

  constructor(options: KeytarKeychainOptions) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.load = options.loadKeytar ?? importKeytar;
  }

  async get(account: string): Promise<string | null> {
    const value = await this.call((k) => k.getPassword(this.service, account));
    if (value !== null) return value;
    // On Linux a locked collection reads as "no such entry". Tell the two apart before saying "missing".
    await this.probe();
    // The probe may have raised an unlock prompt that the user answered: read once more.
    return this.call((k) => k.getPassword(this.service, account));
  }

  async set(account: string, value: string): Promise<void> {
    await this.call((k) => k.setPassword(this.service, account, value));
    const readBack = await this.call((k) => k.getPassword(this.service, account));
    if (readBack === null) {
      throw unavailable(
        'locked',
        'the keychain accepted the secret but does not return it (it is locked or access is denied)',
      );
    }
    if (readBack !== value)
      throw unavailable('error', 'the keychain returned a different value than the one stored');
  }

  async delete(account: string): Promise<boolean> {
    if (await this.call((k) => k.deletePassword(this.service, account))) return true;
    // "Nothing deleted" is also what a locked collection answers: make sure it is not locked.
    await this.probe();
    return this.call((k) => k.deletePassword(this.service, account));
  }

  /** A full write/read/delete cycle on a unique throwaway entry; throws the typed error when one step fails. */
  async probe(): Promise<void> {
    const account = `keychain-probe-${randomUUID()}`;
    const value = randomUUID();
    await this.call((k) => k.setPassword(this.service, account, value));
    try {
      const readBack = await this.call((k) => k.getPassword(this.service, account));
      if (readBack === null) {
        throw unavailable(
          'locked',
          'the keychain accepts values but does not return them (it is locked or access is denied)',
        );
      }
      if (readBack !== value)
        throw unavailable('error', 'the keychain returned a different value than the one stored');
    } finally {
      await this.call((k) => k.deletePassword(this.service, account)).catch(() => false);
    }
  }

  private async call<T>(operation: (keytar: KeytarApi) => Promise<T>): Promise<T> {
    const keytar = await this.keytar();
    return withTimeout(
      (async () => {
        try {
          return await operation(keytar);
        } catch (error) {
          throw classify(error);
        }
      })(),
      this.timeoutMs,
    );
  }

  private keytar(): Promise<KeytarApi> {
    if (!this.loaded) {
      this.loaded = withTimeout(
        this.load().catch((error: unknown) => {
          throw unavailable(
            'module-unavailable',
            `the keytar native module could not be loaded (${firstLine(error)})`,
            error,
          );
        }),
        this.timeoutMs,
      );
      // A failed load is retried on the next call (the module may be installed meanwhile).
      this.loaded.catch(() => {
        this.loaded = null;
      });
    }
    return this.loaded;
  }
}

async function importKeytar(): Promise<KeytarApi> {
  // keytar is CommonJS. Node's ESM loader gives its exports as `default` (and only some of them as names);
  // a bundler may give them as names.
  const mod = (await import('keytar')) as Partial<KeytarApi> & { default?: Partial<KeytarApi> };
  for (const candidate of [mod.default, mod]) {
    const { getPassword, setPassword, deletePassword } = candidate ?? {};
    if (
      typeof getPassword === 'function' &&
      typeof setPassword === 'function' &&
      typeof deletePassword === 'function'
    ) {
      return { getPassword, setPassword, deletePassword };
    }
  }
  throw new Error('keytar does not export getPassword, setPassword and deletePassword');
}

/** Maps what keytar (libsecret, Security.framework, CredWrite) reports to a reason a person can act on. */
function classify(error: unknown): ScError {
  if (error instanceof ScError) return error;
  const message = firstLine(error);
  const rules: [RegExp, KeychainFailure, string][] = [
    [
      /autolaunch D-Bus|Could not connect|Failed to connect|DBus\.Error\.(NoServer|FileNotFound|Disconnected|ServiceUnknown|NameHasNoOwner|Spawn)|not provided by any \.service files|Connection refused/i,
      'no-secret-service',
      'no D-Bus session or Secret Service is reachable (on Linux, run a Secret Service such as gnome-keyring or KWallet in the desktop session)',
    ],
    [
      /\blocked\b|interaction is not allowed/i,
      'locked',
      'the keychain is locked (unlock it, for example by unlocking the login keyring, and try again)',
    ],
    [
      /Object does not exist at path|No such (secret )?collection|keychain could not be found|No default keychain/i,
      'no-keyring',
      'there is no default keyring to store secrets in (create or unlock the login keyring)',
    ],
    [
      /denied|not authori[sz]ed|not permitted|cancel+ed|dismissed|passphrase you entered is not correct/i,
      'access-denied',
      'access to the keychain was denied',
    ],
    [/NoReply|did not receive a reply|timed? ?out/i, 'timeout', 'the keychain did not answer in time'],
  ];
  const rule = rules.find(([pattern]) => pattern.test(message));
  if (rule) return unavailable(rule[1], `${rule[2]}: ${message}`, error);
  return unavailable('error', `the keychain reported an error: ${message}`, error);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          unavailable(
            'timeout',
            `the keychain did not answer within ${formatSeconds(ms)} (it may be waiting for an unlock prompt)`,
          ),
        ),
      ms,
    );
  });
  // The keychain call cannot be cancelled; a late rejection must not become an unhandled one.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function unavailable(failure: KeychainFailure, reason: string, cause?: unknown): ScError {
  return new ScError('keychain-unavailable', PREFIX + reason, {
    keychain: failure,
    cause: cause === undefined ? null : firstLine(cause).slice(0, 300),
  });
}

function failureOf(error: ScError): KeychainFailure {
  const failure = error.details['keychain'];
  return KEYCHAIN_FAILURES.find((known) => known === failure) ?? 'error';
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').trim() || 'no details';
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
