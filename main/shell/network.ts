/**
 * Main's own outgoing HTTP (Sinch, the SSO provider) through Chromium's network stack: the system proxy
 * settings (PAC and WPAD included) and the OS certificate store, as a browser on the same machine uses
 * them. Node's own http/fetch sees neither, and the NODE_OPTIONS fuse also turns off NODE_EXTRA_CA_CERTS,
 * so behind a TLS-inspecting corporate proxy the packaged app could not reach Sinch at all.
 *
 * The requests go out from a session of their own, in memory, that never shows a page: the app's window
 * sessions cancel every request that leaves app:// (security.ts), and no cookie or cache is kept.
 */
import { session } from 'electron';

export const NETWORK_PARTITION = 'system-configurator-network';

/** Chromium reports failures as `net::ERR_…` messages; callers log only an error's short `code`. */
function withNetErrorCode(error: unknown): unknown {
  if (error instanceof Error && !('code' in error)) {
    const code = /^net::(ERR_[A-Z0-9_]{1,40})$/.exec(error.message)?.[1];
    if (code) Object.assign(error, { code });
  }
  return error;
}

/** A `fetch` that Sinch's axios client and openid-client take in place of Node's. */
export function createChromiumFetch(): typeof fetch {
  return async (input, init) => {
    // Looked up at call time: partitions exist only once the app is ready.
    const ses = session.fromPartition(NETWORK_PARTITION, { cache: false });
    try {
      return await ses.fetch(input instanceof URL ? input.href : input, {
        ...init,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      throw withNetErrorCode(error);
    }
  };
}
