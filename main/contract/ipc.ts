/**
 * The IPC contract: every channel between the window and main, its payload and result schemas, the state
 * view model main pushes, and the `ScApi` type that `window.sc` implements. Main validates every payload
 * against these schemas; the renderer imports the types (and the schemas, for inline validation).
 * Pure: zod only.
 */
import { z } from 'zod';
import { channelNames as names } from './channel-names';
import { ipcErrorSchema, type IpcResult } from './errors';
import {
  newUserSchema,
  policyPatchSchema,
  policySchema,
  policySourcesSchema,
  readinessSchema,
  roleSchema,
  userPatchSchema,
  userPageSchema,
  userQuerySchema,
  userViewSchema,
  usernameSchema,
  ssoIdentitiesSchema,
  ssoIdentityKeySchema,
  ssoLinkSchema,
  ssoLinkViewSchema,
  AUDIT_ACTIONS,
  type AuditAction,
  methodSchema,
  fallbackSchema,
  PASSWORD_MAX_LENGTH,
} from './domain';
import { APP_LOCALES } from './locale';

// ---- The view model of the login flow (pushed on AUTH_STATE_EVENT, also returned by auth.state) ----

const passwordRulesSchema = z.object({ minLength: z.number().int(), rules: z.array(z.string()) });
export type PasswordRules = z.infer<typeof passwordRulesSchema>;

const signedInUserSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
});

export const appLocaleSchema = z.enum(APP_LOCALES);

const base = {
  /** Main's clock when the state was made: the window counts down against this, not its own clock. */
  serverNow: z.number(),
  error: ipcErrorSchema.nullable(),
  /** The window's language: the one chosen in the window, else the OS's (main keeps the choice). */
  locale: appLocaleSchema,
};

export const authViewSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('firstRun'), ...base, passwordRules: passwordRulesSchema }),
  z.object({
    step: z.literal('signedOut'),
    ...base,
    ssoEnabled: z.boolean(),
    notice: z.enum(['signedOut', 'sessionExpired', 'cancelled']).nullable(),
  }),
  z.object({ step: z.literal('ssoWaiting'), ...base }),
  z.object({
    step: z.literal('awaitingCode'),
    ...base,
    /** Why this code: the log-on itself, or the second code after a password change. */
    purpose: z.enum(['logon', 'afterPasswordChange']),
    method: methodSchema,
    /** Masked in main, e.g. "+46 •• ••• •• 12" or "a•••@example.com". */
    maskedDestination: z.string(),
    expiresAt: z.number(),
    attemptsLeft: z.number().int(),
    /** When "Resend code" becomes available; null when no resend is left for this log-on. */
    resendAt: z.number().nullable(),
    resendsLeft: z.number().int(),
  }),
  z.object({ step: z.literal('passwordChangeRequired'), ...base, passwordRules: passwordRulesSchema }),
  z.object({ step: z.literal('locked'), ...base, lockedUntil: z.number() }),
  z.object({
    step: z.literal('refused'),
    ...base,
    /** A misconfigured provider is a setup to fix, not an error code of its own. */
    reason: z.enum(['no-verification-contact', 'verification-unavailable', 'verification-misconfigured']),
    /** Retry is offered for a provider outage, not for a missing contact or a wrong setup. */
    canRetry: z.boolean(),
    /** What passed before the send failed: the password, the SSO sign-in, or a password change. */
    passed: z.enum(['password', 'sso', 'passwordChange']),
    /** The person logging on is an administrator (they can fix a wrong setup themselves). */
    isAdministrator: z.boolean(),
  }),
  z.object({
    step: z.literal('signedIn'),
    ...base,
    user: signedInUserSchema,
    idleTimeoutMs: z.number().int(),
  }),
]);
export type AuthView = z.infer<typeof authViewSchema>;

// ---- Payloads ----

const empty = z.object({}).strict().optional();

const logOnSchema = z
  .object({ username: z.string().max(256), password: z.string().max(PASSWORD_MAX_LENGTH) })
  .strict();
const submitCodeSchema = z.object({ code: z.string().max(64) }).strict();
const changePasswordSchema = z
  .object({
    newPassword: z.string().max(PASSWORD_MAX_LENGTH),
    confirmPassword: z.string().max(PASSWORD_MAX_LENGTH),
  })
  .strict();
const firstRunSchema = z
  .object({
    username: usernameSchema,
    displayName: z.string().max(128).optional(),
    password: z.string().max(PASSWORD_MAX_LENGTH),
    confirmPassword: z.string().max(PASSWORD_MAX_LENGTH),
  })
  .strict();

export { policyPatchSchema };
const readinessQuerySchema = z
  .object({ primaryMethod: methodSchema, fallbackMethod: fallbackSchema })
  .strict()
  .optional();

const userListQuerySchema = userQuerySchema.optional();
const usernamePayloadSchema = z.object({ username: z.string().min(1).max(64) }).strict();
const userCreateSchema = z.strictObject(newUserSchema.shape);
/** An administrator's temporary password for a user, typed twice; the user must change it at next log-on. */
const userSetPasswordSchema = z
  .object({
    username: z.string().min(1).max(64),
    newPassword: z.string().max(PASSWORD_MAX_LENGTH),
    confirmPassword: z.string().max(PASSWORD_MAX_LENGTH),
  })
  .strict();
const userUpdateSchema = z
  .object({ username: z.string().min(1).max(64), patch: z.strictObject(userPatchSchema.shape) })
  .strict();

const secretInfoSchema = z.object({
  name: z.string(),
  authId: z.string(),
  isDefault: z.boolean(),
  setBy: z.string(),
  updatedAt: z.number(),
  /** The endpoint origin the secret was entered for; it is sent nowhere else. */
  boundTo: z.string(),
  /** False when the endpoint now points elsewhere: the administrator must enter the secret again. */
  usableAtEndpoint: z.boolean(),
});
export type SecretInfoView = z.infer<typeof secretInfoSchema>;
const secretSetSchema = z
  .object({
    name: z.literal('sinch-verification-api'),
    authId: z.string().max(256),
    secret: z.string().max(1024),
  })
  .strict();
const secretDeleteSchema = z.object({ name: z.literal('sinch-verification-api') }).strict();
const secretDeleteResultSchema = z.object({ deleted: z.boolean(), message: z.string() });

const auditQuerySchema = z
  .object({
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
    user: z.string().max(128).optional(),
    action: z
      .union([
        z.literal(''),
        z.enum(AUDIT_ACTIONS as [AuditAction, ...AuditAction[]], { error: 'Unknown audit action.' }),
      ])
      .optional(),
    beforeId: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).optional(),
  })
  .strict();
const auditEntrySchema = z.object({
  id: z.number(),
  at: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;
const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  nextBeforeId: z.number().nullable(),
});
const auditExportSchema = auditQuerySchema.omit({ beforeId: true, limit: true });
/** An export running in main: the window follows it by id and never receives a row. */
const exportJobSchema = z.object({
  id: z.string(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  rows: z.number().int(),
  /** Rows the filter matched when the export started. */
  estimate: z.number().int(),
  /** Where the administrator chose to save it. */
  file: z.string(),
  bytes: z.number().int(),
  message: z.string().nullable(),
});
export type ExportJobView = z.infer<typeof exportJobSchema>;
const exportJobIdSchema = z.object({ id: z.string().max(64).uuid() }).strict();

const setLanguageSchema = z.object({ locale: appLocaleSchema }).strict();

const verifyTestStartSchema = z.object({ method: methodSchema }).strict();
const verifyTestStartedSchema = z.object({
  method: methodSchema,
  maskedDestination: z.string(),
  expiresAt: z.number(),
});
const verifyTestConfirmSchema = z.object({ code: z.string().max(64) }).strict();
const verifyTestResultSchema = z.object({
  outcome: z.enum(['successful', 'wrong-code', 'not-valid']),
  message: z.string(),
});

// ---- Channels: `sc:<area>:<verb>`, each with who may call it ----

/** anyone: any window; session: a signed-in user; admin-read: administrator or read-only; admin: administrator. */
export type Access = 'anyone' | 'session' | 'admin-read' | 'admin';

function channel<N extends string, P extends z.ZodType, R extends z.ZodType>(
  name: N,
  access: Access,
  payload: P,
  result: R,
) {
  return { name, access, payload, result } as const;
}

export const channels = {
  auth: {
    state: channel(names.auth.state, 'anyone', empty, authViewSchema),
    firstRun: channel(names.auth.firstRun, 'anyone', firstRunSchema, authViewSchema),
    logOn: channel(names.auth.logOn, 'anyone', logOnSchema, authViewSchema),
    submitCode: channel(names.auth.submitCode, 'anyone', submitCodeSchema, authViewSchema),
    resendCode: channel(names.auth.resendCode, 'anyone', empty, authViewSchema),
    changePassword: channel(names.auth.changePassword, 'anyone', changePasswordSchema, authViewSchema),
    retry: channel(names.auth.retry, 'anyone', empty, authViewSchema),
    cancel: channel(names.auth.cancel, 'anyone', empty, authViewSchema),
    signOut: channel(names.auth.signOut, 'anyone', empty, authViewSchema),
    activity: channel(names.auth.activity, 'session', empty, z.null()),
    ssoStart: channel(names.auth.ssoStart, 'anyone', empty, authViewSchema),
    /** The window's language (a preference of the installation, so anyone at the window may set it). */
    setLanguage: channel(names.auth.setLanguage, 'anyone', setLanguageSchema, authViewSchema),
  },
  policy: {
    get: channel(names.policy.get, 'admin-read', empty, policySchema),
    set: channel(names.policy.set, 'admin', policyPatchSchema, policySchema),
    readiness: channel(names.policy.readiness, 'admin-read', readinessQuerySchema, readinessSchema),
    sources: channel(names.policy.sources, 'admin-read', empty, policySourcesSchema),
  },
  users: {
    list: channel(names.users.list, 'admin-read', userListQuerySchema, userPageSchema),
    get: channel(names.users.get, 'admin-read', usernamePayloadSchema, userViewSchema),
    create: channel(names.users.create, 'admin', userCreateSchema, userViewSchema),
    update: channel(names.users.update, 'admin', userUpdateSchema, userViewSchema),
    unlock: channel(names.users.unlock, 'admin', usernamePayloadSchema, userViewSchema),
    setPassword: channel(names.users.setPassword, 'admin', userSetPasswordSchema, userViewSchema),
  },
  /** SSO identities: pending ones and links (issuer + subject → user); linking is the administrator's. */
  sso: {
    identities: channel(names.sso.identities, 'admin-read', empty, ssoIdentitiesSchema),
    link: channel(names.sso.link, 'admin', ssoLinkSchema, ssoLinkViewSchema),
    unlink: channel(names.sso.unlink, 'admin', ssoIdentityKeySchema, ssoLinkViewSchema),
  },
  secrets: {
    list: channel(names.secrets.list, 'admin-read', empty, z.array(secretInfoSchema)),
    set: channel(names.secrets.set, 'admin', secretSetSchema, secretInfoSchema),
    delete: channel(names.secrets.delete, 'admin', secretDeleteSchema, secretDeleteResultSchema),
  },
  audit: {
    query: channel(names.audit.query, 'admin-read', auditQuerySchema, auditPageSchema),
    /** Opens the save dialog in main, then starts; null when the administrator cancelled the dialog. */
    exportStart: channel(
      names.audit.exportStart,
      'admin-read',
      auditExportSchema,
      exportJobSchema.nullable(),
    ),
    exportStatus: channel(names.audit.exportStatus, 'admin-read', exportJobIdSchema, exportJobSchema),
    exportCancel: channel(names.audit.exportCancel, 'admin-read', exportJobIdSchema, exportJobSchema),
  },
  verify: {
    testStart: channel(names.verify.testStart, 'admin', verifyTestStartSchema, verifyTestStartedSchema),
    testConfirm: channel(names.verify.testConfirm, 'admin', verifyTestConfirmSchema, verifyTestResultSchema),
  },
} as const;

export { AUTH_INITIAL_STATE, AUTH_STATE_EVENT } from './channel-names';

type Channels = typeof channels;
type ChannelDef = { name: string; access: Access; payload: z.ZodType; result: z.ZodType };
export type ChannelName = {
  [A in keyof Channels]: {
    [V in keyof Channels[A]]: Channels[A][V] extends ChannelDef ? Channels[A][V]['name'] : never;
  }[keyof Channels[A]];
}[keyof Channels];

/** Every channel, flat, for the gateway and the preload. */
export const allChannels: readonly ChannelDef[] = Object.values(channels).flatMap((area) =>
  Object.values(area),
);

type Api<C> = {
  [V in keyof C]: C[V] extends { payload: infer P extends z.ZodType; result: infer R extends z.ZodType }
    ? undefined extends z.input<P>
      ? (payload?: z.input<P>) => Promise<IpcResult<z.output<R>>>
      : (payload: z.input<P>) => Promise<IpcResult<z.output<R>>>
    : never;
};

/**
 * What `window.sc` offers: one function per use case, grouped by area, plus the state subscription and the
 * state the page started with.
 */
export type ScApi = { [A in keyof Channels]: Api<Channels[A]> } & {
  /** Calls `listener` with every new login state; returns the unsubscribe function. */
  onAuthState(listener: (state: AuthView) => void): () => void;
  /**
   * The login state main gave the preload synchronously as the page started, or the latest it pushed since
   * (what `auth.state()` would answer, with no round trip); null when main gave none. Read it and subscribe
   * with `onAuthState` in the same task and no state is missed.
   */
  initialAuthState(): IpcResult<AuthView> | null;
};
