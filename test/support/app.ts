import { afterEach } from 'vitest';
import { ManualClock } from '../../main/core/clock';
import { createAppCore, type AppCore, type AppCoreOptions } from '../../main/core/app-core';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import type { NewUserInput, TwoFactorPolicy } from '../../main/contract/domain';
import { startTestEmulator, type TestEmulator } from './emulator';
import { tempDir } from './temp-dir';

export const PASSWORD = 'correct horse battery staple';

export interface LoginFixture {
  core: AppCore;
  clock: ManualClock;
  emulator: TestEmulator;
  dataDir: string;
  keychain: InMemoryKeychain;
  /** Closes the core and builds a new one on the same data dir (an app restart). */
  restart(): AppCore;
  addUser(input: Partial<NewUserInput> & { username: string }): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];

/**
 * A real app core over a temp SQLite file, wired to a Sinch emulator on 127.0.0.1 (signed auth, the secret
 * in an in-memory keychain), with 2FA on by default and a manual clock shared with the emulator.
 */
export async function loginFixture(
  options: { twoFactor?: Partial<TwoFactorPolicy>; core?: Partial<AppCoreOptions> } = {},
): Promise<LoginFixture> {
  const clock = new ManualClock();
  const emulator = await startTestEmulator({ clock });
  const dataDir = tempDir('sc-auth-');
  const keychain = new InMemoryKeychain();
  const build = () => createAppCore({ dataDir, clock, keychain, sinchTimeoutMs: 2_000, ...options.core });
  let core = build();
  core.policy.set(
    {
      sinch: emulator.settings('signed'),
      twoFactor: { enabled: true, fallbackMethod: 'email', ...options.twoFactor },
    },
    'test',
  );
  // After the endpoint: a secret is bound to the endpoint origin it is entered for.
  await core.secrets.set({ name: 'sinch-verification-api', ...emulator.credentials }, 'test');
  const fixture: LoginFixture = {
    get core() {
      return core;
    },
    clock,
    emulator,
    dataDir,
    keychain,
    restart() {
      core.close();
      core = build();
      return core;
    },
    async addUser(input) {
      await core.users.create({ password: PASSWORD, ...input }, 'test');
    },
  };
  cleanups.push(async () => {
    core.close();
    await emulator.close();
  });
  return fixture;
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
