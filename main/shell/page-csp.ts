/**
 * A page's Content-Security-Policy: the contract's policy with the SHA-256 hashes of the page's own inline
 * styles (the build inlines the stylesheet). Used for the app:// header, the browser test host's header and
 * the build's <meta>, so all three allow exactly the styles the page was built with. No electron here.
 */
import { createHash } from 'node:crypto';
import { contentSecurityPolicy, contentSecurityPolicyMeta, inlineStyles } from '../contract/csp';

const styleHashes = (html: string) =>
  inlineStyles(html).map((css) => createHash('sha256').update(css, 'utf8').digest('base64'));

/** The response header for `html`. */
export const pageContentSecurityPolicy = (html: string): string => contentSecurityPolicy(styleHashes(html));

/** The <meta http-equiv> for `html` (no frame-ancestors, which a <meta> cannot carry). */
export const pageContentSecurityPolicyMeta = (html: string): string =>
  contentSecurityPolicyMeta(styleHashes(html));
