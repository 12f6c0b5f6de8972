/**
 * The one rule by which the Users search compares text: a user matches when the folded search term is a
 * part of the folded username, display name or e-mail address. Everything that compares goes through it:
 * the folded copy of the searched fields (users_fold, which the trigram index indexes), the users not yet
 * in that copy (folded as they are read, while the index is being built), and the term.
 *
 * Folding: Unicode compatibility normalisation (NFKC: "ﬁ" is "fi", a decomposed "a + ¨" is "ä", a
 * full-width "Ａ" is "A"), then lower case by `String.prototype.toLowerCase`, which is the Unicode default
 * case mapping and the same on every machine (`toLocaleLowerCase()` would follow the OS locale: on a Turkish
 * system "I" would become "ı"; `toLocaleLowerCase('und')` gives the same as toLowerCase, through the slower
 * locale machinery). Then the three places where lower case and Unicode's caseless matching (full case
 * folding) differ for the languages SC is used in: "ß" (and "ẞ") is "ss", as German writes it in capitals
 * (STRASSE); the final sigma "ς" is "σ", or a search for "ΟΣ" would not find "ΟΣΑ" (toLowerCase picks the
 * final form at the end of a word); and a dotted capital "İ" is "i" (lower case gives "i" + a combining dot),
 * so "istanbul" finds "İstanbul"; a dotless "ı" stays itself. NFKC again last, so the result is normalised
 * (a test checks every code point folds to a fixed point without an ASCII capital).
 *
 * LIKE compares folded text exactly: it ignores the case of ASCII letters only, and folded text has no ASCII
 * capitals; `%`, `_` and `\` in the term are escaped, so they are plain characters.
 */
import { USER_SEARCH_MAX } from '../../contract/domain';
import type { Db } from '../db/database';
import { validationError } from '../errors';

/** The SQL name of foldForSearch, which the triggers of users_fold (migration 9) and the search call. */
const FOLD_FUNCTION = 'sc_fold';
const ASCII_ONLY = /^[\0-\x7f]*$/;
const CASELESS = /ß|ς|i\u0307/g;
const CASELESS_AS: Readonly<Record<string, string>> = { ß: 'ss', ς: 'σ', 'i\u0307': 'i' };

export function foldForSearch(text: string): string {
  // ASCII is its own NFKC form: lower case is the whole rule (most names; several times faster).
  if (ASCII_ONLY.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(CASELESS, (c) => CASELESS_AS[c] ?? c)
    .normalize('NFKC');
}

/**
 * Makes foldForSearch callable from SQL on this connection. Every connection that writes users needs it (its
 * triggers fold the searched fields): openDatabase registers it; a connection without it cannot write users.
 */
export function registerSearchFold(db: Db): void {
  db.function(FOLD_FUNCTION, { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? foldForSearch(value) : null,
  );
}

/** The searched columns, in users and in users_fold (the same names). */
const SEARCHED = ['username', 'display_name', 'email'] as const;

export interface SearchTerm {
  /** For `@like`: the folded term, its `%`, `_` and `\` escaped, between `%`s. */
  like: string;
  /** For `@match`: the folded term as one FTS5 phrase (a substring, for the trigram index). */
  match: string;
  /** The trigram index can pick candidates: the folded term has at least three characters. */
  trigram: boolean;
}

/**
 * The folded term, at most USER_SEARCH_MAX characters like the typed one: NFKC writes some characters out as
 * many (U+FDFA as 18), and the trigram phrase's work grows with its length times each trigram's occurrences
 * in a row (names written out the same way hold each one many times), LIKE's with its length times the row's.
 */
export function searchTerm(term: string): SearchTerm {
  const folded = foldForSearch(term);
  const length = [...folded].length;
  if (length > USER_SEARCH_MAX)
    throw validationError(
      'search',
      `A search can have at most ${USER_SEARCH_MAX} characters (some characters count as several).`,
      { rule: 'tooLong', limit: USER_SEARCH_MAX },
    );
  return {
    like: `%${folded.replace(/[\\%_]/g, (c) => '\\' + c)}%`,
    match: `"${folded.replaceAll('"', '""')}"`,
    trigram: length >= 3,
  };
}

/** SQL: a row of users_fold (alias `f`) whose folded fields contain the term (`@like`). */
const FOLDED_CONTAINS = `(${SEARCHED.map((c) => `f.${c} LIKE @like ESCAPE '\\'`).join(' OR ')})`;

/**
 * SQL: a row of users (alias `alias`) whose fields, folded as they are read, contain the term. A field of
 * ASCII only (its length in characters equals its length in bytes) folds to its lower case, which LIKE
 * compares as it is: the fold function runs only for the other fields.
 */
const containsFolding = (alias: string) =>
  `(${SEARCHED.map((c) => {
    const field = `${alias}.${c}`;
    return `(CASE WHEN length(${field}) = octet_length(${field}) THEN ${field} ELSE ${FOLD_FUNCTION}(${field}) END) LIKE @like ESCAPE '\\'`;
  }).join(' OR ')})`;

/**
 * The search as SQL conditions on a row `u` of users, with `@like`, `@match` and (while the index is built)
 * `@through` bound: users_fold and the index hold exactly the users up to indexed_through (all once
 * complete); the others are read from the users table and folded as they are read, and no more of them.
 */
export const searchSql = {
  /**
   * The matching users as one set of ids (to count them, or to start a page from when they are few): from
   * the folded copy, its candidates picked by the trigram index when `withIndex`, and the users above
   * `@through` when `complete` is false.
   */
  set(options: { withIndex: boolean; complete: boolean }): string {
    const candidates = options.withIndex
      ? 'f.id IN (SELECT rowid FROM users_search WHERE users_search MATCH @match) AND '
      : '';
    const rest = options.complete
      ? ''
      : ` UNION ALL SELECT n.id FROM users n WHERE n.id > @through AND ${containsFolding('n')}`;
    return `u.id IN (SELECT f.id FROM users_fold f WHERE ${candidates}${FOLDED_CONTAINS}${rest})`;
  },
  /**
   * A test of one row (a page that walks the sort order and stops once it is full): its folded copy when it
   * has one, else (not indexed yet) its fields folded as they are read.
   */
  row(options: { complete: boolean }): string {
    // 1 or 0 (not NULL: a NULL e-mail makes LIKE NULL), or NULL when the user has no folded copy yet.
    const folded = `(SELECT ${FOLDED_CONTAINS} IS 1 FROM users_fold f WHERE f.id = u.id)`;
    return options.complete ? folded : `coalesce(${folded}, ${containsFolding('u')})`;
  },
};
