/**
 * The rules of the fields the window checks as people type (a user, the 2FA policy, the Sinch settings),
 * shared by main (which enforces them) and the renderer (inline validation). Written with zod/mini: the
 * window ships only the checks used here (~9 KB gzipped) instead of classic zod's method chains (~25 KB),
 * and main composes these schemas into its classic ones (domain.ts, ipc.ts). Pure: zod only.
 */
import * as z from 'zod/mini';
import { isHttpsOrLoopbackBaseUrl } from './web-url';

export const ROLES = ['administrator', 'read-only'] as const;
export const roleSchema = z.enum(ROLES, { error: 'Role must be "administrator" or "read-only".' });
export type Role = z.infer<typeof roleSchema>;

/** A set of roles: duplicates are dropped. */
const rolesSchema = z.pipe(
  z.array(roleSchema).check(z.maxLength(8, 'Too many roles.')),
  z.transform((roles: Role[]) => [...new Set(roles)]),
);

export const VERIFICATION_METHODS = ['sms', 'email'] as const;
export const methodSchema = z.enum(VERIFICATION_METHODS, { error: 'Method must be SMS or Email (beta).' });
export type Method = z.infer<typeof methodSchema>;
export const fallbackSchema = z.enum(['none', 'sms', 'email'], {
  error: 'Fallback must be none, SMS or Email (beta).',
});
export type Fallback = z.infer<typeof fallbackSchema>;

export const usernameSchema = z
  .string({ error: 'Username is required.' })
  .check(
    z.trim(),
    z.minLength(1, 'Username is required.'),
    z.maxLength(64, 'Username can have at most 64 characters.'),
    z.regex(/^[\p{L}\p{N}._@-]+$/u, 'Username can contain letters, digits and . _ @ - only.'),
  );

export const displayNameSchema = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, 'Display name is required.'),
    z.maxLength(128, 'Display name can have at most 128 characters.'),
  );

export const emailSchema = z
  .email({ error: 'Enter a valid e-mail address, like name@example.com.' })
  .check(z.maxLength(254));

const E164_MESSAGE = 'Enter the mobile number in international E.164 form, like +46701234567.';
/** E.164 shape; main also checks the number is valid for its country (libphonenumber-js). */
export const e164Schema = z.pipe(
  z.pipe(
    z.string().check(z.maxLength(32, E164_MESSAGE)),
    z.transform((typed: string) => typed.replace(/[\s\-().]/g, '')),
  ),
  z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, E164_MESSAGE)),
);

/** An optional contact: empty string or null clears it. */
const optionalContact = <T extends z.ZodMiniType<string>>(schema: T) =>
  z.union([
    z.pipe(
      z.literal(''),
      z.transform(() => null),
    ),
    z.null(),
    schema,
  ]);

/** No password is longer: longer input is refused before it reaches argon2 (in the gateway and the core). */
export const PASSWORD_MAX_LENGTH = 1024;
/** The password policy's length rule (main checks it; the window shows it before anyone types). */
export const PASSWORD_MIN_LENGTH = 12;
const passwordSchema = z
  .string()
  .check(z.minLength(1, 'Password is required.'), z.maxLength(PASSWORD_MAX_LENGTH, 'Password is too long.'));

export const newUserSchema = z.object({
  username: usernameSchema,
  displayName: z.optional(displayNameSchema),
  email: z.optional(optionalContact(emailSchema)),
  mobile: z.optional(optionalContact(e164Schema)),
  roles: z._default(rolesSchema, []),
  mustChangePassword: z._default(z.boolean(), false),
  active: z._default(z.boolean(), true),
  /** Omitted for SSO-only accounts. */
  password: z.optional(passwordSchema),
});
export type NewUserInput = z.input<typeof newUserSchema>;

export const userPatchSchema = z.object({
  displayName: z.optional(displayNameSchema),
  email: z.optional(optionalContact(emailSchema)),
  mobile: z.optional(optionalContact(e164Schema)),
  roles: z.optional(rolesSchema),
  mustChangePassword: z.optional(z.boolean()),
  active: z.optional(z.boolean()),
});
export type UserPatch = z.input<typeof userPatchSchema>;

// ---- Authentication policy: the seed's two blocks ----

/** Whole minutes or attempts between `min` and `max`, each refusal in its own words. */
const wholeNumber = (
  messages: { type: string; integer: string; min: string; max: string },
  min: number,
  max: number,
) =>
  z
    .number({ error: messages.type })
    .check(z.int(messages.integer), z.minimum(min, messages.min), z.maximum(max, messages.max));

/** The fields alone; `twoFactorPolicySchema` adds the rule that ties them together. */
export const twoFactorFieldsSchema = z.object({
  enabled: z.boolean(),
  primaryMethod: methodSchema,
  fallbackMethod: fallbackSchema,
  validMinutes: wholeNumber(
    {
      type: 'Enter a number of minutes.',
      integer: 'Use whole minutes.',
      min: 'A code must be valid for at least 1 minute.',
      max: 'A code can be valid for at most 60 minutes.',
    },
    1,
    60,
  ),
  maxAttempts: wholeNumber(
    {
      type: 'Enter a number of attempts.',
      integer: 'Use a whole number.',
      min: 'Allow at least 1 attempt.',
      max: 'Allow at most 10 attempts.',
    },
    1,
    10,
  ),
  lockMinutes: wholeNumber(
    {
      type: 'Enter a number of minutes.',
      integer: 'Use whole minutes.',
      min: 'Lock for at least 1 minute.',
      max: 'Lock for at most 1440 minutes (24 hours).',
    },
    1,
    1440,
  ),
});
export const twoFactorPolicySchema = twoFactorFieldsSchema.check(
  z.refine((p) => p.fallbackMethod !== p.primaryMethod, {
    path: ['fallbackMethod'],
    message: 'The fallback method must differ from the primary method.',
  }),
);
export type TwoFactorPolicy = z.infer<typeof twoFactorPolicySchema>;

export const endpointSchema = z.string().check(
  z.trim(),
  z.maxLength(512, 'The endpoint URL can have at most 512 characters.'),
  z.refine(isHttpsOrLoopbackBaseUrl, {
    message: 'The endpoint must be an https:// URL (http:// only for 127.0.0.1 or localhost).',
  }),
);

export const sinchSettingsSchema = z.object({
  endpoint: endpointSchema,
  authMethod: z.enum(['basic', 'signed'], {
    error: 'Authentication method must be Basic or Application signed request.',
  }),
  emailSenderAddress: z.union([z.literal(''), emailSchema]),
  emailSenderName: z
    .string()
    .check(z.trim(), z.maxLength(128, 'The sender name can have at most 128 characters.')),
});
export type SinchSettings = z.infer<typeof sinchSettingsSchema>;
