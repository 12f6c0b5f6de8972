import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './temp-dir';

/**
 * Writes a managed policy file the way an administrator deploys it: owned by root (the tests run as
 * root), mode 644; `mode` and `raw` make the wrong kinds. Returns its path.
 */
export function writeManagedPolicy(
  document: unknown,
  options: { mode?: number; raw?: string; dir?: string } = {},
): string {
  const file = path.join(options.dir ?? tempDir('sc-managed-'), 'managed-policy.json');
  fs.writeFileSync(file, options.raw ?? JSON.stringify(document, null, 2));
  fs.chmodSync(file, options.mode ?? 0o644);
  return file;
}

const uid = process.getuid?.() ?? 0;

/**
 * The source for a file written by this test process. As root (CI here) the production rule applies
 * unchanged (root must own it); as another user, that user stands in for root.
 */
export function managedSource(file: string): { path: string; trustedOwnerUid?: number } {
  return uid === 0 ? { path: file } : { path: file, trustedOwnerUid: uid };
}

/** A uid that is not the trusted owner: another user as root, root otherwise. */
export const UNTRUSTED_UID = uid === 0 ? 1000 : 0;

/** Gives the file to UNTRUSTED_UID: chown as root, else a root-owned copy cannot be made, so use one. */
export function ownedByUntrustedUser(file: string): string {
  if (uid === 0) {
    fs.chownSync(file, UNTRUSTED_UID, UNTRUSTED_UID);
    return file;
  }
  // Not root: a file root already owns is one this user did not write (its content is never reached).
  return '/etc/passwd';
}
