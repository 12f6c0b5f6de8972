import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import scI18n from './tools/eslint/no-untranslated-jsx.js';
import scLayers from './tools/eslint/layer-imports.js';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.bench/**',
      'coverage/**',
      '.stryker/**',
    ],
  },
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
    // The gateway and sc-admin run in plain Node too: only main/shell imports electron.
    files: ['main/gateway/**/*.ts', 'main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only main/shell may import electron.' }] },
      ],
    },
  },
  // What each folder may import (style.md: the folder says what it may import); test/unit/import-boundaries.test.ts
  { plugins: { 'sc-layers': scLayers } },
  {
    files: ['main/core/**/*.ts'],
    rules: {
      'sc-layers/imports': [
        'error',
        {
          forbid: ['electron', 'main/shell/', 'main/gateway/'],
          why: 'the core is plain Node; the shell and the gateway call it, never the reverse.',
        },
      ],
    },
  },
  {
    files: ['main/contract/**/*.ts'],
    rules: {
      'sc-layers/imports': [
        'error',
        {
          only: ['zod', 'main/contract/'],
          why: 'the contract is shared with the window: zod and its own files only.',
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'sc-layers/imports': [
        'error',
        {
          only: ['electron', 'main/contract/channel-names'],
          why: 'the sandboxed preload needs only the channel names.',
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'sc-layers/imports': [
        'error',
        {
          forbid: ['main/', 'preload/', 'electron'],
          except: ['main/contract/'],
          why: 'the window talks to main only through window.sc and imports only the contract.',
        },
      ],
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
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'child_process', 'os'], message: 'No Node in the renderer.' },
            {
              // zod stays in main (~7 KB gzipped in the window even as zod/mini): the window runs the
              // form rules from @contract/field-rules, plain data and functions.
              regex: '^(zod(/.*)?|@contract/(domain|ipc|forms))$',
              allowTypeImports: true,
              message:
                'Types only here: the rules the window runs come from @contract/field-rules (no zod in the renderer).',
            },
          ],
        },
      ],
    },
  },
);
