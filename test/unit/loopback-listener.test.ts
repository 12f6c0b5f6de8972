/**
 * The loopback redirect listener (RFC 8252 §7.3) on its own: one callback then closed, refusals of
 * everything else, time-out, abort, and the page it answers with.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isScError } from '../../main/core/errors';
import {
  callbackPage,
  escapeHtml,
  startLoopbackListener,
  type LoopbackListener,
} from '../../main/core/sso/loopback-listener';

const open: LoopbackListener[] = [];
afterEach(async () => {
  for (const listener of open.splice(0)) await listener.close();
});

async function listen(options: Parameters<typeof startLoopbackListener>[0] = {}): Promise<LoopbackListener> {
  const listener = await startLoopbackListener(options);
  open.push(listener);
  return listener;
}

/** A raw GET with a chosen Host header (fetch does not let a page choose it, neither does this test's fetch). */
function rawGet(
  url: string,
  host?: string,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.pathname + target.search,
        headers: host ? { host } : {},
        agent: false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body, headers: response.headers }),
        );
      },
    );
    request.on('error', reject);
  });
}

async function refusedConnection(url: string): Promise<boolean> {
  try {
    await rawGet(url);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';
  }
}

describe('loopback listener', () => {
  it('listens on 127.0.0.1 with a random port and takes exactly one callback, then closes', async () => {
    const listener = await listen();
    expect(listener.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const answer = await rawGet(`${listener.redirectUri}?code=abc&state=xyz`);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('You can return to System Configurator');
    expect(answer.body).not.toContain('not completed');
    const url = await listener.callback;
    expect(url.searchParams.get('code')).toBe('abc');
    expect(url.searchParams.get('state')).toBe('xyz');
    await listener.close();
    expect(await refusedConnection(`${listener.redirectUri}?code=again`)).toBe(true);
  });

  it('two callbacks at once: one is taken, the other refused', async () => {
    const listener = await listen();
    const answers = await Promise.allSettled([
      rawGet(`${listener.redirectUri}?code=one`),
      rawGet(`${listener.redirectUri}?code=two`),
    ]);
    const statuses = answers.map((a) => (a.status === 'fulfilled' ? a.value.status : 'refused'));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200)).toHaveLength(1);
    const taken = await listener.callback;
    expect(['one', 'two']).toContain(taken.searchParams.get('code'));
  });

  it('other paths, methods and a foreign Host header are refused without using up the callback', async () => {
    const listener = await listen();
    const port = new URL(listener.redirectUri).port;
    expect((await rawGet(`http://127.0.0.1:${port}/favicon.ico`)).status).toBe(404);
    expect((await rawGet(`${listener.redirectUri}?code=x`, `evil.example:${port}`)).status).toBe(404);
    const post = await fetch(listener.redirectUri, { method: 'POST', body: 'code=x' });
    expect(post.status).toBe(404);
    expect((await rawGet(`${listener.redirectUri}?code=real`)).status).toBe(200);
    expect((await listener.callback).searchParams.get('code')).toBe('real');
  });

  it('times out: the callback promise rejects (sso-error, timeout) and the port is closed', async () => {
    const listener = await listen({ timeoutMs: 100 });
    const error = await listener.callback.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isScError(error, 'sso-error') && error.details.reason).toBe('timeout');
    expect((error as Error).message).toBe(
      'The SSO log-on took too long and was stopped. Log on with SSO again.',
    );
    await listener.close();
    expect(await refusedConnection(listener.redirectUri)).toBe(true);
  });

  it('closes on abort (Cancel)', async () => {
    const abort = new AbortController();
    const listener = await listen({ signal: abort.signal });
    abort.abort();
    const error = await listener.callback.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isScError(error, 'sso-error') && error.details.reason).toBe('aborted');
    expect((error as Error).message).toBe('The SSO log-on was cancelled.');
    await listener.close();
    expect(await refusedConnection(listener.redirectUri)).toBe(true);
  });

  it('a machine where 127.0.0.1 cannot be listened on: refuses to start with the system’s error, no hang, no crash', async () => {
    // E.g. a container or a locked-down workstation without a loopback address.
    const listen = vi.spyOn(http.Server.prototype, 'listen').mockImplementation(function (this: http.Server) {
      const refused = Object.assign(new Error('listen EADDRNOTAVAIL: address not available 127.0.0.1'), {
        code: 'EADDRNOTAVAIL',
      });
      process.nextTick(() => this.emit('error', refused));
      return this;
    });
    try {
      await expect(startLoopbackListener()).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
    } finally {
      listen.mockRestore();
    }
  });

  it('refuses to start on an already aborted signal', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(startLoopbackListener({ signal: abort.signal })).rejects.toMatchObject({
      code: 'sso-error',
    });
  });

  it('answers with a self-contained page: strict CSP, no script, no external resource, nothing echoed', async () => {
    const listener = await listen();
    const response = await fetch(`${listener.redirectUri}?error=%3Cscript%3Ealert(1)%3C/script%3E&state=s`);
    const body = await response.text();
    expect(response.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-/,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(body).not.toMatch(/<script|src=|href=|url\(|alert/i);
    expect(body).toContain('not completed');
    expect(callbackPage(true)).toContain('You can close this browser tab.');
    expect(callbackPage(true)).not.toContain('not completed');
    // A whole document (standards mode, its encoding, the tab's title), not a fragment.
    for (const page of [body, callbackPage(true)]) {
      expect(page).toMatch(
        /^<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport"/,
      );
      expect(page).toContain('<title>System Configurator</title><style>');
      expect(page).toMatch(
        /<\/style><\/head><body><main><h1>You can return to System Configurator<\/h1><p>.+<\/p><\/main><\/body><\/html>$/,
      );
    }
    expect(escapeHtml(`<a href="x">'&`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;');
  });

  it('answers a refused request with a short plain-text answer that echoes nothing, and closes its connection', async () => {
    const listener = await listen();
    const port = new URL(listener.redirectUri).port;
    const refused = await rawGet(`http://127.0.0.1:${port}/%3Cscript%3E?x=%3Cb%3E`);
    expect(refused).toMatchObject({ status: 404, body: 'Not found' });
    expect(refused.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(refused.headers.connection).toBe('close');
  });

  it('closes by itself once the page is sent: a later request finds the port closed without the flow closing it', async () => {
    const listener = await startLoopbackListener();
    try {
      expect((await rawGet(`${listener.redirectUri}?code=abc&state=xyz`)).status).toBe(200);
      await listener.callback;
      await vi.waitFor(async () => expect(await refusedConnection(listener.redirectUri)).toBe(true), {
        timeout: 5_000,
        interval: 20,
      });
    } finally {
      await listener.close();
    }
  });

  it('a connection another local process holds half-open does not keep the listener open: closing ends it', async () => {
    const abort = new AbortController();
    const listener = await listen({ signal: abort.signal });
    const port = Number(new URL(listener.redirectUri).port);
    const held = net.connect(port, '127.0.0.1');
    const heldClosed = new Promise<void>((resolve) => held.once('close', () => resolve()));
    held.on('error', () => undefined);
    await new Promise<void>((resolve) => held.once('connect', () => resolve()));
    // Headers never finished: the request is in flight, so the connection is not idle.
    held.write(`GET /callback?code=slow HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
    abort.abort();
    await listener.close();
    await heldClosed;
    expect(await refusedConnection(listener.redirectUri)).toBe(true);
  });

  it('failing while nobody waits for its callback (the flow already failed) is no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const abort = new AbortController();
      const listener = await listen({ signal: abort.signal });
      abort.abort();
      await listener.close();
      // Unhandled rejections are reported after the microtask queue drains: give it a macrotask turn.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
