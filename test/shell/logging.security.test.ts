/**
 * Logs that diagnose and never leak: lines are structured (event + named fields), fields are redacted by
 * NAME (codes, secrets, passwords, tokens, keys; contacts masked), and every other number survives: error
 * codes, ports, durations, years. The file rotates by size.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatLogLine, maskContact, redactText, type LogFields } from '../../main/core/log-line';
import { LOG_FILE, LOG_MAX_BYTES, configureLogging, redactValue } from '../../main/shell/logging';
import { startTestEmulator, testVerifier, type TestEmulator } from '../support/emulator';
import { tempDir } from '../support/temp-dir';

const PHONE = '+46701234567';

describe('structured log lines', () => {
  it('write the event, then the fields as logfmt', () => {
    expect(formatLogLine('sinch.answer', { operation: 'report', httpStatus: 400, note: 'two words' })).toBe(
      'sinch.answer operation=report httpStatus=400 note="two words"',
    );
  });

  it.each<[string, LogFields, string]>([
    ['a one-time code', { code: '123456' }, '123456'],
    ['a code under another name', { verificationCode: '654321' }, '654321'],
    ['a password', { password: 'hunter2!' }, 'hunter2!'],
    ['a secret', { clientSecret: 's3cr3t-value' }, 's3cr3t-value'],
    ['a token', { idToken: 'abc.def.ghi' }, 'abc.def.ghi'],
    ['an authorization header', { authorization: 'Application key:sig' }, 'key:sig'],
    ['an application key', { applicationKey: 'app-key-1' }, 'app-key-1'],
    ['a mobile number', { to: PHONE }, '1234567'],
    ['an e-mail address', { email: 'anna.smith@example.com' }, 'anna.smith'],
  ])('redact %s by its field name', (_name, fields, secret) => {
    const line = formatLogLine('event', fields);
    expect(line).not.toContain(secret);
  });

  it('keep error codes, ports, durations, counts and years', () => {
    const line = formatLogLine('sinch.answer', {
      errorCode: 40003,
      providerErrorCode: 42901,
      httpStatus: 503,
      port: 51234,
      durationMs: 1234,
      rows: 1000000,
      year: 2026,
      message: 'listening on 127.0.0.1:8089 since 2026-11-29 after 15000 ms',
    });
    for (const kept of ['40003', '42901', '503', '51234', '1234', '1000000', '2026', '8089', '15000'])
      expect(line).toContain(kept);
  });

  it('leave out a field without a value and write a null as null, whatever its name', () => {
    // A `code=[redacted]` for a code that was never there would send whoever reads the log the wrong way.
    expect(formatLogLine('sinch.answer', { code: undefined, to: undefined, errorCode: undefined })).toBe(
      'sinch.answer',
    );
    expect(formatLogLine('sinch.answer', { code: null, to: null, httpStatus: null })).toBe(
      'sinch.answer code=null to=null httpStatus=null',
    );
  });

  it('mask contacts, keeping only enough to tell them apart', () => {
    expect(maskContact(PHONE)).toBe('+46•••67');
    expect(maskContact('anna@example.com')).toBe('a•••@example.com');
  });
});

describe('the free-text safety net', () => {
  it.each([
    ['a code after the word code', 'code check failed: code 123456', '123456'],
    ['a spaced code', 'user typed OTP 123 456', '123 456'],
    ['a code=value pair', 'submitted code=98-76-54', '98-76-54'],
    ['a password field', 'password: hunter2!', 'hunter2!'],
    ['a secret in JSON', '{"secret":"s3cr3t-value"}', 's3cr3t-value'],
    ['a bearer token', 'Authorization: Bearer abcdefghijklmnop.qrstuv', 'abcdefghijklmnop'],
    ['a Basic credential', 'sent Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA=='],
    ['a JWT', 'id token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl', 'eyJhbGciOiJSUzI1NiJ9'],
    ['a long key', 'application key 0f8e4a3b-5c6d-4e7f-8a9b-0c1d2e3f4a5b9c8d7e6f', '0f8e4a3b-5c6d-4e7f-8a9b'],
    ['a phone number', 'sending to +46 70 123 45 67', '+46 70 123 45 67'],
  ])('removes %s', (_name, line, secret) => {
    const cleaned = redactText(line);
    expect(cleaned).not.toContain(secret);
    expect(cleaned).toContain('[redacted]');
  });

  it('leaves ordinary facts and numbers alone', () => {
    const line = 'gateway refused sc:users:list from https://evil.example:8443 in 2026 after 1500 ms';
    expect(redactText(line)).toBe(line);
  });

  it('redacts objects handed to the file logger by key and by value, and errors by message', () => {
    expect(redactValue({ user: 'ada', password: 'x', nested: { otp: '1', note: 'code 123456' } })).toEqual({
      user: 'ada',
      password: '[redacted]',
      nested: { otp: '[redacted]', note: 'code [redacted]' },
    });
    expect(redactValue(new Error('wrong code 654321'))).toBe('Error: wrong code [redacted]');
  });
});

describe('a Sinch failure in the log', () => {
  let emulator: TestEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('keeps its errorCode and duration, and never the code, the secret or the full number', async () => {
    emulator = await startTestEmulator();
    const logsDir = tempDir('sc-logs-');
    const log = configureLogging({ logsDir, console: false });
    const verifier = testVerifier(emulator, { retries: 0, log: (event, fields) => log.warn(event, fields) });
    const { id } = await verifier.start({ method: 'sms', to: PHONE, validMinutes: 5, reference: 'log-test' });
    emulator.injectFaults({ status: 503, errorCode: 50301 });
    await expect(verifier.report(id, 'sms', '987654')).rejects.toThrow();
    // What a careless caller might add to the same line: all of it goes by name.
    log.warn('login.code-refused', { to: PHONE, code: '987654', secret: emulator.credentials.secret });

    const file = path.join(logsDir, LOG_FILE);
    await expect
      .poll(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8'))
      .toContain('login.code-refused');
    const text = fs.readFileSync(file, 'utf8');
    const failure = text.split('\n').find((line) => line.includes('sinch.answer') && line.includes('report'));
    expect(failure).toMatch(/errorCode=50301\b/);
    expect(failure).toMatch(/httpStatus=503\b/);
    expect(failure).toMatch(/durationMs=\d+/);
    for (const secret of ['987654', emulator.credentials.secret, PHONE, PHONE.slice(1)])
      expect(text).not.toContain(secret);
  });
});

describe('log file', () => {
  it('rotates main.log to main.old.log past 1 MiB', async () => {
    const logsDir = tempDir('sc-logs-');
    const log = configureLogging({ logsDir, console: false });
    const line = 'lorem ipsum dolor sit amet '.repeat(40);
    for (let i = 0; i < 1200; i++) log.info('filler', { line });
    await expect.poll(() => fs.existsSync(path.join(logsDir, 'main.old.log'))).toBe(true);
    expect(fs.statSync(path.join(logsDir, LOG_FILE)).size).toBeLessThan(LOG_MAX_BYTES);
  });
});
