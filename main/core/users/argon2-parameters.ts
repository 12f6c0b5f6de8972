// Algorithm.Argon2id; the package's const enum cannot be imported under isolatedModules.
const ARGON2ID = 2;

/**
 * argon2id with OWASP's parameters (19 MiB, t=2, p=1). The PHC string stored for each user carries its
 * own parameters ($argon2id$v=19$m=19456,t=2,p=1$...), so they can be raised later and old hashes still
 * verify. A module of its own so that the mutation run's Vitest config (and nothing else: no variable,
 * argument or setting reaches it) can swap in cheap parameters; test/security/password-hash pins these.
 */
export const ARGON2_PARAMETERS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;
