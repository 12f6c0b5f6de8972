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

/**
 * Vite: a catalog imported by the renderer arrives compiled (still JSON, so Vite's JSON handling applies):
 * English as an object (its keys are the message ids), the others as arrays in English's key order.
 */
export function compiledCatalogs(): Plugin {
  return {
    name: 'sc-compiled-catalogs',
    enforce: 'pre',
    transform(code, id) {
      const match = CATALOG_FILE.exec(id.split('?')[0] ?? id);
      if (!match) return null;
      const name = match[1] ?? id;
      const catalog = parseCatalog(code, name);
      const compiled =
        name === 'en' ? compileCatalog(catalog, name) : compileTranslation(catalog, readCatalog('en'), name);
      return { code: JSON.stringify(compiled), map: null };
    },
  };
}
