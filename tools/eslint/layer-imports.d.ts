import type { Rule } from 'eslint';

declare const plugin: { meta: { name: string }; rules: Record<'imports', Rule.RuleModule> };
export default plugin;
