import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The page's Content-Security-Policy: the shell sends the same as a header (main/shell/protocol.ts), the
 * browser test host too. A <meta> cannot carry frame-ancestors, so that one is header-only.
 */
const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Adds the CSP as a <meta> to the built page too (defence in depth). Not in dev: Vite's HMR needs inline code. */
function cspMeta(): Plugin {
  return {
    name: 'sc-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: RENDERER_CSP },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * The renderer: a static bundle served from the app's own origin (app:// in Electron, a local server in the
 * browser test host). Relative asset URLs, no source maps in production, no inline scripts or styles.
 */
export default defineConfig(({ mode }) => ({
  root: 'renderer',
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: mode !== 'production',
    target: 'chrome130',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: { host: '127.0.0.1' },
}));
