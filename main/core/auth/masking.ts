import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Method } from '../../contract/domain';

/** Digits shown at the end of a masked number. */
const VISIBLE_DIGITS = 2;

/**
 * "+46 •• ••• •• 12": the country code and the last two digits, nothing else, grouped as the number is
 * written internationally ("+46 70 123 45 12"). Masked in main only.
 */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return `${e164.slice(0, 3)} ••• ••• •${e164.slice(-VISIBLE_DIGITS)}`;
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
