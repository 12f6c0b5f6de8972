/**
 * The renderer's production build (vite.config.ts, into a temporary folder) keeps the first view to the
 * log-on flow: the scripts index.html loads hold no signed-in screen and no message of the admin area
 * (tools/i18n/areas.ts); those come in the Shell chunk and the per-language `*-admin` chunks, which only a
 * dynamic import reaches. No chunk holds zod: the window runs the contract's field rules without it.
 * (Sizes are the benchmark's: tools/bench/bundle-size.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_LOCALES } from '../../main/contract/locale';
import { catalogArea } from '../../tools/i18n/areas';
import { readCatalog } from '../../tools/i18n/catalogs';
import { messageIds } from '../../tools/i18n/message-ids';
import { entryJs } from '../../tools/bench/bundle-size';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

interface Chunk {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  imports: string[];
  dynamicImports: string[];
  moduleIds: string[];
  code: string;
}

let out = '';
let chunks: Chunk[] = [];

/** The entry chunk and every chunk it imports statically: what loads before Log on can paint. */
function firstView(): Chunk[] {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const seen = new Map<string, Chunk>();
  const visit = (chunk: Chunk) => {
    if (seen.has(chunk.fileName)) return;
    seen.set(chunk.fileName, chunk);
    for (const name of chunk.imports) visit(byName.get(name)!);
  };
  for (const chunk of chunks.filter((c) => c.isEntry)) visit(chunk);
  return [...seen.values()];
}

const relative = (id: string) => path.relative(ROOT, id).split(path.sep).join('/');
const firstViewModules = () => firstView().flatMap((chunk) => chunk.moduleIds.map(relative));
const chunkOf = (module: string) => chunks.find((chunk) => chunk.moduleIds.map(relative).includes(module));

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-renderer-bundle-'));
  // As `npm run build:renderer` runs: Vite takes React's build from NODE_ENV, which vitest sets to "test".
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const result = await build({
    configFile: path.join(ROOT, 'vite.config.ts'),
    mode: 'production',
    logLevel: 'warn',
    build: { outDir: out, emptyOutDir: true },
  }).finally(() => {
    process.env.NODE_ENV = nodeEnv;
  });
  const output = (Array.isArray(result) ? result[0] : result) as { output: readonly { type: string }[] };
  chunks = output.output.filter((item): item is Chunk => item.type === 'chunk');
}, 180_000);

afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('the renderer build', () => {
  it('index.html loads exactly the first view: the entry chunk and its static imports', () => {
    expect(entryJs(out).files.sort()).toEqual(
      firstView()
        .map((chunk) => path.basename(chunk.fileName))
        .sort(),
    );
  });

  it('holds the log-on flow in the first view', () => {
    const modules = firstViewModules();
    for (const screen of ['LogOnScreen', 'CodeScreen', 'ChangePasswordScreen', 'FirstRunScreen'])
      expect(modules).toContain(`renderer/src/screens/${screen}.tsx`);
    expect(modules).toContain('renderer/src/i18n/catalogs/en.json?area=logOn');
  });

  it('leaves every signed-in screen and the admin messages out of the first view', () => {
    const intruders = firstViewModules().filter(
      (id) =>
        /^renderer\/src\/screens\/(admin\/|Shell\.tsx)/.test(id) ||
        /\/catalogs\/[a-z]{2}\.json\?area=admin$/.test(id),
    );
    expect(intruders).toEqual([]);
  });

  it('ships no zod in any chunk: the forms run the field rules (main/contract/field-rules.ts)', () => {
    const modules = chunks.flatMap((chunk) => chunk.moduleIds.map(relative));
    expect(modules).toContain('main/contract/field-rules.ts');
    expect(modules.filter((id) => /node_modules\/zod\/|main\/contract\/forms\.ts/.test(id))).toEqual([]);
  });

  it('puts the signed-in screens and their English messages in a chunk only a dynamic import reaches', () => {
    const shell = chunkOf('renderer/src/screens/Shell.tsx');
    expect(shell).toBeDefined();
    expect(firstView()).not.toContain(shell);
    const admin = fs.readdirSync('renderer/src/screens/admin').filter((file) => file.endsWith('.tsx'));
    expect(admin.length).toBeGreaterThan(5);
    for (const file of admin) expect(chunkOf(`renderer/src/screens/admin/${file}`)).toBe(shell);
    expect(chunkOf('renderer/src/i18n/catalogs/en.json?area=admin')).toBe(shell);
    expect(firstView().some((chunk) => chunk.dynamicImports.includes(shell!.fileName))).toBe(true);
  });

  it('names no message of the admin area in the first view', () => {
    // In the sources of the first view's modules: the build names messages by short ids (message-ids.ts).
    const code = firstViewModules()
      .filter((id) => /^(renderer\/src|main\/contract)\/.*\.tsx?$/.test(id))
      .map((id) => fs.readFileSync(path.join(ROOT, id), 'utf8'))
      .join('\n');
    const keys = Object.keys(readCatalog('en'));
    const named = (key: string) => ['`', '"', "'"].some((quote) => code.includes(`${quote}${key}${quote}`));
    expect(keys.filter((key) => catalogArea(key) === 'logOn').filter(named).length).toBeGreaterThan(50);
    expect(keys.filter((key) => catalogArea(key) === 'admin').filter(named)).toEqual([]);
  });

  it('names messages by short ids: no chunk is left with a key the build shortened', () => {
    const ids = messageIds();
    expect(ids.size).toBeGreaterThan(300);
    const code = chunks.map((chunk) => chunk.code).join('\n');
    const left = [...ids.keys()].filter((key) =>
      ['`', '"', "'"].some((q) => code.includes(`${q}${key}${q}`)),
    );
    expect(left).toEqual([]);
    // The keys that keep their names are still named, and the page has their messages.
    expect(code).toMatch(/["'`]validation\.username\.tooLong["'`]/);
  });

  it('names only files the build has: no lazy chunk preloads a stylesheet index.html inlined', () => {
    const files = new Set(fs.readdirSync(path.join(out, 'assets')));
    const named = chunks.flatMap((chunk) =>
      [...chunk.code.matchAll(/[\w-]+-[\w-]{8}\.(?:js|css)\b/g)].map((match) => match[0]),
    );
    expect(named.length).toBeGreaterThan(6);
    expect(named.filter((name) => !files.has(name))).toEqual([]);
  });

  it.each(APP_LOCALES.filter((locale) => locale !== 'en'))(
    'loads %s in two chunks of its own, one per area, each named for both',
    (locale) => {
      for (const area of ['logOn', 'admin']) {
        const chunk = chunkOf(`renderer/src/i18n/catalogs/${locale}.json?area=${area}`);
        expect(chunk?.fileName).toMatch(new RegExp(`^assets/${locale}-${area}-[\\w-]+\\.js$`));
        expect(chunk?.moduleIds).toHaveLength(1);
        expect(firstView()).not.toContain(chunk);
      }
    },
  );
});
