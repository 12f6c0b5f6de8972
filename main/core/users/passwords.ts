import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_MAX_LENGTH } from '../../contract/domain';
import { validationError } from '../errors';

// Algorithm.Argon2id; the package's const enum cannot be imported under isolatedModules.
const ARGON2ID = 2;

/**
 * argon2id with OWASP's parameters (19 MiB, t=2, p=1). The PHC string stored for each user carries its
 * own parameters ($argon2id$v=19$m=19456,t=2,p=1$...), so they can be raised later and old hashes still
 * verify; `needsRehash` says when a stored hash is weaker than today's parameters.
 */
export const ARGON2_PARAMETERS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export async function hashPassword(password: string): Promise<string> {
  if (password.length > PASSWORD_MAX_LENGTH) throw validationError('password', 'Password is too long.');
  return hash(password, ARGON2_PARAMETERS);
}

/** A password longer than any allowed is wrong without hashing it (argon2 would spend time on it). */
export async function verifyPassword(phcHash: string, password: string): Promise<boolean> {
  if (password.length > PASSWORD_MAX_LENGTH) return false;
  try {
    return await verify(phcHash, password);
  } catch {
    return false;
  }
}

export function needsRehash(phcHash: string): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phcHash);
  if (!match) return true;
  const [m, t] = [Number(match[1]), Number(match[2])];
  return m < ARGON2_PARAMETERS.memoryCost || t < ARGON2_PARAMETERS.timeCost;
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as checking a real password, for unknown or password-less accounts, so that
 * response time does not tell which usernames exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('not-a-real-password-' + Math.random().toString(36));
  await verifyPassword(await dummyHash, password);
  return false;
}
