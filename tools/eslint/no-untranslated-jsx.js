/**
 * ESLint rule `sc-i18n/no-untranslated-jsx`: words written straight into JSX bypass the message catalogs
 * (renderer/I18N.md). Reports JSX text with a letter in it, a string or template literal with a letter as a
 * JSX child, and one given to a prop that people read (label, title, placeholder, aria-label, alt, hint,
 * message, …, or any prop named *Label, *Text, *Title, *Message). Punctuation, numbers and symbols
 * ("·", "→", "2") are allowed; ids, class names and test ids are not text and are not checked.
 */
const LETTER = /\p{L}/u;
const TEXT_PROPS =
  /^(title|label|aria-label|aria-description|aria-roledescription|aria-valuetext|placeholder|alt|hint|message|description|heading|caption|summary)$|(Label|Text|Title|Message)$/;

/** @param {import('estree').Node | null | undefined} node */
function literalText(node) {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral') return node.quasis.map((q) => q.value.cooked ?? '').join('');
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Text in JSX must come from the message catalogs (useT).' },
    messages: {
      text: 'Untranslated text "{{text}}" in JSX: add it to renderer/src/i18n/catalogs/en.json and use t().',
      prop: 'Untranslated text "{{text}}" in the {{prop}} prop: use t() with a catalog key.',
    },
    schema: [],
  },
  create(context) {
    const report = (node, messageId, text, prop) =>
      context.report({ node, messageId, data: { text: text.trim().slice(0, 40), prop } });
    return {
      JSXText(node) {
        if (LETTER.test(node.value)) report(node, 'text', node.value);
      },
      JSXExpressionContainer(node) {
        if (node.parent?.type === 'JSXAttribute') return;
        const text = literalText(node.expression);
        if (text !== null && LETTER.test(text)) report(node, 'text', text);
      },
      JSXAttribute(node) {
        const name = node.name.type === 'JSXIdentifier' ? node.name.name : node.name.name.name;
        if (!TEXT_PROPS.test(name) || !node.value) return;
        const text =
          node.value.type === 'JSXExpressionContainer' ? literalText(node.value.expression) : literalText(node.value);
        if (text !== null && LETTER.test(text)) report(node, 'prop', text, name);
      },
    };
  },
};

export default { meta: { name: 'sc-i18n' }, rules: { 'no-untranslated-jsx': rule } };
