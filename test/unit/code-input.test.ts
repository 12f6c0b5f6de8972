/**
 * A typed code that cannot be a code is refused before Sinch is asked and before an attempt is counted
 * (main/core/auth/code.ts), so what counts as "a code" must be exact: 4 to 10 letters or digits, once the
 * spaces and dashes people type or paste are gone.
 */
import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../main/core/auth/code';

describe('a typed verification code', () => {
  it('keeps 4 to 10 letters or digits and refuses 3 or 11', () => {
    expect(normalizeCode('1234')).toBe('1234');
    expect(normalizeCode('123')).toBeNull();
    expect(normalizeCode('12345 67890')).toBe('1234567890');
    expect(normalizeCode('12345678901')).toBeNull();
    expect(normalizeCode('ab12-CD34')).toBe('ab12CD34');
  });

  it('removes every space and dash, wherever they are', () => {
    expect(normalizeCode(' 1 2-3\t4--5\r\n6 ')).toBe('123456');
  });

  it('refuses a code with anything else before, inside or after it', () => {
    for (const typed of ['!123456', '123456!', 'x123456.', '123.456', 'ä12345', '123456\u0000']) {
      expect(normalizeCode(typed), JSON.stringify(typed)).toBeNull();
    }
  });
});
