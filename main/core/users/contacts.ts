import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { validationError } from '../errors';

/**
 * Normalises a mobile number to E.164 and checks it is a valid number for its country. Accepts the
 * spaces and dashes people type ("+46 70-123 45 67"); refuses anything without the leading +country code.
 */
export function normalizeMobile(input: string): string {
  const compact = input.replace(/[\s\-().]/g, '');
  if (!/^\+[1-9]\d{6,14}$/.test(compact)) {
    throw validationError(
      'mobile',
      'Enter the mobile number in international E.164 form, like +46701234567.',
    );
  }
  const parsed = parsePhoneNumberFromString(compact);
  if (!parsed || !parsed.isValid()) {
    throw validationError('mobile', `${compact} is not a valid phone number for its country code.`);
  }
  return parsed.number;
}

/** "+46701234501" → "+46 70 123 45 01": the number grouped as its country writes it internationally. */
export function formatMobileInternational(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

export function normalizeEmail(input: string): string {
  return input.trim();
}

/**
 * The SQL condition "this user has a contact for one of these methods" (over the users table's columns):
 * the one definition the readiness check and the Users screen's "missing contact" filter share.
 */
export function hasContactSql(methods: readonly ('sms' | 'email')[], table = ''): string {
  const column = (name: string) => (table ? `${table}.${name}` : name);
  const checks = [...new Set(methods)].map((m) =>
    m === 'sms' ? `coalesce(${column('mobile')}, '') <> ''` : `coalesce(${column('email')}, '') <> ''`,
  );
  return checks.length ? `(${checks.join(' OR ')})` : '0';
}
