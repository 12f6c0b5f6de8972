import { ScError, isScError } from '../core/errors';
import type { KeychainBackend } from '../core/secrets/keychain';

/**
 * The OS keychain, reached only on first use: keytar is not even loaded for commands that need no secret,
 * so `user list` works on a machine (or over SSH) where no keychain does.
 */
export function lazyOsKeychain(): KeychainBackend {
  let backend: Promise<KeychainBackend> | undefined;
  const load = (): Promise<KeychainBackend> => (backend ??= loadKeytar());
  return {
    get: async (account) => (await load()).get(account),
    set: async (account, value) => (await load()).set(account, value),
    delete: async (account) => (await load()).delete(account),
  };
}

async function loadKeytar(): Promise<KeychainBackend> {
  try {
    const { createKeytarKeychain } = await import('../core/secrets/keytar-keychain');
    return createKeytarKeychain();
  } catch (error) {
    if (isScError(error)) throw error;
    // keytar itself failed to load (on Linux: libsecret missing); its message names the library, no secret.
    throw new ScError(
      'keychain-unavailable',
      `OS keychain unavailable: ${error instanceof Error ? error.message.split('\n')[0] : 'the keychain module could not be loaded'}`,
    );
  }
}
