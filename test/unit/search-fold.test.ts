/**
 * The one folding rule of the Users search (users/search-fold.ts): what it equates and what it keeps apart,
 * that it does not depend on the OS locale, and the two properties SQL relies on for every code point: the
 * folded text is folded already (a fixed point), and has no ASCII capital (LIKE, which ignores the case of
 * ASCII letters only, then compares folded text exactly).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldForSearch, searchTerm } from '../../main/core/users/search-fold';

describe('the search folding rule', () => {
  it.each([
    ['Ä', 'ä'],
    ['ÅSA ÖBERG', 'åsa öberg'],
    ['A\u0308', 'ä'], // decomposed: a + combining diaeresis
    ['STRASSE', 'strasse'],
    ['Straße', 'strasse'],
    ['ẞ', 'ss'],
    ['İstanbul', 'istanbul'],
    ['ı', 'ı'],
    ['ΟΔΟΣ', 'οδοσ'],
    ['ς', 'σ'],
    ['ﬁle', 'file'],
    ['ＡＢＣ', 'abc'],
    ['\u212a', 'k'], // Kelvin sign
    ['ǅ', 'dž'],
    ['Plain ASCII 100%', 'plain ascii 100%'],
  ])('folds %j to %j', (text, folded) => {
    expect(foldForSearch(text)).toBe(folded);
  });

  it('keeps apart what the languages keep apart', () => {
    expect(foldForSearch('ä')).not.toBe(foldForSearch('a'));
    expect(foldForSearch('ö')).not.toBe(foldForSearch('o'));
    expect(foldForSearch('å')).not.toBe(foldForSearch('a'));
    expect(foldForSearch('ı')).not.toBe(foldForSearch('i'));
  });

  it('does not follow the OS locale (a Turkish system keeps I as i)', () => {
    const original = String.prototype.toLocaleLowerCase;
    try {
      // As the locale-dependent call would answer on a Turkish system.
      String.prototype.toLocaleLowerCase = function (this: string) {
        return original.call(this, 'tr');
      };
      expect(foldForSearch('ISTANBUL Ä')).toBe('istanbul ä');
    } finally {
      String.prototype.toLocaleLowerCase = original;
    }
  });

  it('folds every code point to a fixed point with no ASCII capital', () => {
    // Planes 0 and 1 and the CJK compatibility ideographs of plane 2 hold every character with a case
    // mapping or a compatibility decomposition; the other planes fold to themselves.
    const codePoints = function* () {
      for (let cp = 0; cp <= 0x1ffff; cp++) if (cp < 0xd800 || cp > 0xdfff) yield cp;
      for (let cp = 0x2f800; cp <= 0x2fa1f; cp++) yield cp;
    };
    const problems: string[] = [];
    for (const cp of codePoints()) {
      if (problems.length >= 10) break;
      const folded = foldForSearch(String.fromCodePoint(cp));
      if (foldForSearch(folded) !== folded) problems.push(`U+${cp.toString(16)} not a fixed point`);
      if (/[A-Z]/.test(folded)) problems.push(`U+${cp.toString(16)} folds to an ASCII capital`);
    }
    expect(problems).toEqual([]);
  });

  it('folded text stays folded, and ASCII takes the short way to the same answer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        const folded = foldForSearch(text);
        expect(foldForSearch(folded)).toBe(folded);
        expect(/[A-Z]/.test(folded)).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 30 }), (text) => {
        expect(foldForSearch(text)).toBe(text.normalize('NFKC').toLowerCase().normalize('NFKC'));
      }),
    );
  });

  it('a search term: LIKE wildcards escaped, one FTS5 phrase, the index from three folded characters', () => {
    expect(searchTerm('100%_\\')).toMatchObject({ like: '%100\\%\\_\\\\%', trigram: true });
    expect(searchTerm('a "b"').match).toBe('"a ""b"""');
    expect(searchTerm('ÄÖ').trigram).toBe(false);
    expect(searchTerm('ß').trigram).toBe(false); // "ss"
    expect(searchTerm('ßa')).toMatchObject({ like: '%ssa%', trigram: true });
  });
});
