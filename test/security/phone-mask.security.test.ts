/**
 * The masked phone destination (the code screen, the audit log) from the attacker's side: for a number of
 * any country and length, and for one that cannot be read, the mask shows at most the country code and the
 * last two digits.
 */
import { describe, expect, it } from 'vitest';
import { getCountries, getExampleNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json';
import { maskDestination, maskEmail, maskPhone } from '../../main/core/auth/masking';

/** The digits a mask shows after its leading "+country" (the country code is the mask's first group). */
function digitsAfterCountry(masked: string, countryCode: string): string {
  expect(masked.startsWith(`+${countryCode}`)).toBe(true);
  return masked.slice(countryCode.length + 1).replace(/\D/g, '');
}

describe('a masked phone number', () => {
  const numbers = getCountries()
    .map((country) => getExampleNumber(country, examples))
    .filter((n) => n !== undefined);

  it('shows only the country code and the last two digits for every country', () => {
    expect(numbers.length).toBeGreaterThan(200);
    for (const number of numbers) {
      const masked = maskPhone(number.number);
      expect(digitsAfterCountry(masked, number.countryCallingCode), masked).toBe(number.number.slice(-2));
    }
  });

  it.each([
    ['+99912345678', '78'],
    ['+1234', ''],
    ['+1415', ''],
    ['+12', ''],
    // The fewest digits that show their last two: six, four of them hidden.
    ['+999123', '23'],
    ['+99912', ''],
  ])(
    'shows nothing of %s, which it cannot read, but its last two digits (none of a short one)',
    (e164, shown) => {
      expect(maskPhone(e164).replace(/\D/g, '')).toBe(shown);
    },
  );

  it('masks a number it cannot read as bullets alone, its last two digits only when six or more', () => {
    expect(maskPhone('+999123')).toBe('+••• ••• •23');
    expect(maskPhone('+99912')).toBe('+••• ••• •');
  });
});

describe('a masked e-mail address', () => {
  it('shows the first character of the local part and the domain, nothing else', () => {
    expect(maskEmail('bob.smith@example.com')).toBe('b•••@example.com');
    expect(maskEmail('a@example.com')).toBe('a•••@example.com');
    // A quoted local part may hold an "@": the domain is what follows the last one.
    expect(maskEmail('"b@x"@example.com')).toBe('"•••@example.com');
  });

  it('shows nothing of an address without a local part or an "@"', () => {
    expect(maskEmail('@example.com')).toBe('•••');
    expect(maskEmail('bob.smith')).toBe('•••');
  });

  it('masks each destination by its own method', () => {
    expect(maskDestination('email', 'bob.smith@example.com')).toBe('b•••@example.com');
    expect(maskDestination('sms', '+46701234512')).toBe('+46 •• ••• •• 12');
  });
});
