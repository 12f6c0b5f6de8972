/**
 * Why a field was refused, as data: a stable rule name and its limit ("tooLong", 64), sent with main's
 * English sentence so the window can say it in the person's language (renderer/src/i18n/validation.ts).
 * The same mapping reads the renderer's own checks with the contract's schemas, so both say the same.
 */
import type { z } from 'zod';

/** The rules a refused field can name (the catalogs have "validation.<rule>" and "validation.<field>.<rule>"). */
type ValidationRule =
  | 'required'
  | 'tooShort'
  | 'tooLong'
  | 'tooSmall'
  | 'tooBig'
  | 'tooMany'
  | 'notNumber'
  | 'notInteger'
  | 'format'
  | 'invalidChoice'
  /** A schema's own refinement (e.g. the fallback method must differ from the primary one). */
  | 'custom'
  /** main's checks beyond the schema */
  | 'notValidForCountry'
  | 'sameAsUsername'
  | 'sameAsCurrent'
  | 'mismatch'
  | 'taken'
  | 'lastAdministrator'
  | 'invalid';

/** What `params` of a `validation` error carry. */
export interface ValidationParams {
  rule: ValidationRule;
  /** The minimum or maximum the rule names. */
  limit?: number;
  /** What the person typed, when the sentence names it ("+999… is not a valid phone number"). */
  value?: string;
}

type Issue = z.core.$ZodIssue;

/** The issue a union reports for its closest branch (the one that got furthest), else the union itself. */
export function closestIssue(issue: Issue): Issue {
  if (issue.code !== 'invalid_union') return issue;
  const branches = issue.errors.map((branch) => branch[0]).filter((i): i is Issue => i !== undefined);
  const near = branches.find((i) => i.code !== 'invalid_type' && i.code !== 'invalid_value');
  return near ? closestIssue(near) : issue;
}

/** A zod issue as a rule and its limit. */
export function validationParams(raw: Issue): ValidationParams {
  const issue = closestIssue(raw);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return { rule: 'notInteger' };
      return { rule: issue.expected === 'number' ? 'notNumber' : 'invalid' };
    case 'too_small': {
      const limit = Number(issue.minimum);
      if (issue.origin === 'string') return limit <= 1 ? { rule: 'required' } : { rule: 'tooShort', limit };
      return { rule: 'tooSmall', limit };
    }
    case 'too_big': {
      const limit = Number(issue.maximum);
      if (issue.origin === 'string') return { rule: 'tooLong', limit };
      if (issue.origin === 'array' || issue.origin === 'set') return { rule: 'tooMany', limit };
      return { rule: 'tooBig', limit };
    }
    case 'invalid_format':
      return { rule: 'format' };
    case 'invalid_value':
      return { rule: 'invalidChoice' };
    case 'custom':
      return { rule: 'custom' };
    default:
      return { rule: 'invalid' };
  }
}

/** The field an issue is about, by its last named segment: "patch.mobile" → "mobile", "roles.0" → "roles". */
export function fieldName(path: readonly PropertyKey[] | string): string {
  const parts = typeof path === 'string' ? path.split('.') : path.map(String);
  return [...parts].reverse().find((part) => part !== '' && !/^\d+$/.test(part)) ?? '';
}
