/**
 * Who may set the managed policy: only an administrator (root owns the file, nobody else can write it).
 * A file another user could have written is refused whole, the start ends, and the refusal is audited:
 * a local user cannot switch two-factor authentication off by editing or replacing it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isScError } from '../../main/core/errors';
import { readManagedPolicy } from '../../main/core/policy/managed-policy';
import { testCore } from '../support/core';
import {
  UNTRUSTED_UID,
  managedSource,
  ownedByUntrustedUser,
  writeManagedPolicy,
} from '../support/managed-policy';
import { tempDir } from '../support/temp-dir';

const WEAKER = { version: 1, twoFactor: { enabled: false } };
const STRONGER = { version: 1, twoFactor: { enabled: true, maxAttempts: 3 } };

function refusalReason(file: string): string {
  try {
    readManagedPolicy(managedSource(file));
  } catch (error) {
    if (isScError(error, 'managed-policy-refused')) return String(error.details.reason);
    throw error;
  }
  throw new Error(`${file} was accepted`);
}

describe('managed policy: owner and permissions', () => {
  it('accepts a file root owns and only root can write (644), as deployed', () => {
    const file = writeManagedPolicy(STRONGER);
    expect(readManagedPolicy(managedSource(file))).toMatchObject({ state: 'active', path: file });
  });

  it('refuses a file owned by another user', () => {
    const file = ownedByUntrustedUser(writeManagedPolicy(WEAKER));
    expect(refusalReason(file)).toMatch(new RegExp(`must be owned by root .* owned by uid ${UNTRUSTED_UID}`));
  });

  for (const mode of [0o664, 0o646, 0o666, 0o622]) {
    it(`refuses a file group or others can write (mode ${mode.toString(8)})`, () => {
      const file = writeManagedPolicy(WEAKER, { mode });
      expect(refusalReason(file)).toMatch(
        new RegExp(`group or other users can write it \\(mode ${mode.toString(8)}\\)`),
      );
    });
  }

  it('refuses a folder in the file’s place', () => {
    const dir = path.join(tempDir(), 'managed-policy.json');
    fs.mkdirSync(dir, { mode: 0o755 });
    expect(refusalReason(dir)).toMatch(/not a regular file/);
  });

  it('judges the file a link leads to, not the link', () => {
    const target = writeManagedPolicy(WEAKER, { mode: 0o666 });
    const link = path.join(tempDir(), 'managed-policy.json');
    fs.symlinkSync(target, link);
    expect(refusalReason(link)).toMatch(/group or other users can write it/);
  });

  it('refuses a file too large to be a policy document, before parsing it', () => {
    const file = writeManagedPolicy(undefined, { raw: `{"version":1,"pad":"${'x'.repeat(70_000)}"}` });
    expect(refusalReason(file)).toMatch(/larger than 64 KiB/);
  });

  it('a refused file stops the start (no fall-back to the weaker local policy) and is audited', () => {
    const dataDir = tempDir();
    const file = writeManagedPolicy(WEAKER, { mode: 0o666 });
    expect(() => testCore({ dataDir, managedPolicy: managedSource(file) })).toThrow(/is refused/);
    const [entry] = testCore({ dataDir }).audit.query({ action: 'policy.managedRefused' }).entries;
    expect(entry).toMatchObject({ actor: 'system', target: file, outcome: 'failure' });
    expect(String(entry!.details.reason)).toMatch(/group or other users can write it/);
  });

  it('the same start after the administrator fixes the file runs with the managed values', () => {
    const dataDir = tempDir();
    const file = writeManagedPolicy(STRONGER, { mode: 0o666 });
    expect(() => testCore({ dataDir, managedPolicy: managedSource(file) })).toThrow(/is refused/);
    fs.chmodSync(file, 0o644);
    const core = testCore({ dataDir, managedPolicy: managedSource(file) });
    expect(core.policy.get().twoFactor.enabled).toBe(true);
  });
});
