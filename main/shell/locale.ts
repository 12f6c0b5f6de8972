/** The OS's languages as Electron reports them (call after app 'ready'): most preferred first. */
import { app } from 'electron';

export function systemLocales(): string[] {
  // getPreferredSystemLanguages follows the OS's language list; getLocale is Chromium's UI locale.
  return [...app.getPreferredSystemLanguages(), app.getLocale()].filter(Boolean);
}
