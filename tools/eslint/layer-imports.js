/**
 * ESLint rule `sc-layers/imports`: what a folder may import (README "How it is built and tested"). Each
 * import (static, `export … from`, dynamic `import()` with a literal, `require`, `import x = require`,
 * `typeof import()`) is resolved before it is judged: a
 * relative path or the `@contract/` alias becomes a path from the repository root, anything else is a
 * package. So `../../shell/x`, `@contract/../core/x` and `../../../main/core/x` are caught whatever the
 * spelling. Options, per folder in eslint.config.js:
 *   only:   the import must match one of these (an allow-list)
 *   forbid: the import must not match one of these, unless it matches one of `except`
 * A pattern is a package name (`electron`, also `electron/main`), a folder (`main/shell/`, ends with a
 * slash) or a file without its extension (`main/contract/channel-names`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ALIASES = { '@contract/': 'main/contract/' };
const EXTENSION = /\.(c|m)?(t|j)sx?$/;

/** The import as a path from the root ('main/core/x') or a package ({ pkg: 'electron/main' }). */
function resolveImport(specifier, filename) {
  for (const [alias, folder] of Object.entries(ALIASES)) {
    if (specifier.startsWith(alias))
      return { file: path.posix.normalize(folder + specifier.slice(alias.length)) };
  }
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const absolute = path.resolve(path.dirname(filename), specifier);
    return { file: path.relative(ROOT, absolute).split(path.sep).join('/') };
  }
  return { pkg: specifier };
}

/** A package name (`electron`, `@scope/name`); anything else with a slash is a path from the root. */
const isPackage = (pattern) => !pattern.includes('/') || pattern.startsWith('@');

function matches(target, pattern) {
  if (isPackage(pattern)) {
    return target.pkg !== undefined && (target.pkg === pattern || target.pkg.startsWith(`${pattern}/`));
  }
  if (target.file === undefined) return false;
  return pattern.endsWith('/')
    ? `${target.file}/`.startsWith(pattern)
    : target.file.replace(EXTENSION, '') === pattern;
}

/** A module specifier written as a string or a template literal without substitutions; else null. */
function literalText(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0)
    return node.quasis[0]?.value.cooked ?? null;
  return null;
}

/** `require`, `anything.require`, or the function `createRequire(…)` returns. */
function isRequire(callee) {
  if (callee.type === 'Identifier') return callee.name === 'require';
  if (callee.type === 'MemberExpression')
    return !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'require';
  if (callee.type === 'CallExpression') {
    const inner = callee.callee;
    const name = inner.type === 'MemberExpression' ? inner.property : inner;
    return name.type === 'Identifier' && name.name === 'createRequire';
  }
  return false;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep each folder to the imports its layer allows.' },
    messages: { layer: '{{from}} may not import "{{specifier}}": {{why}}' },
    schema: [
      {
        type: 'object',
        properties: {
          only: { type: 'array', items: { type: 'string' } },
          forbid: { type: 'array', items: { type: 'string' } },
          except: { type: 'array', items: { type: 'string' } },
          why: { type: 'string' },
        },
        required: ['why'],
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const { only, forbid = [], except = [], why } = context.options[0];
    const from = path.relative(ROOT, context.filename).split(path.sep).join('/');
    /** @param {import('estree').Node} node @param {unknown} source */
    function check(node, source) {
      const specifier = literalText(source);
      if (specifier === null) return;
      const target = resolveImport(specifier, context.filename);
      const refused =
        (only !== undefined && !only.some((p) => matches(target, p))) ||
        (forbid.some((p) => matches(target, p)) && !except.some((p) => matches(target, p)));
      if (refused) context.report({ node, messageId: 'layer', data: { from, specifier, why } });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      // The other ways a module is loaded: require (also module.require and createRequire(…)(…)),
      // `import x = require('…')` and a type's `typeof import('…')`.
      CallExpression: (node) => {
        if (isRequire(node.callee)) check(node, node.arguments[0]);
      },
      TSImportEqualsDeclaration: (node) => {
        if (node.moduleReference.type === 'TSExternalModuleReference')
          check(node, node.moduleReference.expression);
      },
      TSImportType: (node) => {
        const argument = node.source ?? node.argument;
        check(node, argument?.type === 'TSLiteralType' ? argument.literal : argument);
      },
    };
  },
};

export default { meta: { name: 'sc-layers' }, rules: { imports: rule } };
