/**
 * The loopback redirect listener (RFC 8252 §7.3) on its own: one callback then closed, refusals of
 * everything else, time-out, abort, and the page it answers with.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
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
function rawGet(url: string, host?: string): Promise<{ status: number; body: string }> {
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
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
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
    await listener.close();
    expect(await refusedConnection(listener.redirectUri)).toBe(true);
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
    expect(escapeHtml(`<a href="x">'&`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;');
  });
});
