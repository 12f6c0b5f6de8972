/**
 * The in-process figures: the gateway round trip, the full log-on against the emulator (with and without
 * argon2) next to the sum of its raw parts, the enumeration check, and core start-up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import Database from 'better-sqlite3';
import type { IpcResult } from '../../main/contract/errors';
import type { AuthView } from '../../main/contract/ipc';
import { createAppCore, type AppCore } from '../../main/core/app-core';
import { systemClock } from '../../main/core/clock';
import { databasePath } from '../../main/core/db/database';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { ARGON2_PARAMETERS } from '../../main/core/users/argon2-parameters';
import { createGateway, type Gateway, type Sender } from '../../main/gateway/gateway';
import { EMULATOR_DEFAULT_KEY, EMULATOR_DEFAULT_SECRET } from '../../tools/sinch-emulator/server';
import { median, now, sampleAsync, sampleSync, sinceNs, type Samples } from './measure';
import { plain, timed } from './report';
import { recordSql, replayer } from './sql-recorder';

const APP_ORIGIN = 'app://system-configurator';
const PASSWORD = 'bench password 1234';
/** The cheapest argon2id the library accepts: the log-on path unchanged, the hashing cost ~gone. */
const CHEAP_ARGON2 = { algorithm: ARGON2_PARAMETERS.algorithm, memoryCost: 8, timeCost: 1, parallelism: 1 };

/** A server in a process of its own (as Sinch is), on 127.0.0.1; stopped by the bench, by pid. */
interface ServerProcess {
  url: string;
  child: ChildProcess;
  close(): Promise<void>;
}

async function startServerProcess(args: string[], cwd: string, ready: RegExp): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      text = (text + chunk).slice(-10_000);
      const match = ready.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`bench: server ${args.join(' ')} exited before it was ready`)));
  });
  child.stdout!.resume();
  return {
    url,
    child,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

interface Emulator extends ServerProcess {
  key: string;
  secret: string;
  /** The newest code sent to `to` (read through the emulator's outbox hook; not timed). */
  lastCodeFor(to: string): Promise<string>;
}

async function startEmulatorProcess(root: string): Promise<Emulator> {
  const server = await startServerProcess(
    ['--import', 'tsx', path.join(root, 'tools', 'sinch-emulator', 'cli.ts'), '--port', '0'],
    root,
    /listening on (http:\/\/127\.0\.0\.1:\d+)/,
  );
  let sent = 0;
  return {
    ...server,
    key: EMULATOR_DEFAULT_KEY,
    secret: EMULATOR_DEFAULT_SECRET,
    async lastCodeFor(to) {
      const outbox = (await (await fetch(`${server.url}/_emulator/outbox`)).json()) as {
        to: string;
        code: string;
      }[];
      const code = outbox.findLast((entry) => entry.to === to)?.code;
      if (!code) throw new Error(`bench: no code sent to ${to}`);
      if (++sent % 100 === 0) await fetch(`${server.url}/_emulator/outbox`, { method: 'DELETE' });
      return code;
    },
  };
}

interface LoginRig {
  core: AppCore;
  gateway: Gateway;
  emulator: Emulator;
  dataDir: string;
  fullHash: string;
  cheapHash: string;
  close(): Promise<void>;
}

function sender(clientId: string): Sender {
  return { clientId, origin: APP_ORIGIN, isMainFrame: true };
}

function viewOf(result: IpcResult<unknown>, step: AuthView['step']): AuthView {
  if (!result.ok)
    throw new Error(`bench: expected ${step}, got error ${result.error.code}: ${result.error.message}`);
  const view = result.value as AuthView;
  if (view.step !== step)
    throw new Error(`bench: expected ${step}, got ${view.step} (${JSON.stringify(view.error)})`);
  return view;
}

async function rig(root: string): Promise<LoginRig> {
  const emulator = await startEmulatorProcess(root);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-bench-'));
  const keychain = new InMemoryKeychain();
  const core = createAppCore({ dataDir, clock: systemClock, keychain, sinchTimeoutMs: 5_000 });
  core.policy.set(
    {
      sinch: {
        endpoint: emulator.url,
        authMethod: 'signed',
        emailSenderAddress: 'noreply@sc.example',
        emailSenderName: 'System Configurator',
      },
      twoFactor: { enabled: true },
    },
    'bench',
  );
  // After the endpoint: the secret is bound to the endpoint origin it is entered for.
  await core.secrets.set(
    { name: 'sinch-verification-api', authId: emulator.key, secret: emulator.secret },
    'bench',
  );
  await core.users.create(
    { username: 'bench-full', password: PASSWORD, mobile: '+46701000001', roles: ['administrator'] },
    'bench',
  );
  await core.users.create({ username: 'bench-cheap', password: PASSWORD, mobile: '+46701000002' }, 'bench');
  const cheapHash = await argon2Hash(PASSWORD, CHEAP_ARGON2);
  core.db.prepare("UPDATE users SET password_hash = ? WHERE username = 'bench-cheap'").run(cheapHash);
  const fullHash = core.users.findRecord('bench-full')!.passwordHash!;
  const gateway = createGateway(core, { appOrigin: APP_ORIGIN });
  return {
    core,
    gateway,
    emulator,
    dataDir,
    fullHash,
    cheapHash,
    async close() {
      core.close();
      await emulator.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One full log-on through the gateway; returns the time of the two calls (the code lookup is not timed). */
async function logOnce(r: LoginRig, username: string, mobile: string, clientId: string): Promise<number> {
  const who = sender(clientId);
  let start = now();
  viewOf(await r.gateway.invoke(who, 'sc:auth:logOn', { username, password: PASSWORD }), 'awaitingCode');
  const logOnNs = sinceNs(start);
  const code = await r.emulator.lastCodeFor(mobile);
  start = now();
  viewOf(await r.gateway.invoke(who, 'sc:auth:submitCode', { code }), 'signedIn');
  const submitNs = sinceNs(start);
  viewOf(await r.gateway.invoke(who, 'sc:auth:signOut', undefined), 'signedOut');
  r.gateway.disconnect(clientId);
  return logOnNs + submitNs;
}

async function loginSamples(r: LoginRig, username: string, mobile: string, runs: number, warmup: number) {
  const ns: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t = await logOnce(r, username, mobile, `bench-${username}-${i}`);
    if (i >= warmup) ns.push(t);
  }
  return { ns };
}

/** A bare node:http server (its own process) answering a small JSON body; a client like the app's (no keep-alive). */
async function rawHttpRoundTrip(root: string, samples: number): Promise<Samples> {
  const script = `
    const http = require('node:http');
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const body = '{"id":"1234567890","method":"sms"}';
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
    process.on('SIGTERM', () => server.close(() => process.exit(0)));`;
  const server = await startServerProcess(['-e', script], root, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const port = Number(new URL(server.url).port);
  const agent = new http.Agent({ keepAlive: false });
  const payload = JSON.stringify({
    identity: { type: 'number', endpoint: '+46701000001' },
    method: 'sms',
    reference: '0f8fad5b-d9cb-469f-a165-70867728950e',
    smsOptions: { expiry: '00:05:00', codeType: 'Numeric' },
  });
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/verification/v1/verifications',
          agent,
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            JSON.parse(Buffer.concat(chunks).toString('utf8'));
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const result = await sampleAsync(once, { samples, warmup: 50 });
  agent.destroy();
  await server.close();
  return result;
}

export async function runLoginBench(root: string, log: (line: string) => void): Promise<void> {
  const r = await rig(root);
  try {
    // ---- Gateway round trip ----
    log('gateway round trip ...');
    const who = sender('bench-state');
    const gatewaySamples = await sampleAsync(() => r.gateway.invoke(who, 'sc:auth:state', undefined), {
      samples: 50,
      batch: 200,
      warmup: 2_000,
    });
    const constant = { step: 'signedOut' };
    const bare = async (): Promise<typeof constant> => constant;
    const bareSamples = await sampleAsync(bare, { samples: 50, batch: 200, warmup: 2_000 });
    const directSamples = sampleSync(() => r.core.auth.state('bench-state'), {
      samples: 50,
      batch: 200,
      warmup: 2_000,
    });
    const S = 'In-process (core + gateway, small database)';
    timed(S, 'gateway round trip sc:auth:state (validation included)', gatewaySamples, 'µs', {
      budgetMax: 50,
      baseline: { name: 'a bare async function call, awaited', samples: bareSamples },
    });
    timed(S, '  of which core.auth.state() called directly', directSamples, 'µs', {
      note: 'the view is built each call: users.hasAdministrator() prepares and runs one SQL statement',
    });

    // ---- Raw parts ----
    log('raw parts: argon2, loopback HTTP, SQL ...');
    const argonFull = await sampleAsync(() => argon2Verify(r.fullHash, PASSWORD), { samples: 25, warmup: 3 });
    const argonCheap = await sampleAsync(() => argon2Verify(r.cheapHash, PASSWORD), {
      samples: 50,
      batch: 20,
      warmup: 20,
    });
    const httpRtt = await rawHttpRoundTrip(root, 400);

    // SQL: record the statements of one full log-on (cheap-hash user), replay them on a bare connection.
    await logOnce(r, 'bench-cheap', '+46701000002', 'bench-record-warm');
    const recorder = sender('bench-record');
    const statements = await recordSql(async () => {
      const password = { username: 'bench-cheap', password: PASSWORD };
      viewOf(await r.gateway.invoke(recorder, 'sc:auth:logOn', password), 'awaitingCode');
      const code = await r.emulator.lastCodeFor('+46701000002');
      viewOf(await r.gateway.invoke(recorder, 'sc:auth:submitCode', { code }), 'signedIn');
    });
    viewOf(await r.gateway.invoke(recorder, 'sc:auth:signOut', undefined), 'signedOut');
    r.gateway.disconnect('bench-record');
    const raw = new Database(databasePath(r.dataDir));
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
    const replay = replayer(raw, statements);
    const sqlSamples = sampleSync(replay, { samples: 200, warmup: 20 });
    raw.close();

    // ---- Full log-on ----
    log('full log-ons (argon2 excluded / included) ...');
    const cheapLogin = await loginSamples(r, 'bench-cheap', '+46701000002', 200, 30);
    // Each full log-on right after one argon2 verify of the same hash: the pair's difference is the log-on
    // without argon2, with the machine in the same state for both.
    const fullNs: number[] = [];
    const pairedNs: number[] = [];
    for (let i = 0; i < 28; i++) {
      const start = now();
      await argon2Verify(r.fullHash, PASSWORD);
      const verifyNs = sinceNs(start);
      const loginNs = await logOnce(r, 'bench-full', '+46701000001', `bench-full-${i}`);
      if (i < 3) continue;
      fullNs.push(loginNs);
      pairedNs.push(loginNs - verifyNs);
    }
    const fullLogin = { ns: fullNs };

    const L =
      'Full log-on (password + code) through the gateway; Sinch emulator in its own process on loopback';
    const rawExcl = {
      ns: [median(httpRtt.ns) * 2 + median(sqlSamples.ns)],
    };
    const rawIncl = { ns: [median(argonFull.ns) + median(httpRtt.ns) * 2 + median(sqlSamples.ns)] };
    timed(L, 'log-on, argon2 excluded (user hash at m=8 KiB,t=1: the path unchanged)', cheapLogin, 'ms', {
      budgetMax: 10,
      baseline: { name: 'raw: 2 loopback HTTP round trips + the SQL statements', samples: rawExcl },
      note: `the cheap argon2 verify left in it costs ${(median(argonCheap.ns) / 1e3).toFixed(0)} µs; not subtracted`,
    });
    timed(
      L,
      'log-on, argon2 excluded (cross-check: full log-on − the argon2 verify run just before)',
      { ns: pairedNs },
      'ms',
      {
        budgetMax: 10,
        baseline: { name: 'raw: 2 loopback HTTP round trips + the SQL statements', samples: rawExcl },
      },
    );
    timed(L, 'log-on, argon2 included (OWASP m=19 MiB,t=2,p=1)', fullLogin, 'ms', {
      baseline: { name: 'raw: 1 argon2 verify + 2 HTTP round trips + the SQL', samples: rawIncl },
    });
    timed(L, '  raw part: one argon2id verify (m=19 MiB, t=2, p=1)', argonFull, 'ms');
    timed(L, '  raw part: one loopback HTTP round trip (node:http, new connection)', httpRtt, 'ms');
    timed(
      L,
      `  raw part: the log-on's ${statements.length} SQL statements, prepared once`,
      sqlSamples,
      'ms',
      {
        note: `replayed on a bare better-sqlite3 connection (${transactions(statements)} write transactions, BEGIN/COMMIT included)`,
      },
    );

    // ---- Enumeration check ----
    log('enumeration check ...');
    await enumerationCheck(r);

    // ---- Core start-up on an existing (small) database ----
    log('core start-up ...');
    const startups = startupSamples(r.dataDir, 30);
    timed(S, 'core start-up on an existing database (small: 2 users)', startups, 'ms', { budgetMax: 150 });
  } finally {
    await r.close();
  }
}

function transactions(statements: readonly { sql: string }[]): number {
  return statements.filter((s) => /^BEGIN/i.test(s.sql)).length;
}

/** createAppCore + close on an existing data dir (modules already loaded). */
export function startupSamples(dataDir: string, runs: number): Samples {
  const keychain = new InMemoryKeychain();
  return sampleSync(() => createAppCore({ dataDir, keychain, clock: systemClock }).close(), {
    samples: runs,
    warmup: 3,
  });
}

/** Log-on time of an unknown user vs a known user with a wrong password, interleaved. */
async function enumerationCheck(r: LoginRig): Promise<void> {
  const known: string[] = [];
  for (let i = 0; i < 4; i++) {
    const username = `enum-known-${i}`;
    await r.core.users.create({ username, password: PASSWORD, mobile: `+4670200000${i}` }, 'bench');
    known.push(username);
  }
  const reset = r.core.db.prepare(
    'UPDATE users SET failed_password_attempts = 0, password_locked_until = NULL WHERE username = ?',
  );
  const attempt = async (username: string, clientId: string): Promise<number> => {
    const start = now();
    const result = await r.gateway.invoke(sender(clientId), 'sc:auth:logOn', {
      username,
      password: 'a wrong password 999',
    });
    const ns = sinceNs(start);
    const view = viewOf(result, 'signedOut');
    if (view.error?.code !== 'invalid-credentials')
      throw new Error(`bench: enumeration probe got ${view.error?.code ?? 'no error'}`);
    r.gateway.disconnect(clientId);
    return ns;
  };
  const unknownNs: number[] = [];
  const knownNs: number[] = [];
  const runs = 61;
  for (let i = -3; i < runs; i++) {
    const knownUser = known[(i + 3) % known.length]!;
    const pair = [
      async () => {
        const t = await attempt(`enum-ghost-${i + 3}`, `enum-u-${i}`);
        if (i >= 0) unknownNs.push(t);
      },
      async () => {
        const t = await attempt(knownUser, `enum-k-${i}`);
        reset.run(knownUser);
        if (i >= 0) knownNs.push(t);
      },
    ];
    if (i % 2 === 0) pair.reverse();
    for (const step of pair) await step();
  }
  const E = 'Enumeration check (first factor, wrong password; must be within 10%)';
  timed(E, 'log-on of an unknown user', { ns: unknownNs }, 'ms');
  timed(E, 'log-on of a known user with a wrong password', { ns: knownNs }, 'ms');
  const a = median(unknownNs);
  const b = median(knownNs);
  const difference = (Math.abs(a - b) / Math.min(a, b)) * 100;
  plain({
    section: E,
    name: 'difference of the medians',
    value: difference,
    unit: '%',
    budget: { max: 10, unit: '%' },
    note: `unknown ${(a / 1e6).toFixed(2)} ms vs known ${(b / 1e6).toFixed(2)} ms (${runs} each, interleaved)`,
  });
}
