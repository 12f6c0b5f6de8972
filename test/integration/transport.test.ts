/**
 * Main's HTTP transport is injected: the Electron shell hands createAppCore Chromium's net.fetch (system
 * proxy, OS certificates), and Sinch (axios) and SSO (openid-client) send through it; without one (sc-admin,
 * the tests, the browser host) they keep Node's own transport. Node's fetch stands in for net.fetch here;
 * test/shell/network.test.ts shows the shell's fetch goes to Chromium's session.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppCore } from '../../main/core/app-core';
import { ManualClock } from '../../main/core/clock';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { SINCH_SECRET_NAME } from '../../main/core/secrets/secret-store';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { tempDir } from '../support/temp-dir';

const PHONE = '+46700000000';
let emulator: TestEmulator | null = null;
const cores: { close(): void }[] = [];

afterEach(async () => {
  for (const core of cores.splice(0)) core.close();
  await emulator?.close();
  emulator = null;
  vi.restoreAllMocks();
});

/** A transport that records each request and sends it with Node's fetch (standing in for net.fetch). */
function recordingFetch() {
  const requests: { url: string; method: string; redirect: string }[] = [];
  const transport: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    requests.push({ url: request.url, method: request.method, redirect: request.redirect });
    return fetch(request);
  };
  return { transport, requests };
}

async function appCoreOnEmulator(fetchOption?: typeof fetch) {
  const clock = new ManualClock();
  emulator = await startTestEmulator({ clock });
  const core = createAppCore({
    dataDir: tempDir(),
    clock,
    keychain: new InMemoryKeychain(),
    openExternal: async () => {},
    ...(fetchOption ? { fetch: fetchOption } : {}),
  });
  cores.push(core);
  core.policy.set({ sinch: { endpoint: emulator.url, authMethod: 'signed' } }, 'test');
  await core.secrets.set({ name: SINCH_SECRET_NAME, authId: emulator.key, secret: emulator.secret }, 'test');
  return core;
}

describe('the HTTP transport is injected', () => {
  it('with a fetch, a whole Sinch verification (start, report) goes through it, never following redirects', async () => {
    const { transport, requests } = recordingFetch();
    const core = await appCoreOnEmulator(transport);
    const started = await core.verifier.start({
      method: 'sms',
      to: PHONE,
      validMinutes: 5,
      reference: 'r-1',
    });
    const result = await core.verifier.report(started.id, 'sms', emulator!.lastCodeFor(PHONE)!);
    expect(result.outcome).toBe('successful');
    expect(requests.map((r) => [r.method, new URL(r.url).pathname])).toEqual([
      ['POST', '/verification/v1/verifications'],
      ['PUT', `/verification/v1/verifications/id/${started.id}`],
    ]);
    expect(requests.every((r) => r.url.startsWith(emulator!.url))).toBe(true);
    // the Authorization header must never be carried to another place
    expect(requests.every((r) => r.redirect === 'manual')).toBe(true);
  });

  it('with a fetch, SSO discovery goes through it too', async () => {
    const requests: string[] = [];
    const transport: typeof fetch = async (input) => {
      requests.push(String(input instanceof Request ? input.url : input));
      throw Object.assign(new Error('net::ERR_PROXY_CONNECTION_FAILED'), {
        code: 'ERR_PROXY_CONNECTION_FAILED',
      });
    };
    const core = await appCoreOnEmulator(transport);
    core.policy.set(
      { sso: { enabled: true, issuer: 'https://login.example.com/realms/sc', clientId: 'sc-desktop' } },
      'test',
    );
    await core.users.create({ username: 'admin', roles: ['administrator'] }, 'test');
    const view = await core.auth.ssoStart('window-1');
    expect(view.step).toBe('signedOut');
    expect(requests).toEqual(['https://login.example.com/realms/sc/.well-known/openid-configuration']);
  });

  it('without one (sc-admin, tests, the browser host), Sinch keeps Node http and never calls fetch', async () => {
    const globalFetch = vi.spyOn(globalThis, 'fetch');
    const core = await appCoreOnEmulator();
    const started = await core.verifier.start({
      method: 'sms',
      to: PHONE,
      validMinutes: 5,
      reference: 'r-2',
    });
    expect((await core.verifier.report(started.id, 'sms', emulator!.lastCodeFor(PHONE)!)).outcome).toBe(
      'successful',
    );
    expect(globalFetch).not.toHaveBeenCalled();
  });

  it("a transport failure reaches the caller as 'verification-unavailable' with Chromium's short code, no secret", async () => {
    const lines: string[] = [];
    const log = (event: string, fields?: Readonly<Record<string, unknown>>) =>
      lines.push(`${event} ${JSON.stringify(fields ?? {})}`);
    emulator = await startTestEmulator();
    const core = createAppCore({
      dataDir: tempDir(),
      keychain: new InMemoryKeychain(),
      log,
      fetch: async () => {
        throw Object.assign(new Error('net::ERR_CERT_AUTHORITY_INVALID'), {
          code: 'ERR_CERT_AUTHORITY_INVALID',
        });
      },
    });
    cores.push(core);
    core.policy.set({ sinch: { endpoint: emulator.url } }, 'test');
    await core.secrets.set(
      { name: SINCH_SECRET_NAME, authId: emulator.key, secret: emulator.secret },
      'test',
    );
    await expect(
      core.verifier.start({ method: 'sms', to: PHONE, validMinutes: 5, reference: 'r-3' }),
    ).rejects.toMatchObject({
      code: 'verification-unavailable',
      details: { cause: 'ERR_CERT_AUTHORITY_INVALID' },
    });
    expect(lines.join('\n')).toContain('ERR_CERT_AUTHORITY_INVALID');
    expect(lines.join('\n')).not.toContain(emulator.secret);
  });
});
