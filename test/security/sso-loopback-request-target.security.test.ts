/**
 * The SSO loopback listener reads every request's target as a URL. Any program on this machine, and any web
 * page in the browser (a fetch to `http://127.0.0.1:PORT//host:99999/x` sends the request target
 * `//host:99999/x`), can send one that is no URL at all: it must be refused like any other stray request,
 * never thrown in main's request handler (an uncaught exception), and the log-on's own callback still counts.
 */
import net from 'node:net';
import { expect, it } from 'vitest';
import { startLoopbackListener } from '../../main/core/sso/loopback-listener';

/** Sends one raw HTTP/1.1 GET for `target` and returns the status line. */
function rawGet(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`),
    );
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

it.each(['//a:99999/callback', 'http://a:99999/callback', 'http://[::1/callback'])(
  'a request for %s is refused as not found; the log-on’s own callback is still taken',
  async (target) => {
    const listener = await startLoopbackListener({ timeoutMs: 5_000 });
    try {
      const port = Number(new URL(listener.redirectUri).port);
      expect(await rawGet(port, target)).toBe('HTTP/1.1 404 Not Found');
      const callback = `${listener.redirectUri}?state=s&code=c`;
      expect((await fetch(callback)).status).toBe(200);
      expect((await listener.callback).searchParams.get('code')).toBe('c');
    } finally {
      await listener.close();
    }
  },
);
