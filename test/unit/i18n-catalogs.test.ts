/**
 * The window's message catalogs: every language has exactly the English keys, every message is valid ICU
 * MessageFormat, uses the same arguments as English, and plural messages give each plural category the
 * language needs. A missing or misspelt translation fails here, not in front of a user.
 */
import { describe, expect, it } from 'vitest';
import { APP_LOCALES, matchLocale } from '../../main/contract/locale';
import fs from 'node:fs';
import path from 'node:path';
import { catalogArea } from '../../tools/i18n/areas';
import { compileCatalog, compileTranslation, compiledCatalogs, readCatalog } from '../../tools/i18n/catalogs';

const english = readCatalog('en');
const others = APP_LOCALES.filter((locale) => locale !== 'en');

/** The argument names a message uses: {name}, {count, plural, …}, and <0>…</0> element slots. */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  for (const match of message.matchAll(/\{\s*([A-Za-z_][\w]*)\s*[,}]/g)) names.add(match[1] ?? '');
  for (const match of message.matchAll(/<(\d+)>/g)) names.add(`<${match[1]}>`);
  return [...names].sort();
}

describe('message catalogs', () => {
  it('English has messages and each one compiles', () => {
    expect(Object.keys(english).length).toBeGreaterThan(20);
    expect(() => compileCatalog(english, 'en')).not.toThrow();
  });

  describe.each(others)('%s', (locale) => {
    const catalog = readCatalog(locale);

    it('has every key English has, and no other', () => {
      const missing = Object.keys(english).filter((key) => !(key in catalog));
      const extra = Object.keys(catalog).filter((key) => !(key in english));
      expect(missing, `${locale} misses keys`).toEqual([]);
      expect(extra, `${locale} has keys English does not`).toEqual([]);
    });

    it('is built as its messages in English key order, which the page reads back by the English keys', () => {
      const built = compileTranslation(catalog, english, locale);
      const keys = Object.keys(english);
      expect(built).toHaveLength(keys.length);
      expect(Object.fromEntries(keys.map((key, index) => [key, built[index]]))).toEqual(
        compileCatalog(catalog, locale),
      );
    });

    it('does not build with a key missing or one English lacks', () => {
      const { ['logon.title']: _dropped, ...missing } = catalog;
      expect(() => compileTranslation(missing, english, locale)).toThrow(/missing "logon.title"/);
      expect(() => compileTranslation({ ...catalog, 'logon.titel': 'x' }, english, locale)).toThrow(
        /extra "logon.titel"/,
      );
    });

    it('has no empty message', () => {
      expect(Object.entries(catalog).filter(([, message]) => !message.trim())).toEqual([]);
    });

    it('compiles (valid ICU MessageFormat)', () => {
      expect(() => compileCatalog(catalog, locale)).not.toThrow();
    });

    it('uses the same arguments as English in each message', () => {
      const differing = Object.keys(english)
        .filter((key) => key in catalog)
        .filter((key) => argumentsOf(english[key] ?? '').join() !== argumentsOf(catalog[key] ?? '').join());
      expect(differing).toEqual([]);
    });

    it("gives plural messages every category the language's plural rules use", () => {
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      const lacking = Object.entries(catalog)
        .filter(([, message]) => /,\s*plural\s*,/.test(message))
        .filter(([, message]) => categories.some((c) => !new RegExp(`\\b${c}\\s*\\{`).test(message)))
        .map(([key]) => key);
      expect(lacking).toEqual([]);
    });
  });
});

describe('the build, by area (tools/i18n/areas.ts)', () => {
  const file = (locale: string) => path.resolve(`renderer/src/i18n/catalogs/${locale}.json`);
  const transform = (locale: string, query: string, plugin = compiledCatalogs()) => {
    const hook = plugin.transform as (code: string, id: string) => { code: string } | null;
    const result = hook(fs.readFileSync(file(locale), 'utf8'), `${file(locale)}${query}`);
    return result && (JSON.parse(result.code) as unknown);
  };
  const keysOf = (area: string) => Object.keys(english).filter((key) => catalogArea(key) === area);

  it('splits the messages into the log-on and the admin area', () => {
    expect(keysOf('logOn')).toContain('logon.title');
    expect(keysOf('admin')).toContain('nav.policy');
    expect(keysOf('logOn').length + keysOf('admin').length).toBe(Object.keys(english).length);
  });

  it.each(['logOn', 'admin'])('ships English %s as its own keys only, compiled', (area) => {
    const built = transform('en', `?area=${area}`) as Record<string, unknown>;
    expect(Object.keys(built)).toEqual(keysOf(area));
    expect(built).toEqual(
      compileCatalog(Object.fromEntries(keysOf(area).map((k) => [k, english[k]!])), 'en'),
    );
  });

  it.each(others)('ships %s per area in the English area order', (locale) => {
    const catalog = readCatalog(locale);
    for (const area of ['logOn', 'admin']) {
      const built = transform(locale, `?area=${area}`) as unknown[];
      const keys = keysOf(area);
      expect(Object.fromEntries(keys.map((key, index) => [key, built[index]]))).toEqual(
        compileCatalog(Object.fromEntries(keys.map((k) => [k, catalog[k]!])), locale),
      );
    }
  });

  it('refuses a catalog imported whole in the renderer build; tests may read one as written', () => {
    expect(() => transform('fi', '')).toThrow(/import one area/);
    expect(() => transform('fi', '?area=everything')).toThrow(/import one area/);
    expect(transform('fi', '', compiledCatalogs({ wholeCatalogs: 'source' }))).toBeNull();
  });
});

describe('matchLocale', () => {
  it('takes the first preferred language the window speaks, by language subtag', () => {
    expect(matchLocale(['sv-FI', 'en-US'])).toBe('sv');
    expect(matchLocale(['fr-FR', 'de_AT'])).toBe('de');
    expect(matchLocale(['FI'])).toBe('fi');
  });
  it('falls back to English', () => {
    expect(matchLocale([])).toBe('en');
    expect(matchLocale(['fr-FR', 'ja'])).toBe('en');
  });
});
