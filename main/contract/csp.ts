/**
 * The window's Content-Security-Policy, in one place: the shell sends it as a response header of the
 * app:// protocol, the browser test host sends the same, and the built page carries it as a <meta> too
 * (defence in depth). A <meta> cannot carry frame-ancestors, so that directive is header-only.
 *
 * The built page inlines its stylesheet (one request fewer before the first paint). An inline style is
 * allowed only by its SHA-256 hash: the page's policy lists the hashes of the <style> elements the page was
 * built with, and nothing else ('unsafe-inline' never appears; a style added at run time matches no hash).
 */
const directives = (styleHashes: readonly string[]) => [
  "default-src 'none'",
  "script-src 'self'",
  ["style-src 'self'", ...styleHashes.map((hash) => `'sha256-${hash}'`)].join(' '),
  "img-src 'self' data:",
  "connect-src 'none'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** The header's policy; `styleHashes`: base64 SHA-256 of each inline <style> of the page it is sent with. */
export function contentSecurityPolicy(styleHashes: readonly string[] = []): string {
  return [...directives(styleHashes), "frame-ancestors 'none'"].join('; ');
}

/** The same policy for a <meta http-equiv> (without frame-ancestors, which a <meta> cannot carry). */
export function contentSecurityPolicyMeta(styleHashes: readonly string[] = []): string {
  return directives(styleHashes).join('; ');
}

/** The policy of every response that is not a page with inline styles. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** The text of each <style> element of a page (what its hashes are taken of). */
export function inlineStyles(html: string): string[] {
  return [...html.matchAll(/<style(?:\s[^>]*)?>([\s\S]*?)<\/style>/gi)].map((match) => match[1] ?? '');
}
