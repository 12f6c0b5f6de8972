/**
 * The log's free-text safety net removes every secret in a line, not only the first: an error message
 * can carry two codes (the one typed and the one expected), two numbers or two credentials.
 */
import { describe, expect, it } from 'vitest';
import { errorFields, formatLogLine, maskContact, redactText } from '../../main/core/log-line';

const JWT_A = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl';
const JWT_B = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJib2IifQ.b3RoZXJzaWc';

describe('log redaction', () => {
  it.each([
    ['codes after the word code', 'code 123456 was wrong, code 654321 expected', ['123456', '654321']],
    ['spaced codes', 'OTP 123 456 then OTP 654 321', ['123 456', '654 321']],
    ['code=value pairs', 'code=111222 retried as code=333444', ['111222', '333444']],
    ['passwords', 'password: hunter2! then password: swordfish?', ['hunter2!', 'swordfish?']],
    ['bearer tokens', 'Bearer abcdefghijkl then Bearer mnopqrstuvwx', ['abcdefghijkl', 'mnopqrstuvwx']],
    ['JSON web tokens', `${JWT_A} and ${JWT_B}`, ['eyJhbGciOiJSUzI1NiJ9', 'eyJhbGciOiJFUzI1NiJ9']],
    [
      'long keys',
      'key 0f8e4a3b5c6d4e7f8a9b0c1d2e3f4a5b9c8d then 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f',
      ['0f8e4a3b5c6d4e7f', '1a2b3c4d5e6f7a8b'],
    ],
    ['phone numbers', 'to +46701234567, then to +46707654321', ['+46701234567', '+46707654321']],
  ])('removes every one of several %s in one line', (_name, line, secrets) => {
    const cleaned = redactText(line);
    for (const secret of secrets) expect(cleaned).not.toContain(secret);
  });

  it('a free-text field of a log line loses every code in it', () => {
    const line = formatLogLine('sinch.answer', { message: 'code 123456 was wrong, code 654321 expected' });
    expect(line).not.toMatch(/123456|654321/);
    expect(line).toContain('sinch.answer');
  });

  it.each([
    ['four digits', '1234'],
    ['four digits with separators', '12 34'],
    ['a short number in parentheses', '(12) 3-4'],
    ['no digits at all', 'n/a'],
  ])('a contact too short to mask shows none of it: %s', (_name, contact) => {
    expect(maskContact(contact)).toBe('•••');
  });

  it('masks a number the same however it is written: only its first three and last two characters show', () => {
    for (const written of ['+46701234567', '+46 70 123 45 67', '(+46) 70-123 45 67 ', '+46.70.123.45.67'])
      expect(maskContact(written)).toBe('+46•••67');
  });

  it('an error becomes its name, its redacted message and its short code, never its stack or what it carries', () => {
    const failure = Object.assign(new TypeError('wrong code 123456 from the provider'), {
      code: 'ECONNREFUSED',
      config: { headers: { Authorization: 'Basic dXNlcjpzM2NyM3Q=' } },
    });
    const fields = errorFields(failure);
    expect(fields).toEqual({
      error: 'TypeError',
      message: 'wrong code 123456 from the provider',
      errorCode: 'ECONNREFUSED',
    });
    const line = formatLogLine('start.failed', fields);
    expect(line).toBe(
      'start.failed error=TypeError message="wrong code [redacted] from the provider" errorCode=ECONNREFUSED',
    );

    // A code that is not a short string (a number, an object) is not logged as one.
    expect(errorFields(Object.assign(new Error('refused'), { code: 42 }))).toEqual({
      error: 'Error',
      message: 'refused',
    });
  });

  it('a thrown value that is not an error is logged by its type only', () => {
    expect(errorFields('password hunter2 rejected')).toEqual({ error: 'string' });
    expect(errorFields({ secret: 's3cr3t' })).toEqual({ error: 'object' });
    expect(errorFields(undefined)).toEqual({ error: 'undefined' });
  });
});
