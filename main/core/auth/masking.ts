import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Method } from '../../contract/domain';

/** "+46 ••• ••• •12": the country code and the last two digits, nothing else. Masked in main only. */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const country = parsed ? `+${parsed.countryCallingCode}` : e164.slice(0, 3);
  return `${country} ••• ••• •${e164.slice(-2)}`;
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
