/**
 * The React side of the window's messages: the provider and `useT()`. (`<Message>`, for text with markup,
 * is in message.tsx, with the admin screens that use it: Lingui's React package stays out of the first chunk.)
 */
import { createContext, useContext, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { DEFAULT_LOCALE, type AppLocale } from '@contract/locale';
import { i18n, type MessageKey, type MessageValues } from './i18n';
import { formatters, type Formatters } from './format';

const LocaleContext = createContext<AppLocale>(DEFAULT_LOCALE);
const onLocaleChange = (listener: () => void) => i18n.on('change', listener);
const activeLocale = () => i18n.locale as AppLocale;

/**
 * Re-renders everything below it when the language changes. The build's prerender and the hydration that
 * takes it over read the active language too (the third argument).
 */
export function LanguageProvider({ children }: { children: ReactNode }) {
  const locale = useSyncExternalStore(onLocaleChange, activeLocale, activeLocale);
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export type Translate = (key: MessageKey, values?: MessageValues) => string;

/**
 * `const { t, format, locale } = useT()`: `t('logon.title')`, `t('code.attemptsLeft', { count })`, and
 * dates, times and numbers in the active language (`format.dateTime(at)`). `t` is a new function when the
 * language changes, so components that keep it see the change.
 */
export function useT(): { t: Translate; format: Formatters; locale: AppLocale } {
  const locale = useContext(LocaleContext);
  return useMemo(
    () => ({ t: (key, values) => i18n._(key, values), format: formatters(locale), locale }),
    [locale],
  );
}
