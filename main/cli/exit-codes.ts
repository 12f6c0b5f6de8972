/** sc-admin's exit codes, and the one mapping from the error vocabulary to them. */
import type { ErrorCode } from '../contract/errors';

export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Input the admin can correct exits like a usage mistake (2: nothing was written); everything else is a
 * runtime failure (1). A `Record`, so a new error code does not compile until it has its exit code.
 */
export const EXIT_CODE_OF: Readonly<Record<ErrorCode, ExitCode>> = {
  validation: EXIT.usage,
  'not-found': EXIT.usage,
  conflict: EXIT.usage,
  'managed-by-organisation': EXIT.usage,
  'file-not-writable': EXIT.usage,
  cancelled: EXIT.failure,
  forbidden: EXIT.failure,
  unauthenticated: EXIT.failure,
  'invalid-credentials': EXIT.failure,
  'password-throttled': EXIT.failure,
  'no-verification-contact': EXIT.failure,
  'wrong-code': EXIT.failure,
  'code-not-valid': EXIT.failure,
  'code-expired': EXIT.failure,
  'resend-cooldown': EXIT.failure,
  'resend-limit': EXIT.failure,
  'sso-error': EXIT.failure,
  'verification-unavailable': EXIT.failure,
  'verification-bad-credentials': EXIT.failure,
  'verification-invalid-destination': EXIT.failure,
  'verification-rate-limited': EXIT.failure,
  'verification-no-credit': EXIT.failure,
  'verification-malformed-response': EXIT.failure,
  'verification-rejected': EXIT.failure,
  'keychain-unavailable': EXIT.failure,
  'secret-missing': EXIT.failure,
  'database-unreadable': EXIT.failure,
  'database-newer-schema': EXIT.failure,
  'database-not-writable': EXIT.failure,
  'data-dir-insecure': EXIT.failure,
  'managed-policy-refused': EXIT.failure,
  internal: EXIT.failure,
};
