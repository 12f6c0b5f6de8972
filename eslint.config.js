import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import scI18n from './tools/eslint/no-untranslated-jsx.js';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.bench/**', 'coverage/**', '.stryker/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The core runs in plain Node: it must never import electron (style.md: the folder says what it may import).
    files: ['main/core/**/*.ts', 'main/contract/**/*.ts', 'main/gateway/**/*.ts', 'main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only main/shell may import electron.' }] }],
    },
  },
  {
    // The renderer is a sandboxed page: no Node, no main code except the contract.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks, 'sc-i18n': scI18n },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Every word a person reads comes from the catalogs (renderer/I18N.md)
      'sc-i18n/no-untranslated-jsx': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through window.sc.' }],
          patterns: [
            { group: ['node:*', 'fs', 'path', 'child_process', 'os'], message: 'No Node in the renderer.' },
            { group: ['**/main/core/**', '**/main/gateway/**', '**/main/shell/**'], message: 'Import only the contract.' },
          ],
        },
      ],
    },
  },
);
