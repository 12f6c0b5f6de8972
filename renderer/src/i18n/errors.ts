/**
 * main's errors in the window's language. main sends a stable code (plus the numbers the text needs in
 * `params`) and an English sentence for logs and tests; the window shows its catalog's text for the codes
 * it knows, and main's sentence for the rest (detailed validation messages are English for now).
 */
import type { IpcError } from '@contract/errors';
import { translate, type MessageKey } from './i18n';

/** main's error, or one of the window's own (no bridge, no answer). */
type Describable = Omit<IpcError, 'code'> & { code: string };

const BY_CODE: Partial<Record<string, MessageKey>> = {
  'invalid-credentials': 'error.invalidCredentials',
  'password-throttled': 'error.passwordThrottled',
  'resend-limit': 'error.resendLimit',
  'resend-cooldown': 'error.resendCooldown',
  'no-verification-contact': 'error.noVerificationContact',
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
};

/** The text to show for an error from main (or from the bridge). */
export function errorText(error: Describable): string {
  const params = error.params ?? {};
  switch (error.code) {
    case 'wrong-code':
      return translate(params.anotherSent ? 'error.wrongCodeNewSent' : 'error.wrongCode', {
        count: Number(params.attemptsLeft ?? 0),
      });
    case 'code-expired':
      return translate('error.codeExpired');
    case 'code-not-valid':
      return translate('error.codeSuperseded');
    case 'validation':
      if (error.field === 'code') return translate('error.codeMalformed');
      return error.message;
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
