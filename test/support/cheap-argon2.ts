/**
 * Setup file of the mutation run only (vitest.mutation.config.ts): argon2id at its cheapest, so a mutant's
 * tests spend their time on the logic under test rather than on 19 MiB hashes (70–80 ms each on a loaded
 * two-core machine, several per log-on). Hashing, verifying and `needsRehash` all read the same swapped
 * parameters, so the code paths are the ones shipped; the shipped values themselves are pinned by
 * test/security/password-hash.security.test.ts, which reads the real module. `npm test` never loads this.
 */
import { vi } from 'vitest';

vi.mock('../../main/core/users/argon2-parameters', async (importOriginal) => {
  const shipped = await importOriginal<typeof import('../../main/core/users/argon2-parameters')>();
  return {
    // t=2 keeps a weaker variant (t=1) for the re-hash tests; 8 KiB is argon2's minimum for p=1.
    ARGON2_PARAMETERS: { ...shipped.ARGON2_PARAMETERS, memoryCost: 8, timeCost: 2 },
  };
});
