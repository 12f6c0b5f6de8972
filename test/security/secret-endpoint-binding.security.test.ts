/**
 * The "write-only" Sinch secret against a rogue or hijacked administrator session: pointing the endpoint
 * at a server of one's own (with signed requests or Basic) and pressing Test connection must send that
 * server nothing, key and secret included. The secret stays bound to the origin it was entered for; the
 * audit log records that the change stranded it; Test connection has a cooldown and a cap like Resend.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TESTS_PER_HOUR, TEST_COOLDOWN_MS } from '../../main/core/verify/connection-test';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import {
  ADMIN_PASSWORD,
  gatewayFixture,
  seedAccounts,
  signIn,
  type GatewayFixture,
} from '../support/gateway-fixture';
import { scAdmin } from '../support/sc-admin';

const MOBILE = '+46701234567';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** The attacker's own server: records every request (method, path, headers, body) and answers 200. */
async function attackerServer() {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"attacker-1"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  // localhost, not 127.0.0.1: another origin than the emulator's even on the same machine.
  return { url: `http://localhost:${(server.address() as AddressInfo).port}`, seen };
}

async function setUp(): Promise<{ f: GatewayFixture; admin: string; emulator: TestEmulator }> {
  const f = await gatewayFixture();
  const emulator = await startTestEmulator({ clock: f.clock });
  closers.push(() => emulator.close());
  const { admin } = await seedAccounts(f);
  await f.ok(admin, 'sc:policy:set', { sinch: emulator.settings('signed') });
  await f.ok(admin, 'sc:secrets:set', { name: 'sinch-verification-api', ...emulator.credentials });
  await f.ok(admin, 'sc:users:update', { username: 'admin', patch: { mobile: MOBILE } });
  return { f, admin, emulator };
}

describe('the Sinch secret is bound to the endpoint it was entered for', () => {
  for (const authMethod of ['signed', 'basic'] as const) {
    it(`Test connection toward the administrator's own server (${authMethod}) sends it nothing, no key, no secret`, async () => {
      const { f, admin, emulator } = await setUp();
      const attacker = await attackerServer();
      await f.ok(admin, 'sc:policy:set', { sinch: { endpoint: attacker.url, authMethod } });

      const result = await f.call(admin, 'sc:verify:testStart', { method: 'sms' });
      expect(result).toMatchObject({ ok: false, error: { code: 'secret-missing' } });
      expect(result.ok ? '' : result.error.message).toContain('enter the secret again');
      expect(attacker.seen).toEqual([]);
      const everything = attacker.seen.join('\n');
      expect(everything).not.toContain(emulator.credentials.secret);
      expect(everything).not.toContain(emulator.credentials.authId);

      const [secret] = await f.ok<{ boundTo: string; usableAtEndpoint: boolean }[]>(admin, 'sc:secrets:list');
      expect(secret).toMatchObject({ boundTo: new URL(emulator.url).origin, usableAtEndpoint: false });
    });
  }

  it('the audit log records that the endpoint change left the secret behind', async () => {
    const { f, admin, emulator } = await setUp();
    const attacker = await attackerServer();
    await f.ok(admin, 'sc:policy:set', { sinch: { endpoint: attacker.url } });
    const [entry] = f.core.audit.query({ action: 'policy.changed', limit: 1 }).entries;
    expect(entry?.details['sinch.endpoint']).toBe(attacker.url);
    expect(entry?.details.sinchCredentials).toContain(`entered for ${new URL(emulator.url).origin}`);
  });

  it('a re-entered secret works at the new endpoint; the old origin no longer gets it', async () => {
    const { f, admin, emulator } = await setUp();
    const second = await startTestEmulator({ clock: f.clock });
    closers.push(() => second.close());
    await f.ok(admin, 'sc:policy:set', { sinch: { endpoint: `http://localhost:${second.port}` } });
    expect(await f.call(admin, 'sc:verify:testStart', { method: 'sms' })).toMatchObject({ ok: false });
    await f.ok(admin, 'sc:secrets:set', { name: 'sinch-verification-api', ...second.credentials });
    f.clock.advance(TEST_COOLDOWN_MS);
    await f.ok(admin, 'sc:verify:testStart', { method: 'sms' });
    expect(second.stats().starts).toBe(1);
    // Back to the first origin: the secret now belongs to the second one and is not sent to the first.
    await f.ok(admin, 'sc:policy:set', { sinch: { endpoint: emulator.url } });
    f.clock.advance(TEST_COOLDOWN_MS);
    emulator.resetStats();
    expect(await f.call(admin, 'sc:verify:testStart', { method: 'sms' })).toMatchObject({ ok: false });
    expect(emulator.stats().starts).toBe(0);
  });

  it(
    'sc-admin says the secret must be entered again after policy set --endpoint, and secret list shows it',
    { tags: ['child-process'] },
    async () => {
      const { f, admin } = await setUp();
      await f.ok(admin, 'sc:policy:set', { sinch: { endpoint: 'https://sinch.attacker.example' } });
      const dir = f.core.dataDir;
      f.core.close();
      const list = await scAdmin(['--data-dir', dir, 'secret', 'list']);
      expect(list.stdout).toMatch(/entered for http:\/\/127\.0\.0\.1:\d+: enter it again/);
      const set = await scAdmin([
        '--data-dir',
        dir,
        'policy',
        'set',
        '--endpoint',
        'https://other.attacker.example',
      ]);
      expect(set.code, set.stderr).toBe(0);
      expect(set.stderr).toContain('is not sent to the endpoint now set. Enter it again');
    },
  );
});

describe('Test connection: a cooldown and a cap like Resend', () => {
  it(`40 simultaneous clicks send one code; then one per ${TEST_COOLDOWN_MS / 1000} s, at most ${MAX_TESTS_PER_HOUR} an hour`, async () => {
    const { f, admin, emulator } = await setUp();
    emulator.resetStats();
    const burst = await Promise.all(
      Array.from({ length: 40 }, () => f.call(admin, 'sc:verify:testStart', { method: 'sms' })),
    );
    expect(burst.filter((r) => r.ok)).toHaveLength(1);
    expect(burst.filter((r) => !r.ok && r.error.code === 'verification-rate-limited')).toHaveLength(39);
    expect(emulator.stats().starts).toBe(1);

    f.clock.advance(TEST_COOLDOWN_MS - 1_000);
    expect(await f.call(admin, 'sc:verify:testStart', { method: 'sms' })).toMatchObject({ ok: false });
    for (let sent = 1; sent < MAX_TESTS_PER_HOUR; sent++) {
      f.clock.advance(TEST_COOLDOWN_MS);
      await f.ok(admin, 'sc:verify:testStart', { method: 'sms' });
    }
    f.clock.advance(TEST_COOLDOWN_MS);
    const capped = await f.call(admin, 'sc:verify:testStart', { method: 'sms' });
    expect(capped).toMatchObject({ ok: false, error: { code: 'verification-rate-limited' } });
    expect(emulator.stats().starts).toBe(MAX_TESTS_PER_HOUR);
    f.clock.advance(60 * 60_000);
    await signIn(f, admin, 'admin', ADMIN_PASSWORD); // the idle time-out ended the session meanwhile
    await f.ok(admin, 'sc:verify:testStart', { method: 'sms' });
  });
});
