/**
 * The OS keychain for real: keytar through libsecret to the gnome-keyring of the D-Bus session that
 * `npm test` (tools/test.sh) starts. Outside that session every test here fails with a message saying so.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/create-core';
import { ScError } from '../../main/core/errors';
import { KEYCHAIN_SERVICE } from '../../main/core/secrets/keychain';
import { createKeytarKeychain, probeKeychain, type KeytarApi } from '../../main/core/secrets/keytar-keychain';
import { SINCH_SECRET_NAME } from '../../main/core/secrets/secret-store';
import { tempDir } from '../support/temp-dir';
import {
  REPO_ROOT,
  childCommand,
  hasCommand,
  requireKeychainSession,
  resultsOf,
} from './fixtures/keychain-session';

// keytar straight, for what the app must survive: entries changed or deleted behind its back.
const keytar = createRequire(import.meta.url)('keytar') as KeytarApi;

beforeEach(requireKeychainSession);

/** A service name per test, so parallel test files never share an entry in the one keyring. */
function testService(): string {
  return `${KEYCHAIN_SERVICE} test ${randomUUID()}`;
}

describe('keytar keychain backend (real gnome-keyring)', () => {
  it('stores, reads and deletes a value under the service "System Configurator"', async () => {
    const keychain = createKeytarKeychain();
    const account = `sc-test-${randomUUID()}`;
    try {
      await keychain.set(account, 'första värdet ✓');
      expect(await keychain.get(account)).toBe('första värdet ✓');
      expect(await keytar.getPassword('System Configurator', account)).toBe('första värdet ✓');

      await keychain.set(account, 'second value');
      expect(await keychain.get(account)).toBe('second value');

      expect(await keychain.delete(account)).toBe(true);
      expect(await keychain.get(account)).toBeNull();
      expect(await keychain.delete(account)).toBe(false);
    } finally {
      await keytar.deletePassword(KEYCHAIN_SERVICE, account);
    }
  });

  it('keeps a 4096-character secret intact', async () => {
    const keychain = createKeytarKeychain({ service: testService() });
    const long = 'x'.repeat(4000) + randomUUID().slice(0, 36) + 'y'.repeat(60);
    await keychain.set('long', long);
    expect(await keychain.get('long')).toBe(long);
    expect(await keychain.delete('long')).toBe(true);
  });

  it('probeKeychain reports a working keychain', async () => {
    expect(await probeKeychain({ service: testService() })).toEqual({ ok: true });
  });
});

describe('SecretStore over the real keychain', () => {
  let core: Core;
  let service = '';
  let opened = false;

  beforeEach(() => {
    service = testService();
    core = createCore({ dataDir: tempDir(), keychain: createKeytarKeychain({ service, timeoutMs: 10_000 }) });
    opened = true;
  });
  afterEach(async () => {
    if (!opened) return; // the session check failed before anything was opened
    opened = false;
    core.close();
    await keytar.deletePassword(service, SINCH_SECRET_NAME);
  });

  const own = { name: SINCH_SECRET_NAME, authId: 'own-app-key', secret: 'own-secret-value' } as const;
  const provisioned = { ...own, authId: 'default-app-key', secret: 'provisioned-secret', asDefault: true };

  it("stores an administrator's own secret: the value in the keychain, metadata in SQLite", async () => {
    const info = await core.secrets.set(own, 'alice');
    expect(info).toMatchObject({
      name: SINCH_SECRET_NAME,
      authId: 'own-app-key',
      isDefault: false,
      setBy: 'alice',
    });
    expect(await keytar.getPassword(service, SINCH_SECRET_NAME)).toBe('own-secret-value');
    expect(await core.secrets.sinchCredentials()).toEqual({
      authId: 'own-app-key',
      secret: 'own-secret-value',
    });
  });

  it('an own secret replaces a provisioned default', async () => {
    expect((await core.secrets.set(provisioned, 'sc-admin')).isDefault).toBe(true);
    expect(await keytar.getPassword(service, SINCH_SECRET_NAME)).toBe('provisioned-secret');

    const info = await core.secrets.set(own, 'alice');
    expect(info.isDefault).toBe(false);
    expect(await keytar.getPassword(service, SINCH_SECRET_NAME)).toBe('own-secret-value');
    expect(await core.secrets.sinchCredentials()).toEqual({
      authId: 'own-app-key',
      secret: 'own-secret-value',
    });
  });

  it("a provisioned default does not replace an administrator's own secret", async () => {
    await core.secrets.set(own, 'alice');
    await expect(core.secrets.set(provisioned, 'sc-admin')).rejects.toMatchObject({ code: 'conflict' });
    expect(await keytar.getPassword(service, SINCH_SECRET_NAME)).toBe('own-secret-value');
    expect(core.secrets.info(SINCH_SECRET_NAME)).toMatchObject({ authId: 'own-app-key', isDefault: false });
  });

  it('deleting states what is in force now, and removes the keychain entry', async () => {
    await core.secrets.set(provisioned, 'sc-admin');
    await core.secrets.set(own, 'alice');
    const deletedOwn = await core.secrets.delete(SINCH_SECRET_NAME, 'alice');
    expect(deletedOwn.deleted).toBe(true);
    expect(deletedOwn.message).toMatch(
      /own .* deleted\. No secret is set now \(a provisioned default it replaced is not restored\)/,
    );
    expect(await keytar.getPassword(service, SINCH_SECRET_NAME)).toBeNull();
    expect(core.secrets.info(SINCH_SECRET_NAME)).toBeNull();

    await core.secrets.set(provisioned, 'sc-admin');
    const deletedDefault = await core.secrets.delete(SINCH_SECRET_NAME, 'alice');
    expect(deletedDefault.message).toMatch(/provisioned default .* deleted\. No secret is set now/);

    const nothing = await core.secrets.delete(SINCH_SECRET_NAME, 'alice');
    expect(nothing).toEqual({
      deleted: false,
      message: `No "${SINCH_SECRET_NAME}" secret was set; nothing changed.`,
    });
  });

  it('the database files never hold the secret value', async () => {
    const secret = `needle-${randomUUID()}`;
    await core.secrets.set({ ...own, secret }, 'alice');
    await core.secrets.set({ ...own, secret: `${secret}-2` }, 'alice');
    const bytesOfDataDir = (): Buffer =>
      Buffer.concat(
        fs.readdirSync(core.dataDir).flatMap((name) => {
          const file = path.join(core.dataDir, name);
          return fs.statSync(file).isFile() ? [fs.readFileSync(file)] : [];
        }),
      );
    const needles = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
    // While open (the WAL holds the latest pages) and after closing (checkpointed into the main file).
    for (const bytes of [bytesOfDataDir(), (core.close(), bytesOfDataDir())]) {
      expect(bytes.length).toBeGreaterThan(0);
      expect(bytes.includes(Buffer.from('own-app-key'))).toBe(true); // the metadata is there
      for (const needle of needles) expect(bytes.includes(needle)).toBe(false);
    }
  });

  it('sinchCredentials reads the keychain at call time', async () => {
    await core.secrets.set(own, 'alice');
    expect((await core.secrets.sinchCredentials()).secret).toBe('own-secret-value');
    await core.secrets.set({ ...own, secret: 'rotated-in-app' }, 'alice');
    expect((await core.secrets.sinchCredentials()).secret).toBe('rotated-in-app');
    await keytar.setPassword(service, SINCH_SECRET_NAME, 'rotated-outside-the-app');
    expect((await core.secrets.sinchCredentials()).secret).toBe('rotated-outside-the-app');
  });

  it("an entry deleted behind the app's back reads as secret-missing", async () => {
    await core.secrets.set(own, 'alice');
    expect(await keytar.deletePassword(service, SINCH_SECRET_NAME)).toBe(true);
    const error = await core.secrets.sinchCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScError);
    expect(error).toMatchObject({ code: 'secret-missing' });
    expect((error as ScError).message).toMatch(/missing from the OS keychain/);
  });
});

describe('keychain unavailable (child processes, so a crash cannot hide)', () => {
  it('no D-Bus session: a typed keychain-unavailable error, nothing written, no crash', () => {
    const dataDir = tempDir();
    const service = testService();
    const env = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(tempDir(), 'no-such-bus-socket')}`,
      SC_TEST_SECRET: 'never-stored-secret',
    };
    const results = ['set', 'read', 'delete', 'probe'].map((mode) => {
      const [command, ...args] = childCommand(mode, dataDir, service) as [string, ...string[]];
      const run = spawnSync(command, args, { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 20_000 });
      expect({ mode, status: run.status, signal: run.signal, stderr: run.stderr }).toMatchObject({
        mode,
        status: 0,
        signal: null,
      });
      const [result] = resultsOf(run);
      return result;
    });
    const [set, read, del, probe] = results;

    expect(set).toMatchObject({ outcome: 'error', code: 'keychain-unavailable', metadataRows: 0 });
    expect(set?.message).toMatch(/^OS keychain unavailable: no D-Bus session or Secret Service is reachable/);
    expect(set?.details).toMatchObject({ keychain: 'no-secret-service' });
    expect(set?.message).not.toContain('never-stored-secret');
    // Nothing set, so reading says "not set" without asking the keychain; delete must ask and fail.
    expect(read).toMatchObject({ outcome: 'error', code: 'secret-missing', metadataRows: 0 });
    expect(del).toMatchObject({ outcome: 'error', code: 'keychain-unavailable', metadataRows: 0 });
    expect(probe?.probe).toMatchObject({ ok: false, failure: 'no-secret-service' });
  });

  it('locked keyring: a typed keychain-unavailable error, the metadata kept, no segfault', () => {
    for (const tool of ['dbus-run-session', 'gnome-keyring-daemon', 'dbus-send']) {
      if (!hasCommand(tool)) {
        throw new Error(
          `Cannot lock a keyring here: "${tool}" is not installed (see .ci/run for the packages).`,
        );
      }
    }
    const root = tempDir('sc-locked-');
    const dataDir = path.join(root, 'sc-data');
    const service = testService();
    for (const dir of ['xdg-data', 'xdg-runtime']) fs.mkdirSync(path.join(root, dir), { mode: 0o700 });
    const child = (mode: string): string =>
      `${childCommand(mode, dataDir, service).map(shellQuote).join(' ')}; echo "EXIT ${mode} $?"`;
    // A session of its own (XDG_RUNTIME_DIR too: gnome-keyring finds an existing daemon through it, and must
    // not lock the keyring of the session the other tests use). Store with the keyring unlocked, then lock
    // the login collection over D-Bus, as the screen locker or `seahorse` would.
    const script = [
      'printf %s test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
      child('set'),
      'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets ' +
        'org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null' +
        '; echo "EXIT lock $?"',
      child('read'),
      child('set'),
      child('delete'),
      child('probe'),
    ].join('\n');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      XDG_DATA_HOME: path.join(root, 'xdg-data'),
      XDG_RUNTIME_DIR: path.join(root, 'xdg-runtime'),
      SC_TEST_SECRET: 'locked-away-secret',
    };
    // No display: an unlock prompt must fail at once, not wait for a person.
    delete env['DISPLAY'];
    delete env['WAYLAND_DISPLAY'];
    const run = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], {
      cwd: REPO_ROOT,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const exits = run.stdout.split('\n').filter((line) => line.startsWith('EXIT '));
    expect({ exits, stderr: run.stderr.slice(-2000) }).toMatchObject({
      exits: ['EXIT set 0', 'EXIT lock 0', 'EXIT read 0', 'EXIT set 0', 'EXIT delete 0', 'EXIT probe 0'],
    });
    const [stored, read, setLocked, deleteLocked, probe] = resultsOf(run);

    expect(stored).toMatchObject({ outcome: 'ok', metadataRows: 1 });
    // keytar reads a locked collection as "no such entry"; the backend must not call that "missing".
    expect(read).toMatchObject({
      outcome: 'error',
      code: 'keychain-unavailable',
      details: { keychain: 'locked' },
    });
    expect(read?.message).toMatch(/^OS keychain unavailable: the keychain is locked/);
    expect(setLocked).toMatchObject({
      outcome: 'error',
      code: 'keychain-unavailable',
      details: { keychain: 'locked' },
    });
    expect(deleteLocked).toMatchObject({ outcome: 'error', code: 'keychain-unavailable', metadataRows: 1 });
    expect(probe?.probe).toMatchObject({ ok: false, failure: 'locked' });
    expect(run.stdout + run.stderr).not.toContain('locked-away-secret');
  });
});

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
