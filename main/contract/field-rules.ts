/**
 * The rules of the fields the window checks as people type (a user, the 2FA policy, the Sinch settings),
 * written once, as data. main turns each into zod checks (forms.ts: the gateway and the core enforce them,
 * the policy's JSON Schema shows them); the window runs the same data through `checkText`/`checkNumber` and
 * the form checks below, so its bundle carries no zod. Plain TypeScript only: the renderer imports this.
 */
import type { ValidationParams } from './validation';
import { isHttpsOrLoopbackBaseUrl } from './web-url';

export const ROLES = ['administrator', 'read-only'] as const;
export type Role = (typeof ROLES)[number];
export const VERIFICATION_METHODS = ['sms', 'email'] as const;
export type Method = (typeof VERIFICATION_METHODS)[number];
export const FALLBACK_METHODS = ['none', ...VERIFICATION_METHODS] as const;
export type Fallback = (typeof FALLBACK_METHODS)[number];
export const SINCH_AUTH_METHODS = ['basic', 'signed'] as const;

/** No password is longer: longer input is refused before it reaches argon2 (in the gateway and the core). */
export const PASSWORD_MAX_LENGTH = 1024;
/** The password policy's length rule (main checks it; the window shows it before anyone types). */
export const PASSWORD_MIN_LENGTH = 12;

/** One step of a text field's rule, in order: a normalisation (what later steps and the result see) or a check. */
type TextStep =
  | { kind: 'trim' }
  /** A phone number as typed, without spaces, dashes, dots and brackets. */
  | { kind: 'compactPhone' }
  | { kind: 'minLength'; limit: number; message: string }
  /** Without a message, main says zod's own sentence (the window says the catalog's "validation.tooLong"). */
  | { kind: 'maxLength'; limit: number; message?: string }
  | { kind: 'pattern'; pattern: RegExp; message: string }
  /** An e-mail address: main's zod also names the format (JSON Schema `format: email`). */
  | { kind: 'email'; pattern: RegExp; message: string }
  | { kind: 'test'; test: (value: string) => boolean; message: string };

type NumberStep =
  | { kind: 'integer'; message: string }
  | { kind: 'minimum'; limit: number; message: string }
  | { kind: 'maximum'; limit: number; message: string };

export interface TextRule {
  /** What main says when the value is not a string at all (the window's values always are). */
  typeMessage?: string;
  steps: readonly TextStep[];
}
export interface NumberRule {
  /** What is said when the value is not a finite number (an empty or non-numeric box in the window). */
  typeMessage: string;
  steps: readonly NumberStep[];
}

/** A refused value: the rule it broke and its limit (contract/validation.ts), and main's English sentence. */
interface Refusal extends ValidationParams {
  message: string;
}
/** A refusal of one field of a form; `path` as main's zod would name it (`['twoFactor', 'validMinutes']`). */
export interface FieldRefusal extends Refusal {
  path: readonly string[];
}
type Checked<T> = { value: T; refusal?: undefined } | { value?: undefined; refusal: Refusal };

// ---- The rules ----

export const USERNAME: TextRule = {
  typeMessage: 'Username is required.',
  steps: [
    { kind: 'trim' },
    { kind: 'minLength', limit: 1, message: 'Username is required.' },
    { kind: 'maxLength', limit: 64, message: 'Username can have at most 64 characters.' },
    {
      kind: 'pattern',
      pattern: /^[\p{L}\p{N}._@-]+$/u,
      message: 'Username can contain letters, digits and . _ @ - only.',
    },
  ],
};

export const DISPLAY_NAME: TextRule = {
  steps: [
    { kind: 'trim' },
    { kind: 'minLength', limit: 1, message: 'Display name is required.' },
    { kind: 'maxLength', limit: 128, message: 'Display name can have at most 128 characters.' },
  ],
};

/**
 * zod's own e-mail pattern (z.regexes.email), character for character: main and the window accept the same
 * addresses, and the policy's JSON Schema (docs/managed-policy.schema.json) shows it unchanged.
 */
const EMAIL_PATTERN =
  // eslint-disable-next-line no-useless-escape -- zod's pattern as it is written
  /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;
export const EMAIL: TextRule = {
  steps: [
    {
      kind: 'email',
      pattern: EMAIL_PATTERN,
      message: 'Enter a valid e-mail address, like name@example.com.',
    },
    { kind: 'maxLength', limit: 254 },
  ],
};

const E164_MESSAGE = 'Enter the mobile number in international E.164 form, like +46701234567.';
/** E.164 shape; main also checks the number is valid for its country (libphonenumber-js). */
export const E164: TextRule = {
  steps: [
    { kind: 'maxLength', limit: 32, message: E164_MESSAGE },
    { kind: 'compactPhone' },
    { kind: 'pattern', pattern: /^\+[1-9]\d{6,14}$/, message: E164_MESSAGE },
  ],
};

export const PASSWORD: TextRule = {
  steps: [
    { kind: 'minLength', limit: 1, message: 'Password is required.' },
    { kind: 'maxLength', limit: PASSWORD_MAX_LENGTH, message: 'Password is too long.' },
  ],
};

export const MAX_ROLES = { limit: 8, message: 'Too many roles.' } as const;
export const CHOICE_MESSAGES = {
  role: 'Role must be "administrator" or "read-only".',
  method: 'Method must be SMS or Email (beta).',
  fallback: 'Fallback must be none, SMS or Email (beta).',
  sinchAuth: 'Authentication method must be Basic or Application signed request.',
} as const;

/** Whole minutes or attempts between `min` and `max`, each refusal in its own words. */
function wholeNumber(
  messages: { type: string; integer: string; min: string; max: string },
  min: number,
  max: number,
): NumberRule {
  return {
    typeMessage: messages.type,
    steps: [
      { kind: 'integer', message: messages.integer },
      { kind: 'minimum', limit: min, message: messages.min },
      { kind: 'maximum', limit: max, message: messages.max },
    ],
  };
}

export const VALID_MINUTES = wholeNumber(
  {
    type: 'Enter a number of minutes.',
    integer: 'Use whole minutes.',
    min: 'A code must be valid for at least 1 minute.',
    max: 'A code can be valid for at most 60 minutes.',
  },
  1,
  60,
);
export const MAX_ATTEMPTS = wholeNumber(
  {
    type: 'Enter a number of attempts.',
    integer: 'Use a whole number.',
    min: 'Allow at least 1 attempt.',
    max: 'Allow at most 10 attempts.',
  },
  1,
  10,
);
export const LOCK_MINUTES = wholeNumber(
  {
    type: 'Enter a number of minutes.',
    integer: 'Use whole minutes.',
    min: 'Lock for at least 1 minute.',
    max: 'Lock for at most 1440 minutes (24 hours).',
  },
  1,
  1440,
);

/** The rule that ties the 2FA fields together: a fallback is another method than the primary one. */
export const FALLBACK_DIFFERS = {
  holds: (policy: { primaryMethod: Method; fallbackMethod: Fallback }) =>
    policy.fallbackMethod !== policy.primaryMethod,
  path: 'fallbackMethod',
  message: 'The fallback method must differ from the primary method.',
} as const;

export const ENDPOINT: TextRule = {
  steps: [
    { kind: 'trim' },
    { kind: 'maxLength', limit: 512, message: 'The endpoint URL can have at most 512 characters.' },
    {
      kind: 'test',
      test: isHttpsOrLoopbackBaseUrl,
      message: 'The endpoint must be an https:// URL (http:// only for 127.0.0.1 or localhost).',
    },
  ],
};

export const SENDER_NAME: TextRule = {
  steps: [
    { kind: 'trim' },
    { kind: 'maxLength', limit: 128, message: 'The sender name can have at most 128 characters.' },
  ],
};

// ---- Running them (the window; main runs them as zod checks) ----

export const compactPhone = (typed: string): string => typed.replace(/[\s\-().]/g, '');

const refuse = (params: ValidationParams, message = ''): Checked<never> => ({
  refusal: { ...params, message },
});

/** A text field's value after its normalisations, or the first rule it breaks (as zod reports it). */
function checkText(rule: TextRule, input: string): Checked<string> {
  let value = input;
  for (const step of rule.steps) {
    switch (step.kind) {
      case 'trim':
        value = value.trim();
        break;
      case 'compactPhone':
        value = compactPhone(value);
        break;
      case 'minLength':
        if (value.length < step.limit)
          return refuse(
            step.limit <= 1 ? { rule: 'required' } : { rule: 'tooShort', limit: step.limit },
            step.message,
          );
        break;
      case 'maxLength':
        if (value.length > step.limit) return refuse({ rule: 'tooLong', limit: step.limit }, step.message);
        break;
      case 'pattern':
      case 'email':
        if (!step.pattern.test(value)) return refuse({ rule: 'format' }, step.message);
        break;
      case 'test':
        if (!step.test(value)) return refuse({ rule: 'custom' }, step.message);
        break;
    }
  }
  return { value };
}

/** A number field's value, or the first rule it breaks (NaN, from an empty box, is not a number). */
function checkNumber(rule: NumberRule, value: number): Checked<number> {
  if (!Number.isFinite(value)) return refuse({ rule: 'notNumber' }, rule.typeMessage);
  for (const step of rule.steps) {
    if (step.kind === 'integer' && !Number.isInteger(value))
      return refuse({ rule: 'notInteger' }, step.message);
    if (step.kind === 'minimum' && value < step.limit)
      return refuse({ rule: 'tooSmall', limit: step.limit }, step.message);
    if (step.kind === 'maximum' && value > step.limit)
      return refuse({ rule: 'tooBig', limit: step.limit }, step.message);
  }
  return { value };
}

function checkChoice<T extends string>(choices: readonly T[], value: string, message: string): Checked<T> {
  return (choices as readonly string[]).includes(value)
    ? { value: value as T }
    : refuse({ rule: 'invalidChoice' }, message);
}

/** Collects each field's value, or its refusal under its path. */
class FormCheck {
  readonly refusals: FieldRefusal[] = [];
  field<T>(path: readonly string[], checked: Checked<T>): T | undefined {
    if (checked.refusal) this.refusals.push({ ...checked.refusal, path });
    return checked.value;
  }
}

/** An optional contact: empty clears it (null), anything else must pass `rule`. */
const contact = (rule: TextRule, typed: string): Checked<string | null> =>
  typed === '' ? { value: null } : checkText(rule, typed);

/** The window's fields of a new user or a change (newUserSchema/userPatchSchema in forms.ts, field by field). */
export interface UserFields {
  /** Only for a new user. */
  username?: string;
  /** Optional for a new user (omit it to use the username). */
  displayName?: string;
  email: string;
  mobile: string;
  roles: readonly Role[];
  /** Only for a new user; omitted for an SSO-only account. */
  password?: string;
}

export function checkUserFields(fields: UserFields): FieldRefusal[] {
  const form = new FormCheck();
  if (fields.username !== undefined) form.field(['username'], checkText(USERNAME, fields.username));
  if (fields.displayName !== undefined)
    form.field(['displayName'], checkText(DISPLAY_NAME, fields.displayName));
  form.field(['email'], contact(EMAIL, fields.email));
  form.field(['mobile'], contact(E164, fields.mobile));
  fields.roles.forEach((role, index) =>
    form.field(['roles', String(index)], checkChoice(ROLES, role, CHOICE_MESSAGES.role)),
  );
  if (fields.roles.length > MAX_ROLES.limit)
    form.field(['roles'], refuse({ rule: 'tooMany', limit: MAX_ROLES.limit }, MAX_ROLES.message));
  if (fields.password !== undefined) form.field(['password'], checkText(PASSWORD, fields.password));
  return form.refusals;
}

export interface TwoFactorFields {
  enabled: boolean;
  primaryMethod: Method;
  fallbackMethod: Fallback;
  validMinutes: number;
  maxAttempts: number;
  lockMinutes: number;
}
export interface SinchFields {
  endpoint: string;
  authMethod: (typeof SINCH_AUTH_METHODS)[number];
  emailSenderAddress: string;
  emailSenderName: string;
}

/** The 2FA block as twoFactorPolicySchema checks it: its refusals, and the policy when there are none. */
export function checkTwoFactor(fields: TwoFactorFields): {
  refusals: FieldRefusal[];
  value?: TwoFactorFields;
} {
  const form = new FormCheck();
  form.field(
    ['primaryMethod'],
    checkChoice(VERIFICATION_METHODS, fields.primaryMethod, CHOICE_MESSAGES.method),
  );
  form.field(
    ['fallbackMethod'],
    checkChoice(FALLBACK_METHODS, fields.fallbackMethod, CHOICE_MESSAGES.fallback),
  );
  form.field(['validMinutes'], checkNumber(VALID_MINUTES, fields.validMinutes));
  form.field(['maxAttempts'], checkNumber(MAX_ATTEMPTS, fields.maxAttempts));
  form.field(['lockMinutes'], checkNumber(LOCK_MINUTES, fields.lockMinutes));
  // As in zod, the rule across fields is checked unless a field is of the wrong kind (zod's type issues:
  // no number, no whole number, no choice).
  const wrongKind = form.refusals.some((r) => ['notNumber', 'notInteger', 'invalidChoice'].includes(r.rule));
  if (!wrongKind && !FALLBACK_DIFFERS.holds(fields))
    form.field([FALLBACK_DIFFERS.path], refuse({ rule: 'custom' }, FALLBACK_DIFFERS.message));
  return form.refusals.length ? { refusals: form.refusals } : { refusals: [], value: fields };
}

/** The Sinch block as sinchSettingsSchema checks it: its refusals, and the normalised settings when none. */
export function checkSinch(fields: SinchFields): { refusals: FieldRefusal[]; value?: SinchFields } {
  const form = new FormCheck();
  const endpoint = form.field(['endpoint'], checkText(ENDPOINT, fields.endpoint));
  const authMethod = form.field(
    ['authMethod'],
    checkChoice(SINCH_AUTH_METHODS, fields.authMethod, CHOICE_MESSAGES.sinchAuth),
  );
  const emailSenderAddress = form.field(
    ['emailSenderAddress'],
    fields.emailSenderAddress === '' ? { value: '' } : checkText(EMAIL, fields.emailSenderAddress),
  );
  const emailSenderName = form.field(['emailSenderName'], checkText(SENDER_NAME, fields.emailSenderName));
  if (form.refusals.length) return { refusals: form.refusals };
  return {
    refusals: [],
    value: {
      endpoint: endpoint!,
      authMethod: authMethod!,
      emailSenderAddress: emailSenderAddress!,
      emailSenderName: emailSenderName!,
    },
  };
}
