/**
 * What the gateway says about the calls it refuses or that fail, and what a window's call may not decide
 * for itself. The log gets safe facts that diagnose (the channel when it has the form of ours, why it was
 * refused, the foreign origin, an exception's class), never the payload, never a name an attacker made up
 * (it could forge log lines), never an exception's message; the window gets only the contract's errors.
 */
import { describe, expect, it, vi } from 'vitest';
import type { LogFields } from '../../main/core/log-line';
import { createGateway } from '../../main/gateway/gateway';
import {
  ADMIN_PASSWORD,
  APP_ORIGIN,
  forbiddenVerifier,
  gatewayFixture,
  seedAccounts,
} from '../support/gateway-fixture';

const EVIL = 'https://evil.example';

async function loggedGateway() {
  const f = await gatewayFixture({ verifier: forbiddenVerifier() });
  const lines: [string, LogFields | undefined][] = [];
  const gateway = createGateway(f.core, {
    appOrigin: APP_ORIGIN,
    log: (event, fields) => lines.push([event, fields]),
  });
  const send = (
    clientId: string,
    channel: string,
    payload?: unknown,
    sender: { origin?: string; isMainFrame?: boolean } = {},
  ) => gateway.invoke({ clientId, origin: APP_ORIGIN, isMainFrame: true, ...sender }, channel, payload);
  return { f, lines, send };
}

describe('the gateway log', () => {
  it('names the channel, the reason and a foreign origin of a refused sender, never the payload', async () => {
    const { lines, send } = await loggedGateway();
    const payload = { username: 'admin', password: ADMIN_PASSWORD };
    expect(await send('w', 'sc:auth:logOn', payload, { origin: EVIL })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'This window may not talk to System Configurator.' },
    });
    await send('w', 'sc:auth:logOn', payload, { origin: EVIL, isMainFrame: false });
    await send('w', 'sc:auth:logOn', payload, { isMainFrame: false });
    expect(lines).toEqual([
      ['gateway.refused', { channel: 'sc:auth:logOn', reason: 'origin', origin: EVIL }],
      ['gateway.refused', { channel: 'sc:auth:logOn', reason: 'sub-frame', origin: undefined }],
      ['gateway.refused', { channel: 'sc:auth:logOn', reason: 'sub-frame', origin: undefined }],
    ]);
    expect(JSON.stringify(lines)).not.toContain(ADMIN_PASSWORD);
  });

  it('logs a channel name only when it has the form of ours', async () => {
    const { lines, send } = await loggedGateway();
    const ours = ['sc:users:list', 'sc:auth:logOn'];
    const made_up = [
      'sc:users:list\nsc:forged:line',
      'x sc:users:list',
      'sc:users:list ',
      'SC:users:list',
      'sc:Users:list',
      'sc::list',
      'sc:users:',
      'sc:users:list-2',
      'sc:us3rs:list',
      '',
    ];
    for (const name of [...ours, ...made_up]) await send('w', name, undefined, { origin: EVIL });
    expect(lines.map(([, fields]) => fields?.channel)).toEqual([
      ...ours,
      ...made_up.map(() => '(unknown channel)'),
    ]);
  });

  it('an unknown channel from the app itself is refused without a log line or a handler', async () => {
    const { lines, send } = await loggedGateway();
    expect(await send('w', 'sc:users:drop', {})).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'Unknown request.' },
    });
    expect(lines).toEqual([]);
  });

  it('a call without the right session or role: the channel and the reason', async () => {
    const { f, lines, send } = await loggedGateway();
    const { reader } = await seedAccounts(f);
    expect(await send('nobody', 'sc:users:list')).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'Your session has ended. Log on again.' },
    });
    expect(await send(reader, 'sc:users:create', { username: 'x' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Only an administrator can do this.' },
    });
    expect(lines).toEqual([
      ['gateway.refused', { channel: 'sc:users:list', reason: 'unauthenticated' }],
      ['gateway.refused', { channel: 'sc:users:create', reason: 'forbidden' }],
    ]);
  });

  it('an invalid payload names the field it failed on, and logs nothing', async () => {
    const { f, lines, send } = await loggedGateway();
    const { admin } = await seedAccounts(f);
    const result = await send(admin, 'sc:users:get', { username: 42 });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', field: 'username' } });
    expect(lines).toEqual([]);
  });

  it('a result outside its contract: logged by channel, the window told only "internal"', async () => {
    const { f, lines, send } = await loggedGateway();
    const { admin } = await seedAccounts(f);
    vi.spyOn(f.core.policy, 'get').mockReturnValue({ twoFactor: 'not a policy' } as never);
    const result = await send(admin, 'sc:policy:get');
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(lines).toEqual([['gateway.result-outside-contract', { channel: 'sc:policy:get' }]]);
  });

  it('an unexpected exception: its class only in the log, never its message, and nothing of it in the window', async () => {
    const { f, lines, send } = await loggedGateway();
    const { admin } = await seedAccounts(f);
    const get = vi.spyOn(f.core.users, 'get');
    get.mockImplementationOnce(() => {
      throw new TypeError('detail with code 123456');
    });
    get.mockImplementationOnce(() => {
      throw 'a thrown string with code 654321';
    });
    const results = [
      await send(admin, 'sc:users:get', { username: 'reader' }),
      await send(admin, 'sc:users:get', { username: 'reader' }),
    ];
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
      expect(JSON.stringify(result)).not.toMatch(/detail|thrown|123456|654321/);
    }
    expect(lines).toEqual([
      ['gateway.failed', { channel: 'sc:users:get', error: 'TypeError' }],
      ['gateway.failed', { channel: 'sc:users:get', error: 'unknown error' }],
    ]);
  });

  it('a database the app cannot write to: the window is told so, the log has the error code', async () => {
    const { f, lines, send } = await loggedGateway();
    const { admin } = await seedAccounts(f);
    vi.spyOn(f.core.users, 'get').mockImplementation(() => {
      throw Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
    });
    const result = await send(admin, 'sc:users:get', { username: 'reader' });
    expect(result).toMatchObject({ ok: false, error: { code: 'database-not-writable' } });
    expect(lines).toEqual([
      ['gateway.failed', { channel: 'sc:users:get', errorCode: 'database-not-writable' }],
    ]);
  });
});

describe('what a window cannot decide', () => {
  it("a secret set from the window is the administrator's own, never a provisioned default", async () => {
    const { f, send } = await loggedGateway();
    const { admin } = await seedAccounts(f);
    const secret = { name: 'sinch-verification-api', authId: 'app-key-1', secret: 'c2VjcmV0LXZhbHVl' };
    expect(await send(admin, 'sc:secrets:set', { ...secret, asDefault: true })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    expect(await send(admin, 'sc:secrets:set', secret)).toMatchObject({ ok: true });
    expect(f.core.secrets.info('sinch-verification-api')).toMatchObject({ isDefault: false });
    expect(f.core.audit.query({ action: 'secret.set' }).entries[0]?.details).toMatchObject({ kind: 'own' });
  });
});

describe('who the audit log names', () => {
  it("an administrator's change through a window is audited under the administrator's name", async () => {
    const { f, send } = await loggedGateway();
    const { admin } = await seedAccounts(f);
    await send(admin, 'sc:users:unlock', { username: 'reader' });
    expect(f.core.audit.query({ action: 'account.unlocked' }).entries).toMatchObject([
      { actor: 'admin', target: 'reader' },
    ]);
  });
});

describe('a window that closes', () => {
  it('ends its session and cancels its running export', async () => {
    const { f } = await loggedGateway();
    const { admin } = await seedAccounts(f);
    const job = await f.ok<{ id: string; state: string }>(admin, 'sc:audit:exportStart', {});
    expect(job.state).toBe('running');
    f.gateway.disconnect(admin);

    expect(f.core.auth.session(admin)).toBeNull();
    expect(await f.call(admin, 'sc:users:list')).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    await vi.waitFor(() => expect(f.core.exports.status(admin, job.id).state).not.toBe('running'));
    expect(f.core.exports.status(admin, job.id).state).toBe('cancelled');
  });
});
