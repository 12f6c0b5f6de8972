/**
 * The import-boundary lint rule (sc-layers/imports) from the attacker's side: the other ways TypeScript and
 * Node load a module (require, `import x = require`, a type-only `import('…')`, a template-literal dynamic
 * import, a re-export, a path that climbs out and back in) must be refused like a plain import.
 */
import { describe, expect, it } from 'vitest';
import { layerFindings } from '../support/layer-lint';

const SMUGGLED: [file: string, source: string][] = [
  ['main/core/auth/x.ts', "const { app } = require('electron');\nexport const used = app;"],
  ['main/core/auth/x.ts', "export const used = module.require('electron');"],
  [
    'main/core/auth/x.ts',
    "import { createRequire } from 'node:module';\nexport const used = createRequire(import.meta.url)('electron');",
  ],
  ['main/core/auth/x.ts', "import electron = require('electron');\nexport const used = electron;"],
  ['main/core/auth/x.ts', "export type App = typeof import('electron').app;"],
  ['main/core/auth/x.ts', 'export const used = await import(`electron`);'],
  ['main/core/auth/x.ts', "export * from '../../../main/core/../shell/window';"],
  ['main/core/auth/x.ts', "export * as shell from '../../core/../shell/window';"],
  ['main/core/auth/x.ts', "import type { Gateway } from '../../gateway/gateway';\nexport type G = Gateway;"],
  ['renderer/src/x.ts', "export type C = typeof import('../../main/core/create-core');"],
  ['renderer/src/x.ts', "export const used = require('../../main/core/create-core');"],
];

describe('the import-boundary rule cannot be slipped past', () => {
  it.each(SMUGGLED)('%s: reports %s', async (file, source) => {
    const findings = await layerFindings(file, `${source}\n`);
    expect(findings.length).toBeGreaterThanOrEqual(1);
    expect(findings.join('\n')).toContain('may not import');
  });
});
