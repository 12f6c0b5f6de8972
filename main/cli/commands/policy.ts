import {
  SSO_USERNAME_CLAIMS,
  VERIFICATION_METHODS,
  type Fallback,
  type Method,
  type Policy,
  type Readiness,
} from '../../contract/domain';
import type { PolicyPatch } from '../../core/policy/policy-store';
import { UsageError, expectPositionals, oneOf, wholeNumber, type ParsedArgs } from '../args';
import { ACTOR, type Command } from '../command';

const FALLBACKS = ['none', ...VERIFICATION_METHODS] as const;
const METHOD_NAMES: Record<Fallback, string> = { sms: 'SMS', email: 'Email (beta)', none: 'none' };

function policyLines(policy: Policy): string[] {
  const t = policy.twoFactor;
  const s = policy.sinch;
  const o = policy.sso;
  return [
    'Two-factor authentication (2FA) for System Configurator',
    `  Use two-factor authentication:  ${t.enabled ? 'on' : 'off'}`,
    `  Primary method:                 ${METHOD_NAMES[t.primaryMethod]}`,
    `  Fallback method:                ${METHOD_NAMES[t.fallbackMethod]}`,
    `  Verification code valid for:    ${t.validMinutes} min`,
    `  Maximum attempts for 2FA:       ${t.maxAttempts}`,
    `  Locked for:                     ${t.lockMinutes} min`,
    'Sinch Verification API',
    `  Endpoint URL:                   ${s.endpoint}`,
    `  Authentication method:          ${s.authMethod === 'basic' ? 'Basic' : 'Application signed request'}`,
    `  Email sender address:           ${s.emailSenderAddress || '(not set)'}`,
    `  Email sender name:              ${s.emailSenderName || '(not set)'}`,
    'Single sign-on (OpenID Connect)',
    `  Use SSO:                        ${o.enabled ? 'on' : 'off'}`,
    `  Issuer URL:                     ${o.issuer || '(not set)'}`,
    `  Client ID:                      ${o.clientId || '(not set)'}`,
    `  Scopes:                         ${o.scopes}`,
    `  User claim:                     ${o.usernameClaim}`,
    `  Unknown SSO users:              ${o.unknownUsers === 'refuse' ? 'refused' : 'an administrator must link them'}`,
  ];
}

function readinessLines(readiness: Readiness, methods: string): string[] {
  const missing = readiness.usersWithoutContact;
  if (missing.length === 0)
    return [`All ${readiness.activeUsers} active users have a contact for ${methods}.`];
  return [
    `${missing.length} of ${readiness.activeUsers} active users have no contact for ${methods} and could not log in with 2FA on:`,
    ...missing.map((u) => `  ${u.username}${u.displayName !== u.username ? ` (${u.displayName})` : ''}`),
  ];
}

function methodsText(primary: Method, fallback: Fallback): string {
  return fallback === 'none'
    ? METHOD_NAMES[primary]
    : `${METHOD_NAMES[primary]} or ${METHOD_NAMES[fallback]}`;
}

const show: Command = {
  name: 'policy show',
  usage: 'policy show',
  summary: 'Show the authentication policy',
  options: {},
  async run(context, args) {
    expectPositionals(args, [], 'policy show');
    const policy = context.core().policy.get();
    context.out.result(policy, () => policyLines(policy));
  },
};

function patchFrom(args: ParsedArgs): PolicyPatch {
  const read = <T>(flag: string, parse: (value: string) => T): T | undefined => {
    const value = args.string(flag);
    return value === undefined ? undefined : parse(value);
  };
  return {
    twoFactor: defined({
      enabled: read('2fa', (v) => oneOf(v, ['on', 'off'], '2fa') === 'on'),
      primaryMethod: read('primary', (v) => oneOf(v, VERIFICATION_METHODS, 'primary')),
      fallbackMethod: read('fallback', (v) => oneOf(v, FALLBACKS, 'fallback')),
      validMinutes: read('valid-minutes', (v) => wholeNumber(v, 'valid-minutes')),
      maxAttempts: read('max-attempts', (v) => wholeNumber(v, 'max-attempts')),
      lockMinutes: read('lock-minutes', (v) => wholeNumber(v, 'lock-minutes')),
    }),
    sinch: defined({
      endpoint: read('endpoint', (v) => v),
      authMethod: read('auth', (v) => oneOf(v, ['basic', 'signed'], 'auth')),
      emailSenderAddress: read('email-sender-address', (v) => v.trim()),
      emailSenderName: read('email-sender-name', (v) => v),
    }),
    sso: defined({
      enabled: read('sso', (v) => oneOf(v, ['on', 'off'], 'sso') === 'on'),
      issuer: read('sso-issuer', (v) => v.trim()),
      clientId: read('sso-client-id', (v) => v.trim()),
      scopes: read('sso-scopes', (v) => v),
      usernameClaim: read('sso-claim', (v) => oneOf(v, SSO_USERNAME_CLAIMS, 'sso-claim')),
      unknownUsers: read('sso-unknown', (v) => oneOf(v, ['refuse', 'admin-link'], 'sso-unknown')),
    }),
  };
}

/** The store merges the patch over the saved policy, so an absent flag must be an absent key. */
function defined<T extends object>(values: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<{
    [K in keyof T]: Exclude<T[K], undefined>;
  }>;
}

const SET_FLAGS = [
  '2fa',
  'primary',
  'fallback',
  'valid-minutes',
  'max-attempts',
  'lock-minutes',
  'endpoint',
  'auth',
  'email-sender-address',
  'email-sender-name',
  'sso',
  'sso-issuer',
  'sso-client-id',
  'sso-scopes',
  'sso-claim',
  'sso-unknown',
] as const;

const set: Command = {
  name: 'policy set',
  usage:
    'policy set [--2fa on|off] [--primary sms|email] [--fallback none|sms|email] [--valid-minutes 1-60] [--max-attempts 1-10] [--lock-minutes 1-1440] [--endpoint URL] [--auth basic|signed] [--email-sender-address ADDRESS] [--email-sender-name TEXT] [--sso on|off] [--sso-issuer URL] [--sso-client-id ID] [--sso-scopes "openid profile email"] [--sso-claim preferred_username|email|sub] [--sso-unknown refuse|admin-link]',
  summary: 'Change the authentication policy (the whole result is validated before it is saved)',
  options: Object.fromEntries(SET_FLAGS.map((flag) => [flag, 'string'])),
  async run(context, args) {
    expectPositionals(args, [], 'policy set');
    if (!SET_FLAGS.some((flag) => args.has(flag))) {
      throw new UsageError(
        `nothing to set: give at least one of ${SET_FLAGS.map((f) => `--${f}`).join(', ')}`,
      );
    }
    const patch = patchFrom(args);
    const core = context.core();
    const policy = core.policy.set(patch, ACTOR);
    const readiness = core.policy.readiness(policy.twoFactor);
    const methods = methodsText(policy.twoFactor.primaryMethod, policy.twoFactor.fallbackMethod);
    context.out.result({ policy, readiness }, () => [
      ...policyLines(policy),
      ...(policy.twoFactor.enabled ? readinessLines(readiness, methods) : []),
    ]);
  },
};

const readiness: Command = {
  name: 'policy readiness',
  usage: 'policy readiness [--primary sms|email] [--fallback none|sms|email]',
  summary: 'Which active users have no contact for the methods (default: the saved policy)',
  options: { primary: 'string', fallback: 'string' },
  async run(context, args) {
    expectPositionals(args, [], 'policy readiness');
    const primaryFlag = args.string('primary');
    const fallbackFlag = args.string('fallback');
    const primary =
      primaryFlag === undefined ? undefined : oneOf(primaryFlag, VERIFICATION_METHODS, 'primary');
    const fallbackOption =
      fallbackFlag === undefined ? undefined : oneOf(fallbackFlag, FALLBACKS, 'fallback');
    const core = context.core();
    const saved = core.policy.get().twoFactor;
    const primaryMethod = primary ?? saved.primaryMethod;
    // A saved fallback equal to the asked-for primary has nothing left to fall back to.
    const fallbackMethod =
      fallbackOption ?? (saved.fallbackMethod === primaryMethod ? 'none' : saved.fallbackMethod);
    if (fallbackMethod === primaryMethod) {
      throw new UsageError('--fallback must differ from the primary method');
    }
    const result = core.policy.readiness({ primaryMethod, fallbackMethod });
    context.out.result({ primaryMethod, fallbackMethod, ...result }, () =>
      readinessLines(result, methodsText(primaryMethod, fallbackMethod)),
    );
  },
};

export const policyCommands: readonly Command[] = [show, set, readiness];
