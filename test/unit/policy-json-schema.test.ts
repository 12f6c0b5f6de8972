/**
 * docs/managed-policy.schema.json is the policy document's zod schema as JSON Schema: the committed copy
 * is what the generator makes now (regenerate: npx tsx tools/policy-schema.ts), and it is as strict as
 * the app about the shape (version 1, no unknown fields, the ranges).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POLICY_SCHEMA_FILE, policyDocumentJsonSchema } from '../../tools/policy-schema';

describe('the managed policy JSON Schema', () => {
  it('the committed docs copy is the one generated from the zod schema', () => {
    expect(fs.readFileSync(POLICY_SCHEMA_FILE, 'utf8')).toBe(policyDocumentJsonSchema());
  });

  it('requires version 1 and refuses unknown fields at the top and in every block, with the ranges', () => {
    const schema = JSON.parse(policyDocumentJsonSchema()) as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { additionalProperties?: boolean; const?: number; properties?: object }>;
    };
    expect(schema.required).toEqual(['version']);
    expect(schema.properties.version).toMatchObject({ const: 1 });
    expect(schema.additionalProperties).toBe(false);
    for (const block of ['twoFactor', 'sinch', 'sso']) {
      expect(schema.properties[block]?.additionalProperties).toBe(false);
    }
    expect(schema.properties.twoFactor?.properties).toMatchObject({
      maxAttempts: { type: 'integer', minimum: 1, maximum: 10 },
      lockMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
    });
  });
});
