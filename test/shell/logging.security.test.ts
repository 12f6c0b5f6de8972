/** The shell's log never holds a code, a secret, a token or a phone number, and rotates by size. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOG_FILE, LOG_MAX_BYTES, configureLogging, redact, redactValue } from '../../main/shell/logging';
import { tempDir } from '../support/temp-dir';

describe('log redaction', () => {
  it.each([
    ['a six-digit code', 'code check failed for 123456', '123456'],
    ['a spaced code', 'user typed 123 456', '123 456'],
    ['a code=value pair', 'submitted code=98-76-54', '98-76-54'],
    ['a password field', 'password: hunter2!', 'hunter2!'],
    ['a secret in JSON', '{"secret":"s3cr3t-value"}', 's3cr3t-value'],
    ['a bearer token', 'Authorization: Bearer abcdefghijklmnop.qrstuv', 'abcdefghijklmnop'],
    ['a Basic credential', 'sent Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA=='],
    ['a JWT', 'id token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl', 'eyJhbGciOiJSUzI1NiJ9'],
    ['a long key', 'application key 0f8e4a3b-5c6d-4e7f-8a9b-0c1d2e3f4a5b9c8d7e6f', '0f8e4a3b-5c6d-4e7f-8a9b'],
    ['a phone number', 'sending to +46 70 123 45 67', '+46 70 123 45 67'],
  ])('removes %s', (_name, line, secret) => {
    const cleaned = redact(line);
    expect(cleaned).not.toContain(secret);
    expect(cleaned).toContain('[redacted]');
  });

  it('keeps ordinary facts readable', () => {
    expect(redact('gateway: refused sc:users:list from origin https://evil.example')).toBe(
      'gateway: refused sc:users:list from origin https://evil.example',
    );
  });

  it('redacts objects by key and by value, and errors by message', () => {
    expect(redactValue({ user: 'ada', password: 'x', nested: { otp: '1', note: 'code 123456' } })).toEqual({
      user: 'ada',
      password: '[redacted]',
      nested: { otp: '[redacted]', note: 'code [redacted]' },
    });
    expect(redactValue(new Error('wrong code 654321'))).toBe('Error: wrong code [redacted]');
  });
});

describe('log file', () => {
  it('writes main.log in the given log folder, redacted', async () => {
    const logsDir = tempDir('sc-logs-');
    const log = configureLogging({ logsDir, console: false });
    log.warn('verification code 246810 for +46701234567 refused');
    const file = path.join(logsDir, LOG_FILE);
    await expect.poll(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8')).toContain('refused');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('246810');
    expect(text).not.toContain('+46701234567');
  });

  it('rotates main.log to main.old.log past 1 MiB', async () => {
    const logsDir = tempDir('sc-logs-');
    const log = configureLogging({ logsDir, console: false });
    const line = 'lorem ipsum dolor sit amet '.repeat(40);
    for (let i = 0; i < 1200; i++) log.info(line);
    await expect.poll(() => fs.existsSync(path.join(logsDir, 'main.old.log'))).toBe(true);
    expect(fs.statSync(path.join(logsDir, LOG_FILE)).size).toBeLessThan(LOG_MAX_BYTES);
  });
});
