import type { ErrorCode, IpcError } from '../contract/errors';
import type { ValidationParams } from '../contract/validation';

/**
 * Errors are typed values: a stable code for programs and tests (the contract's list, shared with the wire,
 * sc-admin and the window), a message fit to show a person, and optional details for the audit log.
 * Messages never carry a secret, a code, a password or a token.
 */
export class ScError extends Error {
  override readonly name = 'ScError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Safe, secret-free facts for the audit log and for tests (e.g. the provider's errorCode). */
    readonly details: Readonly<Record<string, string | number | boolean | null>> = {},
  ) {
    super(message);
  }
}

export function isScError(error: unknown, code?: ErrorCode): error is ScError {
  return error instanceof ScError && (code === undefined || error.code === code);
}

/**
 * A validation failure that names the field, so forms can show it next to the input, and the rule it
 * broke, so the window can say it in the person's language.
 */
export function validationError(field: string, message: string, params?: ValidationParams): ScError {
  return new ScError('validation', message, {
    field,
    ...params,
  });
}

/** What the audit log keeps of a provider failure: the typed code, the provider's errorCode, the status. */
export function providerDetails(error: unknown): Record<string, string | number | boolean | null> {
  if (!isScError(error)) return { error: 'internal' };
  const { providerErrorCode, httpStatus } = error.details;
  return { error: error.code, providerErrorCode: providerErrorCode ?? null, httpStatus: httpStatus ?? null };
}

/** Said for a failure nobody planned for: never its own message, which may name internals. */
export const INTERNAL_ERROR: IpcError = {
  code: 'internal',
  message:
    'Something went wrong in System Configurator. Try again; if it keeps happening, tell your administrator.',
};

/** The one way an error leaves main for a window: its code, its message and the field it concerns. */
export function toIpcError(error: unknown): IpcError {
  if (!isScError(error)) return INTERNAL_ERROR;
  const { field, rule, limit, value } = error.details;
  return {
    code: error.code,
    message: error.message,
    ...(typeof field === 'string' && field ? { field } : {}),
    ...(typeof rule === 'string'
      ? {
          params: {
            rule,
            ...(typeof limit === 'number' ? { limit } : {}),
            ...(typeof value === 'string' ? { value } : {}),
          },
        }
      : {}),
  };
}
