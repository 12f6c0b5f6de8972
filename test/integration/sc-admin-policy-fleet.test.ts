/**
 * sc-admin and the managed policy: `policy show` names each value's source, `policy set` refuses a
 * managed field (exit 2, says why), `policy export` / `policy import` carry the whole policy as the same
 * document a managed policy is, and export → import → managed gives the same policy in force.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../main/core/create-core';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { scAdminInProcess } from '../support/cli-in-process';
import { managedSource, writeManagedPolicy } from '../support/managed-policy';
import { tempDir } from '../support/temp-dir';

function dataDirWith(setUp?: (core: ReturnType<typeof createCore>) => void): string {
  const dir = tempDir();
  const core = createCore({ dataDir: dir, keychain: new InMemoryKeychain() });
  setUp?.(core);
  core.close();
  return dir;
}

describe('sc-admin policy with a managed policy', () => {
  it('policy show marks each value default, local or managed, and names the managed file', async () => {
    const dir = dataDirWith((core) => core.policy.set({ twoFactor: { validMinutes: 9 } }, 'test'));
    const file = writeManagedPolicy({ version: 1, twoFactor: { maxAttempts: 4 } });
    const source = managedSource(file);
    const human = await scAdminInProcess(['--data-dir', dir, 'policy', 'show'], { managedPolicy: source });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Maximum attempts for 2FA: +4 +\[managed\]/);
    expect(human.stdout).toMatch(/Verification code valid for: +9 min +\[local\]/);
    expect(human.stdout).toMatch(/Locked for: +30 min +\[default\]/);
    expect(human.stdout).toContain(`Managed by your organisation: ${file}`);

    const json = await scAdminInProcess(['--data-dir', dir, '--json', 'policy', 'show'], {
      managedPolicy: source,
    });
    expect(JSON.parse(json.stdout)).toMatchObject({
      twoFactor: { maxAttempts: 4, validMinutes: 9 },
      sources: {
        managedSource: file,
        fields: { 'twoFactor.maxAttempts': 'managed', 'twoFactor.validMinutes': 'local' },
      },
    });
  });

  it('policy set on a managed field exits 2, says why, and writes nothing, even with the same value', async () => {
    const dir = dataDirWith();
    const file = writeManagedPolicy({ version: 1, twoFactor: { maxAttempts: 4 } });
    for (const value of ['5', '4']) {
      const result = await scAdminInProcess(
        ['--data-dir', dir, 'policy', 'set', '--max-attempts', value, '--valid-minutes', '8'],
        { managedPolicy: managedSource(file) },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `sc-admin: --max-attempts (twoFactor.maxAttempts) is managed by your organisation (${file}) and cannot be changed on this computer.\n`,
      );
    }
    const core = createCore({ dataDir: dir, keychain: new InMemoryKeychain() });
    expect(core.policy.get().twoFactor.validMinutes).toBe(5);
    core.close();
    const local = await scAdminInProcess(['--data-dir', dir, 'policy', 'set', '--valid-minutes', '8'], {
      managedPolicy: managedSource(file),
    });
    expect(local.code).toBe(0);
  });

  it('a refused managed policy stops every command with exit 1 and the reason', async () => {
    const dir = dataDirWith();
    const file = writeManagedPolicy({ version: 1, twoFactor: { maxAttempts: 99 } });
    const result = await scAdminInProcess(['--data-dir', dir, 'policy', 'show'], {
      managedPolicy: managedSource(file),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `sc-admin: The managed policy ${file} is refused: twoFactor.maxAttempts:`,
    );
    expect(result.stdout).toBe('');
  });
});

describe('sc-admin policy export / import', () => {
  it('export → import → managed: the same policy in force every way', async () => {
    const configured = dataDirWith((core) =>
      core.policy.set(
        {
          twoFactor: { enabled: true, primaryMethod: 'sms', fallbackMethod: 'email', maxAttempts: 5 },
          sinch: { authMethod: 'basic', emailSenderAddress: 'it@corp.example', emailSenderName: 'IT' },
          sso: {
            enabled: true,
            issuer: 'https://login.corp.example',
            clientId: 'system-configurator',
            usernameClaim: 'email',
          },
        },
        'test',
      ),
    );
    const exported = await scAdminInProcess(['--data-dir', configured, 'policy', 'export']);
    expect(exported.code).toBe(0);
    const document = JSON.parse(exported.stdout) as Record<string, unknown>;
    expect(document.version).toBe(1);
    const file = path.join(tempDir(), 'policy.json');
    fs.writeFileSync(file, exported.stdout);

    const imported = dataDirWith();
    const importResult = await scAdminInProcess(['--data-dir', imported, 'policy', 'import', file]);
    expect(importResult.code).toBe(0);

    const managedFile = writeManagedPolicy(document);
    const managed = dataDirWith();

    const effective = async (dir: string, managedPolicy?: { path: string }) => {
      const shown = await scAdminInProcess(
        ['--data-dir', dir, '--json', 'policy', 'show'],
        managedPolicy ? { managedPolicy } : {},
      );
      const { sources: _sources, ...policy } = JSON.parse(shown.stdout) as Record<string, unknown>;
      return policy;
    };
    const { version: _version, ...policyOnly } = document;
    expect(await effective(configured)).toEqual(policyOnly);
    expect(await effective(imported)).toEqual(policyOnly);
    expect(await effective(managed, managedSource(managedFile))).toEqual(policyOnly);

    // Importing the same document again changes nothing (no second audit entry).
    await scAdminInProcess(['--data-dir', imported, 'policy', 'import', file]);
    const core = createCore({ dataDir: imported, keychain: new InMemoryKeychain() });
    expect(core.audit.query({ action: 'policy.changed' }).entries).toHaveLength(1);
    core.close();
  });

  it('import refuses a bad document with exit 2, the file and the reason, and writes nothing', async () => {
    const dir = dataDirWith();
    const cases: [string, RegExp][] = [
      ['{"version":1,"twoFactor":{"lockMinutes":0}}', /twoFactor\.lockMinutes: Lock for at least 1 minute/],
      ['{"version":1,"twoFactor":{"enabled":true},"secret":"x"}', /unknown field secret/],
      ['not json', /not valid JSON/],
    ];
    for (const [text, reason] of cases) {
      const file = path.join(tempDir(), 'policy.json');
      fs.writeFileSync(file, text);
      const result = await scAdminInProcess(['--data-dir', dir, 'policy', 'import', file]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).toContain(file);
    }
    const missing = await scAdminInProcess(['--data-dir', dir, 'policy', 'import', '/nonexistent/p.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const core = createCore({ dataDir: dir, keychain: new InMemoryKeychain() });
    expect(core.audit.query({ action: 'policy.changed' }).entries).toEqual([]);
    core.close();
  });
});
