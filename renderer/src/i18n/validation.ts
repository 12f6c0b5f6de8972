/**
 * A refused field in the window's language. main (and the window's own checks with the contract's rules)
 * say which rule a field broke (`validation.ts` in the contract); the catalog has a sentence per field and
 * rule ("validation.mobile.format"), and a general one per rule ("validation.tooLong"). A rule neither
 * knows keeps main's English sentence, so nothing is ever left blank.
 */
import { fieldName } from '@contract/validation';
import type { FieldRefusal } from '@contract/field-rules';
import type { IpcError } from '@contract/errors';
import { hasMessage, translate, type MessageKey } from './i18n';

type Params = IpcError['params'];

/** The catalog's message for `field` breaking the rule in `params`: the field's own, else the rule's. */
export function validationKey(field: string, params: Params): MessageKey | undefined {
  const rule = params?.rule;
  if (typeof rule !== 'string') return undefined;
  return [`validation.${fieldName(field)}.${rule}`, `validation.${rule}`].find(hasMessage);
}

/** The sentence for `field` breaking the rule in `params`; `fallback` (main's sentence) for an unknown one. */
export function validationText(field: string, params: Params, fallback: string): string {
  const key = validationKey(field, params);
  if (!key) return fallback;
  return translate(key, { limit: Number(params?.limit ?? 0), value: String(params?.value ?? '') });
}

/**
 * The window's own checks (the contract's field rules) as one message per field (the first found), each key
 * prefixed by `prefix`, in the same words main would use.
 */
export function messagesByField(refusals: readonly FieldRefusal[], prefix = ''): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const { path, message, ...params } of refusals)
    messages[`${prefix}${path[0] ?? ''}`] ??= validationText(path.join('.'), params, message);
  return messages;
}
