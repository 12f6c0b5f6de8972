import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { catalogChunkName, compiledCatalogs } from './tools/i18n/catalogs';
import { messageIds, shortMessageIds } from './tools/i18n/message-ids';
import { pageContentSecurityPolicyMeta } from './main/shell/page-csp';
import { prerenderLogOn } from './tools/prerender/plugin';

/**
 * The built page paints without waiting for a second request: the stylesheet goes inline in index.html,
 * and the page's CSP (a <meta>, defence in depth beside the header) allows exactly that style by its hash.
 * Not in dev: Vite's HMR needs inline code.
 */
function inlineStylesheetWithCsp(): Plugin {
  return {
    name: 'sc-inline-stylesheet-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        const page = html.replace(
          /<link rel="stylesheet"[^>]*href="\.\/(assets\/[^"]+\.css)"[^>]*>/g,
          (_tag, file: string) => {
            const asset = bundle?.[file];
            if (asset?.type !== 'asset')
              throw new Error(`sc-inline-stylesheet-csp: ${file} is not in the bundle`);
            const css = String(asset.source);
            if (/<\/style/i.test(css)) throw new Error(`sc-inline-stylesheet-csp: ${file} cannot be inlined`);
            delete bundle?.[file];
            return `<style>${css}</style>`;
          },
        );
        const csp = pageContentSecurityPolicyMeta(page);
        return page.replace(
          /<head>/i,
          `<head>\n    <meta http-equiv="Content-Security-Policy" content="${csp}" />`,
        );
      },
    },
  };
}

/**
 * V8's compile hint on the entry chunk (the Log on screen's code, all of it run as the window opens): V8
 * compiles every function of the file while it streams it, off the main thread, instead of one by one on
 * the main thread when the first frame first calls it (about 18 ms less main-thread time before the first
 * paint, measured with `npm run bench`). Production builds only: the line would shift a source map.
 */
function compileEntryEagerly(): Plugin {
  return {
    name: 'sc-entry-compile-hint',
    apply: (_config, env) => env.command === 'build' && env.mode === 'production',
    // After minification, which drops comments.
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle))
        if (chunk.type === 'chunk' && chunk.isEntry)
          chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
    },
  };
}

/**
 * Vite wraps each dynamic import in a helper that first preloads the imported chunk's own imports and
 * stylesheets (~0.7 KB gzipped in the entry chunk). Here every lazy chunk (the Shell, each language's
 * messages) imports only chunks the page has already loaded and no stylesheet (index.html inlines the one
 * there is), so there is nothing to preload and the helper only loads. The build fails if a lazy chunk
 * ever needs more, rather than loading it late.
 */
function dynamicImportWithoutPreload(): Plugin {
  const helper = '\0vite/preload-helper.js';
  return {
    name: 'sc-dynamic-import-without-preload',
    apply: 'build',
    enforce: 'pre',
    load: (id) => (id === helper ? 'export const __vitePreload = (load) => load();' : null),
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
      const loaded = new Set<string>();
      const load = (name: string) => {
        const chunk = bundle[name];
        if (loaded.has(name) || chunk?.type !== 'chunk') return;
        loaded.add(name);
        chunk.imports.forEach(load);
      };
      chunks.filter((chunk) => chunk.isEntry).forEach((chunk) => load(chunk.fileName));
      for (const chunk of chunks) {
        const late = chunk.imports.filter((name) => !loaded.has(name));
        const css = chunk.viteMetadata?.importedCss.size ?? 0;
        if (late.length || (!chunk.isEntry && css))
          this.error(
            `${chunk.fileName} needs a preload (${[...late, ...(css ? ['a stylesheet'] : [])].join(', ')})`,
          );
      }
    },
  };
}

/**
 * The renderer: a static bundle served from the app's own origin (app:// in Electron, a local server in the
 * browser test host). Relative asset URLs, no source maps in production, no inline scripts; the one inline
 * style is the stylesheet, allowed by its hash.
 */
export default defineConfig(({ command, mode }) => {
  // Short message ids in the built page (tools/i18n/message-ids.ts); a server (dev, the prerender's) keeps
  // the keys, in the catalogs and in the code alike.
  const ids = command === 'build' && mode === 'production' ? messageIds() : undefined;
  return {
    root: 'renderer',
    base: './',
    plugins: [
      compiledCatalogs({ wholeCatalogs: 'refuse', ...(ids ? { ids } : {}) }),
      ...(ids ? [shortMessageIds(ids)] : []),
      react(),
      inlineStylesheetWithCsp(),
      compileEntryEagerly(),
      dynamicImportWithoutPreload(),
      prerenderLogOn(),
    ],
    // The renderer's one way into main's folder: the contract (tsconfig.base.json's `paths` says the same).
    resolve: { alias: { '@contract': fileURLToPath(new URL('./main/contract', import.meta.url)) } },
    build: {
      outDir: '../dist/renderer',
      emptyOutDir: true,
      sourcemap: mode !== 'production',
      target: 'chrome130',
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      rolldownOptions: {
        // A catalog's chunk says its language and area (fi-admin-….js), the rest their module's name.
        output: {
          chunkFileNames: (chunk) => `assets/${catalogChunkName(chunk.facadeModuleId) ?? '[name]'}-[hash].js`,
        },
      },
    },
    server: { host: '127.0.0.1' },
  };
});
