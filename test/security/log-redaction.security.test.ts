/**
 * The log's free-text safety net removes every secret in a line, not only the first: an error message
 * can carry two codes (the one typed and the one expected), two numbers or two credentials.
 */
import { describe, expect, it } from 'vitest';
import { formatLogLine, redactText } from '../../main/core/log-line';

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
});
