import { createRoot, hydrateRoot } from 'react-dom/client';
import { isAppLocale, type AppLocale } from '@contract/locale';
import { isPlainLogOn, PRERENDERED_ATTRIBUTE, START_FAILED_ID } from '@contract/entry-page';
import { Root } from './root';
import { connectAuth, useAuth } from './store/auth-store';
import { i18n } from './i18n/i18n';
import { capturePrefill } from './screens/logon-prefill';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');

/** The language the build prerendered Log on in, when the page has it (tools/prerender). */
const prerendered = root.getAttribute(PRERENDERED_ATTRIBUTE);

/**
 * Takes the prerendered Log on over (hydration) when the window's state is exactly what the build rendered:
 * plain Log on, in the page's language, that language's messages active. Anything else (another step, a
 * notice, an error, the SSO button, another language) is drawn from scratch in place of the markup.
 */
function start(locale: AppLocale | null): void {
  // The window has started: the page's "could not start" notice never shows.
  document.getElementById(START_FAILED_ID)?.remove();
  const { view, actionError } = useAuth.getState();
  if (
    locale &&
    view &&
    !actionError &&
    isPlainLogOn(view) &&
    view.locale === locale &&
    i18n.locale === locale
  ) {
    capturePrefill();
    hydrateRoot(root!, <Root />);
    return;
  }
  // Drawn from scratch: when it is Log on still (another language, a notice, the SSO button), what was typed
  // into the prerendered form is kept; any other screen never gets it.
  if (prerendered !== null && view?.step === 'signedOut') capturePrefill();
  root!.replaceChildren();
  createRoot(root!).render(<Root />);
}

connectAuth();
if (prerendered === null) start(null);
else {
  const locale = isAppLocale(prerendered) ? prerendered : null;
  // Another language's messages load first (a small chunk the page preloads); until then the prerendered
  // form stays, in the page's language. A window whose start state must be asked for waits for the answer.
  const ready = () => useAuth.getState().view !== null || useAuth.getState().actionError !== null;
  if (ready()) start(locale);
  else {
    const unsubscribe = useAuth.subscribe(() => {
      if (!ready()) return;
      unsubscribe();
      start(locale);
    });
  }
}
