/**
 * The masked phone destination (the code screen, the audit log) from the attacker's side: for a number of
 * any country and length, and for one that cannot be read, the mask shows at most the country code and the
 * last two digits.
 */
import { describe, expect, it } from 'vitest';
import { getCountries, getExampleNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json';
import { maskPhone } from '../../main/core/auth/masking';

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
  ])(
    'shows nothing of %s, which it cannot read, but its last two digits (none of a short one)',
    (e164, shown) => {
      expect(maskPhone(e164).replace(/\D/g, '')).toBe(shown);
    },
  );
});
