import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { e164Schema, firstIssue, type Method } from '../../contract/domain';
import { validationError } from '../errors';

/** The number in E.164 when it is a valid number for its country code (libphonenumber's full metadata). */
function validE164(compact: string): string | null {
  const parsed = parsePhoneNumberFromString(compact);
  return parsed?.isValid() ? parsed.number : null;
}

/** True when `value` is already a valid number written exactly in E.164 (what is stored and sent to Sinch). */
export function isE164Number(value: string): boolean {
  return value.startsWith('+') && validE164(value) === value;
}

/**
 * Normalises a mobile number to E.164 and checks it is a valid number for its country. Accepts the
 * spaces and dashes people type ("+46 70-123 45 67"); refuses anything without the leading +country code.
 * The shape is the contract's `e164Schema` (which the window checks as you type); the country check is here.
 */
export function normalizeMobile(input: string): string {
  const shape = e164Schema.safeParse(input);
  if (!shape.success) {
    const { message, params } = firstIssue(shape.error);
    throw validationError('mobile', message, params);
  }
  const number = validE164(shape.data);
  if (number === null) {
    throw validationError('mobile', `${shape.data} is not a valid phone number for its country code.`, {
      rule: 'notValidForCountry',
      value: shape.data,
    });
  }
  return number;
}

/** "+46701234501" → "+46 70 123 45 01": the number grouped as its country writes it internationally. */
export function formatMobileInternational(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/**
 * The SQL condition "this user has a contact for one of these methods" (over the users table's columns):
 * the one definition the readiness check and the Users screen's "missing contact" filter share.
 */
export function hasContactSql(methods: readonly Method[], table = ''): string {
  const column = (name: string) => (table ? `${table}.${name}` : name);
  const checks = [...new Set(methods)].map((m) =>
    m === 'sms' ? `coalesce(${column('mobile')}, '') <> ''` : `coalesce(${column('email')}, '') <> ''`,
  );
  return checks.length ? `(${checks.join(' OR ')})` : '0';
}
