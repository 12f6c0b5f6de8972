/** The window's language, changeable on the Log on screen and in the signed-in shell; main remembers it. */
import { useId } from 'react';
import { APP_LOCALES, LANGUAGE_NAMES, isAppLocale } from '@contract/locale';
import { auth } from '../store/auth-store';
import { useT } from '../i18n/react';

export function LanguagePicker({ className }: { className?: string }) {
  const { t, locale } = useT();
  const id = useId();
  return (
    <div className={`language-picker${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{t('language.label')}</label>
      <select
        id={id}
        data-testid="language-picker"
        value={locale}
        onChange={(event) => {
          const chosen = event.target.value;
          if (isAppLocale(chosen)) void auth.setLanguage(chosen);
        }}
      >
        {APP_LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGE_NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );
}
