import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_MAX_LENGTH } from '../../contract/domain';
import { validationError } from '../errors';
import { ARGON2_PARAMETERS } from './argon2-parameters';

/** argon2id with ARGON2_PARAMETERS; `needsRehash` says when a stored hash is weaker than those. */
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
