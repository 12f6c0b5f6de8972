/**
 * One error vocabulary: the contract's list of codes is the wire's type, and every code has the window's
 * sentence and sc-admin's exit code. Adding a code to the list without both fails here (and in tsc).
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ipcErrorSchema } from '../../main/contract/errors';
import { authViewSchema } from '../../main/contract/ipc';
import { EXIT, EXIT_CODE_OF } from '../../main/cli/exit-codes';
import { ScError, toIpcError } from '../../main/core/errors';
import { ERROR_MESSAGES, messageFor, windowError } from '../../renderer/src/error-messages';
import { PLAIN_ERROR_KEYS } from '../../renderer/src/i18n/errors';
import en from '../../renderer/src/i18n/catalogs/en.json';

describe('one error vocabulary', () => {
  it.each(ERROR_CODES)('%s has a message in the window', (code) => {
    expect(messageFor(code)).toMatch(/^[A-Z].*[.]$/);
  });

  it('a sentence the catalogs hold is written only there (the window’s table leaves it out)', () => {
    for (const [code, key] of Object.entries(PLAIN_ERROR_KEYS)) {
      expect(Object.keys(ERROR_MESSAGES)).not.toContain(code);
      expect(messageFor(code)).toBe(en[key]);
    }
  });

  it.each(ERROR_CODES)('%s has an exit code in sc-admin', (code) => {
    expect([EXIT.failure, EXIT.usage]).toContain(EXIT_CODE_OF[code]);
  });

  it('input the admin can correct exits 2, everything else 1', () => {
    const usage = ERROR_CODES.filter((code) => EXIT_CODE_OF[code] === EXIT.usage);
    expect(usage).toEqual([
      'validation',
      'not-found',
      'conflict',
      'managed-by-organisation',
      'file-not-writable',
    ]);
  });

  it('the window and sc-admin map exactly the contract’s codes (plus the window’s own two)', () => {
    expect(Object.keys(EXIT_CODE_OF).sort()).toEqual([...ERROR_CODES].sort());
    const windowCodes = [...Object.keys(ERROR_MESSAGES), ...Object.keys(PLAIN_ERROR_KEYS)];
    expect(windowCodes.sort()).toEqual([...ERROR_CODES, 'no-bridge', 'transport'].sort());
  });

  it('the wire refuses a code outside the vocabulary, in a result and in a view', () => {
    expect(ipcErrorSchema.safeParse({ code: 'validation', message: 'x' }).success).toBe(true);
    expect(ipcErrorSchema.safeParse({ code: 'made-up', message: 'x' }).success).toBe(false);
    const view = { step: 'ssoWaiting', serverNow: 0, error: { code: 'made-up', message: 'x' } };
    expect(authViewSchema.safeParse(view).success).toBe(false);
  });
});

describe('one mapper per direction', () => {
  it('main → wire: an ScError keeps its code, message and field; anything else is internal', () => {
    const error = new ScError('validation', 'Enter a number.', { field: 'twoFactor.maxAttempts' });
    expect(toIpcError(error)).toEqual({
      code: 'validation',
      message: 'Enter a number.',
      field: 'twoFactor.maxAttempts',
    });
    const internal = toIpcError(new Error('SQLITE_CORRUPT at /secret/path'));
    expect(internal.code).toBe('internal');
    expect(internal.message).not.toContain('/secret/path');
  });

  it('wire → window: main’s sentence when it sent one, else the window’s own for the code', () => {
    const specific = {
      code: 'wrong-code',
      message: 'That code is not right. 2 attempts left.',
      field: 'code',
    } as const;
    expect(windowError(specific)).toEqual(specific);
    expect(windowError({ code: 'resend-limit', message: '' })).toEqual({
      code: 'resend-limit',
      message: en['error.resendLimit'],
    });
  });

  it('a code this window does not know reads as an internal error, never as nothing', () => {
    expect(messageFor('from-a-newer-main')).toBe(en['error.internal']);
    expect(messageFor('constructor')).toBe(en['error.internal']);
  });
});
