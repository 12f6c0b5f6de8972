import { ManualClock } from '../../main/core/clock';
import { createCore, type Core, type CoreOptions } from '../../main/core/create-core';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { afterEach } from 'vitest';
import { tempDir } from './temp-dir';

const opened: Core[] = [];

/** A core over a real SQLite file in a temp dir, a manual clock and (unless given) an in-memory keychain. */
export function testCore(overrides: Partial<CoreOptions> = {}): Core & { clock: ManualClock } {
  const clock = overrides.clock instanceof ManualClock ? overrides.clock : new ManualClock();
  const core = createCore({ dataDir: tempDir(), keychain: new InMemoryKeychain(), ...overrides, clock });
  opened.push(core);
  return core as Core & { clock: ManualClock };
}

afterEach(() => {
  for (const core of opened.splice(0)) core.close();
});
