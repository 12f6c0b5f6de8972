/**
 * Phone numbers as people read them: main formats a stored E.164 number internationally ("+46 70 123 45 01")
 * for the window (the renderer carries no phone metadata), and masks a destination in the same grouping
 * while showing only the country code and the last two digits.
 */
import { describe, expect, it } from 'vitest';
import { formatMobileInternational } from '../../main/core/users/contacts';
import { maskPhone } from '../../main/core/auth/masking';

describe('formatMobileInternational', () => {
  it.each([
    ['+46701234501', '+46 70 123 45 01'],
    ['+358401234567', '+358 40 1234567'],
    ['+4915123456789', '+49 1512 3456789'],
    ['+14155550123', '+1 415 555 0123'],
  ])('writes %s as %s', (e164, international) => {
    expect(formatMobileInternational(e164)).toBe(international);
  });

  it('leaves a number it cannot read as it is, rather than guessing', () => {
    expect(formatMobileInternational('+999')).toBe('+999');
  });
});

describe('maskPhone', () => {
  it('groups the mask as the number is written: "+46 •• ••• •• 01"', () => {
    expect(maskPhone('+46701234501')).toBe('+46 •• ••• •• 01');
    expect(maskPhone('+14155550123')).toBe('+1 ••• ••• ••23');
  });

  it.each(['+46701234501', '+358401234567', '+4915123456789', '+14155550123'])(
    'shows nothing of %s but the country code and the last two digits',
    (e164) => {
      const masked = maskPhone(e164);
      const country = masked.split(' ')[0] ?? '';
      const shownDigits = masked.slice(country.length).replace(/\D/g, '');
      expect(shownDigits).toBe(e164.slice(-2));
      expect(e164.startsWith(country)).toBe(true);
    },
  );
});
