/**
 * The window's Content-Security-Policy, in one place: the shell sends it as a response header of the
 * app:// protocol, the browser test host sends the same, and the built page carries it as a <meta> too
 * (defence in depth). A <meta> cannot carry frame-ancestors, so that directive is header-only.
 */
const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
];

export const CONTENT_SECURITY_POLICY = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ');
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.join('; ');
