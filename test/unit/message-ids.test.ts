/**
 * The build names messages by short ids (tools/i18n/message-ids.ts): one id per key, never a key itself;
 * the keys built from data (validation.*) and those main also writes as data (audit actions) keep their
 * names; in code, only a string literal that is exactly a shortened key changes.
 */
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../tools/i18n/catalogs';
import { messageIds, shortenMessageKeys } from '../../tools/i18n/message-ids';

const english = Object.keys(readCatalog('en'));
const ids = messageIds();

describe('short message ids', () => {
  it('gives each shortened key its own id, which has no dot and so is never a key', () => {
    expect(ids.size).toBeGreaterThan(300);
    const values = [...ids.values()];
    expect(new Set(values).size).toBe(values.length);
    expect(values.filter((id) => id.includes('.') || english.includes(id))).toEqual([]);
  });

  it('keeps the order of the English catalog when its keys become ids (its translations follow it)', () => {
    const built = Object.fromEntries(english.map((key) => [ids.get(key) ?? key, key]));
    expect(Object.values(built)).toEqual(english);
  });

  it('keeps the names of keys built from data and of keys main writes as data', () => {
    expect(english.filter((key) => key.startsWith('validation.') && ids.has(key))).toEqual([]);
    // "logon.password" is a message and an audit action main sends (the Audit screen looks it up by name).
    expect(english).toContain('logon.password');
    expect(ids.has('logon.password')).toBe(false);
    expect(ids.has('logon.title')).toBe(true);
  });

  it('replaces exactly the string literals that are shortened keys, in their own quotes', () => {
    const id = ids.get('logon.title')!;
    const code = [
      "t('logon.title')",
      't("logon.title")',
      't(`logon.title`)',
      "t('logon.titleX')",
      "t('xlogon.title')",
      't(`logon.title.${x}`)',
      "action === 'logon.password'",
      "t('validation.tooLong')",
    ].join(';');
    expect(shortenMessageKeys(code, ids).split(';')).toEqual([
      `t('${id}')`,
      `t("${id}")`,
      `t(\`${id}\`)`,
      "t('logon.titleX')",
      "t('xlogon.title')",
      't(`logon.title.${x}`)',
      "action === 'logon.password'",
      "t('validation.tooLong')",
    ]);
  });
});
