/**
 * Errors are typed values: a stable code for programs and tests, a message fit to show a person, and
 * optional details for the audit log. Messages never carry a secret, a code, a password or a token.
 */
export type ScErrorCode =
  | 'validation'
  | 'not-found'
  | 'conflict'
  | 'forbidden'
  | 'unauthenticated'
  | 'invalid-credentials'
  | 'account-locked'
  | 'password-throttled'
  | 'no-verification-contact'
  | 'verification-unavailable'
  | 'verification-bad-credentials'
  | 'verification-invalid-destination'
  | 'verification-rate-limited'
  | 'verification-no-credit'
  | 'verification-malformed-response'
  | 'verification-rejected'
  | 'keychain-unavailable'
  | 'secret-missing'
  | 'database-unreadable'
  | 'database-newer-schema'
  | 'database-not-writable'
  | 'data-dir-insecure'
  | 'sso-error'
  | 'managed-policy-refused'
  | 'managed-by-organisation'
  | 'internal';

export class ScError extends Error {
  override readonly name = 'ScError';
  constructor(
    readonly code: ScErrorCode,
    message: string,
    /** Safe, secret-free facts for the audit log and for tests (e.g. the provider's errorCode). */
    readonly details: Readonly<Record<string, string | number | boolean | null>> = {},
  ) {
    super(message);
  }
}

export function isScError(error: unknown, code?: ScErrorCode): error is ScError {
  return error instanceof ScError && (code === undefined || error.code === code);
}

/** A validation failure that names the field, so forms can show it next to the input. */
export function validationError(field: string, message: string): ScError {
  return new ScError('validation', message, { field });
}

/** What the audit log keeps of a provider failure: the typed code, the provider's errorCode, the status. */
export function providerDetails(error: unknown): Record<string, string | number | boolean | null> {
  if (!isScError(error)) return { error: 'internal' };
  const { providerErrorCode, httpStatus } = error.details;
  return { error: error.code, providerErrorCode: providerErrorCode ?? null, httpStatus: httpStatus ?? null };
}
