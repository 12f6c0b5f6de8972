/**
 * Short message ids in the built page. The source names a message by its key ("logon.username.missing":
 * typed, readable); the build names it by a short id ("2f"), in the English catalogs' keys
 * (catalogs.ts) and in the renderer's code, where every string literal that is a key becomes its id. The
 * keys were ~2 KB of the page's JS, gzipped. The translations have no keys (they follow English's order).
 *
 * Two kinds of key keep their name: `validation.*` (renderer/src/i18n/validation.ts builds those from
 * data: "validation.mobile.format"), and any key main or the preload also write as a string literal (data
 * the window receives and looks up, e.g. the audit action "logon.password", is not a message there).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { readCatalog } from './catalogs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RENDERER_CODE = /[\\/]renderer[\\/]src[\\/].*\.tsx?$/;
/** A string literal whose text could be a key: 'a.b', "a.b" or `a.b` (no substitutions). */
const KEY_LITERAL = /(['"`])([A-Za-z][\w-]*(?:\.[\w-]+)+)\1/g;

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The dotted string literals main and the preload write: data the window may receive. */
function literalsOutsideTheWindow(): Set<string> {
  const found = new Set<string>();
  for (const file of [...sourceFiles(path.join(ROOT, 'main')), ...sourceFiles(path.join(ROOT, 'preload'))])
    for (const match of fs.readFileSync(file, 'utf8').matchAll(KEY_LITERAL)) found.add(match[2]!);
  return found;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The n-th id: letters only ("a" … "Z", "ba" …). No dot, so never a key; and never digits only, which
 * would reorder the English catalog's keys (JS lists integer-like keys first), the order its
 * translations follow.
 */
function letterId(n: number): string {
  const digit = LETTERS[n % LETTERS.length]!;
  return n < LETTERS.length ? digit : `${letterId(Math.floor(n / LETTERS.length))}${digit}`;
}

/** Each shortened key's id, in the English catalog's order. */
export function messageIds(): ReadonlyMap<string, string> {
  const keep = literalsOutsideTheWindow();
  const ids = new Map<string, string>();
  for (const key of Object.keys(readCatalog('en')))
    if (!key.startsWith('validation.') && !keep.has(key)) ids.set(key, letterId(ids.size));
  return ids;
}

/** `code` with every string literal that is a shortened key replaced by its id, in the same quotes. */
export function shortenMessageKeys(code: string, ids: ReadonlyMap<string, string>): string {
  return code.replace(KEY_LITERAL, (literal, quote: string, text: string) => {
    const id = ids.get(text);
    return id === undefined ? literal : `${quote}${id}${quote}`;
  });
}

/** Vite (build only): the renderer's code names messages by their ids (catalogs.ts does the catalogs). */
export function shortMessageIds(ids: ReadonlyMap<string, string>): Plugin {
  return {
    name: 'sc-short-message-ids',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      if (!RENDERER_CODE.test(id.split('?', 1)[0] ?? '')) return null;
      const shortened = shortenMessageKeys(code, ids);
      return shortened === code ? null : { code: shortened, map: null };
    },
  };
}
