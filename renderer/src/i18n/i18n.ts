/**
 * The window's messages: Lingui's runtime (ICU MessageFormat plurals and selects, a ~3 KB runtime; chosen over
 * react-intl, ~8 KB even without its parser, and i18next, whose ICU plug-in ships a parser) with catalogs
 * compiled at build time (tools/i18n/catalogs.ts), so no message is parsed or evaluated in the page.
 * English is bundled; Finnish, Swedish and German load on first use as their own small chunks.
 * How to add a string: renderer/I18N.md.
 */
import { setupI18n, type Messages } from '@lingui/core';
import { DEFAULT_LOCALE, type AppLocale } from '@contract/locale';
import en from './catalogs/en.json';

/** Every message id: the English catalog's keys (the other catalogs have exactly these, a test checks). */
export type MessageKey = keyof typeof en;
/** ICU arguments of a message ({count}, {name}, …). */
export type MessageValues = Record<string, string | number | Date>;

declare module '@lingui/core' {
  interface Register {
    messageIds: MessageKey;
  }
}

/** The built catalog is compiled (arrays), although TypeScript sees the source JSON (strings). */
const compiled = (catalog: unknown) => catalog as Messages;

export const i18n = setupI18n({ locale: DEFAULT_LOCALE, messages: { en: compiled(en) } });

/** The message ids in the order the other catalogs list their messages (tools/i18n/catalogs.ts). */
const KEYS = Object.keys(en);

/** A built translation (its messages in English's key order, no keys) as Lingui's messages. */
function translation(catalog: unknown): Messages {
  const messages = catalog as Messages[string][];
  return Object.fromEntries(KEYS.map((key, index) => [key, messages[index]!]));
}

const loaders: Record<Exclude<AppLocale, 'en'>, () => Promise<{ default: unknown }>> = {
  fi: () => import('./catalogs/fi.json'),
  sv: () => import('./catalogs/sv.json'),
  de: () => import('./catalogs/de.json'),
};
const loaded = new Set<AppLocale>([DEFAULT_LOCALE]);

/** True when `locale`'s catalog is here, so switching to it is immediate. */
export function isLocaleLoaded(locale: AppLocale): boolean {
  return loaded.has(locale);
}

/** Loads `locale`'s catalog once (English is always there). */
export async function loadLocale(locale: AppLocale): Promise<void> {
  if (locale === 'en' || loaded.has(locale)) return;
  const catalog = await loaders[locale]();
  i18n.load(locale, translation(catalog.default));
  loaded.add(locale);
}

/** The page's root element; none where this module runs outside a page (the error vocabulary's unit test). */
function pageRoot(): { setAttribute(name: string, value: string): void } | undefined {
  return (globalThis as { document?: { documentElement: { setAttribute(n: string, v: string): void } } })
    .document?.documentElement;
}

/** Shows `locale` from now on (its catalog must be loaded; English otherwise). */
export function activateLocale(locale: AppLocale): void {
  const next = loaded.has(locale) ? locale : DEFAULT_LOCALE;
  if (i18n.locale === next) return;
  i18n.activate(next);
  pageRoot()?.setAttribute('lang', next);
}

/** True when the catalogs have `key` (for keys built from data, e.g. "validation.mobile.format"). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** A message outside React (stores, error mapping); components use `useT()`. */
export function translate(key: MessageKey, values?: MessageValues): string {
  return i18n._(key, values);
}
