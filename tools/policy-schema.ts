/**
 * The JSON Schema of the policy document (managed policy, `sc-admin policy export` / `import`), generated
 * from the zod schema the app validates with, so editors and deployment pipelines can check a file before
 * it reaches a workstation. `npx tsx tools/policy-schema.ts` rewrites docs/managed-policy.schema.json; a
 * test fails when the committed copy differs. The app itself checks more than a JSON Schema can say (the
 * rules between fields, the URL rules); those are enforced at start-up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { policyDocumentSchema } from '../main/contract/domain';

export const POLICY_SCHEMA_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../docs/managed-policy.schema.json',
);

export function policyDocumentJsonSchema(): string {
  const schema = z.toJSONSchema(policyDocumentSchema, { io: 'input', unrepresentable: 'any' });
  const titled = {
    $schema: schema.$schema,
    $id: 'https://systemconfigurator.example/schemas/managed-policy.schema.json',
    title: 'System Configurator policy document (managed policy)',
    description:
      'Fields it sets win over each workstation’s own settings and are read-only there; fields it leaves out stay local. Generated from main/contract/domain.ts by tools/policy-schema.ts.',
    ...schema,
  };
  return JSON.stringify(titled, null, 2) + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(POLICY_SCHEMA_FILE, policyDocumentJsonSchema());
  console.log(`wrote ${path.relative(process.cwd(), POLICY_SCHEMA_FILE)}`);
}
