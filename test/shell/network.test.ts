/**
 * The shell hands the core Chromium's network stack for Sinch and SSO: a fetch on a session of its own
 * (in memory, no cookies or cache), not the window's session, whose guard cancels every request that
 * leaves app://. Chromium's `net::ERR_…` failures keep their short code for the log.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { NETWORK_PARTITION, createChromiumFetch } from '../../main/shell/network';
import { SESSION_PARTITION } from '../../main/shell/window';
import { resetFakeElectron, session } from './support/fake-electron';
import { startTestShell } from './support/shell-fixture';

vi.mock('electron', () => import('./support/fake-electron'));

beforeEach(() => resetFakeElectron());

describe("main's HTTP goes through Chromium's network stack", () => {
  it('the shell opens the core with a fetch that sends on the network session', async () => {
    const { openCore } = await startTestShell();
    const context = openCore.mock.calls[0]![1];
    const response = await context.fetch(new URL('https://verification.api.sinch.com/verification/v1/x'), {
      method: 'POST',
      body: '{}',
      redirect: 'manual',
    });
    expect(response.status).toBe(200);
    const network = session.fromPartition(NETWORK_PARTITION);
    expect(network.fetched).toHaveLength(1);
    expect(network.fetched[0]!.input).toBe('https://verification.api.sinch.com/verification/v1/x');
    expect(network.fetched[0]!.init).toMatchObject({
      method: 'POST',
      redirect: 'manual',
      credentials: 'omit',
      cache: 'no-store',
    });
    expect(network.options).toEqual({ cache: false });
    // not the window's session and not the default one, whose guards cancel outside requests
    expect(session.fromPartition(SESSION_PARTITION).fetched).toEqual([]);
    expect(session.defaultSession.fetched).toEqual([]);
    expect(network.beforeRequest).toBeNull();
  });

  it("Chromium's net::ERR_ failures carry their code (the Sinch log says why: proxy, certificate)", async () => {
    const fetchViaChromium = createChromiumFetch();
    session.fromPartition(NETWORK_PARTITION).fetchAnswer = async () => {
      throw new Error('net::ERR_CERT_AUTHORITY_INVALID');
    };
    await expect(
      fetchViaChromium('https://idp.example.com/.well-known/openid-configuration'),
    ).rejects.toMatchObject({
      code: 'ERR_CERT_AUTHORITY_INVALID',
    });
  });
});
