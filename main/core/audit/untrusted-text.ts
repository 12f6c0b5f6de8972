/**
 * Text that someone outside typed (a username at the log-on screen, an identity provider's claim) on its
 * way to a terminal, a CSV file or the audit log. Control characters could move a terminal's cursor, fake
 * a second audit line or recolour it; bidi and zero-width characters can make one name look like another.
 */
import { usernameSchema } from '../../contract/domain';

/** C0/C1 controls and DEL, format characters (bidi overrides, zero-width), line/paragraph separators,
 *  lone surrogates, private-use and unassigned code points. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/gu;

/** Every unsafe character as a visible `\u{1b}`; everything else unchanged. For a person's terminal. */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
}

/** JSON text with every unsafe character as a `\uXXXX` escape: still the same JSON value, safe to print. */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE, (char) =>
    [...Array(char.length).keys()]
      .map((i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`)
      .join(''),
  );
}

const MAX_SHOWN = 64;

/**
 * A name as the audit log stores it: a name that passes the username rules as it is; anything else in an
 * escaped, visibly marked form, `<invalid-name "a\u{a}b">`, that no real username can take (the rules
 * forbid `<`, `"` and spaces). Long input is cut, saying how much was left out.
 */
export function auditName(name: string): string {
  const parsed = usernameSchema.safeParse(name);
  if (parsed.success && parsed.data === name) return name;
  const chars = [...name];
  const shown = chars
    .slice(0, MAX_SHOWN)
    .join('')
    .replace(/[\\"]/g, (c) => `\\${c}`);
  const more = chars.length > MAX_SHOWN ? ` +${chars.length - MAX_SHOWN} more` : '';
  return `<invalid-name "${escapeControlCharacters(shown)}"${more}>`;
}

/** Free text for the audit log (a target that is not a user, a detail): unsafe characters escaped. */
export function auditText(text: string): string {
  return escapeControlCharacters(text);
}
