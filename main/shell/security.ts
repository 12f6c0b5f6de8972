/**
 * The locks every window and session gets (Electron's security checklist): no navigation, no new
 * windows, no <webview>, every permission denied, no request that leaves the app's own origin, and
 * `shell.openExternal` only towards origins main allowed (the SSO issuer).
 */
import { shell, type App, type Session, type WebContents } from 'electron';
import { parseHttpsOrLoopbackUrl } from '../contract/web-url';
import { ScError } from '../core/errors';
import type { LogSink } from '../core/log-line';
import { APP_ORIGIN } from './protocol';

/** A structured log line: event name and fields (see core/log-line.ts). */
export type LogLine = LogSink;

/** What a page of ours may request: its own origin, inline data, its own blobs, and DevTools in development. */
const ALLOWED_REQUEST_PREFIXES = [`${APP_ORIGIN}/`, 'data:', `blob:${APP_ORIGIN}/`, 'devtools:'];

function isAllowedRequest(url: string): boolean {
  const lower = url.toLowerCase();
  return ALLOWED_REQUEST_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** Applies the guards to every web contents the app ever creates, windows and anything else alike. */
export function installGlobalGuards(app: App, log: LogLine): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));
}

function hardenWebContents(contents: WebContents, log: LogLine): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    log('security.navigation-refused', { origin: originOf(event.url) });
  });
  contents.on('will-frame-navigate', (event) => {
    event.preventDefault();
    log('security.frame-navigation-refused', { origin: originOf(event.url) });
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    log('security.redirect-refused', { origin: originOf(event.url) });
  });
  contents.setWindowOpenHandler(({ url }) => {
    log('security.new-window-refused', { origin: originOf(url) });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event, webPreferences) => {
    delete webPreferences.preload;
    webPreferences.nodeIntegration = false;
    webPreferences.contextIsolation = true;
    event.preventDefault();
    log('security.webview-refused');
  });
}

/** Denies every permission, refuses requests that leave the app, and allows only downloads of our own blobs. */
export function hardenSession(ses: Session, log: LogLine): void {
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log('security.permission-denied', { permission });
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.setSpellCheckerEnabled(false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url);
    if (!allowed) log('security.request-cancelled', { origin: originOf(details.url) });
    callback({ cancel: !allowed });
  });
  ses.on('will-download', (event, item) => {
    if (item.getURL().startsWith(`blob:${APP_ORIGIN}/`)) return;
    event.preventDefault();
    log('security.download-refused', { origin: originOf(item.getURL()) });
  });
}

export interface ExternalOpener {
  /** Allows `open` for one origin, e.g. the configured SSO issuer. https only (http for loopback). */
  allowExternalOrigin(origin: string): void;
  isAllowed(url: string): boolean;
  /** Opens the URL in the system browser when its origin is allowed; false (and a log line) otherwise. */
  open(url: string): Promise<boolean>;
}

export function createExternalOpener(log: LogLine): ExternalOpener {
  const allowed = new Set<string>();
  const isAllowed = (url: string): boolean => {
    const parsed = parseHttpsOrLoopbackUrl(url);
    return parsed !== null && allowed.has(parsed.origin);
  };
  return {
    allowExternalOrigin(origin) {
      const parsed = parseHttpsOrLoopbackUrl(origin);
      if (!parsed) throw new Error(`not an https origin (http only for loopback): ${originOf(origin)}`);
      allowed.add(parsed.origin);
    },
    isAllowed,
    async open(url) {
      if (!isAllowed(url)) {
        log('security.open-external-refused', { origin: originOf(url) });
        return false;
      }
      await shell.openExternal(url);
      return true;
    },
  };
}

/**
 * The system-browser opener the core's SSO gets: it opens only URLs on the origin of the issuer configured
 * right now (read at each call, so a changed issuer takes effect and the old one no longer opens).
 */
export function issuerBoundOpener(
  opener: ExternalOpener,
  issuer: () => string,
): (url: string) => Promise<void> {
  return async (url) => {
    const issuerUrl = parseHttpsOrLoopbackUrl(issuer());
    const target = parseHttpsOrLoopbackUrl(url);
    if (!issuerUrl) throw new ScError('sso-error', 'The SSO issuer is not configured as an https address.');
    opener.allowExternalOrigin(issuerUrl.origin);
    if (target?.origin !== issuerUrl.origin || !(await opener.open(url))) {
      throw new ScError(
        'sso-error',
        'The sign-in page is not at the configured SSO issuer, so it was not opened.',
      );
    }
  };
}

/** Logs name where a page tried to go, never the whole URL (it may carry a code or a token). */
function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? `${parsed.protocol}…` : parsed.origin;
  } catch {
    return '(unparseable URL)';
  }
}
