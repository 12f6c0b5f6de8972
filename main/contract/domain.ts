/**
 * The shapes of the product's data and their validation rules, shared by main (which enforces them) and
 * the renderer (which imports their types; the fields it checks as people type are field-rules.ts, as zod
 * schemas in forms.ts, re-exported here). Pure: zod only, no Node, no Electron.
 */
import { z } from 'zod';
import {
  roleSchema,
  sinchSettingsSchema,
  twoFactorFieldsSchema,
  twoFactorPolicySchema,
  type SinchSettings,
  type TwoFactorPolicy,
} from './forms';
import { validationParams, type ValidationParams } from './validation';
import { isHttpsOrLoopbackBaseUrl } from './web-url';

export {
  ROLES,
  roleSchema,
  type Role,
  VERIFICATION_METHODS,
  methodSchema,
  type Method,
  fallbackSchema,
  type Fallback,
  usernameSchema,
  displayNameSchema,
  emailSchema,
  e164Schema,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  newUserSchema,
  type NewUserInput,
  userPatchSchema,
  type UserPatch,
  twoFactorPolicySchema,
  type TwoFactorPolicy,
  endpointSchema,
  sinchSettingsSchema,
  type SinchSettings,
} from './forms';

/** What every screen and the CLI show of a user: no hash, nothing secret. */
export const userViewSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  mobile: z.string().nullable(),
  /** The mobile number as people read it, "+46 70 123 45 01" (main formats it: the renderer has no metadata). */
  mobileInternational: z.string().nullable(),
  roles: z.array(roleSchema),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  hasPassword: z.boolean(),
  failedCodeAttempts: z.number().int(),
  scLockedUntil: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type UserView = z.infer<typeof userViewSchema>;

/** How the Users screen asks for a page: search, filters and sort, all done in SQL. */
const USER_SORTS = ['username', 'displayName', 'createdAt'] as const;
export type UserSort = (typeof USER_SORTS)[number];
const USER_PAGE_MAX = 200;
/** The longest search, as typed and (main checks it) once folded (users/search-fold.ts). */
export const USER_SEARCH_MAX = 128;
/**
 * Any part of the username, display name or e-mail address, case-insensitive. Not a NUL: SQLite ends its
 * copy of a LIKE pattern or an FTS5 query there, which would widen the match or break the query.
 */
export const userSearchSchema = z
  .string()
  .max(USER_SEARCH_MAX)
  .regex(/^[^\0]*$/, 'A search cannot contain a NUL character.');
export const userQuerySchema = z
  .object({
    search: userSearchSchema.optional(),
    role: z.union([roleSchema, z.literal('none')]).optional(),
    active: z.boolean().optional(),
    /** Users whose SC access is locked now (true) or not (false). */
    locked: z.boolean().optional(),
    /** Users without a contact for the current policy's primary and fallback methods. */
    missingContact: z.boolean().optional(),
    sort: z.enum(USER_SORTS).optional(),
    direction: z.enum(['asc', 'desc']).optional(),
    offset: z.number().int().min(0).max(10_000_000).optional(),
    limit: z.number().int().min(1).max(USER_PAGE_MAX).optional(),
  })
  .strict();
export type UserQuery = z.input<typeof userQuerySchema>;
export const userPageSchema = z.object({
  users: z.array(userViewSchema),
  /** Every user matching the search and filters, not only this page. */
  total: z.number().int(),
  offset: z.number().int(),
});
export type UserPage = z.infer<typeof userPageSchema>;

// ---- Authentication policy: the seed's two blocks (the fields' rules are in forms.ts) ----

export const TWO_FACTOR_DEFAULTS: TwoFactorPolicy = {
  enabled: false,
  primaryMethod: 'sms',
  fallbackMethod: 'none',
  validMinutes: 5,
  maxAttempts: 3,
  lockMinutes: 30,
};

export const SINCH_DEFAULTS: SinchSettings = {
  endpoint: 'https://verification.api.sinch.com',
  authMethod: 'signed',
  emailSenderAddress: '',
  emailSenderName: '',
};

// ---- The SSO block (OpenID Connect, authorization code + PKCE through the system browser) ----

export const SSO_USERNAME_CLAIMS = ['preferred_username', 'email', 'sub'] as const;
const ssoUsernameClaimSchema = z.enum(SSO_USERNAME_CLAIMS, {
  error: 'The user claim must be preferred_username, email or sub.',
});
const ssoUnknownUsersSchema = z.enum(['refuse', 'admin-link'], {
  error: 'Unknown SSO users must be "refuse" or "admin-link".',
});

/** The issuer: https, or http for 127.0.0.1/localhost only (a local test provider); no query, fragment or credentials. */
const issuerUrlSchema = z
  .string()
  .trim()
  .max(512, 'The issuer URL can have at most 512 characters.')
  .refine(isHttpsOrLoopbackBaseUrl, {
    message: 'The issuer must be an https:// URL (http:// only for 127.0.0.1 or localhost).',
  });

/** Space-separated OAuth scope tokens (RFC 6749 §3.3), normalized to single spaces; must include openid. */
const ssoScopesSchema = z
  .string()
  .max(1024, 'The scopes can have at most 512 characters.')
  .transform((typed) => typed.trim().split(/\s+/).filter(Boolean).join(' '))
  .pipe(
    z
      .string()
      .max(512, 'The scopes can have at most 512 characters.')
      .regex(
        /^[\x21\x23-\x5B\x5D-\x7E ]*$/,
        'Scopes are words separated by spaces, like "openid profile email".',
      )
      .refine((scopes) => scopes.split(' ').includes('openid'), {
        message: 'The scopes must include openid.',
      }),
  );

/** The fields alone (every one may be empty while SSO is off); `ssoSettingsSchema` adds what "on" needs. */
const ssoFieldsSchema = z.object({
  enabled: z.boolean(),
  issuer: z.union([z.literal(''), issuerUrlSchema]),
  /** A public client: no secret (one a provider insists on belongs in the Secrets manager). */
  clientId: z.string().trim().max(256, 'The client ID can have at most 256 characters.'),
  scopes: ssoScopesSchema,
  /** The ID token (or userinfo) claim whose value is the System Configurator username. */
  usernameClaim: ssoUsernameClaimSchema,
  /** Unknown SSO users are refused, or refused with "an administrator must link your account". */
  unknownUsers: ssoUnknownUsersSchema,
});
export const ssoSettingsSchema = ssoFieldsSchema.superRefine((sso, ctx) => {
  if (!sso.enabled) return;
  if (sso.issuer === '')
    ctx.addIssue({
      code: 'custom',
      path: ['issuer'],
      message: 'Enter the issuer URL before switching SSO on.',
    });
  if (sso.clientId === '')
    ctx.addIssue({
      code: 'custom',
      path: ['clientId'],
      message: 'Enter the client ID before switching SSO on.',
    });
});
export type SsoSettings = z.infer<typeof ssoSettingsSchema>;

export const SSO_DEFAULTS: SsoSettings = {
  enabled: false,
  issuer: '',
  clientId: '',
  scopes: 'openid profile email',
  usernameClaim: 'preferred_username',
  unknownUsers: 'refuse',
};

// ---- SSO identities: SC users linked by the provider's issuer + subject, and identities awaiting a link ----

/** OpenID Connect: a subject is at most 255 ASCII characters; printable ones only, so it shows as it is. */
const SSO_SUBJECT_MAX_LENGTH = 255;
export const ssoSubjectSchema = z
  .string()
  .min(1, 'Enter the subject.')
  .max(SSO_SUBJECT_MAX_LENGTH, `The subject can have at most ${SSO_SUBJECT_MAX_LENGTH} characters.`)
  .regex(/^[\x20-\x7E]+$/, 'The subject is printable ASCII characters only.');

/** One identity at the provider: its issuer and the subject it gave the person. */
export const ssoIdentityKeySchema = z.object({ issuer: issuerUrlSchema, subject: ssoSubjectSchema }).strict();
export type SsoIdentityKey = z.infer<typeof ssoIdentityKeySchema>;
export const ssoLinkSchema = ssoIdentityKeySchema.extend({ username: z.string().min(1).max(64) }).strict();
export type SsoLinkInput = z.infer<typeof ssoLinkSchema>;

/** The claims a pending identity showed, as shown to an administrator: cut and escaped in main. */
export const SSO_SHOWN_CLAIMS = ['preferred_username', 'email', 'email_verified', 'name'] as const;
export const ssoShownClaimsSchema = z.partialRecord(z.enum(SSO_SHOWN_CLAIMS), z.string().max(1024));
export type SsoShownClaims = z.infer<typeof ssoShownClaimsSchema>;

export const ssoLinkViewSchema = z.object({
  issuer: z.string(),
  subject: z.string(),
  username: z.string(),
  linkedAt: z.number(),
  linkedBy: z.string(),
});
export type SsoLinkView = z.infer<typeof ssoLinkViewSchema>;

const ssoPendingViewSchema = z.object({
  issuer: z.string(),
  subject: z.string(),
  /**
   * unmatched: no SC user has the claim; claim-taken: the user with that claim is linked to another subject;
   * administrator: the claim is an administrator's, whom only an administrator links.
   */
  reason: z.enum(['unmatched', 'claim-taken', 'administrator']),
  claims: ssoShownClaimsSchema,
  firstSeen: z.number(),
  lastSeen: z.number(),
});
export type SsoPendingView = z.infer<typeof ssoPendingViewSchema>;

/** An identity an administrator unlinked: refused at every log-on until an administrator links it again. */
const ssoUnlinkedViewSchema = z.object({
  issuer: z.string(),
  subject: z.string(),
  unlinkedAt: z.number(),
  unlinkedBy: z.string(),
});

export const ssoIdentitiesSchema = z.object({
  pending: z.array(ssoPendingViewSchema),
  unlinked: z.array(ssoUnlinkedViewSchema),
  links: z.array(ssoLinkViewSchema),
});
export type SsoIdentities = z.infer<typeof ssoIdentitiesSchema>;

export const policySchema = z.object({
  twoFactor: twoFactorPolicySchema,
  sinch: sinchSettingsSchema,
  sso: ssoSettingsSchema,
});
export type Policy = z.infer<typeof policySchema>;

/** A change to the policy: any fields of any block; unknown fields are refused. */
export const policyPatchSchema = z
  .object({
    twoFactor: z.strictObject(twoFactorFieldsSchema.shape).partial().optional(),
    sinch: z.strictObject(sinchSettingsSchema.shape).partial().optional(),
    sso: ssoFieldsSchema.partial().strict().optional(),
  })
  .strict();

// ---- The policy document: `sc-admin policy export` writes it, `policy import` and the managed policy read it ----

export const POLICY_DOCUMENT_VERSION = 1;

/**
 * The policy as a file: the version, then any fields of the window's policy, checked by the same field
 * schemas. Unknown fields are refused (a misspelt field must not silently leave a setting unmanaged).
 */
export const policyDocumentSchema = policyPatchSchema.extend({
  version: z.literal(POLICY_DOCUMENT_VERSION, {
    error: `The policy document needs "version": ${POLICY_DOCUMENT_VERSION}.`,
  }),
});
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

/** Where a value in force comes from: the built-in default, this computer's database, or the managed policy. */
const POLICY_SOURCES = ['default', 'local', 'managed'] as const;

/** Every policy field by its path (`twoFactor.maxAttempts`): the keys of the policy's sources. */
export const POLICY_FIELDS = [
  ...Object.keys(twoFactorFieldsSchema.shape).map((k) => `twoFactor.${k}`),
  ...Object.keys(sinchSettingsSchema.shape).map((k) => `sinch.${k}`),
  ...Object.keys(ssoFieldsSchema.shape).map((k) => `sso.${k}`),
] as readonly string[];

export const policySourcesSchema = z.object({
  /** The managed policy file in force, or null when this computer has none. */
  managedSource: z.string().nullable(),
  /** Each field's source, by path. */
  fields: z.record(z.string(), z.enum(POLICY_SOURCES)),
});
export type PolicySources = z.infer<typeof policySourcesSchema>;

export const readinessSchema = z.object({
  /** Active users with neither contact for the chosen methods: with 2FA on they could not log in. */
  usersWithoutContact: z.array(z.object({ username: z.string(), displayName: z.string() })),
  activeUsers: z.number().int(),
});
export type Readiness = z.infer<typeof readinessSchema>;

/**
 * The first message of a zod error, with the field it concerns and the rule it broke (for the window's
 * own words), for a clear specific answer.
 */
export function firstIssue(error: z.core.$ZodError): {
  field: string;
  message: string;
  params: ValidationParams;
} {
  const issue = error.issues[0];
  return {
    field: issue ? issue.path.join('.') : '',
    message: issue?.message ?? 'Invalid input.',
    params: issue ? validationParams(issue) : { rule: 'invalid' },
  };
}

// ---- Audit log ----

/** Every action the audit log records, with the label the Audit log screen shows for it. */
const AUDIT_ACTION_LABELS = {
  'logon.password': 'Log-on: password checked',
  'logon.sso': 'Log-on: SSO',
  'sso.linked': 'SSO identity linked',
  'sso.unlinked': 'SSO identity unlinked',
  'sso.pending': 'SSO identity awaiting a link',
  'logon.success': 'Log-on: signed in',
  'logon.signout': 'Signed out',
  'logon.timeout': 'Idle time-out',
  'logon.cancel': 'Log-on cancelled',
  'logon.revoked': 'Log-on ended: account deactivated',
  'code.sent': 'Code sent',
  'code.failure': 'Code failure',
  'code.success': 'Code accepted',
  'code.refused': 'Code refused',
  'account.locked': 'Account locked',
  'account.unlocked': 'Account unlocked',
  'password.changed': 'Password changed',
  'password.upgraded': 'Password hash upgraded',
  'password.set': 'Password set by an administrator',
  'policy.changed': 'Policy changed',
  'policy.managedRefused': 'Managed policy refused',
  'secret.set': 'Secret set',
  'secret.deleted': 'Secret deleted',
  'user.created': 'User created',
  'user.changed': 'User changed',
  'user.deactivated': 'User deactivated',
  'users.imported': 'Users imported',
  'verify.test': 'Test connection',
  'admin.initialized': 'First administrator created',
  'audit.exported': 'Audit log exported',
} as const;
export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];
