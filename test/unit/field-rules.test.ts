/**
 * The form rules are written once (main/contract/field-rules.ts) and run twice: as zod schemas in main
 * (forms.ts) and as plain checks in the window, which ships no zod. Both must refuse the same fields for
 * the same rule, limit and sentence, and accept the same values, for any input the window can send.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkSinch,
  checkTwoFactor,
  checkUserFields,
  FALLBACK_METHODS,
  ROLES,
  SINCH_AUTH_METHODS,
  VERIFICATION_METHODS,
  type FieldRefusal,
  type UserFields,
} from '../../main/contract/field-rules';
import {
  newUserSchema,
  sinchSettingsSchema,
  twoFactorPolicySchema,
  userPatchSchema,
} from '../../main/contract/forms';
import { closestIssue, validationParams } from '../../main/contract/validation';

type FirstRefusals = Record<string, { rule: string; limit?: number; message: string }>;

/** Each top-level field's first refusal, as the window shows it (renderer/src/i18n/validation.ts). */
function firstOfWindow(refusals: readonly FieldRefusal[]): FirstRefusals {
  const first: FirstRefusals = {};
  for (const { path, message, rule, limit } of refusals)
    first[path[0]!] ??= { rule, message, ...(limit === undefined ? {} : { limit }) };
  return first;
}

function firstOfZod(schema: z.core.$ZodType, input: unknown): FirstRefusals {
  const first: FirstRefusals = {};
  for (const issue of z.safeParse(schema, input).error?.issues ?? []) {
    const { rule, limit } = validationParams(issue);
    first[String(issue.path[0])] ??= {
      rule,
      message: closestIssue(issue).message,
      ...(limit === undefined ? {} : { limit }),
    };
  }
  return first;
}

/** Text a person might type: the characters the rules care about, spaces, and now and then a long run. */
const typed = fc.oneof(
  fc.stringMatching(/^[ a-zA-Z0-9.@_+\-()ÅäöŽ語\t]{0,20}$/),
  fc.constantFrom(
    '',
    ' ',
    'alice',
    'Ålice.Ö@x-y',
    'a b',
    'name@example.com',
    ' name@example.com ',
    'name@example',
    '+46701234567',
    '+46 70-123 45 67',
    '(+46) 70.123.4567',
    '+0123456789',
    '+4612',
    'https://verification.api.sinch.com',
    ' https://x.example/ ',
    'http://127.0.0.1:8080',
    'http://localhost/',
    'http://example.com',
    'ftp://example.com',
  ),
  fc.nat({ max: 1100 }).map((n) => 'x'.repeat(n)),
  fc.nat({ max: 80 }).map((n) => `+4${'6'.repeat(n)}`),
);
const roles = fc.array(fc.constantFrom(...ROLES), { maxLength: 10 });

describe('the form rules, in main (zod) and in the window (plain)', () => {
  it('refuse and accept a new user or a change alike', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.record({
          username: typed,
          displayName: fc.option(typed, { nil: undefined }),
          email: typed,
          mobile: typed,
          roles,
          password: fc.option(typed, { nil: undefined }),
        }),
        (isNew, draft) => {
          const fields: UserFields = isNew
            ? draft
            : {
                displayName: draft.displayName ?? '',
                email: draft.email,
                mobile: draft.mobile,
                roles: draft.roles,
              };
          const schema = isNew ? newUserSchema : userPatchSchema;
          expect(firstOfWindow(checkUserFields(fields))).toEqual(firstOfZod(schema, fields));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuse and accept the 2FA block alike, with the same policy', () => {
    const count = fc.oneof(
      fc.integer({ min: -5, max: 1500 }),
      fc.double({ min: -10, max: 2000 }),
      fc.constantFrom(Number.NaN, Infinity, 0, 1, 10, 11, 60, 61, 1440, 1441),
    );
    fc.assert(
      fc.property(
        fc.record({
          enabled: fc.boolean(),
          primaryMethod: fc.constantFrom(...VERIFICATION_METHODS),
          fallbackMethod: fc.constantFrom(...FALLBACK_METHODS),
          validMinutes: count,
          maxAttempts: count,
          lockMinutes: count,
        }),
        (fields) => {
          const checked = checkTwoFactor(fields);
          expect(firstOfWindow(checked.refusals)).toEqual(firstOfZod(twoFactorPolicySchema, fields));
          expect(checked.value).toEqual(z.safeParse(twoFactorPolicySchema, fields).data);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuse and accept the Sinch block alike, with the same normalised settings', () => {
    fc.assert(
      fc.property(
        fc.record({
          endpoint: typed,
          authMethod: fc.constantFrom(...SINCH_AUTH_METHODS),
          emailSenderAddress: typed,
          emailSenderName: typed,
        }),
        (fields) => {
          const checked = checkSinch(fields);
          expect(firstOfWindow(checked.refusals)).toEqual(firstOfZod(sinchSettingsSchema, fields));
          expect(checked.value).toEqual(z.safeParse(sinchSettingsSchema, fields).data);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('each kind of refusal is met by these inputs (the comparison is not vacuous)', () => {
    const rules = new Set(
      [
        ...checkUserFields({
          username: '',
          email: 'x',
          mobile: '+1',
          roles: Array(9).fill('read-only'),
          password: '',
        }),
        ...checkUserFields({
          username: 'a b',
          displayName: 'x'.repeat(129),
          email: '',
          mobile: 'x'.repeat(33),
          roles: [],
        }),
        ...checkTwoFactor({
          enabled: true,
          primaryMethod: 'sms',
          fallbackMethod: 'email',
          validMinutes: Number.NaN,
          maxAttempts: 1.5,
          lockMinutes: 0,
        }).refusals,
        ...checkTwoFactor({
          enabled: true,
          primaryMethod: 'sms',
          fallbackMethod: 'sms',
          validMinutes: 5,
          maxAttempts: 3,
          lockMinutes: 30,
        }).refusals,
        ...checkTwoFactor({
          enabled: true,
          primaryMethod: 'sms',
          fallbackMethod: 'none',
          validMinutes: 61,
          maxAttempts: 3,
          lockMinutes: 30,
        }).refusals,
        ...checkSinch({
          endpoint: 'http://example.com',
          authMethod: 'basic',
          emailSenderAddress: '',
          emailSenderName: '',
        }).refusals,
      ].map((refusal) => refusal.rule),
    );
    expect([...rules].sort()).toEqual(
      [
        'custom',
        'format',
        'notInteger',
        'notNumber',
        'required',
        'tooBig',
        'tooLong',
        'tooMany',
        'tooSmall',
      ].sort(),
    );
  });
});
