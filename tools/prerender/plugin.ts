/**
 * Vite (build): the Log on screen prerendered into the page, one page per language (issue 15, first paint).
 * The window's markup is in the HTML, so the first contentful paint has the form before any script has been
 * fetched, compiled or run; the entry script then hydrates it (renderer/src/main.tsx). Pages
 * (main/contract/entry-page.ts): index.html (English), index.fi.html, index.sv.html, index.de.html, and
 * blank.html, the same page without a screen, for any other start state.
 *
 * The markup comes from the renderer's own tree (renderer/src/prerender.tsx), loaded through Vite in Node
 * with the project's config. It may hold no script and no inline style (the CSP allows neither; the page's
 * <meta> policy lists the hashes of its <style> elements, which stay as they were).
 */
import path from 'node:path';
import { createServer, type Plugin, type ResolvedConfig } from 'vite';
import { APP_LOCALES, DEFAULT_LOCALE, type AppLocale } from '../../main/contract/locale';
import {
  BLANK_PAGE,
  logOnPage,
  PRERENDERED_ATTRIBUTE,
  START_FAILED_ID,
} from '../../main/contract/entry-page';

const ROOT_ELEMENT = '<div id="root"></div>';
const HTML_TAG = `<html lang="${DEFAULT_LOCALE}">`;
const PRERENDER_ENTRY = '/src/prerender.tsx';

type Prerender = (locale: AppLocale) => Promise<string>;
interface Prerendered {
  markup: string;
  /** The page's notice for a window whose script never started (plain text). */
  startFailed: string;
}

/** Renders every language's Log on markup with a Vite server in middleware mode (no port, no watcher). */
async function renderLogOn(config: ResolvedConfig): Promise<Map<AppLocale, Prerendered>> {
  const server = await createServer({
    configFile: config.configFile ?? false,
    root: config.root,
    mode: config.mode,
    logLevel: 'error',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  try {
    const { prerenderLogOn, prerenderStartFailed } = (await server.ssrLoadModule(PRERENDER_ENTRY)) as {
      prerenderLogOn: Prerender;
      prerenderStartFailed: Prerender;
    };
    const pages = new Map<AppLocale, Prerendered>();
    // One after the other: the window's language is one module-wide setting.
    for (const locale of APP_LOCALES)
      pages.set(locale, {
        markup: await prerenderLogOn(locale),
        startFailed: await prerenderStartFailed(locale),
      });
    return pages;
  } finally {
    await server.close();
  }
}

/** The markup goes into a page whose CSP allows no script and only its own <style> elements. */
function checkMarkup(locale: AppLocale, markup: string): void {
  if (!markup.includes('data-testid="login-username"'))
    throw new Error(`sc-prerender: the ${locale} markup has no Log on form`);
  if (/<script|<style|\sstyle=|\son[a-z]+=|\sname=|\saction=/i.test(markup))
    throw new Error(
      `sc-prerender: the ${locale} markup has a script, a style, a handler, a field name or an action`,
    );
}

/** Text for HTML element content: the catalog's words, never markup. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The page in `locale`: its lang, the markup in #root, the notice for a script that never starts (hidden by
 * the stylesheet until a delay has passed; main.tsx removes it), and that language's messages preloaded.
 */
function page(
  template: string,
  locale: AppLocale,
  { markup, startFailed }: Prerendered,
  catalogChunk: string | undefined,
): string {
  let html = template
    .replace(HTML_TAG, `<html lang="${locale}">`)
    // A function, so no `$` in the markup or the words is read as a replacement pattern.
    .replace(
      ROOT_ELEMENT,
      () =>
        `<div id="root" ${PRERENDERED_ATTRIBUTE}="${locale}">${markup}</div>` +
        `<p id="${START_FAILED_ID}" class="start-failed" role="alert">${escapeHtml(startFailed)}</p>`,
    );
  if (catalogChunk)
    html = html.replace(
      '</head>',
      `  <link rel="modulepreload" crossorigin href="./${catalogChunk}">\n  </head>`,
    );
  return html;
}

export function prerenderLogOn(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'sc-prerender-logon',
    apply: 'build',
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    // After Vite has written index.html (and the stylesheet and CSP plugin has made it final).
    async generateBundle(_options, bundle) {
      const index = bundle['index.html'];
      if (index?.type !== 'asset') throw new Error('sc-prerender: the build has no index.html');
      const template = String(index.source);
      if (!template.includes(ROOT_ELEMENT) || !template.includes(HTML_TAG))
        throw new Error(`sc-prerender: index.html must have ${HTML_TAG} and ${ROOT_ELEMENT}`);
      const prerendered = await renderLogOn(config);
      const chunks = Object.values(bundle).map((file) => file.fileName);
      for (const locale of APP_LOCALES) {
        const pageParts = prerendered.get(locale);
        if (!pageParts) throw new Error(`sc-prerender: no ${locale} markup`);
        checkMarkup(locale, pageParts.markup);
        if (!pageParts.startFailed) throw new Error(`sc-prerender: no ${locale} start-failed notice`);
        const catalog =
          locale === DEFAULT_LOCALE
            ? undefined
            : chunks.find((file) => path.posix.basename(file).startsWith(`${locale}-logOn-`));
        if (locale !== DEFAULT_LOCALE && !catalog)
          throw new Error(`sc-prerender: no ${locale}-logOn chunk to preload`);
        const source = page(template, locale, pageParts, catalog);
        if (locale === DEFAULT_LOCALE) index.source = source;
        else this.emitFile({ type: 'asset', fileName: logOnPage(locale), source });
      }
      this.emitFile({ type: 'asset', fileName: BLANK_PAGE, source: template });
    },
  };
}
