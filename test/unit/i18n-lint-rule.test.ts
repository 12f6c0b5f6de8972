/**
 * The lint rule that keeps words out of JSX (tools/eslint/no-untranslated-jsx.js): it fires on text that
 * bypasses the catalogs and stays quiet on catalog lookups, ids and punctuation.
 */
import { describe, it } from 'vitest';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import plugin from '../../tools/eslint/no-untranslated-jsx.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { ecmaFeatures: { jsx: true } },
  },
});

tester.run('sc-i18n/no-untranslated-jsx', plugin.rules['no-untranslated-jsx'], {
  valid: [
    { code: `const a = <button data-testid="login-submit" className="button">{t('logon.submit')}</button>;` },
    { code: `const a = <p>{count} · {t('users.count', { count })} →</p>;` },
    { code: `const a = <input id="logon-username" type="text" autoComplete="username" />;` },
    { code: `const a = <TextField label={t('logon.username')} testId="login-username" />;` },
    { code: `const a = <span aria-hidden="true">×</span>;` },
    { code: `const a = <option value="sv">{LANGUAGE_NAMES.sv}</option>;` },
  ],
  invalid: [
    { code: `const a = <button>Log on</button>;`, errors: [{ messageId: 'text' }] },
    { code: `const a = <p>{'Invalid username or password.'}</p>;`, errors: [{ messageId: 'text' }] },
    { code: 'const a = <p>{`Welcome`}</p>;', errors: [{ messageId: 'text' }] },
    { code: `const a = <TextField label="Username" testId="x" />;`, errors: [{ messageId: 'prop' }] },
    { code: `const a = <nav aria-label="Administration" />;`, errors: [{ messageId: 'prop' }] },
    { code: `const a = <input placeholder={'Search users'} />;`, errors: [{ messageId: 'prop' }] },
    { code: `const a = <Dialog confirmLabel="Delete" />;`, errors: [{ messageId: 'prop' }] },
    { code: `const a = <p>Välkommen, {name}</p>;`, errors: [{ messageId: 'text' }] },
  ],
});
