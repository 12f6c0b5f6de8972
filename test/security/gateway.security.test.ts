/**
 * Guards the IPC gateway against callers that are not the app's own signed-in window: a page from another
 * origin, a sub-frame inside the app's window, a made-up channel, a window without a session, and a
 * read-only user reaching for an administrator's channel. Every refusal must leave everything unchanged.
 */
import { describe, expect, it, vi } from 'vitest';
import type { IpcResult } from '../../main/contract/errors';
import { allChannels, type AuthView } from '../../main/contract/ipc';
import { MINUTE } from '../../main/core/clock';
import { createGateway, type Sender } from '../../main/gateway/gateway';
import { handlersFor, type HandlerContext } from '../../main/gateway/handlers';
import { startTestEmulator } from '../support/emulator';
import { formatLogLine } from '../../main/core/log-line';
import {
  ADMIN_PASSWORD,
  APP_ORIGIN,
  VALID_PAYLOADS,
  validPayload,
  forbiddenVerifier,
  gatewayFixture,
  seedAccounts,
  type ContractChannel,
  type GatewayFixture,
} from '../support/gateway-fixture';

const FOREIGN_ORIGINS = [
  'https://evil.example',
  'file://',
  'null',
  'app://system-configurator.evil',
  'app://system-configurator:8080',
  'app://evil.system-configurator',
  'APP://SYSTEM-CONFIGURATOR',
  'app://system-configurator/',
  'http://localhost:5173',
  '',
];

const adminChannels = allChannels.filter((c) => c.access === 'admin');
const adminReadChannels = allChannels.filter((c) => c.access === 'admin-read');
const signedInChannels = allChannels.filter((c) => c.access !== 'anyone');

/** Everything a refused call could have changed: the database, the keychain, the windows' login states. */
async function world(f: GatewayFixture, clients: string[]) {
  return {
    database: f.databaseDigest(),
    keychain: await f.keychainDigest(),
    states: clients.map((client) => f.core.auth.state(client)),
  };
}

function expectRefused(result: IpcResult<unknown>, code: string, channel: string) {
  expect(result, channel).toEqual({ ok: false, error: { code, message: expect.any(String) } });
}

describe('gateway: only the app main frame of the app origin may call', () => {
  it('refuses every channel from a foreign origin with forbidden, and changes nothing', async () => {
    const verifier = forbiddenVerifier();
    const f = await gatewayFixture({ verifier });
    const { admin, reader } = await seedAccounts(f);
    const pushes: AuthView[] = [];
    f.gateway.onStatePush((_client, state) => pushes.push(state));
    const before = await world(f, [admin, reader]);

    for (const channel of allChannels) {
      for (const origin of FOREIGN_ORIGINS) {
        // The attacker rides on the administrator's own window id: only the origin gives it away.
        const result = await f.gateway.invoke(
          f.sender(admin, { origin }),
          channel.name,
          validPayload(channel.name),
        );
        expectRefused(result, 'forbidden', `${channel.name} from "${origin}"`);
      }
    }

    expect(await world(f, [admin, reader])).toEqual(before);
    expect(pushes).toEqual([]);
    expect(verifier.calls).toBe(0);
  });

  it('refuses every channel from a sub-frame of the app window with forbidden, and changes nothing', async () => {
    const verifier = forbiddenVerifier();
    const f = await gatewayFixture({ verifier });
    const { admin, reader } = await seedAccounts(f);
    const pushes: AuthView[] = [];
    f.gateway.onStatePush((_client, state) => pushes.push(state));
    const before = await world(f, [admin, reader]);

    for (const channel of allChannels) {
      for (const origin of [APP_ORIGIN, 'https://evil.example']) {
        const frame: Sender = f.sender(admin, { origin, isMainFrame: false });
        const result = await f.gateway.invoke(frame, channel.name, validPayload(channel.name));
        expectRefused(result, 'forbidden', `${channel.name} from a sub-frame of ${origin}`);
      }
    }

    expect(await world(f, [admin, reader])).toEqual(before);
    expect(pushes).toEqual([]);
    expect(verifier.calls).toBe(0);
  });

  it('refuses a channel name that is not in the contract, and changes nothing', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    const { admin } = await seedAccounts(f);
    const before = await world(f, [admin]);
    const unknown = [
      'sc:auth:nope',
      'sc:admin:users',
      'sc:users:delete',
      'sc:auth:state ',
      'SC:AUTH:STATE',
      'sc:auth:State',
      'sc:auth',
      'sc:auth:stateChanged',
      '',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'sc:__proto__:constructor',
      'auth.state',
    ];
    for (const name of unknown) {
      const result = await f.gateway.invoke(f.sender(admin), name, undefined);
      expectRefused(result, 'not-found', JSON.stringify(name));
    }
    expect(await world(f, [admin])).toEqual(before);
  });
});

describe('gateway: admin channels need an administrator session', () => {
  it('refuses every admin and session channel to a window without a session (unauthenticated), changing nothing', async () => {
    const verifier = forbiddenVerifier();
    const f = await gatewayFixture({ verifier });
    const { admin } = await seedAccounts(f);
    const stranger = 'stranger-window';
    const before = await world(f, [admin, stranger]);

    expect(signedInChannels.length).toBeGreaterThan(10);
    for (const channel of signedInChannels) {
      const result = await f.call(stranger, channel.name as ContractChannel, validPayload(channel.name));
      expectRefused(result, 'unauthenticated', channel.name);
    }

    expect(await world(f, [admin, stranger])).toEqual(before);
    expect(verifier.calls).toBe(0);
  });

  it('Test connection sends nothing for a call without a session even past the gateway (defence in depth)', async () => {
    const verifier = forbiddenVerifier();
    const f = await gatewayFixture({ verifier });
    await seedAccounts(f);
    const handlers = handlersFor(f.core) as Record<string, (payload: unknown, c: HandlerContext) => unknown>;
    const before = await world(f, ['stranger-window']);
    for (const name of ['sc:verify:testStart', 'sc:verify:testConfirm'] as const) {
      const context: HandlerContext = { clientId: 'stranger-window', session: null, actor: 'anonymous' };
      await expect(
        Promise.resolve().then(() => handlers[name]!(validPayload(name), context)),
      ).rejects.toMatchObject({ code: 'unauthenticated', message: 'Your session has ended. Log on again.' });
    }
    expect(await world(f, ['stranger-window'])).toEqual(before);
    expect(verifier.calls).toBe(0);
  });

  it('refuses a caller without the right session before looking at its payload', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    const { reader } = await seedAccounts(f);
    const malformed: unknown = JSON.parse(
      `{"username":42,"__proto__":{"isAdmin":true},"extra":"${'x'.repeat(10_000)}"}`,
    );
    for (const channel of signedInChannels) {
      expectRefused(
        await f.call('stranger-window', channel.name as ContractChannel, malformed),
        'unauthenticated',
        channel.name,
      );
    }
    for (const channel of adminChannels) {
      expectRefused(
        await f.call(reader, channel.name as ContractChannel, malformed),
        'forbidden',
        channel.name,
      );
    }
  });

  it('lets a read-only user read (admin-read) but refuses every admin channel (forbidden), changing nothing', async () => {
    const verifier = forbiddenVerifier();
    const f = await gatewayFixture({ verifier });
    const { admin, reader } = await seedAccounts(f);

    const jobs = exportJobs();
    for (const channel of adminReadChannels) {
      const result = await f.call(reader, channel.name as ContractChannel, jobs.payload(channel.name));
      expect(result.ok, `${channel.name}: ${JSON.stringify(result)}`).toBe(true);
      jobs.seen(result);
    }
    // Reading changes nothing except the audit line an export writes; take the picture after the reads.
    const before = await world(f, [admin, reader]);
    for (const channel of adminChannels) {
      const result = await f.call(reader, channel.name as ContractChannel, validPayload(channel.name));
      expectRefused(result, 'forbidden', channel.name);
    }
    expect(await world(f, [admin, reader])).toEqual(before);
    expect(verifier.calls).toBe(0);
    expect(await f.call(reader, 'sc:auth:activity')).toEqual({ ok: true, value: null });
  });

  it('lets an administrator use every admin-read and admin channel', async () => {
    const f = await gatewayFixture();
    const emulator = await startTestEmulator({ clock: f.clock });
    try {
      const { admin } = await seedAccounts(f);
      const mobile = '+46701234567';

      const jobs = exportJobs();
      for (const channel of adminReadChannels) {
        jobs.seen(await f.call(admin, channel.name as ContractChannel, jobs.payload(channel.name)));
      }
      expect(jobs.started).toBe(true);
      const done = new Set<string>();
      const ok = async (name: ContractChannel, payload: unknown) => {
        done.add(name);
        return f.ok(admin, name, payload);
      };
      await ok('sc:policy:set', { sinch: emulator.settings('signed') });
      await ok('sc:secrets:set', { name: 'sinch-verification-api', ...emulator.credentials });
      await ok('sc:users:update', { username: 'admin', patch: { mobile } });
      await ok('sc:users:create', VALID_PAYLOADS['sc:users:create']);
      await ok('sc:users:unlock', VALID_PAYLOADS['sc:users:unlock']);
      await ok('sc:users:setPassword', VALID_PAYLOADS['sc:users:setPassword']);
      await ok('sc:policy:set', {
        sso: { enabled: true, issuer: 'https://idp.example.com', clientId: 'sc' },
      });
      expect(await ok('sc:sso:link', VALID_PAYLOADS['sc:sso:link'])).toMatchObject({ username: 'reader' });
      expect(await ok('sc:sso:unlink', VALID_PAYLOADS['sc:sso:unlink'])).toMatchObject({
        username: 'reader',
      });
      await ok('sc:verify:testStart', { method: 'sms' });
      const confirmed = await ok('sc:verify:testConfirm', { code: emulator.lastCodeFor(mobile) });
      expect(confirmed).toMatchObject({ outcome: 'successful' });
      await ok('sc:secrets:delete', VALID_PAYLOADS['sc:secrets:delete']);
      expect([...done].sort()).toEqual(adminChannels.map((c) => c.name).sort());
    } finally {
      await emulator.close();
    }
  });

  it('refuses admin channels once the session is signed out or idle', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    const { admin, reader } = await seedAccounts(f);

    await f.ok(admin, 'sc:auth:signOut');
    expectRefused(await f.call(admin, 'sc:users:list'), 'unauthenticated', 'after sign-out');

    f.clock.advance(30 * MINUTE);
    expectRefused(await f.call(reader, 'sc:users:list'), 'unauthenticated', 'after the idle time-out');
    expect(f.core.audit.query({ action: 'logon.timeout' }).entries).toHaveLength(1);
  });

  it('gives no session to a window that passed the password but must still change it', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    const { admin } = await seedAccounts(f);
    await f.ok(admin, 'sc:users:create', {
      username: 'newadmin',
      password: ADMIN_PASSWORD,
      roles: ['administrator'],
      mustChangePassword: true,
    });
    const window = 'half-way-window';
    const view = await f.ok<AuthView>(window, 'sc:auth:logOn', {
      username: 'newadmin',
      password: ADMIN_PASSWORD,
    });
    expect(view.step).toBe('passwordChangeRequired');
    for (const channel of signedInChannels) {
      const result = await f.call(window, channel.name as ContractChannel, validPayload(channel.name));
      expectRefused(result, 'unauthenticated', channel.name);
    }
  });

  it('gives no session to a window that passed the password but not the verification code', async () => {
    const f = await gatewayFixture();
    const emulator = await startTestEmulator({ clock: f.clock });
    try {
      const { admin } = await seedAccounts(f);
      await f.ok(admin, 'sc:policy:set', { sinch: emulator.settings('signed') });
      await f.ok(admin, 'sc:secrets:set', { name: 'sinch-verification-api', ...emulator.credentials });
      await f.ok(admin, 'sc:users:update', { username: 'admin', patch: { mobile: '+46701234567' } });
      await f.ok(admin, 'sc:policy:set', { twoFactor: { enabled: true } });

      const window = 'half-way-window';
      const view = await f.ok<AuthView>(window, 'sc:auth:logOn', {
        username: 'admin',
        password: ADMIN_PASSWORD,
      });
      expect(view.step).toBe('awaitingCode');
      for (const channel of signedInChannels) {
        const result = await f.call(window, channel.name as ContractChannel, validPayload(channel.name));
        expectRefused(result, 'unauthenticated', channel.name);
      }
    } finally {
      await emulator.close();
    }
  });

  it('does not let first-run create a second administrator once one exists', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    await seedAccounts(f);
    const before = f.databaseDigest();
    const view = await f.ok<AuthView>(
      'stranger-window',
      'sc:auth:firstRun',
      VALID_PAYLOADS['sc:auth:firstRun'],
    );
    expect(view.error?.code).toBe('conflict');
    expect(f.databaseDigest()).toBe(before);
    await expect(
      f.ok('stranger-window', 'sc:auth:logOn', { username: 'mallory', password: 'mallory-Pa55word-x' }),
    ).resolves.toMatchObject({ step: 'signedOut', error: { code: 'invalid-credentials' } });
  });

  it('lets only one of several concurrent first-run calls create an administrator', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    await Promise.all(
      ['eve', 'mallory', 'trent'].map((username, i) =>
        f.call(`window-${i}`, 'sc:auth:firstRun', {
          username,
          password: ADMIN_PASSWORD,
          confirmPassword: ADMIN_PASSWORD,
        }),
      ),
    );
    expect(f.core.users.list().filter((u) => u.roles.includes('administrator'))).toHaveLength(1);
  });

  it('turns an unexpected failure into a plain internal error: no exception, message or path escapes', async () => {
    const lines: string[] = [];
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    const { admin } = await seedAccounts(f);
    const gateway = createGateway(f.core, {
      appOrigin: APP_ORIGIN,
      log: (event, fields) => lines.push(formatLogLine(event, fields)),
    });
    const boom = new Error(`SQLITE_CORRUPT at ${process.cwd()}/data/system-configurator.db`);
    vi.spyOn(f.core.auth, 'session').mockImplementationOnce(() => {
      throw boom;
    });
    vi.spyOn(f.core.users, 'page').mockImplementationOnce(() => {
      throw boom;
    });
    for (let i = 0; i < 2; i++) {
      const result = await gateway.invoke(f.sender(admin), 'sc:users:list', undefined);
      expectRefused(result, 'internal', `failure ${i + 1}`);
      expect(JSON.stringify(result)).not.toContain('SQLITE');
      expect(JSON.stringify(result)).not.toContain(process.cwd());
    }
    expect(lines.join('\n')).not.toContain(process.cwd());
  });
});

/** Export status and cancel need the id of an export that was started (by sc:audit:exportStart) earlier. */
function exportJobs() {
  let id: string | null = null;
  return {
    get started() {
      return id !== null;
    },
    payload(name: string): unknown {
      if (name === 'sc:audit:exportStatus' || name === 'sc:audit:exportCancel') return { id };
      return validPayload(name);
    },
    seen(result: { ok: boolean; value?: unknown }) {
      expect(result.ok, JSON.stringify(result)).toBe(true);
      const value = result.value as { id?: unknown; state?: unknown } | null | undefined;
      if (value && typeof value.id === 'string' && typeof value.state === 'string') id = value.id;
    },
  };
}
