/**
 * The machine-wide managed policy: a policy document an organisation puts in the place the OS reserves for
 * administrators (as Chrome, Edge and VS Code read theirs). It is trusted only when an administrator owns
 * it and nobody else can write it, and it is read whole or refused: never a silent fall-back to the local
 * settings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { policyDocumentSchema, type PolicyDocument } from '../../contract/domain';
import { ScError } from '../errors';

/** Where the managed policy is read from; `trustedOwnerUid` is the POSIX owner it must have (root). */
export interface ManagedPolicySource {
  path: string;
  /**
   * Read only when `path` has no file (SC_MANAGED_POLICY, for tests and staging): an environment
   * variable a local user can set must never take the machine's managed policy away.
   */
  whereAbsent?: string;
  trustedOwnerUid?: number;
  platform?: NodeJS.Platform;
}

export type ManagedPolicy =
  { state: 'absent'; path: string } | { state: 'active'; path: string; document: PolicyDocument };

/** A policy document is a few hundred bytes; anything near this is not one. */
export const MANAGED_POLICY_MAX_BYTES = 64 * 1024;

/**
 * The OS's managed location: %ProgramData%\System Configurator (Windows), /Library/Application Support
 * (macOS), /etc/system-configurator (Linux and the rest). SC_MANAGED_POLICY names the file to read where
 * that location has none (tests, staging).
 */
export function managedPolicySource(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): ManagedPolicySource {
  const override = env.SC_MANAGED_POLICY?.trim();
  const osSource = osManagedPolicySource(platform, env);
  return override ? { ...osSource, whereAbsent: path.resolve(override) } : osSource;
}

function osManagedPolicySource(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): ManagedPolicySource {
  switch (platform) {
    case 'win32':
      return {
        path: path.win32.join(
          env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData',
          'System Configurator',
          'managed-policy.json',
        ),
        platform,
      };
    case 'darwin':
      return {
        path: '/Library/Application Support/System Configurator/managed-policy.json',
        platform,
      };
    default:
      return { path: '/etc/system-configurator/managed-policy.json', platform };
  }
}

/** Reads and checks the managed policy; throws ScError('managed-policy-refused') saying what and where. */
export function readManagedPolicy(source: ManagedPolicySource): ManagedPolicy {
  const managed = readPolicyFile(source.path, source);
  if (managed.state === 'absent' && source.whereAbsent) return readPolicyFile(source.whereAbsent, source);
  return managed;
}

function readPolicyFile(file: string, source: ManagedPolicySource): ManagedPolicy {
  const refuse = (reason: string): never => {
    throw new ScError('managed-policy-refused', `The managed policy ${file} is refused: ${reason}`, {
      path: file,
      reason,
    });
  };
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent', path: file };
    return refuse(`it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  let text: string;
  try {
    // The checks look at the file that was opened, so it cannot be swapped between check and read.
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) refuse('it is not a regular file.');
    checkOwnership(stat, source, refuse);
    if (stat.size > MANAGED_POLICY_MAX_BYTES)
      refuse(`it is larger than ${MANAGED_POLICY_MAX_BYTES / 1024} KiB.`);
    const buffer = Buffer.alloc(MANAGED_POLICY_MAX_BYTES + 1);
    const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
    if (length > MANAGED_POLICY_MAX_BYTES)
      refuse(`it is larger than ${MANAGED_POLICY_MAX_BYTES / 1024} KiB.`);
    text = buffer.subarray(0, length).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
  const document = parsePolicyDocument(text);
  if (!document.ok) return refuse(document.reason);
  return { state: 'active', path: file, document: document.value };
}

/**
 * Who may write the file decides who sets the policy: root must own it and neither group nor others may
 * write it. Windows has no POSIX owner or modes in Node; there the installer restricts the folder's ACL
 * (docs/deployment.md) and this check cannot be made here.
 */
function checkOwnership(
  stat: fs.Stats,
  source: ManagedPolicySource,
  refuse: (reason: string) => never,
): void {
  if ((source.platform ?? process.platform) === 'win32') return;
  const owner = source.trustedOwnerUid ?? 0;
  if (stat.uid !== owner) {
    refuse(`it must be owned by root (uid ${owner}), and it is owned by uid ${stat.uid}.`);
  }
  if ((stat.mode & 0o022) !== 0) {
    refuse(
      `group or other users can write it (mode ${(stat.mode & 0o777).toString(8).padStart(3, '0')}); ` +
        'make it writable by its owner only (chmod 644).',
    );
  }
}

/** Parses a policy document (JSON text): the same answer for a managed file and `policy import`. */
export function parsePolicyDocument(
  text: string,
): { ok: true; value: PolicyDocument } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, reason: `it is not valid JSON (${(error as Error).message}).` };
  }
  const parsed = policyDocumentSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: describeIssue(parsed.error) };
  return { ok: true, value: parsed.data };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'it is not a valid policy document.';
  const at = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => (at ? `${at}.${key}` : key));
    return `unknown field${keys.length > 1 ? 's' : ''} ${keys.join(', ')}.`;
  }
  return at ? `${at}: ${issue.message}` : issue.message;
}
