/**
 * The window's messages in two areas, so the first view carries only what signing in needs: `logOn` (the
 * log-on steps, errors, form rules, the language picker: in the first chunk) and `admin` (the signed-in
 * screens: loaded with the Shell chunk). A key's area is its first segment's; a new prefix is `logOn`
 * unless listed here, so a forgotten entry costs bytes, never a message missing from a screen.
 * test/packaging/renderer-bundle.test.ts fails when the first chunk names an admin key.
 */
const CATALOG_AREAS = ['logOn', 'admin'] as const;
export type CatalogArea = (typeof CATALOG_AREAS)[number];

/** First key segments used only by the signed-in screens (renderer/src/screens/Shell.tsx and admin/). */
const ADMIN_PREFIXES: ReadonlySet<string> = new Set([
  'admin',
  'audit',
  'auditExport',
  'method',
  'nav',
  'pager',
  'policy',
  'readiness',
  'role',
  'secrets',
  'shell',
  'ssoIdentities',
  'ssoLink',
  'tempPassword',
  'userDialog',
  'users',
  'verify',
]);

export function catalogArea(key: string): CatalogArea {
  return ADMIN_PREFIXES.has(key.split('.', 1)[0] ?? '') ? 'admin' : 'logOn';
}

export function isCatalogArea(value: unknown): value is CatalogArea {
  return (CATALOG_AREAS as readonly unknown[]).includes(value);
}
