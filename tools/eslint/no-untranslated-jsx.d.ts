import type { Rule } from 'eslint';

declare const plugin: { meta: { name: string }; rules: Record<'no-untranslated-jsx', Rule.RuleModule> };
export default plugin;
