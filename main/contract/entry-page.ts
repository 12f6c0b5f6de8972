/**
 * The built renderer's pages (issue 15, first paint): the Log on screen is rendered at build time into one
 * page per language (tools/prerender), so it is in the first paint before any script has run; the window's
 * script then takes that markup over (hydration). A window whose start state is anything else gets the page
 * without a screen in it and draws its screen from scratch, so it never shows Log on by mistake.
 * Shared by the build, main's app:// handler, the browser test host and the renderer. No zod here (the
 * renderer's first chunk imports it).
 */
import type { AuthView } from './ipc';
import type { IpcResult } from './errors';
import { APP_LOCALES, DEFAULT_LOCALE, type AppLocale } from './locale';

/** The page without a prerendered screen (any start state; the window renders it). */
export const BLANK_PAGE = 'blank.html';

/** The page with the Log on screen prerendered in `locale` (English: index.html, the window's URL). */
export function logOnPage(locale: AppLocale): string {
  return locale === DEFAULT_LOCALE ? 'index.html' : `index.${locale}.html`;
}

/** Every page the build writes. */
export const ENTRY_PAGES: readonly string[] = [...APP_LOCALES.map(logOnPage), BLANK_PAGE];

/**
 * The start state the build prerenders: Log on as a new window sees it, with nothing but the form (no
 * error, no notice, no SSO button). Its language is the view's.
 */
export function isPlainLogOn(view: AuthView): boolean {
  return view.step === 'signedOut' && !view.error && !view.notice && !view.ssoEnabled;
}

/** The view the build renders Log on from, in `locale`. */
export function plainLogOnView(locale: AppLocale): Extract<AuthView, { step: 'signedOut' }> {
  return { step: 'signedOut', serverNow: 0, error: null, ssoEnabled: false, notice: null, locale };
}

/** The page a window with this start state (main's answer to the preload's question) is given. */
export function entryPageFor(start: IpcResult<AuthView> | null): string {
  return start?.ok && isPlainLogOn(start.value) ? logOnPage(start.value.locale) : BLANK_PAGE;
}

/** The attribute the build puts on a Log on page's #root: the language it was rendered in. */
export const PRERENDERED_ATTRIBUTE = 'data-prerendered';
/** The prerendered page's notice for a window whose script never started (tools/prerender, main.tsx). */
export const START_FAILED_ID = 'start-failed';

/** The performance mark the window sets once its script has taken the page over and answers input. */
export const USABLE_MARK = 'sc-usable';
