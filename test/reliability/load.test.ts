/**
 * Load: 200 log-ons of distinct users at once through the IPC gateway against the Sinch emulator, real
 * argon2id (19 MiB, t=2) included, each reaching awaitingCode and then signedIn with its own code; and 10,000
 * malformed IPC payloads from a signed-in administrator's window, which leave every row of the database as
 * it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { IpcResult } from '../../main/contract/errors';
import { allChannels, type AuthView } from '../../main/contract/ipc';
import { createGateway, type Sender } from '../../main/gateway/gateway';
import { loginFixture, PASSWORD } from '../support/app';
import { anyJsValue, databaseDigest, validPayload } from '../support/gateway-fixture';

const APP_ORIGIN = 'app://system-configurator';
const USERS = 200;
const MALFORMED = 10_000;

const sender = (clientId: string): Sender => ({ clientId, origin: APP_ORIGIN, isMainFrame: true });
const mobileOf = (i: number): string => `+4670${1_000_000 + i}`;
const usernameOf = (i: number): string => `load-user-${String(i).padStart(3, '0')}`;

function view(result: IpcResult<unknown>): AuthView {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as AuthView;
}

describe('load', () => {
  it(`signs in ${USERS} distinct users logging on at once through the gateway, each with its own code`, async () => {
    const f = await loginFixture({ core: { sinchTimeoutMs: 60_000 } });
    // One user through the app (a real argon2id hash), the rest with that same hash by SQL: creating 200
    // hashes one by one is setup, not what is measured here.
    await f.addUser({ username: usernameOf(0), mobile: mobileOf(0), roles: ['administrator'] });
    const hash = f.core.users.findRecord(usernameOf(0))!.passwordHash;
    const insert = f.core.db.prepare(
      'INSERT INTO users (username, display_name, mobile, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)',
    );
    f.core.db.transaction(() => {
      for (let i = 1; i < USERS; i++) insert.run(usernameOf(i), `Load User ${i}`, mobileOf(i), hash);
    })();
    const gateway = createGateway(f.core, { appOrigin: APP_ORIGIN });

    const started = performance.now();
    let firstFactorDone = 0;
    const outcomes = await Promise.all(
      Array.from({ length: USERS }, async (_, i) => {
        const window = sender(`load-window-${i}`);
        const first = view(
          await gateway.invoke(window, 'sc:auth:logOn', { username: usernameOf(i), password: PASSWORD }),
        );
        expect(first.step, `${usernameOf(i)}: ${JSON.stringify(first.error)}`).toBe('awaitingCode');
        firstFactorDone = performance.now();
        const code = f.emulator.lastCodeFor(mobileOf(i));
        expect(code).toBeDefined();
        const second = view(await gateway.invoke(window, 'sc:auth:submitCode', { code }));
        expect(second.step, `${usernameOf(i)}: ${JSON.stringify(second.error)}`).toBe('signedIn');
        return second.step === 'signedIn' ? second.user.username : null;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `load: ${USERS} parallel log-ons (argon2id m=19 MiB, t=2) in ${seconds.toFixed(1)} s ` +
        `(all first factors done after ${((firstFactorDone - started) / 1000).toFixed(1)} s)`,
    );

    expect(outcomes).toEqual(Array.from({ length: USERS }, (_, i) => usernameOf(i)));
    for (let i = 0; i < USERS; i++)
      expect(f.core.auth.session(`load-window-${i}`)?.username).toBe(usernameOf(i));
    expect(f.emulator.stats()).toMatchObject({ starts: USERS, reports: USERS });
    expect(f.core.audit.query({ action: 'logon.success', limit: 500 }).entries).toHaveLength(USERS);
    const counted = f.core.db.prepare(
      'SELECT count(*) FROM users WHERE failed_code_attempts > 0 OR sc_locked_until IS NOT NULL',
    );
    expect(counted.pluck().get()).toBe(0);
  }, 120_000);

  it(`leaves the database unchanged after ${MALFORMED.toLocaleString('en')} malformed IPC payloads`, async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'admin', mobile: mobileOf(1), roles: ['administrator'] });
    await f.addUser({ username: 'reader', mobile: mobileOf(2), roles: ['read-only'] });
    const gateway = createGateway(f.core, { appOrigin: APP_ORIGIN });
    const admin = sender('admin-window');
    expect(
      view(await gateway.invoke(admin, 'sc:auth:logOn', { username: 'admin', password: PASSWORD })).step,
    ).toBe('awaitingCode');
    const code = f.emulator.lastCodeFor(mobileOf(1));
    expect(view(await gateway.invoke(admin, 'sc:auth:submitCode', { code })).step).toBe('signedIn');
    const before = databaseDigest(f.core);
    const pushes: unknown[] = [];
    f.core.auth.onStateChange((_client, state) => pushes.push(state));

    const anything = anyJsValue(4);
    const nearlyValid = (name: string) => {
      const valid = validPayload(name);
      const base = typeof valid === 'object' && valid !== null ? (valid as Record<string, unknown>) : {};
      const keys = Object.keys(base);
      return fc.oneof(
        // One field of the valid payload replaced by anything.
        fc
          .tuple(fc.constantFrom(...(keys.length ? keys : ['x'])), anything)
          .map(([key, value]) => ({ ...base, [key]: value })),
        // An extra key (the schemas are strict), including prototype pollution attempts.
        fc
          .tuple(fc.constantFrom('__proto__', 'constructor', 'isAdmin', 'role', 'x'), anything)
          .map(([key, value]) => {
            const copy: Record<string, unknown> = { ...base };
            Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
            return copy;
          }),
        // Oversized strings in every field.
        fc.constant(Object.fromEntries(keys.map((key) => [key, 'x'.repeat(100_000)]))),
      );
    };
    const channelNames = allChannels.map((c) => c.name);
    const seed = Number(process.env.SC_LOAD_SEED ?? 8_128);
    const arbitrary = fc.oneof(
      {
        weight: 9,
        arbitrary: fc
          .constantFrom(...channelNames)
          .chain((name) => fc.tuple(fc.constant(name), fc.oneof(anything, nearlyValid(name)))),
      },
      { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 40 }), anything) },
    );
    const byName = new Map(allChannels.map((c) => [c.name, c.payload as z.ZodType]));
    const malformed: [string, unknown][] = [];
    for (let batch = 0; malformed.length < MALFORMED; batch++) {
      for (const [name, payload] of fc.sample(arbitrary, { numRuns: 2_000, seed: seed + batch }))
        if (!byName.get(name)?.safeParse(payload).success) malformed.push([name, payload]);
    }
    malformed.length = MALFORMED;
    expect(malformed).toHaveLength(MALFORMED);

    const codes = new Map<string, number>();
    const started = performance.now();
    for (const [name, payload] of malformed) {
      const result = await gateway.invoke(admin, name, payload);
      expect(result.ok, name).toBe(false);
      if (!result.ok) codes.set(result.error.code, (codes.get(result.error.code) ?? 0) + 1);
    }
    console.info(
      `load: ${MALFORMED} malformed payloads in ${((performance.now() - started) / 1000).toFixed(2)} s: ` +
        JSON.stringify(Object.fromEntries(codes)),
    );
    expect([...codes.keys()].sort()).toEqual(expect.arrayContaining(['validation']));
    for (const key of codes.keys()) expect(['validation', 'not-found']).toContain(key);
    expect(databaseDigest(f.core)).toBe(before);
    expect(pushes).toEqual([]);
    expect(f.core.auth.session('admin-window')?.username).toBe('admin');
  }, 120_000);
});
