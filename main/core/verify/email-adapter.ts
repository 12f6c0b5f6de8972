/**
 * E-mail verification (beta). Sinch does not publish an e-mail shape for Verification v1, so the one we
 * use (shared/sinch-verification-api.md, "our choice") lives only here: the client builds bodies with it
 * and the emulator reads them with it, so a change to the real shape is made in one place.
 */
import { z } from 'zod';

const EMAIL_METHOD = 'email';

interface EmailSender {
  address: string;
  name: string;
}

export interface EmailStartInput {
  to: string;
  reference?: string;
  sender: EmailSender;
}

export function buildEmailStartBody(input: EmailStartInput): Record<string, unknown> {
  const emailOptions: Record<string, string> = {};
  // Empty settings are left out rather than sent as "", so the provider's own defaults apply.
  if (input.sender.address) emailOptions.from = input.sender.address;
  if (input.sender.name) emailOptions.fromName = input.sender.name;
  return {
    identity: { type: 'email', endpoint: input.to },
    method: EMAIL_METHOD,
    ...(input.reference ? { reference: input.reference } : {}),
    ...(Object.keys(emailOptions).length > 0 ? { emailOptions } : {}),
  };
}

export function buildEmailReportBody(code: string): Record<string, unknown> {
  return { method: EMAIL_METHOD, email: { code } };
}

/** The e-mail specific part of a start body, as the emulator validates it. */
export const emailStartSchema = z.object({
  identity: z.object({ type: z.literal('email'), endpoint: z.string() }),
  method: z.literal(EMAIL_METHOD),
  emailOptions: z.object({ from: z.string().optional(), fromName: z.string().optional() }).optional(),
});

export const emailReportSchema = z.object({
  method: z.literal(EMAIL_METHOD),
  email: z.object({ code: z.string() }),
});

/** Deliberately simple: one @, no spaces, a dot in the domain, at most 254 characters. */
export function isPlausibleEmailAddress(value: string): boolean {
  return value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}
