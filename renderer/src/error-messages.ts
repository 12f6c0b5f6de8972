/**
 * The one place where an error becomes words in the window (the message catalogs take this table over).
 * Every code of the contract's vocabulary has the window's sentence here, and so do the two errors that
 * arise in the window itself. main's own sentence wins when it sent one: it names what only main knows
 * (the rule a field broke, the attempts left, the minutes to wait).
 */
import type { ErrorCode, IpcError } from '@contract/errors';

/** Errors of the window itself, which main never sends: no bridge (opened outside the app), no answer. */
type WindowOnlyCode = 'no-bridge' | 'transport';
export type WindowErrorCode = ErrorCode | WindowOnlyCode;

/** An error as the window shows it: its code, the sentence to show, and the field it concerns. */
export interface WindowError {
  code: WindowErrorCode;
  message: string;
  field?: string | undefined;
  /** The numbers and kinds the window's localized text needs (see i18n/errors.ts). */
  params?: IpcError['params'];
}

export const ERROR_MESSAGES: Readonly<Record<WindowErrorCode, string>> = {
  validation: 'Check the highlighted field.',
  'not-found': 'That could not be found. It may have been removed; reload and try again.',
  conflict: 'That cannot be done right now. Reload and try again.',
  forbidden: 'Only an administrator can do this.',
  unauthenticated: 'Your session has ended. Log on again.',
  'invalid-credentials': 'Invalid username or password.',
  'password-throttled': 'Too many failed log-ons. Wait a few minutes and try again.',
  'no-verification-contact':
    'Your account has no verification contact. Ask your administrator to add your mobile number or e-mail address.',
  'wrong-code': 'That code is not right.',
  cancelled: 'Cancelled.',
  'file-not-writable': 'The file could not be written. Choose another folder.',
  'code-not-valid': 'This code is no longer valid. Use the newest code, or send a new one.',
  'code-expired': 'The code has expired. Send a new code.',
  'resend-cooldown': 'Wait a moment before sending a new code.',
  'resend-limit': 'No more codes can be sent for this log-on. Cancel and log on again.',
  'sso-error': 'The SSO log-on did not succeed. Try again, or log on with your username and password.',
  'verification-unavailable': 'The verification service is unavailable. Try again in a moment.',
  'verification-bad-credentials':
    'The verification service did not accept the configured Sinch key and secret. Ask your administrator to check them.',
  'verification-invalid-destination':
    'The verification service cannot send a code to this phone number or e-mail address. Ask your administrator to check your contact details.',
  'verification-rate-limited': 'Too many verification requests right now. Wait a minute and try again.',
  'verification-no-credit':
    'The verification service account has run out of credit. Ask your administrator to top it up.',
  'verification-malformed-response':
    'The verification service sent an answer that could not be read. Try again in a moment.',
  'verification-rejected':
    'The verification service refused the request. Try again, or ask your administrator if it keeps happening.',
  'keychain-unavailable': 'The OS keychain is unavailable, so the secret could not be read or stored.',
  'secret-missing': 'No Sinch secret is set. An administrator can set it in the Secrets manager.',
  'database-unreadable': 'System Configurator could not open its database. Tell your administrator.',
  'database-newer-schema':
    'The database was written by a newer version of System Configurator. Install that version or newer.',
  'database-not-writable': 'System Configurator cannot write to its database. Tell your administrator.',
  'data-dir-insecure':
    'Other users of this computer could change System Configurator’s data folder. Tell your administrator.',
  'managed-policy-refused':
    "Your organisation's managed policy was refused, so System Configurator cannot start. Tell your administrator.",
  'managed-by-organisation': 'Your organisation manages this setting; it cannot be changed on this computer.',
  internal: 'Something went wrong. Try again; if it keeps happening, tell your administrator.',
  'no-bridge': 'System Configurator is not connected.',
  transport: 'System Configurator did not answer. Try again.',
};

/** The error main sent, as the window shows it: main's sentence when it came, else the window's own. */
export function windowError(error: IpcError): IpcError {
  const message = error.message.trim() ? error.message : messageFor(error.code);
  return {
    code: error.code,
    message,
    ...(error.field ? { field: error.field } : {}),
    ...(error.params ? { params: error.params } : {}),
  };
}

/** The window's sentence for a code; a code this window does not know reads as an internal error. */
export function messageFor(code: string): string {
  return Object.hasOwn(ERROR_MESSAGES, code)
    ? ERROR_MESSAGES[code as WindowErrorCode]
    : ERROR_MESSAGES.internal;
}
