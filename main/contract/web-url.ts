/**
 * The one transport rule for every URL the app sends to or opens (the Sinch endpoint, the SSO issuer and
 * its endpoints, the system browser): https anywhere, plain http only to this machine (a local emulator or
 * test provider). Never a user name or password in the URL. Pure: no imports.
 */

export function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** The URL when it is https, or http to a loopback host, without credentials; null otherwise. */
export function parseHttpsOrLoopbackUrl(text: string): URL | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  if (url.protocol === 'https:') return url;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname) ? url : null;
}

/** A configured base URL (the endpoint, the issuer): the rule above, and no query or fragment either. */
export function isHttpsOrLoopbackBaseUrl(value: string): boolean {
  const url = parseHttpsOrLoopbackUrl(value);
  return url !== null && !url.search && !url.hash;
}
