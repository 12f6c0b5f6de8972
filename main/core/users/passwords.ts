import { createHash } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_MAX_LENGTH } from '../../contract/domain';
import { validationError } from '../errors';
import { ARGON2_PARAMETERS } from './argon2-parameters';

/** argon2id with ARGON2_PARAMETERS; `needsRehash` says when a stored hash is weaker than those. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length > PASSWORD_MAX_LENGTH) throw validationError('password', 'Password is too long.');
  return hash(password, ARGON2_PARAMETERS);
}

/**
 * The same password hashed again with today's parameters, keeping the stored hash's salt: it stays the same
 * password to `passwordStamp`, so re-hashing at a log-on ends no session (a reset or a change draws a new salt).
 */
export async function rehashPassword(password: string, previous: string): Promise<string> {
  if (password.length > PASSWORD_MAX_LENGTH) throw validationError('password', 'Password is too long.');
  const salt = saltOf(previous);
  return hash(password, salt ? { ...ARGON2_PARAMETERS, salt } : ARGON2_PARAMETERS);
}

/**
 * Which password a stored hash is of: a digest of its salt, which every new password (set by an
 * administrator, or changed by its user) draws afresh and a re-hash keeps. A session remembers the stamp of
 * the password it was opened with; a different stamp now means the password was replaced. Not the hash.
 */
export function passwordStamp(phcHash: string): string {
  const salt = phcSaltField(phcHash) ?? phcHash;
  return createHash('sha256').update(salt).digest('base64url').slice(0, 22);
}

/** The salt field of a PHC string ($argon2id$v=19$m=…,t=…,p=…$SALT$HASH), or null. */
function phcSaltField(phcHash: string): string | null {
  const fields = phcHash.split('$');
  return fields.length >= 5 ? (fields[fields.length - 2] ?? null) : null;
}

/** The salt's bytes (argon2 needs at least 8), or null when the stored hash has none to reuse. */
function saltOf(phcHash: string): Uint8Array | null {
  const field = phcSaltField(phcHash);
  if (!field || !/^[A-Za-z0-9+/]+$/.test(field)) return null;
  const bytes = Buffer.from(field, 'base64');
  return bytes.length >= 8 ? new Uint8Array(bytes) : null;
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
