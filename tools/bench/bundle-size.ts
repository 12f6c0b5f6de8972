/**
 * The renderer build's JS, gzipped (gzip -9) as the budget counts it: design.md's "production JS ≤ 120 KB
 * gzipped" is every script the build ships (lazy chunks and all four languages included). Beside it, for
 * information, the first view: what the Log on screen needs before it paints, i.e. the scripts index.html
 * loads (module scripts and modulepreload links) plus, in Finnish, Swedish or German, that language's
 * log-on messages (`fi-logOn-….js`, vite.config.ts names them).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface JsSize {
  /** Bytes before gzip. */
  raw: number;
  /** Bytes gzipped at level 9. */
  gzip: number;
  /** File names (no directory). */
  files: string[];
}

function sizeOf(dir: string, files: readonly string[]): JsSize {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = fs.readFileSync(path.join(dir, file));
    raw += bytes.length;
    gzip += zlib.gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip, files: files.map((file) => path.basename(file)) };
}

function jsFiles(dir: string, under = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, under), { withFileTypes: true })) {
    const relative = path.join(under, entry.name);
    if (entry.isDirectory()) out.push(...jsFiles(dir, relative));
    else if (/\.m?js$/.test(entry.name)) out.push(relative);
  }
  return out.sort();
}

/** Every .js in the build: what the budget counts. */
export function totalJs(dir: string): JsSize {
  return sizeOf(dir, jsFiles(dir));
}

/** The scripts index.html loads itself (module scripts and modulepreload links). */
export function entryJs(dir: string): JsSize {
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const files = [
    ...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.m?js)"/g),
  ].map((match) => match[1]!);
  return sizeOf(dir, files);
}

/** The first view in `locale`: index.html's scripts, plus the language's log-on messages unless English. */
export function firstViewJs(dir: string, locale: string): JsSize {
  const entry = entryJs(dir);
  if (locale === 'en') return entry;
  const catalog = jsFiles(dir).filter((file) => path.basename(file).startsWith(`${locale}-logOn-`));
  if (catalog.length !== 1)
    throw new Error(`${dir}: expected one ${locale}-logOn-*.js chunk, found ${catalog.length}`);
  const messages = sizeOf(dir, catalog);
  return {
    raw: entry.raw + messages.raw,
    gzip: entry.gzip + messages.gzip,
    files: [...entry.files, ...messages.files],
  };
}
