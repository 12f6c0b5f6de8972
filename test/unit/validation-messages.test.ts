/**
 * Refused fields in the person's language: main and the window's own checks say which rule a field broke
 * (contract/validation.ts), and the catalogs say it. English must say exactly what the contract says (one
 * sentence per rule, not two drifting copies); the other languages must say it in their own words.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  newUserSchema,
  sinchSettingsSchema,
  twoFactorPolicySchema,
  userPatchSchema,
} from '../../main/contract/domain';
import { closestIssue, validationParams } from '../../main/contract/validation';
import { ScError, toIpcError, validationError } from '../../main/core/errors';
import { normalizeMobile } from '../../main/core/users/contacts';
import { i18n } from '../../renderer/src/i18n/i18n';
import { validationKey, validationText } from '../../renderer/src/i18n/validation';
import { errorText } from '../../renderer/src/i18n/errors';
import { compileCatalog, readCatalog } from '../../tools/i18n/catalogs';

beforeAll(() => {
  for (const locale of ['en', 'fi', 'de'] as const)
    i18n.load(locale, compileCatalog(readCatalog(locale), locale));
  i18n.activate('en');
});

/** Every issue the window's forms can meet, from inputs that break each rule once. */
function issues(): z.core.$ZodIssue[] {
  const parse = (schema: z.core.$ZodType, input: unknown) => z.safeParse(schema, input).error?.issues ?? [];
  return [
    ...parse(twoFactorPolicySchema, {
      enabled: true,
      primaryMethod: 'sms',
      fallbackMethod: 'sms',
      validMinutes: 1.5,
      maxAttempts: Number.NaN,
      lockMinutes: 0,
    }),
    ...parse(twoFactorPolicySchema, {
      enabled: true,
      primaryMethod: 'fax',
      fallbackMethod: 'pigeon',
      validMinutes: 61,
      maxAttempts: 11,
      lockMinutes: 1441,
    }),
    ...parse(twoFactorPolicySchema, {
      enabled: true,
      primaryMethod: 'sms',
      fallbackMethod: 'none',
      validMinutes: 0,
      maxAttempts: 0,
      lockMinutes: Number.NaN,
    }),
    ...parse(sinchSettingsSchema, {
      endpoint: 'http://example.com',
      authMethod: 'other',
      emailSenderAddress: 'not-an-address',
      emailSenderName: 'x'.repeat(129),
    }),
    ...parse(newUserSchema, {
      username: '',
      displayName: ' ',
      email: 'nope',
      mobile: '+46 123',
      roles: ['owner'],
      password: '',
    }),
    ...parse(newUserSchema, { username: 'a b', displayName: 'x'.repeat(129), password: 'x'.repeat(2000) }),
    ...parse(newUserSchema, {
      username: 'x'.repeat(65),
      mobile: '+4'.repeat(20),
      roles: Array(9).fill('read-only'),
    }),
    ...parse(userPatchSchema, { mobile: 'call me' }),
  ];
}

describe('validation messages', () => {
  it('English says exactly what the contract says, for every rule the forms can break', () => {
    const found = issues();
    expect(found.length).toBeGreaterThan(25);
    for (const issue of found) {
      const field = issue.path.map(String).join('.');
      const params = { ...validationParams(issue) };
      expect(validationKey(field, params), `${field}: ${issue.message}`).toBeDefined();
      // A union (an optional contact) speaks through the branch the input came closest to.
      expect(validationText(field, params, 'FALLBACK')).toBe(closestIssue(issue).message);
    }
  });

  it('Finnish and German say each of them in their own words', () => {
    const english = new Map(
      issues().map((issue) => [
        issue,
        validationText(issue.path.map(String).join('.'), { ...validationParams(issue) }, ''),
      ]),
    );
    for (const locale of ['fi', 'de'] as const) {
      i18n.activate(locale);
      for (const [issue, inEnglish] of english) {
        const text = validationText(issue.path.map(String).join('.'), { ...validationParams(issue) }, '');
        expect(text, `${locale} ${issue.path.join('.')}`).not.toBe('');
        expect(text, `${locale} ${issue.path.join('.')}`).not.toBe(inEnglish);
      }
    }
    i18n.activate('en');
  });

  it("main's refusal crosses the wire as a rule the window translates (not only as an English sentence)", () => {
    let refused: unknown;
    try {
      normalizeMobile('+99912345678');
    } catch (error) {
      refused = error;
    }
    const wire = toIpcError(refused);
    expect(wire).toMatchObject({
      code: 'validation',
      field: 'mobile',
      params: { rule: 'notValidForCountry', value: '+99912345678' },
    });
    i18n.activate('de');
    expect(errorText(wire)).toBe('+99912345678 ist keine gültige Telefonnummer für ihre Landesvorwahl.');
    i18n.activate('fi');
    const taken = toIpcError(
      new ScError('conflict', 'A user named "carl" already exists.', {
        field: 'username',
        rule: 'taken',
        value: 'carl',
      }),
    );
    expect(errorText(taken)).toBe('Käyttäjä ”carl” on jo olemassa.');
    i18n.activate('en');
  });

  it('a rule the catalogs do not know keeps main’s sentence rather than showing nothing', () => {
    const wire = toIpcError(
      validationError('issuer', 'The issuer must be an https:// URL.', { rule: 'custom' }),
    );
    expect(errorText(wire)).toBe('The issuer must be an https:// URL.');
  });
});
