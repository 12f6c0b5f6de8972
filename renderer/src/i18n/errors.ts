/**
 * main's errors in the window's language. main sends a stable code (plus the numbers the text needs in
 * `params`) and an English sentence for logs and tests; the window shows its catalog's text for the codes
 * it knows, and main's sentence for the rest (detailed validation messages are English for now).
 */
import type { IpcError } from '@contract/errors';
import type { WindowErrorCode } from '../error-messages';
import { translate, type MessageKey } from './i18n';
import { validationText } from './validation';

/** main's error, or one of the window's own (no bridge, no answer). */
type Describable = Omit<IpcError, 'code'> & { code: string };

/**
 * The codes whose sentence in the window is one catalog message with no numbers in it: the window's words
 * for them live only in the catalogs (main keeps the code, and an English sentence for logs and sc-admin).
 */
export const PLAIN_ERROR_KEYS = {
  'invalid-credentials': 'error.invalidCredentials',
  'resend-limit': 'error.resendLimit',
  'no-verification-contact': 'error.noVerificationContact',
  'code-expired': 'error.codeExpired',
  'code-not-valid': 'error.codeSuperseded',
  'verification-unavailable': 'error.verificationUnavailable',
  'verification-bad-credentials': 'error.verificationBadCredentials',
  'verification-invalid-destination': 'error.verificationInvalidDestination',
  'verification-rate-limited': 'error.verificationRateLimited',
  'verification-no-credit': 'error.verificationNoCredit',
  'verification-malformed-response': 'error.verificationMalformedResponse',
  'verification-rejected': 'error.verificationRejected',
  'secret-missing': 'error.secretMissing',
  'keychain-unavailable': 'error.keychainUnavailable',
  unauthenticated: 'error.unauthenticated',
  // forbidden: main's sentence says which refusal it is (a foreign window, or a role), so it is shown as sent.
  internal: 'error.internal',
  transport: 'error.transport',
  'no-bridge': 'error.noBridge',
} as const satisfies Partial<Record<WindowErrorCode, MessageKey>>;
export type PlainErrorCode = keyof typeof PLAIN_ERROR_KEYS;

const BY_CODE: Partial<Record<string, MessageKey>> = {
  ...PLAIN_ERROR_KEYS,
  'password-throttled': 'error.passwordThrottled',
  'resend-cooldown': 'error.resendCooldown',
};

/** The catalog's sentence for a code that needs no numbers; undefined for any other code. */
export function plainErrorText(code: string): string | undefined {
  return Object.hasOwn(PLAIN_ERROR_KEYS, code)
    ? translate(PLAIN_ERROR_KEYS[code as PlainErrorCode])
    : undefined;
}

/** The text to show for an error from main (or from the bridge). */
export function errorText(error: Describable): string {
  const params = error.params ?? {};
  switch (error.code) {
    case 'wrong-code':
      return translate(params.anotherSent ? 'error.wrongCodeNewSent' : 'error.wrongCode', {
        count: Number(params.attemptsLeft ?? 0),
      });
    case 'validation':
      if (error.field === 'code') return translate('error.codeMalformed');
      return validationText(error.field ?? '', error.params, error.message);
    case 'conflict':
      // A conflict about a field (a username taken, the last administrator) names its rule; others are main's.
      return validationText(error.field ?? '', error.params, error.message);
  }
  const key = BY_CODE[error.code];
  if (!key) return error.message;
  return translate(key, {
    minutes: Number(params.minutes ?? 1),
    seconds: Number(params.seconds ?? 0),
  });
}

/** `errorText` for an optional error. */
export function optionalErrorText(error: Describable | null | undefined): string | undefined {
  return error ? errorText(error) : undefined;
}
