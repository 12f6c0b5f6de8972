import {
  SSO_USERNAME_CLAIMS,
  VERIFICATION_METHODS,
  type Fallback,
  type Method,
  type Policy,
  type PolicySources,
  type Readiness,
} from '../../contract/domain';
import { MANAGED_POLICY_MAX_BYTES, parsePolicyDocument } from '../../core/policy/managed-policy';
import { managedFieldError, type PolicyPatch } from '../../core/policy/policy-store';
import { readInputFile } from '../input-file';
import { UsageError, expectPositionals, oneOf, wholeNumber, type ParsedArgs } from '../args';
import { ACTOR, type Command } from '../command';
import { secretBindingNotice } from './secret';

const FALLBACKS = ['none', ...VERIFICATION_METHODS] as const;
const METHOD_NAMES: Record<Fallback, string> = { sms: 'SMS', email: 'Email (beta)', none: 'none' };

type PolicyLine = readonly [label: string, field: string, value: string] | string;

function policyRows(policy: Policy): PolicyLine[] {
  const t = policy.twoFactor;
  const s = policy.sinch;
  const o = policy.sso;
  return [
    'Two-factor authentication (2FA) for System Configurator',
    ['Use two-factor authentication:', 'twoFactor.enabled', t.enabled ? 'on' : 'off'],
    ['Primary method:', 'twoFactor.primaryMethod', METHOD_NAMES[t.primaryMethod]],
    ['Fallback method:', 'twoFactor.fallbackMethod', METHOD_NAMES[t.fallbackMethod]],
    ['Verification code valid for:', 'twoFactor.validMinutes', `${t.validMinutes} min`],
    ['Maximum attempts for 2FA:', 'twoFactor.maxAttempts', String(t.maxAttempts)],
    ['Locked for:', 'twoFactor.lockMinutes', `${t.lockMinutes} min`],
    'Sinch Verification API',
    ['Endpoint URL:', 'sinch.endpoint', s.endpoint],
    [
      'Authentication method:',
      'sinch.authMethod',
      s.authMethod === 'basic' ? 'Basic' : 'Application signed request',
    ],
    ['Email sender address:', 'sinch.emailSenderAddress', s.emailSenderAddress || '(not set)'],
    ['Email sender name:', 'sinch.emailSenderName', s.emailSenderName || '(not set)'],
    'Single sign-on (OpenID Connect)',
    ['Use SSO:', 'sso.enabled', o.enabled ? 'on' : 'off'],
    ['Issuer URL:', 'sso.issuer', o.issuer || '(not set)'],
    ['Client ID:', 'sso.clientId', o.clientId || '(not set)'],
    ['Scopes:', 'sso.scopes', o.scopes],
    ['User claim:', 'sso.usernameClaim', o.usernameClaim],
    [
      'Unknown SSO users:',
      'sso.unknownUsers',
      o.unknownUsers === 'refuse' ? 'refused' : 'an administrator must link them',
    ],
  ];
}

/** The policy for a person; with sources, each value says where it comes from. */
function policyLines(policy: Policy, sources?: PolicySources): string[] {
  const lines = policyRows(policy).map((row) => {
    if (typeof row === 'string') return row;
    const [label, field, value] = row;
    const line = `  ${label.padEnd(32)}${value}`;
    return sources ? `${line}  [${sources.fields[field] ?? 'default'}]` : line;
  });
  if (sources?.managedSource) {
    lines.push(`Managed by your organisation: ${sources.managedSource}`);
  }
  return lines;
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
  summary: 'Show the authentication policy; each value says where it comes from (default, local, managed)',
  options: {},
  async run(context, args) {
    expectPositionals(args, [], 'policy show');
    const core = context.core();
    const policy = core.policy.get();
    const sources = core.policy.sources();
    context.out.result({ ...policy, sources }, () => policyLines(policy, sources));
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

/** Each `policy set` flag and the policy field it sets. */
const SET_FLAG_FIELDS = {
  '2fa': 'twoFactor.enabled',
  primary: 'twoFactor.primaryMethod',
  fallback: 'twoFactor.fallbackMethod',
  'valid-minutes': 'twoFactor.validMinutes',
  'max-attempts': 'twoFactor.maxAttempts',
  'lock-minutes': 'twoFactor.lockMinutes',
  endpoint: 'sinch.endpoint',
  auth: 'sinch.authMethod',
  'email-sender-address': 'sinch.emailSenderAddress',
  'email-sender-name': 'sinch.emailSenderName',
  sso: 'sso.enabled',
  'sso-issuer': 'sso.issuer',
  'sso-client-id': 'sso.clientId',
  'sso-scopes': 'sso.scopes',
  'sso-claim': 'sso.usernameClaim',
  'sso-unknown': 'sso.unknownUsers',
} as const;
const SET_FLAGS = Object.keys(SET_FLAG_FIELDS) as (keyof typeof SET_FLAG_FIELDS)[];

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
    // Any managed field named is refused, even with the value in force: the script is wrong, say so.
    const sources = core.policy.sources();
    for (const flag of SET_FLAGS) {
      const field = SET_FLAG_FIELDS[flag];
      if (args.has(flag) && sources.fields[field] === 'managed') {
        throw managedFieldError(`--${flag} (${field})`, sources.managedSource ?? '');
      }
    }
    const policy = core.policy.set(patch, ACTOR);
    const readiness = core.policy.readiness(policy.twoFactor);
    const methods = methodsText(policy.twoFactor.primaryMethod, policy.twoFactor.fallbackMethod);
    context.out.result({ policy, readiness }, () => [
      ...policyLines(policy),
      ...(policy.twoFactor.enabled ? readinessLines(readiness, methods) : []),
    ]);
    const notice = secretBindingNotice(core.secrets);
    if (notice) context.err.write(`sc-admin: ${notice}\n`);
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

const exportPolicy: Command = {
  name: 'policy export',
  usage: 'policy export',
  summary:
    'Print the policy in force as a policy document (JSON, no secrets): for policy import or a managed policy',
  options: {},
  async run(context, args) {
    expectPositionals(args, [], 'policy export');
    const document = context.core().policy.exportDocument();
    await context.out.stream([JSON.stringify(document, null, 2) + '\n']);
  },
};

const importPolicy: Command = {
  name: 'policy import',
  usage: 'policy import FILE',
  summary:
    'Set the policy from a policy document (policy export, or a managed policy file); checked whole first',
  options: {},
  async run(context, args) {
    const [file] = expectPositionals(args, ['FILE'], 'policy import');
    const parsed = parsePolicyDocument(readInputFile(file!, MANAGED_POLICY_MAX_BYTES));
    if (!parsed.ok) throw new UsageError(`${file}: ${parsed.reason}`);
    const { version: _version, ...patch } = parsed.value;
    const core = context.core();
    const policy = core.policy.set(patch, ACTOR);
    const sources = core.policy.sources();
    context.out.result({ ...policy, sources }, () => policyLines(policy, sources));
    const notice = secretBindingNotice(core.secrets);
    if (notice) context.err.write(`sc-admin: ${notice}\n`);
  },
};

export const policyCommands: readonly Command[] = [show, set, readiness, exportPolicy, importPolicy];
