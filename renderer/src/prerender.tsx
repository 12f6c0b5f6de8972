/**
 * Build time only (tools/prerender runs it in Node through Vite): the Log on screen's markup in a language,
 * rendered by the same tree from the same state the window hydrates it with (main.tsx).
 */
import { renderToString } from 'react-dom/server';
import type { AppLocale } from '@contract/locale';
import { plainLogOnView } from '@contract/entry-page';
import { Root } from './root';
import { useAuth } from './store/auth-store';
import { i18n, loadLocale, translate } from './i18n/i18n';

export async function prerenderLogOn(locale: AppLocale): Promise<string> {
  await loadLocale(locale);
  useAuth.getState().receive(plainLogOnView(locale));
  if (i18n.locale !== locale) throw new Error(`prerender: the ${locale} messages are not active`);
  return renderToString(<Root />);
}

/**
 * The page's word for a window whose script never took the form over (it failed to load or to start): the
 * prerendered form would otherwise look usable and do nothing. Shown by the stylesheet after a delay;
 * main.tsx removes it once the window has started.
 */
export async function prerenderStartFailed(locale: AppLocale): Promise<string> {
  await loadLocale(locale);
  return translate('app.startFailed');
}
