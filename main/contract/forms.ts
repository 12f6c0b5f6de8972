/**
 * The form fields' rules (field-rules.ts, written once as data) as zod schemas: main enforces them at the
 * gateway and in the core, composes them into its classic schemas (domain.ts, ipc.ts), and the policy's
 * JSON Schema shows them. The window runs the same rules without zod (field-rules.ts). Pure: zod only.
 */
import * as z from 'zod/mini';
import {
  CHOICE_MESSAGES,
  DISPLAY_NAME,
  E164,
  EMAIL,
  ENDPOINT,
  FALLBACK_DIFFERS,
  FALLBACK_METHODS,
  LOCK_MINUTES,
  MAX_ATTEMPTS,
  MAX_ROLES,
  PASSWORD,
  ROLES,
  SENDER_NAME,
  SINCH_AUTH_METHODS,
  USERNAME,
  VALID_MINUTES,
  VERIFICATION_METHODS,
  compactPhone,
  type NumberRule,
  type Role,
  type TextRule,
} from './field-rules';

export {
  ROLES,
  type Role,
  VERIFICATION_METHODS,
  type Method,
  type Fallback,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from './field-rules';

/** A text rule as a zod string: each step a check (or an overwrite, for a normalisation), in order. */
function textSchema(rule: TextRule) {
  return z.string(rule.typeMessage === undefined ? undefined : { error: rule.typeMessage }).check(
    ...rule.steps.map((step) => {
      switch (step.kind) {
        case 'trim':
          return z.trim();
        case 'compactPhone':
          return z.overwrite(compactPhone);
        case 'minLength':
          return z.minLength(step.limit, step.message);
        case 'maxLength':
          return z.maxLength(step.limit, step.message);
        case 'pattern':
          return z.regex(step.pattern, step.message);
        case 'email':
          return z.email({ pattern: step.pattern, error: step.message });
        case 'test':
          return z.refine<string>(step.test, { message: step.message });
      }
    }),
  );
}

function numberSchema(rule: NumberRule) {
  return z.number({ error: rule.typeMessage }).check(
    ...rule.steps.map((step) => {
      switch (step.kind) {
        case 'integer':
          return z.int(step.message);
        case 'minimum':
          return z.minimum(step.limit, step.message);
        case 'maximum':
          return z.maximum(step.limit, step.message);
      }
    }),
  );
}

export const roleSchema = z.enum(ROLES, { error: CHOICE_MESSAGES.role });

/** A set of roles: duplicates are dropped. */
const rolesSchema = z.pipe(
  z.array(roleSchema).check(z.maxLength(MAX_ROLES.limit, MAX_ROLES.message)),
  z.transform((roles: Role[]) => [...new Set(roles)]),
);

export const methodSchema = z.enum(VERIFICATION_METHODS, { error: CHOICE_MESSAGES.method });
export const fallbackSchema = z.enum(FALLBACK_METHODS, { error: CHOICE_MESSAGES.fallback });

export const usernameSchema = textSchema(USERNAME);
export const displayNameSchema = textSchema(DISPLAY_NAME);
export const emailSchema = textSchema(EMAIL);
export const e164Schema = textSchema(E164);

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

const passwordSchema = textSchema(PASSWORD);

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

/** The fields alone; `twoFactorPolicySchema` adds the rule that ties them together. */
export const twoFactorFieldsSchema = z.object({
  enabled: z.boolean(),
  primaryMethod: methodSchema,
  fallbackMethod: fallbackSchema,
  validMinutes: numberSchema(VALID_MINUTES),
  maxAttempts: numberSchema(MAX_ATTEMPTS),
  lockMinutes: numberSchema(LOCK_MINUTES),
});
export const twoFactorPolicySchema = twoFactorFieldsSchema.check(
  z.refine(FALLBACK_DIFFERS.holds, { path: [FALLBACK_DIFFERS.path], message: FALLBACK_DIFFERS.message }),
);
export type TwoFactorPolicy = z.infer<typeof twoFactorPolicySchema>;

export const endpointSchema = textSchema(ENDPOINT);

export const sinchSettingsSchema = z.object({
  endpoint: endpointSchema,
  authMethod: z.enum(SINCH_AUTH_METHODS, { error: CHOICE_MESSAGES.sinchAuth }),
  emailSenderAddress: z.union([z.literal(''), emailSchema]),
  emailSenderName: textSchema(SENDER_NAME),
});
export type SinchSettings = z.infer<typeof sinchSettingsSchema>;
