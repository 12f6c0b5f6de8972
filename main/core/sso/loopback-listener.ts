/**
 * The loopback redirect of a native app (RFC 8252 §7.3): an HTTP listener on 127.0.0.1 with a random port
 * that takes exactly one callback request, answers the browser with a small self-contained page, and
 * closes. It also closes on time-out and on abort (Cancel). Plain Node: node:http only.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScError } from '../errors';

const DEFAULT_SSO_TIMEOUT_MS = 5 * 60_000;
const CALLBACK_PATH = '/callback';

export interface LoopbackListenerOptions {
  /** How long to wait for the callback (default 5 minutes). */
  timeoutMs?: number;
  /** Aborting (the user pressed Cancel) closes the listener. */
  signal?: AbortSignal;
}

export interface LoopbackListener {
  /** `http://127.0.0.1:PORT/callback` */
  readonly redirectUri: string;
  /**
   * The one callback request's URL, query included. Rejects with ScError('sso-error') with
   * `details.reason` 'timeout' or 'aborted'.
   */
  readonly callback: Promise<URL>;
  /** Stops listening and ends every connection; safe to call more than once. */
  close(): Promise<void>;
}

const STYLE =
  'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:15vh auto;max-width:34rem;padding:0 1rem;' +
  'color:#1b1b1b;background:#fff;text-align:center}h1{font-size:1.4rem;font-weight:600}p{color:#444}';
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  Connection: 'close',
} as const;

/** The page the browser shows after the redirect: no script, no external resource, nothing echoed back. */
export function callbackPage(completed: boolean): string {
  const detail = completed
    ? 'You can close this browser tab.'
    : 'The log-on was not completed. System Configurator shows what happened. You can close this browser tab.';
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>System Configurator</title><style>${STYLE}</style></head><body><main>` +
    `<h1>${escapeHtml('You can return to System Configurator')}</h1><p>${escapeHtml(detail)}</p>` +
    '</main></body></html>'
  );
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Starts the listener on 127.0.0.1 with a port the OS picks. */
export async function startLoopbackListener(
  options: LoopbackListenerOptions = {},
): Promise<LoopbackListener> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SSO_TIMEOUT_MS;
  const signal = options.signal;
  if (signal?.aborted) throw aborted();

  let consumed = false;
  let closing: Promise<void> | null = null;
  let pageSent: Promise<void> = Promise.resolve();
  let settle: { resolve(url: URL): void; reject(error: ScError): void };
  const callback = new Promise<URL>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may be waiting when it rejects (the flow already failed elsewhere): never an unhandled rejection.
  callback.catch(() => undefined);

  const server = http.createServer((request, response) => {
    const port = (server.address() as AddressInfo | null)?.port;
    const refuse = (status: number) => {
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
      response.end(status === 410 ? 'Gone' : 'Not found');
    };
    // Only the one callback, addressed to this listener by IP (a DNS-rebound page names another host).
    if (consumed || closing) return refuse(410);
    // A request target that is no URL here ("//a:99999/x", which a web page can send too) is refused, not
    // thrown: a throw in this handler would be an uncaught exception in main.
    const url = URL.parse(request.url ?? '/', `http://127.0.0.1:${port}`);
    if (
      url === null ||
      request.method !== 'GET' ||
      url.pathname !== CALLBACK_PATH ||
      request.headers.host !== `127.0.0.1:${port}`
    ) {
      return refuse(404);
    }
    consumed = true;
    pageSent = new Promise((resolve) => response.once('close', resolve));
    response.once('finish', () => void close());
    response.writeHead(200, PAGE_HEADERS);
    response.end(callbackPage(!url.searchParams.has('error')));
    settle.resolve(url);
  });
  server.keepAliveTimeout = 1_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  const close = (): Promise<void> => {
    if (!closing) {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // The browser gets the whole page first; then every connection ends (a later request finds none).
      closing = pageSent.then(() => {
        server.closeAllConnections();
        return closed;
      });
    }
    return closing;
  };
  const fail = (error: ScError) => {
    if (!consumed) settle.reject(error);
    consumed = true;
    void close();
  };
  const onAbort = () => fail(aborted());
  const timer = setTimeout(
    () =>
      fail(
        new ScError('sso-error', 'The SSO log-on took too long and was stopped. Log on with SSO again.', {
          reason: 'timeout',
        }),
      ),
    timeoutMs,
  );
  timer.unref?.();
  signal?.addEventListener('abort', onAbort, { once: true });

  return { redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`, callback, close };
}

function aborted(): ScError {
  return new ScError('sso-error', 'The SSO log-on was cancelled.', { reason: 'aborted' });
}
