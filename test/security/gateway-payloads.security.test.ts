/**
 * What a hostile renderer can send, and what it gets back: every string and list in every payload schema
 * is bounded before any transform runs (a 1 MB password never reaches a handler, let alone argon2),
 * handlers work on the parsed payload (never the window's own object), and only the schema-checked result
 * goes back (a field outside the contract is dropped).
 */
import { describe, expect, it, vi } from 'vitest';
import { allChannels } from '../../main/contract/ipc';
import {
  ADMIN_PASSWORD,
  gatewayFixture,
  seedAccounts,
  forbiddenVerifier,
  type ContractChannel,
} from '../support/gateway-fixture';

interface ZodNode {
  _zod: { def: { type: string; checks?: { _zod: { def: { check: string } } }[]; [key: string]: unknown } };
}

/** A max-length check among the schema's own (classic zod's `.max()` and zod/mini's `z.maxLength()` alike). */
const hasMaxLength = (schema: ZodNode) =>
  (schema._zod.def.checks ?? []).some((c) => c._zod.def.check === 'max_length');

/** Paths of every string or array in `schema` that accepts unbounded input (a pipe is judged by its input). */
function unbounded(schema: ZodNode, path: string, found: string[]): string[] {
  const def = schema._zod.def;
  const inner = (key: string, suffix = '') => unbounded(def[key] as ZodNode, path + suffix, found);
  switch (def.type) {
    case 'string':
      if (!hasMaxLength(schema)) found.push(path || '(payload)');
      break;
    case 'array':
      if (!hasMaxLength(schema)) found.push(`${path}[]`);
      inner('element', '[]');
      break;
    case 'object':
      for (const [key, value] of Object.entries(def.shape as Record<string, ZodNode>))
        unbounded(value, `${path}.${key}`, found);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      inner('innerType');
      break;
    case 'union':
      for (const option of def.options as ZodNode[]) unbounded(option, path, found);
      break;
    case 'pipe':
      inner('in');
      break;
    case 'literal':
    case 'enum':
    case 'boolean':
    case 'number':
    case 'null':
    case 'undefined':
      break;
    default:
      found.push(`${path} (unchecked kind ${def.type})`);
  }
  return found;
}

const MEGABYTE = 'p'.repeat(1024 * 1024);

describe('gateway: payload size', () => {
  it('bounds every string and list of every channel payload, before any transform', () => {
    const found = allChannels.flatMap((c) =>
      unbounded(c.payload as unknown as ZodNode, '', []).map((p) => `${c.name} ${p}`),
    );
    expect(found).toEqual([]);
  });

  it('refuses a 1 MB password (log-on, first run, password change, new user) before any handler runs', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    const { admin } = await seedAccounts(f);
    const handlers = [
      vi.spyOn(f.core.auth, 'logOn'),
      vi.spyOn(f.core.auth, 'firstRun'),
      vi.spyOn(f.core.auth, 'changePassword'),
      vi.spyOn(f.core.users, 'create'),
      vi.spyOn(f.core.secrets, 'set'),
    ];
    const calls: [string, ContractChannel, unknown][] = [
      ['new-window', 'sc:auth:logOn', { username: 'admin', password: MEGABYTE }],
      ['new-window', 'sc:auth:firstRun', { username: 'x', password: MEGABYTE, confirmPassword: MEGABYTE }],
      ['new-window', 'sc:auth:changePassword', { newPassword: MEGABYTE, confirmPassword: MEGABYTE }],
      [admin, 'sc:users:create', { username: 'big', password: MEGABYTE }],
      [admin, 'sc:secrets:set', { name: 'sinch-verification-api', authId: 'k', secret: MEGABYTE }],
    ];
    for (const [client, channel, payload] of calls) {
      const result = await f.call(client, channel, payload);
      expect(result, channel).toMatchObject({ ok: false, error: { code: 'validation' } });
    }
    for (const handler of handlers) expect(handler).not.toHaveBeenCalled();
  });
});

describe('gateway: handlers get the parsed payload', () => {
  it('hands the handler the normalised value the schema produced, not what the window sent', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    const { admin } = await seedAccounts(f);
    const update = vi.spyOn(f.core.users, 'update');
    await f.ok(admin, 'sc:users:update', {
      username: 'reader',
      patch: { displayName: '  Rita R.  ', mobile: '+46 70-123 45 67', roles: ['read-only', 'read-only'] },
    });
    expect(update).toHaveBeenCalledTimes(1);
    expect(update.mock.calls[0]?.[1]).toEqual({
      displayName: 'Rita R.',
      mobile: '+46701234567',
      roles: ['read-only'],
    });
  });

  it('reads the window object once: a payload that changes after validation reaches no handler changed', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    await seedAccounts(f);
    const logOn = vi.spyOn(f.core.auth, 'logOn');
    let reads = 0;
    const payload = {
      username: 'admin',
      get password(): string {
        reads += 1;
        return reads === 1 ? ADMIN_PASSWORD : MEGABYTE;
      },
    };
    await f.call('fresh-window', 'sc:auth:logOn', payload);
    expect(logOn).toHaveBeenCalledTimes(1);
    const received = logOn.mock.calls[0]?.[1];
    expect(received).not.toBe(payload);
    expect(received?.password).toBe(ADMIN_PASSWORD);
  });
});

describe('gateway: only the schema-checked result leaves main', () => {
  it('drops a field outside the contract that a handler returned by mistake (a password hash)', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    const { admin } = await seedAccounts(f);
    const real = f.core.users.get('reader');
    vi.spyOn(f.core.users, 'get').mockReturnValue({
      ...real,
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    } as typeof real);
    const value = await f.ok<Record<string, unknown>>(admin, 'sc:users:get', { username: 'reader' });
    expect(value).toEqual(real);
    expect(JSON.stringify(value)).not.toContain('argon2');
  });

  it('refuses as internal a result that does not match its schema', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    const { admin } = await seedAccounts(f);
    vi.spyOn(f.core.policy, 'get').mockReturnValue({ twoFactor: 'not a policy' } as never);
    const result = await f.call(admin, 'sc:policy:get');
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
