import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { CONTENT_SECURITY_POLICY_META } from './main/contract/csp';
import { compiledCatalogs } from './tools/i18n/catalogs';

/** Adds the CSP as a <meta> to the built page too (defence in depth). Not in dev: Vite's HMR needs inline code. */
function cspMeta(): Plugin {
  return {
    name: 'sc-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META },
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
  plugins: [compiledCatalogs(), react(), cspMeta()],
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
