import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Method } from '../../contract/domain';

/** Digits shown at the end of a masked number. */
const VISIBLE_DIGITS = 2;
/** A number with fewer digits than this shows none: its last two would be most of it. */
const MIN_DIGITS_TO_SHOW_ANY = 6;

/**
 * "+46 •• ••• •• 12": the country code and the last two digits, nothing else, grouped as the number is
 * written internationally ("+46 70 123 45 12"). Masked in main only.
 */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed?.isValid()) return maskUnreadable(e164);
  const country = `+${parsed.countryCallingCode}`;
  const national = parsed.formatInternational().slice(country.length);
  let digitsFromEnd = 0;
  const masked = [...national]
    .reverse()
    .map((char) => (/\d/.test(char) && ++digitsFromEnd > VISIBLE_DIGITS ? '•' : char))
    .reverse()
    .join('');
  return `${country}${masked}`;
}

/**
 * A number that is not a valid one (its country code cannot be told from its first digits): no country
 * code, and the last two digits only when enough digits stay hidden.
 */
function maskUnreadable(text: string): string {
  const digits = text.replace(/\D/g, '');
  const shown = digits.length >= MIN_DIGITS_TO_SHOW_ANY ? digits.slice(-VISIBLE_DIGITS) : '';
  return `+••• ••• •${shown}`;
}

/** "a•••@example.com": the first character of the local part and the domain. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${address[0]}•••${address.slice(at)}`;
}

/** The masked form of where a code went, for the window and the audit log. */
export function maskDestination(method: Method, to: string): string {
  return method === 'sms' ? maskPhone(to) : maskEmail(to);
}
