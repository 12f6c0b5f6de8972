/** The window's whole tree: the same in the page (main.tsx) and in the build's prerender (prerender.tsx). */
import { StrictMode, useEffect } from 'react';
import { App } from './App';
import { USABLE_MARK } from '@contract/entry-page';
import { LanguageProvider } from './i18n/react';

/** Marks the moment the window answers input (the benchmark reports it beside the paint). */
function MarkUsable() {
  useEffect(() => {
    if (performance.getEntriesByName(USABLE_MARK).length === 0) performance.mark(USABLE_MARK);
  }, []);
  return null;
}

export function Root() {
  return (
    <StrictMode>
      <LanguageProvider>
        <App />
      </LanguageProvider>
      <MarkUsable />
    </StrictMode>
  );
}
