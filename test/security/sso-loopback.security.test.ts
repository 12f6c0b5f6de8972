/**
 * The SSO loopback redirect (RFC 8252 §8.3) listens on 127.0.0.1 only: the authorization code it receives
 * must not be reachable from the network, nor at another address of this machine.
 */
import net from 'node:net';
import os from 'node:os';
import { expect, it } from 'vitest';
import { startLoopbackListener } from '../../main/core/sso/loopback-listener';

/** Whether a TCP connection to `host`:`port` is accepted (any error, refused or unroutable, is a no). */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

it('listens on 127.0.0.1 only: not at another loopback address, IPv6 or any address of this machine', async () => {
  const listener = await startLoopbackListener();
  try {
    const port = Number(new URL(listener.redirectUri).port);
    const others = Object.values(os.networkInterfaces())
      .flatMap((addresses) => addresses ?? [])
      // Link-local IPv6 needs its interface's scope to be reached at all.
      .filter((address) => address.address !== '127.0.0.1' && !address.address.startsWith('fe80:'))
      .map((address) => address.address);
    const candidates = [...new Set(['127.0.0.2', '::1', ...others])];
    const reached = [];
    for (const host of candidates) if (await accepts(host, port)) reached.push(host);
    expect(reached).toEqual([]);
    expect(await accepts('127.0.0.1', port)).toBe(true);
  } finally {
    await listener.close();
  }
});
