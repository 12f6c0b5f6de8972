/**
 * How the keytar backend turns what the platforms report into the typed "OS keychain unavailable: <reason>"
 * error, with a stand-in keytar (these run anywhere; the real keychain is in keytar-keychain.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ScError } from '../../main/core/errors';
import { createKeytarKeychain, probeKeychain, type KeytarApi } from '../../main/core/secrets/keytar-keychain';

/** A keytar whose calls do what the test says; it also has the findCredentials the backend must never call. */
function fakeKeytar(overrides: Partial<KeytarApi> = {}) {
  const entries = new Map<string, string>();
  const calls: string[] = [];
  const api: KeytarApi & { findCredentials(): Promise<never> } = {
    async getPassword(service, account) {
      calls.push('get');
      return entries.get(`${service}/${account}`) ?? null;
    },
    async setPassword(service, account, password) {
      calls.push('set');
      entries.set(`${service}/${account}`, password);
    },
    async deletePassword(service, account) {
      calls.push('delete');
      return entries.delete(`${service}/${account}`);
    },
    async findCredentials() {
      calls.push('findCredentials');
      throw new Error('findCredentials must never be called (it segfaults Node on a locked collection)');
    },
    ...overrides,
  };
  return { api, calls, entries, load: async () => api };
}

async function errorOf(promise: Promise<unknown>): Promise<ScError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScError);
  return error as ScError;
}

describe('keytar backend: typed errors', () => {
  it('a keytar module that cannot be loaded is keychain-unavailable, and is retried on the next call', async () => {
    let attempts = 0;
    const keychain = createKeytarKeychain({
      loadKeytar: async () => {
        attempts += 1;
        throw new Error('libsecret-1.so.0: cannot open shared object file: No such file or directory');
      },
    });
    const error = await errorOf(keychain.get('a'));
    expect(error.code).toBe('keychain-unavailable');
    expect(error.message).toBe(
      'OS keychain unavailable: the keytar native module could not be loaded (libsecret-1.so.0: cannot open shared object file: No such file or directory)',
    );
    expect(error.details).toMatchObject({ keychain: 'module-unavailable' });
    await errorOf(keychain.set('a', 'v'));
    expect(attempts).toBe(2);
  });

  it.each([
    ['Could not connect: No such file or directory', 'no-secret-service'],
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'no-secret-service'],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'no-secret-service'],
    ['Cannot create an item in a locked collection', 'locked'],
    ['User interaction is not allowed.', 'locked'],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'no-keyring'],
    ['The specified keychain could not be found.', 'no-keyring'],
    ['User canceled the operation.', 'access-denied'],
    ['Access is denied.', 'access-denied'],
    ['Did not receive a reply', 'timeout'],
    ['Something else entirely', 'error'],
  ])('"%s" is reported as %s', async (message, failure) => {
    const { load } = fakeKeytar({
      setPassword: async () => {
        throw new Error(message);
      },
    });
    const error = await errorOf(createKeytarKeychain({ loadKeytar: load }).set('a', 'the-secret'));
    expect(error.code).toBe('keychain-unavailable');
    expect(error.message).toMatch(/^OS keychain unavailable: .+/);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('the-secret');
    expect(error.details).toMatchObject({ keychain: failure, cause: message });
  });

  it('a keychain that does not answer times out with a typed error', async () => {
    const { load } = fakeKeytar({ getPassword: () => new Promise<never>(() => undefined) });
    const error = await errorOf(createKeytarKeychain({ loadKeytar: load, timeoutMs: 30 }).get('a'));
    expect(error.message).toBe(
      'OS keychain unavailable: the keychain did not answer within 30 ms (it may be waiting for an unlock prompt)',
    );
    expect(error.details).toMatchObject({ keychain: 'timeout' });
  });

  it('a set that cannot be read back (a locked Linux collection) is an error, not a silent loss', async () => {
    const { load } = fakeKeytar({ getPassword: async () => null });
    const error = await errorOf(createKeytarKeychain({ loadKeytar: load }).set('a', 'v'));
    expect(error.details).toMatchObject({ keychain: 'locked' });
    expect(error.message).toMatch(/accepted the secret but does not return it/);
  });

  it('a read of nothing checks that the keychain works before answering "no entry"', async () => {
    const locked = fakeKeytar({
      getPassword: async () => null,
      deletePassword: async () => false,
      setPassword: async () => {
        throw new Error('Cannot create an item in a locked collection');
      },
    });
    const keychain = createKeytarKeychain({ loadKeytar: locked.load });
    expect((await errorOf(keychain.get('a'))).details).toMatchObject({ keychain: 'locked' });
    expect((await errorOf(keychain.delete('a'))).details).toMatchObject({ keychain: 'locked' });

    const working = fakeKeytar();
    const healthy = createKeytarKeychain({ loadKeytar: working.load });
    expect(await healthy.get('a')).toBeNull();
    expect(await healthy.delete('a')).toBe(false);
    expect(working.entries.size).toBe(0); // the probe entries are gone
    expect(working.calls).not.toContain('findCredentials');
  });

  it('probeKeychain answers ok or the reason', async () => {
    expect(await probeKeychain({ loadKeytar: fakeKeytar().load })).toEqual({ ok: true });
    const { load } = fakeKeytar({
      setPassword: async () => {
        throw new Error('Could not connect: No such file or directory');
      },
    });
    expect(await probeKeychain({ loadKeytar: load })).toEqual({
      ok: false,
      failure: 'no-secret-service',
      reason:
        'no D-Bus session or Secret Service is reachable (on Linux, run a Secret Service such as gnome-keyring or KWallet in the desktop session): Could not connect: No such file or directory',
    });
  });
});
