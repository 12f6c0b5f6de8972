/**
 * The renderer is served from a privileged custom scheme, `app://system-configurator/`, never from
 * `file://` (Electron checklist items 7 and 18). The handler serves only files under the renderer folder,
 * only of known types, with the CSP as a response header (a page's lists the hashes of its own inline
 * styles); `file://` is refused in the app's session.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { protocol, type Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../contract/csp';
import { pageContentSecurityPolicy } from './page-csp';
import { BLANK_PAGE, ENTRY_PAGES } from '../contract/entry-page';

export { CONTENT_SECURITY_POLICY };

const APP_SCHEME = 'app';
const APP_HOST = 'system-configurator';
/** What Chromium reports as the page's origin (`frame.origin`); the gateway accepts only this. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads (/ is the same); which built page it serves is main's choice. */
const ENTRY_PAGE = 'index.html';
export const APP_ENTRY_URL = `${APP_ORIGIN}/${ENTRY_PAGE}`;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** Must run before the app's `ready` event (Electron allows it once). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Which built page the window's entry URL (/ and /index.html) serves, by the window's start state
 * (main/contract/entry-page.ts): Log on prerendered in its language, or the page without a screen.
 */
export type EntryPageChooser = () => Promise<string>;

/** Serves the renderer on `app://` and refuses `file://` in the given session. */
export function installProtocols(ses: Session, rendererDir: string, entryPage?: EntryPageChooser): void {
  ses.protocol.handle(APP_SCHEME, createRendererHandler(rendererDir, entryPage));
  ses.protocol.handle('file', () => refusal(403, 'file: URLs are not served by System Configurator.'));
}

export type ResolvedPath = { ok: true; file: string; contentType: string } | { ok: false; status: number };

/**
 * Maps a request URL to a file under `rootDir`. Looks at the URL as sent, before any normalisation, so
 * `..` and `.` segments (literal or percent-encoded), encoded separators and NULs are refused outright
 * rather than silently resolved.
 */
export function resolveRequestPath(rootDir: string, url: string): ResolvedPath {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/i.exec(url);
  if (!match || match[1]?.toLowerCase() !== APP_SCHEME || match[2]?.toLowerCase() !== APP_HOST) {
    return { ok: false, status: 404 };
  }
  const segments: string[] = [];
  for (const raw of (match[3] || '/').split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400 };
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return { ok: false, status: 403 };
    segments.push(segment);
  }
  if (segments.length === 0 || segments.at(-1) === '') segments.splice(-1, 1, 'index.html');
  if (segments.some((s) => s === '' || s.startsWith('.'))) return { ok: false, status: 404 };

  const contentType = CONTENT_TYPES[path.extname(segments.at(-1) ?? '').toLowerCase()];
  if (!contentType) return { ok: false, status: 404 };
  const root = path.resolve(rootDir);
  const file = path.resolve(root, ...segments);
  if (!file.startsWith(root + path.sep)) return { ok: false, status: 403 };
  return { ok: true, file, contentType };
}

/**
 * The file to read: for the window's entry URL the page the chooser names (one of the build's pages; when
 * it fails or names anything else, the page without a screen, which suits every state), else the file the
 * URL names. With a chooser the build's other pages are served only that way: a request naming one itself
 * (or the entry page in another case, which a case-insensitive disk would find) would pick a language or
 * variant main did not choose, so it is refused (null).
 */
async function fileToServe(
  rootDir: string,
  file: string,
  entryPage?: EntryPageChooser,
): Promise<string | null> {
  if (!entryPage) return file;
  const name = path.relative(path.resolve(rootDir), file);
  if (name === ENTRY_PAGE) {
    const chosen = await entryPage().catch(() => BLANK_PAGE);
    return path.resolve(rootDir, ENTRY_PAGES.includes(chosen) ? chosen : BLANK_PAGE);
  }
  return ENTRY_PAGES.includes(name.toLowerCase()) ? null : file;
}

export function createRendererHandler(
  rootDir: string,
  entryPage?: EntryPageChooser,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'Method not allowed.');
    const resolved = resolveRequestPath(rootDir, request.url);
    if (!resolved.ok) return refusal(resolved.status, 'Not found.');
    const file = await fileToServe(rootDir, resolved.file, entryPage);
    if (file === null) return refusal(404, 'Not found.');
    let body: Buffer;
    try {
      // One read, no stat first: a folder fails here too (EISDIR), as does a missing file.
      body = await fs.readFile(file);
    } catch {
      return refusal(404, 'Not found.');
    }
    const csp = resolved.contentType.startsWith('text/html')
      ? pageContentSecurityPolicy(body.toString('utf8'))
      : CONTENT_SECURITY_POLICY;
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: securityHeaders(resolved.contentType, csp),
    });
  };
}

function refusal(status: number, text: string): Response {
  return new Response(text, { status, headers: securityHeaders('text/plain; charset=utf-8') });
}

function securityHeaders(contentType: string, csp = CONTENT_SECURITY_POLICY): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
}
