/**
 * The managed policy: where it is looked for, which value wins, where each value comes from, what the
 * window's and sc-admin's changes may touch, and the document's content refusals.
 */
import { describe, expect, it } from 'vitest';
import { isScError } from '../../main/core/errors';
import { managedPolicySource } from '../../main/core/policy/managed-policy';
import { testCore } from '../support/core';
import { managedSource, writeManagedPolicy } from '../support/managed-policy';
import { tempDir } from '../support/temp-dir';

function refusalOf(run: () => unknown): { message: string; path: unknown; reason: unknown } {
  try {
    run();
  } catch (error) {
    if (isScError(error, 'managed-policy-refused')) {
      return { message: error.message, path: error.details.path, reason: error.details.reason };
    }
    throw error;
  }
  throw new Error('expected the managed policy to be refused');
}

describe('where the managed policy is looked for', () => {
  it('uses the place each OS reserves for administrators, and SC_MANAGED_POLICY over it', () => {
    expect(managedPolicySource('linux', {}).path).toBe('/etc/system-configurator/managed-policy.json');
    expect(managedPolicySource('darwin', {}).path).toBe(
      '/Library/Application Support/System Configurator/managed-policy.json',
    );
    expect(managedPolicySource('win32', { ProgramData: 'D:\\ProgramData' }).path).toBe(
      'D:\\ProgramData\\System Configurator\\managed-policy.json',
    );
    expect(managedPolicySource('win32', {}).path).toBe(
      'C:\\ProgramData\\System Configurator\\managed-policy.json',
    );
    expect(managedPolicySource('linux', { SC_MANAGED_POLICY: '/srv/p.json' })).toMatchObject({
      path: '/etc/system-configurator/managed-policy.json',
      whereAbsent: '/srv/p.json',
    });
  });

  it('SC_MANAGED_POLICY is read only where the OS location has no file: it cannot take the policy away', () => {
    const machine = writeManagedPolicy({ version: 1, twoFactor: { enabled: true } });
    const other = writeManagedPolicy({ version: 1, twoFactor: { enabled: false } });
    const absent = `${tempDir()}/none.json`;
    const withMachine = testCore({ managedPolicy: { ...managedSource(machine), whereAbsent: absent } });
    expect(withMachine.policy.sources().managedSource).toBe(machine);
    expect(withMachine.policy.get().twoFactor.enabled).toBe(true);
    const withOther = testCore({ managedPolicy: { ...managedSource(machine), whereAbsent: other } });
    expect(withOther.policy.get().twoFactor.enabled).toBe(true);
    const withoutMachine = testCore({ managedPolicy: { ...managedSource(absent), whereAbsent: other } });
    expect(withoutMachine.policy.sources().managedSource).toBe(other);
  });

  it('trusts only root as the owner by default', () => {
    expect(managedPolicySource('linux', {}).trustedOwnerUid).toBeUndefined();
  });
});

describe('precedence: managed over local over default', () => {
  it('a field the managed policy sets wins over the database; the fields it leaves out stay local', () => {
    const dataDir = tempDir();
    const local = testCore({ dataDir });
    local.policy.set({ twoFactor: { maxAttempts: 7, validMinutes: 9 } }, 'admin');
    local.close();

    const file = writeManagedPolicy({ version: 1, twoFactor: { enabled: true, maxAttempts: 4 } });
    const core = testCore({ dataDir, managedPolicy: managedSource(file) });
    expect(core.policy.get().twoFactor).toMatchObject({
      enabled: true, // managed
      maxAttempts: 4, // managed over local 7
      validMinutes: 9, // local
      lockMinutes: 30, // default
    });
    expect(core.policy.sources()).toMatchObject({
      managedSource: file,
      fields: {
        'twoFactor.enabled': 'managed',
        'twoFactor.maxAttempts': 'managed',
        'twoFactor.validMinutes': 'local',
        'twoFactor.lockMinutes': 'default',
        'sinch.endpoint': 'default',
      },
    });
  });

  it('without a managed policy file every value is local or default and no source is named', () => {
    const core = testCore({ managedPolicy: managedSource(`${tempDir()}/missing.json`) });
    core.policy.set({ sinch: { authMethod: 'basic' } }, 'admin');
    const sources = core.policy.sources();
    expect(sources.managedSource).toBeNull();
    expect(sources.fields['sinch.authMethod']).toBe('local');
    expect(Object.values(sources.fields).filter((s) => s === 'managed')).toEqual([]);
  });

  it('refuses a change to a managed field and names the file; leaves the database as it was', () => {
    const file = writeManagedPolicy({ version: 1, twoFactor: { maxAttempts: 4 } });
    const core = testCore({ managedPolicy: managedSource(file) });
    let refused: unknown;
    try {
      core.policy.set({ twoFactor: { maxAttempts: 10, validMinutes: 8 } }, 'admin');
    } catch (error) {
      refused = error;
    }
    expect(isScError(refused, 'managed-by-organisation')).toBe(true);
    expect((refused as Error).message).toContain(file);
    expect((refused as { details: { field: string } }).details.field).toBe('twoFactor.maxAttempts');
    expect(core.policy.get().twoFactor.validMinutes).toBe(5);
    expect(core.audit.query({ action: 'policy.changed' }).entries).toEqual([]);
  });

  it('accepts a whole-form save that repeats a managed value unchanged, and changes the local fields', () => {
    const file = writeManagedPolicy({ version: 1, twoFactor: { maxAttempts: 4 } });
    const core = testCore({ managedPolicy: managedSource(file) });
    const saved = core.policy.set(
      { twoFactor: { ...core.policy.get().twoFactor, lockMinutes: 45 } },
      'admin',
    );
    expect(saved.twoFactor).toMatchObject({ maxAttempts: 4, lockMinutes: 45 });
  });

  it('checks the rules between fields on the policy in force, managed and local together', () => {
    const file = writeManagedPolicy({ version: 1, twoFactor: { primaryMethod: 'email' } });
    const core = testCore({ managedPolicy: managedSource(file) });
    // Locally (primary sms) a fallback of email is fine; in force the primary is email, so it is refused.
    expect(() => core.policy.set({ twoFactor: { fallbackMethod: 'email' } }, 'admin')).toThrow(
      /fallback method must differ/,
    );
    expect(core.policy.get().twoFactor.fallbackMethod).toBe('none');
    // 2FA on with e-mail in force needs the sender address, though the local primary is SMS.
    expect(() => core.policy.set({ twoFactor: { enabled: true } }, 'admin')).toThrow(/e-mail sender address/);
  });
});

describe('refusals of the document (the app does not start on it)', () => {
  const cases: { name: string; raw?: string; document?: unknown; reason: RegExp }[] = [
    { name: 'not JSON', raw: '{ "version": 1, twoFactor: }', reason: /not valid JSON/ },
    { name: 'no version', document: { twoFactor: { enabled: true } }, reason: /"version": 1/ },
    { name: 'a future version', document: { version: 2 }, reason: /"version": 1/ },
    {
      name: 'an out-of-range value',
      document: { version: 1, twoFactor: { maxAttempts: 11 } },
      reason: /twoFactor\.maxAttempts: Allow at most 10 attempts/,
    },
    {
      name: 'a value of the wrong type',
      document: { version: 1, twoFactor: { enabled: 'yes' } },
      reason: /twoFactor\.enabled/,
    },
    {
      name: 'an unknown field in a block',
      document: { version: 1, twoFactor: { maxAttempt: 3 } },
      reason: /unknown field twoFactor\.maxAttempt/,
    },
    {
      name: 'an unknown block',
      document: { version: 1, secrets: { sinch: 'x' } },
      reason: /unknown field secrets/,
    },
    {
      name: 'an http endpoint that is not loopback',
      document: { version: 1, sinch: { endpoint: 'http://verification.api.sinch.com' } },
      reason: /sinch\.endpoint: The endpoint must be an https/,
    },
    {
      name: 'managed fields that contradict each other',
      document: { version: 1, twoFactor: { primaryMethod: 'sms', fallbackMethod: 'sms' } },
      reason: /fallback method must differ/,
    },
  ];
  for (const { name, raw, document, reason } of cases) {
    it(`refuses ${name}, saying what and where, and audits it`, () => {
      const file = writeManagedPolicy(document, raw !== undefined ? { raw } : {});
      const dataDir = tempDir();
      const refusal = refusalOf(() => testCore({ dataDir, managedPolicy: managedSource(file) }));
      expect(refusal.message).toContain(file);
      expect(refusal.message).toMatch(reason);
      expect(refusal.path).toBe(file);
      const audit = testCore({ dataDir }).audit.query({ action: 'policy.managedRefused' }).entries;
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: 'system', target: file, outcome: 'failure' });
      expect(String(audit[0]!.details.reason)).toMatch(reason);
    });
  }

  it('refuses a managed field that conflicts with the local settings, never dropping either', () => {
    const dataDir = tempDir();
    const local = testCore({ dataDir });
    local.policy.set({ twoFactor: { fallbackMethod: 'email' } }, 'admin');
    local.close();
    const file = writeManagedPolicy({ version: 1, twoFactor: { primaryMethod: 'email' } });
    const refusal = refusalOf(() => testCore({ dataDir, managedPolicy: managedSource(file) }));
    expect(refusal.message).toMatch(/with this computer's settings, twoFactor\.fallbackMethod/);
  });
});
