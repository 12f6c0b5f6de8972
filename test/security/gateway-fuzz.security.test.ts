/**
 * Guards the IPC gateway against malformed payloads from a compromised window: generated values of every
 * kind (wrong types, missing and extra keys, prototype-pollution keys, huge strings, deep nesting) sent to
 * every channel from the app's own main frame with an administrator's session. Each must get a typed
 * validation error, never an exception or a stack trace, and must change nothing at all.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { allChannels, type AuthView } from '../../main/contract/ipc';
import {
  anyJsValue,
  forbiddenVerifier,
  gatewayFixture,
  seedAccounts,
  validPayload,
} from '../support/gateway-fixture';

const RUNS_PER_CHANNEL = 48;
let payloadsSent = 0;

type Path = readonly string[];
type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Paths to every value (leaves and objects) of a sample payload, and to every object in it. */
function pathsOf(value: unknown, path: Path = []): { values: Path[]; objects: Path[] } {
  if (!isPlain(value)) return { values: [], objects: [] };
  const out = { values: [] as Path[], objects: [path] };
  for (const [key, child] of Object.entries(value)) {
    out.values.push([...path, key]);
    const inner = pathsOf(child, [...path, key]);
    out.values.push(...inner.values);
    out.objects.push(...inner.objects);
  }
  return out;
}

/** A deep copy of `root` with `edit` applied to the object at `path` (own keys, even "__proto__"). */
function editAt(root: unknown, path: Path, edit: (target: Plain) => void): unknown {
  const copy: Plain = isPlain(root) ? { ...root } : {};
  if (path.length === 0) {
    edit(copy);
    return copy;
  }
  const [head, ...rest] = path as [string, ...string[]];
  define(copy, head, editAt(copy[head], rest, edit));
  return copy;
}

function define(target: Plain, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  const parent = path.slice(0, -1);
  const key = path[path.length - 1]!;
  return editAt(root, parent, (target) => define(target, key, value));
}

function deleteAt(root: unknown, path: Path): unknown {
  const key = path[path.length - 1]!;
  return editAt(root, path.slice(0, -1), (target) => delete target[key]);
}

function nested(depth: number, asArray: boolean): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

const anyValue = anyJsValue(3);

const hugeString = fc
  .tuple(fc.integer({ min: 1_025, max: 1_000_000 }), fc.constantFrom('a', '7', '€', '\u0000', '😀', ' ', '%'))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

const pollutionKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'toString',
);
const pollutionValue = fc.constantFrom<unknown>(
  { polluted: true },
  { prototype: { polluted: true } },
  { isAdmin: true, roles: ['administrator'] },
  JSON.parse('{"__proto__":{"polluted":true}}'),
  null,
  'administrator',
);
const extraKey = fc.oneof(
  pollutionKeys,
  fc.constantFrom('isAdmin', 'role', 'roles', 'session', 'actor', 'clientId', 'asDefault', 'passwordHash'),
  fc.string({ maxLength: 20 }),
);

/** Values the channel's schema refuses: generated broadly, then kept only when truly invalid. */
function malformedFor(schema: z.ZodType, sample: unknown): fc.Arbitrary<unknown> {
  const { values, objects } = pathsOf(sample);
  const objectPath = fc.constantFrom(...(objects.length ? objects : [[] as Path]));
  const arbitraries: fc.Arbitrary<unknown>[] = [
    anyValue,
    fc.jsonValue(),
    hugeString,
    fc
      .tuple(fc.integer({ min: 10, max: 2_000 }), fc.boolean())
      .map(([depth, asArray]) => nested(depth, asArray)),
    // Extra keys anywhere in an otherwise valid payload, prototype-pollution keys among them.
    fc
      .tuple(objectPath, extraKey, fc.oneof(pollutionValue, fc.jsonValue()))
      .map(([path, key, value]) => editAt(sample, path, (target) => define(target, key, value))),
    // The same, as JSON.parse makes it (an own "__proto__" key), at the top level.
    fc.tuple(pollutionKeys, pollutionValue).map(([key, value]) => {
      const rest = JSON.stringify(isPlain(sample) ? sample : {}).slice(1, -1);
      return JSON.parse(
        `{${JSON.stringify(key)}:${JSON.stringify(value)}${rest ? `,${rest}` : ''}}`,
      ) as unknown;
    }),
  ];
  if (values.length) {
    const valuePath = fc.constantFrom(...values);
    arbitraries.push(
      fc.tuple(valuePath, anyValue).map(([path, value]) => setAt(sample, path, value)),
      fc.tuple(valuePath, hugeString).map(([path, value]) => setAt(sample, path, value)),
      fc
        .tuple(valuePath, fc.integer({ min: 10, max: 2_000 }), fc.boolean())
        .map(([path, depth, asArray]) => setAt(sample, path, nested(depth, asArray))),
      valuePath.map((path) => deleteAt(sample, path)),
    );
  }
  return fc.oneof(...arbitraries).filter((value) => !schema.safeParse(value).success);
}

const INTERNAL_TEXT = [/\n\s+at\s/, /node_modules/, /\.[cm]?[jt]s:\d+/, /\bTypeError\b|\bReferenceError\b/];

afterAll(() => {
  expect(payloadsSent).toBeGreaterThanOrEqual(1_000);
});

describe('gateway: malformed payloads from the app window get a validation error and change nothing', () => {
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  it.each(allChannels.map((c) => [c.name, c] as const))('%s', async (name, channel) => {
    const verifier = forbiddenVerifier();
    const f = await gatewayFixture({ verifier });
    const { admin } = await seedAccounts(f);
    const pushes: AuthView[] = [];
    f.gateway.onStatePush((_client, state) => pushes.push(state));
    const database = f.databaseDigest();
    const keychain = await f.keychainDigest();
    const state = f.core.auth.state(admin);
    const cwd = process.cwd();

    await fc.assert(
      fc.asyncProperty(malformedFor(channel.payload, validPayload(name)), async (payload) => {
        payloadsSent++;
        const result = await f.gateway.invoke(f.sender(admin), name, payload);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.code).toBe('validation');
        expect(
          Object.keys(result.error).filter((k) => !['code', 'message', 'field', 'params'].includes(k)),
        ).toEqual([]);
        // A validation error's params name the rule and its limit: scalars, never the payload echoed back.
        for (const value of Object.values(result.error.params ?? {}))
          expect(['string', 'number', 'boolean']).toContain(typeof value);
        expect(typeof result.error.message).toBe('string');
        expect(result.error.message.length).toBeGreaterThan(0);
        if (result.error.field !== undefined) expect(typeof result.error.field).toBe('string');
        for (const pattern of INTERNAL_TEXT) expect(result.error.message).not.toMatch(pattern);
        expect(result.error.message).not.toContain(cwd);
        expect(f.databaseDigest()).toBe(database);
      }),
      { numRuns: RUNS_PER_CHANNEL },
    );

    expect(await f.keychainDigest()).toBe(keychain);
    expect(f.core.auth.state(admin)).toEqual(state);
    expect(pushes).toEqual([]);
    expect(verifier.calls).toBe(0);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Plain).polluted).toBeUndefined();
    expect(({} as Plain).isAdmin).toBeUndefined();
  });
});
