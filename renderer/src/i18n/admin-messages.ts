/**
 * The signed-in screens' messages (the `admin` area, tools/i18n/areas.ts): English in the Shell chunk,
 * the translations as chunks of their own; none of it is in the first chunk.
 */
import enAdmin from './catalogs/en.json?area=admin';
import { addArea } from './i18n';

/** Settles once the messages of the language shown are here (Shell waits for it before it renders). */
export const adminMessagesReady: Promise<void> = addArea(enAdmin, {
  fi: () => import('./catalogs/fi.json?area=admin'),
  sv: () => import('./catalogs/sv.json?area=admin'),
  de: () => import('./catalogs/de.json?area=admin'),
});
