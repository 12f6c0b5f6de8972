/**
 * The window's message catalogs (renderer/src/i18n/catalogs/<locale>.json: flat key → ICU MessageFormat)
 * as the build ships them: compiled ahead of time into Lingui's array form, so the page carries no ICU
 * parser and never compiles a message at run time (the CSP forbids eval anyway; Lingui does not use it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileMessageOrThrow, type CompiledMessage } from '@lingui/message-utils/compileMessage';
import type { Plugin } from 'vite';
import { catalogArea, isCatalogArea, type CatalogArea } from './areas';

const CATALOG_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../renderer/src/i18n/catalogs',
);
const CATALOG_FILE = /[\\/]renderer[\\/]src[\\/]i18n[\\/]catalogs[\\/]([a-z]{2})\.json$/;

export type SourceCatalog = Record<string, string>;

/** Reads one catalog (`en`, `fi`, …) as written by people. */
export function readCatalog(locale: string): SourceCatalog {
  return parseCatalog(fs.readFileSync(path.join(CATALOG_DIR, `${locale}.json`), 'utf8'), locale);
}

function parseCatalog(text: string, name: string): SourceCatalog {
  const parsed: unknown = JSON.parse(text);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`Catalog ${name} must be one JSON object of key → message.`);
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') throw new Error(`Catalog ${name}: "${key}" is not a string.`);
  }
  return parsed as SourceCatalog;
}

/** The messages of one area (tools/i18n/areas.ts), in the catalog's order. */
function catalogPart(catalog: SourceCatalog, area: CatalogArea): SourceCatalog {
  return Object.fromEntries(Object.entries(catalog).filter(([key]) => catalogArea(key) === area));
}

/** Every message compiled; a message that is not valid ICU fails the build, naming the key. */
export function compileCatalog(catalog: SourceCatalog, name: string): Record<string, CompiledMessage> {
  const compiled: Record<string, CompiledMessage> = {};
  for (const [key, message] of Object.entries(catalog)) {
    try {
      compiled[key] = compileMessageOrThrow(message);
    } catch (error) {
      throw new Error(`Catalog ${name}: "${key}" is not valid ICU MessageFormat: ${String(error)}`, {
        cause: error,
      });
    }
  }
  return compiled;
}

/**
 * A translation as the page loads it: its compiled messages in the English catalog's key order, without
 * the keys (the page has them, from the English catalog), which were a third of each catalog's bytes.
 * A key the English catalog lacks, or one of its keys missing here, fails the build.
 */
export function compileTranslation(
  catalog: SourceCatalog,
  english: SourceCatalog,
  name: string,
): CompiledMessage[] {
  const compiled = compileCatalog(catalog, name);
  const extra = Object.keys(compiled).filter((key) => !(key in english));
  const missing = Object.keys(english).filter((key) => !(key in compiled));
  if (extra.length || missing.length)
    throw new Error(
      `Catalog ${name} must have exactly the English keys: ${[...missing.map((k) => `missing "${k}"`), ...extra.map((k) => `extra "${k}"`)].join(', ')}.`,
    );
  return Object.keys(english).map((key) => compiled[key]!);
}

/** `fi-admin` for the chunk of `catalogs/fi.json?area=admin`; undefined for any other module. */
export function catalogChunkName(moduleId: string | null): string | undefined {
  const [file = '', query = ''] = (moduleId ?? '').split('?', 2);
  const name = CATALOG_FILE.exec(file)?.[1];
  const area = new URLSearchParams(query).get('area');
  return name && isCatalogArea(area) ? `${name}-${area}` : undefined;
}

/**
 * Vite: a catalog is imported by area (`./catalogs/fi.json?area=admin`, tools/i18n/areas.ts) and arrives
 * compiled (still JSON, so Vite's JSON handling applies): English as an object (its keys are the message
 * ids), the others as arrays in the English area's key order. In the renderer's build a catalog imported
 * whole fails, so the first chunk cannot pull in every message by accident; tests (`wholeCatalogs:
 * 'source'`) may read one whole, as written. With `ids` (the build's: message-ids.ts), English names its
 * messages by their short ids.
 */
export function compiledCatalogs(
  options: { wholeCatalogs: 'refuse' | 'source'; ids?: ReadonlyMap<string, string> } = {
    wholeCatalogs: 'refuse',
  },
): Plugin {
  return {
    name: 'sc-compiled-catalogs',
    enforce: 'pre',
    transform(code, id) {
      const [file = id, query = ''] = id.split('?', 2);
      const match = CATALOG_FILE.exec(file);
      if (!match) return null;
      const name = match[1] ?? id;
      const area = new URLSearchParams(query).get('area');
      if (!area && options.wholeCatalogs === 'source') return null;
      if (!isCatalogArea(area))
        throw new Error(
          `Catalog ${name}: import one area of it (${file}?area=logOn or ?area=admin), not "${query}".`,
        );
      const catalog = catalogPart(parseCatalog(code, name), area);
      const compiled =
        name === 'en'
          ? Object.fromEntries(
              Object.entries(compileCatalog(catalog, name)).map(([key, message]) => [
                options.ids?.get(key) ?? key,
                message,
              ]),
            )
          : compileTranslation(catalog, catalogPart(readCatalog('en'), area), `${name} (${area})`);
      return { code: JSON.stringify(compiled), map: null, moduleType: 'json' };
    },
  };
}
