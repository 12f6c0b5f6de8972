/**
 * The window's messages: Lingui's runtime (ICU MessageFormat plurals and selects, a ~3 KB runtime; chosen over
 * react-intl, ~8 KB even without its parser, and i18next, whose ICU plug-in ships a parser) with catalogs
 * compiled at build time (tools/i18n/catalogs.ts), so no message is parsed or evaluated in the page.
 * The messages come in two areas (tools/i18n/areas.ts): the log-on steps' here, in the first chunk, and the
 * signed-in screens' with the Shell chunk (admin-messages.ts). English is in the chunk that needs it;
 * Finnish, Swedish and German load on first use as small chunks of their own, one per area.
 * How to add a string: renderer/I18N.md.
 */
import { setupI18n, type Messages } from '@lingui/core';
import { DEFAULT_LOCALE, type AppLocale } from '@contract/locale';
import type english from './catalogs/en.json';
import enLogOn from './catalogs/en.json?area=logOn';

/** Every message id: the English catalog's keys (the other catalogs have exactly these, a test checks). */
export type MessageKey = keyof typeof english;
/** ICU arguments of a message ({count}, {name}, …). */
export type MessageValues = Record<string, string | number | Date>;

declare module '@lingui/core' {
  interface Register {
    messageIds: MessageKey;
  }
}

type Translated = Exclude<AppLocale, 'en'>;
/** One area's translations, each a chunk: `() => import('./catalogs/fi.json?area=…')`. */
export type TranslationLoaders = Record<Translated, () => Promise<{ default: unknown }>>;

interface Area {
  /** The area's message ids, in the order its translations list their messages (tools/i18n/catalogs.ts). */
  keys: readonly string[];
  english: Messages;
  translations: TranslationLoaders;
  loaded: Set<AppLocale>;
}

/** The built English area is compiled (arrays), although TypeScript sees the source JSON (strings). */
function englishArea(catalog: unknown, translations: TranslationLoaders): Area {
  const english = catalog as Messages;
  return { keys: Object.keys(english), english, translations, loaded: new Set([DEFAULT_LOCALE]) };
}

const areas: Area[] = [
  englishArea(enLogOn, {
    fi: () => import('./catalogs/fi.json?area=logOn'),
    sv: () => import('./catalogs/sv.json?area=logOn'),
    de: () => import('./catalogs/de.json?area=logOn'),
  }),
];

// Lingui keeps (and later extends) the object it is given: a copy, not the imported module's.
export const i18n = setupI18n({ locale: DEFAULT_LOCALE, messages: { en: { ...areas[0]!.english } } });

/** A built translation (its messages in the area's English key order, no keys) as Lingui's messages. */
function translation(keys: readonly string[], catalog: unknown): Messages {
  const messages = catalog as Messages[string][];
  return Object.fromEntries(keys.map((key, index) => [key, messages[index]!]));
}

async function loadArea(area: Area, locale: AppLocale): Promise<void> {
  if (area.loaded.has(locale)) return;
  const catalog = await area.translations[locale as Translated]();
  i18n.load(locale, translation(area.keys, catalog.default));
  area.loaded.add(locale);
}

/** True when every area's messages for `locale` are here, so switching to it is immediate. */
export function isLocaleLoaded(locale: AppLocale): boolean {
  return areas.every((area) => area.loaded.has(locale));
}

/** Loads `locale`'s messages once, in every area there is so far (English is always there). */
export async function loadLocale(locale: AppLocale): Promise<void> {
  await Promise.all(areas.map((area) => loadArea(area, locale)));
}

/**
 * Adds an area's messages (the Shell chunk's, when it loads): English at once, and those of the language
 * shown, which the promise waits for. A translation that cannot load leaves that area in English rather
 * than showing message ids.
 */
export async function addArea(englishMessages: unknown, translations: TranslationLoaders): Promise<void> {
  const area = englishArea(englishMessages, translations);
  areas.push(area);
  i18n.load(DEFAULT_LOCALE, { ...area.english });
  const locale = i18n.locale as AppLocale;
  await loadArea(area, locale).catch(() => {
    i18n.load(locale, { ...area.english });
    area.loaded.add(locale);
  });
}

/** The page's root element; none where this module runs outside a page (the error vocabulary's unit test). */
function pageRoot(): { setAttribute(name: string, value: string): void } | undefined {
  return (globalThis as { document?: { documentElement: { setAttribute(n: string, v: string): void } } })
    .document?.documentElement;
}

/** Shows `locale` from now on (its catalog must be loaded; English otherwise). */
export function activateLocale(locale: AppLocale): void {
  const next = isLocaleLoaded(locale) ? locale : DEFAULT_LOCALE;
  if (i18n.locale === next) return;
  i18n.activate(next);
  pageRoot()?.setAttribute('lang', next);
}

/** True when the catalogs have `key` (for keys built from data, e.g. "validation.mobile.format"). */
export function hasMessage(key: string): key is MessageKey {
  return areas.some((area) => Object.hasOwn(area.english, key));
}

/** A message outside React (stores, error mapping); components use `useT()`. */
export function translate(key: MessageKey, values?: MessageValues): string {
  return i18n._(key, values);
}
