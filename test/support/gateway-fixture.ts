/**
 * Test helper for the gateway's security specs: a real app core over a temp SQLite file, the IPC gateway in
 * front of it, and senders for the app's own main frame or an attacker's. Accounts are made and signed in
 * through the gateway itself, as a window would.
 *
 *   const f = await gatewayFixture();
 *   const { admin, reader } = await seedAccounts(f);          // client ids with signed-in sessions
 *   await f.call(admin, 'sc:users:list');                      // from the app's own main frame
 *   await f.gateway.invoke(f.sender(admin, { origin: 'https://evil.example' }), 'sc:users:list', undefined);
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, expect } from 'vitest';
import type { channelNames } from '../../main/contract/channel-names';
import type { IpcResult } from '../../main/contract/errors';
import { createAppCore, type AppCore, type AppCoreOptions } from '../../main/core/app-core';
import { ManualClock } from '../../main/core/clock';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import type { LogSink } from '../../main/core/log-line';
import type { Verifier } from '../../main/core/verify/verifier';
import { createGateway, type Gateway, type Sender } from '../../main/gateway/gateway';
import { tempDir } from './temp-dir';

export const APP_ORIGIN = 'app://system-configurator';
export const ADMIN_PASSWORD = 'admin-Pa55word-7f3q-unique';
/** @public (the temporary-password security test signs the reader in) */
export const READER_PASSWORD = 'reader-Pa55word-k2w9-unique';

export interface GatewayFixture {
  core: AppCore;
  gateway: Gateway;
  clock: ManualClock;
  keychain: InMemoryKeychain;
  /** The app's own main frame for `clientId`, unless overridden. */
  sender(clientId: string, overrides?: Partial<Omit<Sender, 'clientId'>>): Sender;
  /** A call from the app's own main frame. */
  call(clientId: string, channel: ContractChannel, payload?: unknown): Promise<IpcResult<unknown>>;
  /** A call that must succeed; returns its value. */
  ok<T = unknown>(clientId: string, channel: ContractChannel, payload?: unknown): Promise<T>;
  /** A digest of every row of every table (and the schema version): equal digests, unchanged database. */
  databaseDigest(): string;
  /** A digest of what the keychain holds for the secrets the app knows. */
  keychainDigest(): Promise<string>;
}

const cleanups: (() => void)[] = [];

/** A verifier that must never be reached: any call fails the test that caused it. */
export function forbiddenVerifier(): Verifier & { calls: number } {
  const verifier = {
    calls: 0,
    start: () => fail(),
    report: () => fail(),
    status: () => fail(),
  };
  function fail(): never {
    verifier.calls++;
    throw new Error('the verification provider must not be called');
  }
  return verifier;
}

export async function gatewayFixture(
  options: { verifier?: Verifier; core?: Partial<AppCoreOptions>; log?: LogSink } = {},
): Promise<GatewayFixture> {
  const clock = new ManualClock();
  const keychain = new InMemoryKeychain();
  const core = createAppCore({
    dataDir: tempDir('sc-gateway-'),
    clock,
    keychain,
    sinchTimeoutMs: 2_000,
    // The save dialog: a new file in a folder of its own.
    chooseExportFile: async (name) => path.join(tempDir('sc-export-'), name),
    ...(options.verifier ? { verifier: options.verifier } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...options.core,
  });
  cleanups.push(() => core.close());
  const gateway = createGateway(core, {
    appOrigin: APP_ORIGIN,
    ...(options.log ? { log: options.log } : {}),
  });

  const sender = (clientId: string, overrides: Partial<Omit<Sender, 'clientId'>> = {}): Sender => ({
    clientId,
    origin: APP_ORIGIN,
    isMainFrame: true,
    ...overrides,
  });
  const call = (clientId: string, channel: ContractChannel, payload?: unknown) =>
    gateway.invoke(sender(clientId), channel, payload);

  return {
    core,
    gateway,
    clock,
    keychain,
    sender,
    call,
    async ok<T>(clientId: string, channel: ContractChannel, payload?: unknown): Promise<T> {
      const result = await call(clientId, channel, payload);
      if (!result.ok) expect.fail(`${channel} failed: ${JSON.stringify(result.error)}`);
      return result.value as T;
    },
    databaseDigest: () => databaseDigest(core),
    async keychainDigest() {
      return JSON.stringify(await keychain.get('sinch-verification-api'));
    },
  };
}

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Hashes `SELECT *` of every table in a stable order (rowid, or the primary key of WITHOUT ROWID tables). */
export function databaseDigest(core: AppCore): string {
  const hash = createHash('sha256');
  hash.update(`user_version=${String(core.db.pragma('user_version', { simple: true }))}\n`);
  const tables = core.db
    .prepare("SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' ORDER BY name")
    .all() as { name: string; wr: number }[];
  for (const { name, wr } of tables) {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    const rows = core.db.prepare(`SELECT * FROM ${quoted} ORDER BY ${wr ? '1, 2' : 'rowid'}`).all();
    hash.update(`${name}\n${JSON.stringify(rows)}\n`);
  }
  return hash.digest('hex');
}

/**
 * Makes the first administrator ("admin", through auth.firstRun) and a read-only user ("reader", created by
 * the administrator through users.create), and signs each in on its own window through auth.logOn. 2FA must
 * be off (the default policy).
 */
export async function seedAccounts(
  f: GatewayFixture,
  clients: { admin?: string; reader?: string } = {},
): Promise<{ admin: string; reader: string }> {
  const admin = clients.admin ?? 'admin-window';
  const reader = clients.reader ?? 'reader-window';
  const first = await f.ok<{ step: string }>(admin, 'sc:auth:firstRun', {
    username: 'admin',
    displayName: 'Ada Admin',
    password: ADMIN_PASSWORD,
    confirmPassword: ADMIN_PASSWORD,
  });
  expect(first.step).toBe('signedOut');
  await signIn(f, admin, 'admin', ADMIN_PASSWORD);
  await f.ok(admin, 'sc:users:create', {
    username: 'reader',
    displayName: 'Rita Reader',
    password: READER_PASSWORD,
    roles: ['read-only'],
  });
  await signIn(f, reader, 'reader', READER_PASSWORD);
  return { admin, reader };
}

/** Signs `username` in on window `clientId` through auth.logOn (2FA off) and checks the session. */
export async function signIn(f: GatewayFixture, clientId: string, username: string, password: string) {
  const view = await f.ok<{ step: string }>(clientId, 'sc:auth:logOn', { username, password });
  expect(view.step).toBe('signedIn');
  expect(f.core.auth.session(clientId)?.username).toBe(username);
}

type Names = typeof channelNames;
/** Every channel name of the contract, as a union of literals. */
export type ContractChannel = { [A in keyof Names]: Names[A][keyof Names[A]] }[keyof Names];

/**
 * A payload each channel's schema accepts (for the seeded accounts above), so a refusal in a test is the
 * gateway's sender or access check, not validation. Typed by channel name: a new channel must add one.
 */
export const VALID_PAYLOADS: Readonly<Record<ContractChannel, unknown>> = {
  'sc:auth:state': undefined,
  'sc:auth:firstRun': {
    username: 'mallory',
    password: 'mallory-Pa55word-x',
    confirmPassword: 'mallory-Pa55word-x',
  },
  'sc:auth:logOn': { username: 'admin', password: ADMIN_PASSWORD },
  'sc:auth:submitCode': { code: '123456' },
  'sc:auth:resendCode': undefined,
  'sc:auth:changePassword': { newPassword: 'a-new-Pa55word-q', confirmPassword: 'a-new-Pa55word-q' },
  'sc:auth:retry': {},
  'sc:auth:cancel': undefined,
  'sc:auth:signOut': {},
  'sc:auth:activity': undefined,
  'sc:auth:ssoStart': undefined,
  'sc:auth:setLanguage': { locale: 'sv' },
  'sc:policy:get': undefined,
  'sc:policy:set': { twoFactor: { validMinutes: 7, maxAttempts: 4 } },
  'sc:policy:readiness': { primaryMethod: 'sms', fallbackMethod: 'email' },
  'sc:policy:sources': undefined,
  'sc:users:list': { search: 're' },
  'sc:users:get': { username: 'reader' },
  'sc:users:create': { username: 'carol', password: 'carol-Pa55word-x', roles: ['read-only'] },
  'sc:users:update': { username: 'reader', patch: { displayName: 'Rita R.', mobile: '+46 70 123 45 67' } },
  'sc:users:unlock': { username: 'reader' },
  'sc:users:setPassword': {
    username: 'reader',
    newPassword: 'temporary-Pa55word-r',
    confirmPassword: 'temporary-Pa55word-r',
  },
  'sc:sso:identities': undefined,
  'sc:sso:link': { issuer: 'https://idp.example.com', subject: 'u-reader-1', username: 'reader' },
  'sc:sso:unlink': { issuer: 'https://idp.example.com', subject: 'u-reader-1' },
  'sc:secrets:list': undefined,
  'sc:secrets:set': { name: 'sinch-verification-api', authId: 'app-key-1', secret: 'c2VjcmV0LXZhbHVl' },
  'sc:secrets:delete': { name: 'sinch-verification-api' },
  'sc:audit:query': { limit: 20, action: 'logon.success' },
  'sc:audit:exportStart': {},
  'sc:audit:exportStatus': { id: '9b2f4c1e-0d5a-4e7b-8c3f-2a1d6e5b7c90' },
  'sc:audit:exportCancel': { id: '9b2f4c1e-0d5a-4e7b-8c3f-2a1d6e5b7c90' },
  'sc:verify:testStart': { method: 'sms' },
  'sc:verify:testConfirm': { code: '123456' },
};

/** The valid payload of a channel named at run time (e.g. from `allChannels`). */
export function validPayload(name: string): unknown {
  if (!Object.hasOwn(VALID_PAYLOADS, name)) throw new Error(`no valid payload for ${name}`);
  return VALID_PAYLOADS[name as ContractChannel];
}

/** Any JavaScript value a window could send, exotic ones included (for fuzzing the gateway's payloads). */
export function anyJsValue(maxDepth: number): fc.Arbitrary<unknown> {
  return fc.anything({
    maxDepth,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withNullPrototype: true,
    withObjectString: true,
    withSet: true,
    withSparseArray: true,
    withTypedArray: true,
    withUnicodeString: true,
  });
}
