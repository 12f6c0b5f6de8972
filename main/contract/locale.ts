/**
 * The window's languages: which exist, how an OS or browser preference maps onto one, and the tag a
 * verification SMS is asked for in. Shared by main (the OS locale, the saved choice, Sinch's
 * Accept-Language) and the renderer (the language picker, in the first chunk: so no zod here; the
 * schema is `appLocaleSchema` in ipc.ts).
 */

/** English is the source catalog; every other catalog has exactly its keys (a test checks). */
export const APP_LOCALES = ['en', 'fi', 'sv', 'de'] as const;
export type AppLocale = (typeof APP_LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = 'en';

/** Each language named in itself (the same in every catalog, so it is not translated). */
export const LANGUAGE_NAMES: Readonly<Record<AppLocale, string>> = {
  en: 'English',
  fi: 'Suomi',
  sv: 'Svenska',
  de: 'Deutsch',
};

/** The Accept-Language main sends Sinch for a verification message in this language. */
export const SMS_LANGUAGE_TAGS: Readonly<Record<AppLocale, string>> = {
  en: 'en-US',
  fi: 'fi-FI',
  sv: 'sv-SE',
  de: 'de-DE',
};

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (APP_LOCALES as readonly string[]).includes(value);
}

/**
 * The first of the preferred BCP 47 tags ("sv-FI", "de_AT", "fi") whose language the window speaks, else
 * English. Tags are matched by their language subtag only: Swedish in Finland is Swedish.
 */
export function matchLocale(preferred: readonly string[]): AppLocale {
  for (const tag of preferred.slice(0, 32)) {
    const language = tag.trim().slice(0, 35).split(/[-_]/)[0]?.toLowerCase();
    if (isAppLocale(language)) return language;
  }
  return DEFAULT_LOCALE;
}
