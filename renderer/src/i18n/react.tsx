/** The React side of the window's messages: the provider, `useT()` and `<Message>` for text with markup. */
import type { ReactElement, ReactNode } from 'react';
import { I18nProvider, Trans, useLingui } from '@lingui/react';
import type { AppLocale } from '@contract/locale';
import { i18n, type MessageKey, type MessageValues } from './i18n';
import { formatters, type Formatters } from './format';

/** Re-renders everything below it when the language changes. */
export function LanguageProvider({ children }: { children: ReactNode }) {
  return <I18nProvider i18n={i18n}>{children}</I18nProvider>;
}

export type Translate = (key: MessageKey, values?: MessageValues) => string;

/**
 * `const { t, format, locale } = useT()`: `t('logon.title')`, `t('code.attemptsLeft', { count })`, and
 * dates, times and numbers in the active language (`format.dateTime(at)`).
 */
export function useT(): { t: Translate; format: Formatters; locale: AppLocale } {
  const { _, i18n: active } = useLingui();
  const locale = active.locale as AppLocale;
  return { t: _ as Translate, format: formatters(locale), locale };
}

/**
 * A message whose text wraps elements: `"Open the <0>Secrets manager</0>."` with `components={[<a … />]}`.
 * @public (the admin screens' catalog messages with links use it)
 */
export function Message({
  id,
  values,
  components,
}: {
  id: MessageKey;
  values?: MessageValues;
  components: readonly ReactElement[];
}) {
  return <Trans id={id} values={values} components={{ ...components }} />;
}
