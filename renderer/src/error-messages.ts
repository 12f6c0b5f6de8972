/**
 * The window's own sentence for every code of the contract's vocabulary, and for the two errors that arise
 * in the window itself: the catalog's message where one needs no numbers (i18n/errors.ts), else the table
 * below (still English; the catalogs take it over). main's own sentence wins when it sent one: it names
 * what only main knows (the rule a field broke, the attempts left, the minutes to wait).
 */
import type { ErrorCode, IpcError } from '@contract/errors';
import { plainErrorText, type PlainErrorCode } from './i18n/errors';

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

/** The sentences of the codes the catalogs do not yet hold. */
export const ERROR_MESSAGES: Readonly<Record<Exclude<WindowErrorCode, PlainErrorCode>, string>> = {
  validation: 'Check the highlighted field.',
  'not-found': 'That could not be found. It may have been removed; reload and try again.',
  conflict: 'That cannot be done right now. Reload and try again.',
  forbidden: 'Only an administrator can do this.',
  'password-throttled': 'Too many failed log-ons. Wait a few minutes and try again.',
  'wrong-code': 'That code is not right.',
  cancelled: 'Cancelled.',
  'file-not-writable': 'The file could not be written. Choose another folder.',
  'resend-cooldown': 'Wait a moment before sending a new code.',
  'sso-error': 'The SSO log-on did not succeed. Try again, or log on with your username and password.',
  'database-unreadable': 'System Configurator could not open its database. Tell your administrator.',
  'database-newer-schema':
    'The database was written by a newer version of System Configurator. Install that version or newer.',
  'database-not-writable': 'System Configurator cannot write to its database. Tell your administrator.',
  'data-dir-insecure':
    'Other users of this computer could change System Configurator’s data folder. Tell your administrator.',
  'managed-policy-refused':
    "Your organisation's managed policy was refused, so System Configurator cannot start. Tell your administrator.",
  'managed-by-organisation': 'Your organisation manages this setting; it cannot be changed on this computer.',
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
  const plain = plainErrorText(code);
  if (plain !== undefined) return plain;
  return Object.hasOwn(ERROR_MESSAGES, code)
    ? ERROR_MESSAGES[code as keyof typeof ERROR_MESSAGES]
    : messageFor('internal');
}
