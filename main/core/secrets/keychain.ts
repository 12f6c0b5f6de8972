/**
 * The OS keychain as the core sees it. The production backend is keytar (service "System Configurator",
 * account = secret name); unit tests may use the in-memory backend. There is no plaintext fallback: a
 * backend that cannot reach a working keychain throws ScError('keychain-unavailable').
 */
export const KEYCHAIN_SERVICE = 'System Configurator';

export interface KeychainBackend {
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  /** true when an entry was deleted. */
  delete(account: string): Promise<boolean>;
}

export class InMemoryKeychain implements KeychainBackend {
  private readonly entries = new Map<string, string>();
  async get(account: string): Promise<string | null> {
    return this.entries.get(account) ?? null;
  }
  async set(account: string, value: string): Promise<void> {
    this.entries.set(account, value);
  }
  async delete(account: string): Promise<boolean> {
    return this.entries.delete(account);
  }
}
