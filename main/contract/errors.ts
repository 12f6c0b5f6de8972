/**
 * The error vocabulary: every code main answers with, one list for the core's errors, the wire, sc-admin's
 * exit codes and the window's messages. Each of those maps every code (a `Record<ErrorCode, …>`), so a code
 * added here without its message or exit code does not compile. Pure: zod only.
 */
import { z } from 'zod';

export const ERROR_CODES = [
  // What the person sent
  'validation',
  'not-found',
  'conflict',
  // Who is asking
  'forbidden',
  'unauthenticated',
  // Log-on
  'invalid-credentials',
  'password-throttled',
  'no-verification-contact',
  'wrong-code',
  'code-not-valid',
  'code-expired',
  'resend-cooldown',
  'resend-limit',
  'sso-error',
  // The verification provider
  'verification-unavailable',
  'verification-bad-credentials',
  'verification-invalid-destination',
  'verification-rate-limited',
  'verification-no-credit',
  'verification-malformed-response',
  'verification-rejected',
  // This machine
  'keychain-unavailable',
  'secret-missing',
  'database-unreadable',
  'database-newer-schema',
  'database-not-writable',
  'data-dir-insecure',
  // The organisation's managed policy
  'managed-policy-refused',
  'managed-by-organisation',
  'cancelled',
  'file-not-writable',
  'internal',
] as const;

const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** An error as it crosses IPC: the code, main's sentence for a person, and the field it concerns. */
export const ipcErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  field: z.string().optional(),
  /** The numbers and kinds the window's localized text needs (e.g. attemptsLeft, minutes). */
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type IpcError = z.infer<typeof ipcErrorSchema>;
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };
