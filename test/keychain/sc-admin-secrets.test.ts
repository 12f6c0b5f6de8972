/**
 * sc-admin's secret and verify-test commands with the real OS keychain (the gnome-keyring session that
 * `npm test` starts) and the Sinch emulator over HTTP on 127.0.0.1. sc-admin stores under the real service
 * "System Configurator", account "sinch-verification-api": the tests here run one after another and remove
 * the entry after each.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core/create-core';
import { databasePath } from '../../main/core/db/database';
import { KEYCHAIN_SERVICE, InMemoryKeychain } from '../../main/core/secrets/keychain';
import type { KeytarApi } from '../../main/core/secrets/keytar-keychain';
import { SINCH_SECRET_NAME } from '../../main/core/secrets/secret-store';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { databaseDigest, scAdmin, spawnScAdmin, type CliResult } from '../support/sc-admin';
import { tempDir } from '../support/temp-dir';
import { requireKeychainSession } from './fixtures/keychain-session';

const keytar = createRequire(import.meta.url)('keytar') as KeytarApi;

const DEFAULT_SECRET = 'cHJvdmlzaW9uZWQtZGVmYXVsdC1zZWNyZXQ='; // provisioned-default-secret
const OWN_SECRET = 'YWRtaW5zLW93bi1zZWNyZXQtdmFsdWU='; // admins-own-secret-value

let emulator: TestEmulator | undefined;

beforeEach(async () => {
  requireKeychainSession();
  await keytar.deletePassword(KEYCHAIN_SERVICE, SINCH_SECRET_NAME);
});
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  // Outside the test session this would be the developer's own keychain: leave it alone.
  if (process.env['SC_KEYCHAIN_TESTS'] === '1')
    await keytar.deletePassword(KEYCHAIN_SERVICE, SINCH_SECRET_NAME);
});

function ok(result: CliResult): string {
  expect(result.stderr, result.stdout).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

/** Every file of the data dir's database, as one buffer, to look for leaked values. */
function databaseBytes(dataDir: string): Buffer {
  const file = databasePath(dataDir);
  return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

function auditOf(dataDir: string) {
  const core = createCore({ dataDir, keychain: new InMemoryKeychain() });
  try {
    return core.audit.query({ limit: 500 }).entries;
  } finally {
    core.close();
  }
}

describe('sc-admin secret (real OS keychain)', () => {
  it('set reads the secret from stdin into the keychain; list shows it is set, never the value', async () => {
    const dir = tempDir();
    const set = await scAdmin(
      ['--data-dir', dir, 'secret', 'set', SINCH_SECRET_NAME, '--auth-id', 'app-key-1'],
      {
        stdin: `${OWN_SECRET}\n`,
      },
    );
    expect(ok(set)).toBe(`Stored the own "${SINCH_SECRET_NAME}" secret in the OS keychain.\n`);
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, SINCH_SECRET_NAME)).toBe(OWN_SECRET);

    const [human, machine] = await Promise.all([
      scAdmin(['--data-dir', dir, 'secret', 'list']),
      scAdmin(['--data-dir', dir, 'secret', 'list', '--json']),
    ]);
    expect(ok(human)).toMatch(
      new RegExp(`^${SINCH_SECRET_NAME}\\s+set\\s+app-key-1\\s+own\\s+sc-admin\\s+\\d{4}-`, 'm'),
    );
    expect(JSON.parse(ok(machine))).toEqual([
      {
        name: SINCH_SECRET_NAME,
        set: true,
        info: {
          name: SINCH_SECRET_NAME,
          authId: 'app-key-1',
          boundTo: 'https://verification.api.sinch.com',
          usableAtEndpoint: true,
          isDefault: false,
          setBy: 'sc-admin',
          updatedAt: expect.any(Number),
        },
      },
    ]);
    for (const output of [set.stdout, human.stdout, machine.stdout]) expect(output).not.toContain(OWN_SECRET);

    expect(auditOf(dir).map((e) => [e.actor, e.action, e.target])).toEqual([
      ['sc-admin', 'secret.set', SINCH_SECRET_NAME],
    ]);
    expect(databaseBytes(dir).includes(Buffer.from(OWN_SECRET))).toBe(false);
  });

  it('--default installs a provisioned default; an own secret replaces it; a default never replaces an own one', async () => {
    const dir = tempDir();
    const run = (args: string[], stdin?: string) =>
      scAdmin(['--data-dir', dir, 'secret', ...args], stdin === undefined ? {} : { stdin });

    expect(
      ok(
        await run(['set', SINCH_SECRET_NAME, '--auth-id', 'default-key', '--default'], `${DEFAULT_SECRET}\n`),
      ),
    ).toBe(`Stored the provisioned default "${SINCH_SECRET_NAME}" secret in the OS keychain.\n`);
    expect(ok(await run(['list']))).toMatch(/default-key\s+provisioned default\s+sc-admin/);

    expect(ok(await run(['set', SINCH_SECRET_NAME, '--auth-id', 'own-key'], `${OWN_SECRET}\n`))).toBe(
      `Stored the own "${SINCH_SECRET_NAME}" secret in the OS keychain. It replaces the provisioned default.\n`,
    );
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, SINCH_SECRET_NAME)).toBe(OWN_SECRET);
    expect(ok(await run(['list']))).toMatch(/own-key\s+own\s+sc-admin/);

    const before = databaseDigest(dir);
    const refused = await run(
      ['set', SINCH_SECRET_NAME, '--auth-id', 'default-key', '--default'],
      `${DEFAULT_SECRET}\n`,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^sc-admin: an administrator's own "sinch-verification-api" secret is set; a provisioned default does not replace it/,
    );
    expect(databaseDigest(dir)).toEqual(before);
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, SINCH_SECRET_NAME)).toBe(OWN_SECRET);

    const details = auditOf(dir)
      .filter((e) => e.action === 'secret.set')
      .map((e) => e.details);
    expect(details).toEqual([
      {
        authId: 'own-key',
        boundTo: 'https://verification.api.sinch.com',
        kind: 'own',
        replaced: 'provisioned default',
      },
      {
        authId: 'default-key',
        boundTo: 'https://verification.api.sinch.com',
        kind: 'provisioned default',
        replaced: 'none',
      },
    ]);
  });

  it('delete removes the secret from the keychain and prints what is in force now', async () => {
    const dir = tempDir();
    ok(
      await scAdmin(['--data-dir', dir, 'secret', 'set', SINCH_SECRET_NAME, '--auth-id', 'own-key'], {
        stdin: `${OWN_SECRET}\n`,
      }),
    );

    const deleted = ok(await scAdmin(['--data-dir', dir, 'secret', 'delete', SINCH_SECRET_NAME]));
    expect(deleted).toBe(
      `Your own "${SINCH_SECRET_NAME}" secret was deleted. No secret is set now (a provisioned default it replaced is not restored): verification codes cannot be sent until one is set.\n`,
    );
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, SINCH_SECRET_NAME)).toBeNull();

    const [again, listed] = await Promise.all([
      scAdmin(['--data-dir', dir, 'secret', 'delete', SINCH_SECRET_NAME, '--json']),
      scAdmin(['--data-dir', dir, 'secret', 'list']),
    ]);
    expect(JSON.parse(ok(again))).toEqual({
      deleted: false,
      message: `No "${SINCH_SECRET_NAME}" secret was set; nothing changed.`,
    });
    expect(ok(listed)).toMatch(new RegExp(`^${SINCH_SECRET_NAME}\\s+not set`, 'm'));
  });

  it('an empty stdin is refused before the keychain is touched', async () => {
    const dir = tempDir();
    const result = await scAdmin(['--data-dir', dir, 'secret', 'set', SINCH_SECRET_NAME, '--auth-id', 'k'], {
      stdin: '\n',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('sc-admin: no secret on stdin: pipe it in as one line\n');
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, SINCH_SECRET_NAME)).toBeNull();
  });
});

describe('sc-admin verify-test (real OS keychain, Sinch emulator over HTTP)', () => {
  /** A data dir whose policy points at the emulator and whose secret is in the keychain, set through sc-admin. */
  async function configured(auth: 'signed' | 'basic', secret?: string): Promise<string> {
    emulator = await startTestEmulator({ auth });
    const dir = tempDir();
    const setSecret = async () =>
      ok(
        await scAdmin(['--data-dir', dir, 'secret', 'set', SINCH_SECRET_NAME, '--auth-id', emulator!.key], {
          stdin: `${secret ?? emulator!.secret}\n`,
        }),
      );
    await setSecret(); // creates the database
    const moved = await scAdmin([
      '--data-dir',
      dir,
      'policy',
      'set',
      '--endpoint',
      emulator.url,
      '--auth',
      auth,
      '--email-sender-address',
      'noreply@sc.example',
    ]);
    expect(moved.code, moved.stderr).toBe(0);
    // Moving the endpoint leaves the secret behind, and sc-admin says so.
    expect(moved.stderr).toMatch(
      /secret was entered for https:\/\/verification\.api\.sinch\.com .*Enter it again/,
    );
    await setSecret(); // again: a secret is bound to the endpoint origin it was entered for
    return dir;
  }

  /** Runs verify-test, waits for "Code sent", feeds `answer(code)` to stdin and returns the result. */
  async function verifyTest(dir: string, to: string, answer: (code: string) => string, extra: string[] = []) {
    const running = spawnScAdmin(['--data-dir', dir, 'verify-test', '--to', to, ...extra]);
    const sent = await running.waitForStdout(/Code sent to|"event":"sent"/);
    const code = emulator!.lastCodeFor(to);
    expect(code).toMatch(/^\d{6}$/);
    running.write(`${answer(code!)}\n`);
    running.end();
    return { sent, code: code!, result: await running.done };
  }

  it('SMS with a signed request: sends, reads the code from stdin, reports success, audits verify.test', async () => {
    const dir = await configured('signed');
    // Typed the way people paste it: "123 456".
    const { sent, code, result } = await verifyTest(
      dir,
      '+46700000000',
      (c) => `${c.slice(0, 3)} ${c.slice(3)}`,
    );
    expect(sent).toBe('Code sent to +46 •• ••• •• 00\n');
    expect(ok(result)).toBe(
      'Code sent to +46 •• ••• •• 00\nVerification successful: the Sinch settings and secret work.\n',
    );
    expect(result.stdout + result.stderr).not.toContain(code);
    expect(emulator!.stats().reports).toBe(1);

    const [entry] = auditOf(dir).filter((e) => e.action === 'verify.test');
    expect(entry).toMatchObject({
      actor: 'sc-admin',
      target: '+46 •• ••• •• 00',
      outcome: 'success',
      details: { method: 'sms', authMethod: 'signed', step: 'report', result: 'successful' },
    });
    const bytes = databaseBytes(dir);
    expect(bytes.includes(Buffer.from(emulator!.secret))).toBe(false);
    expect(bytes.includes(Buffer.from(`"${code}"`))).toBe(false);
  });

  it('e-mail with Basic auth and --json: one JSON line per event; a wrong code is reported as such, exit 1', async () => {
    const dir = await configured('basic');
    const { result } = await verifyTest(
      dir,
      'admin@example.com',
      (c) => (c === '111111' ? '222222' : '111111'),
      ['--json'],
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { event: 'sent', method: 'email', maskedDestination: 'a•••@example.com' },
      { event: 'reported', outcome: 'wrong-code', status: expect.any(String) },
    ]);
    const [entry] = auditOf(dir).filter((e) => e.action === 'verify.test');
    expect(entry).toMatchObject({ outcome: 'failure', details: { method: 'email', result: 'wrong-code' } });
  });

  it('a secret the provider rejects: exit 1 with the typed message, no secret in any output, audited as error', async () => {
    const wrongSecret = 'd3Jvbmctc2VjcmV0LXZhbHVlLTEyMzQ='; // wrong-secret-value-1234
    const dir = await configured('signed', wrongSecret);
    const result = await scAdmin(['--data-dir', dir, 'verify-test', '--to', '+46700000000']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^sc-admin: The verification service did not accept the configured Sinch key and secret/,
    );
    expect(result.stdout + result.stderr).not.toContain(wrongSecret);
    const [entry] = auditOf(dir).filter((e) => e.action === 'verify.test');
    expect(entry).toMatchObject({
      outcome: 'error',
      details: {
        step: 'start',
        error: 'verification-bad-credentials',
        httpStatus: 401,
        providerErrorCode: 40102,
      },
    });
  });
});
