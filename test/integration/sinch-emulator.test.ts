import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../main/core/clock';
import { basicAuthorization, signRequest, signingTimestamp } from '../../main/core/verify/signing';
import {
  EMULATOR_DEFAULT_KEY,
  EMULATOR_DEFAULT_SECRET,
  startSinchEmulator,
} from '../../tools/sinch-emulator/server';
import type { EmulatorOptions, OutboxEntry, SinchEmulator } from '../../tools/sinch-emulator/server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const API = '/verification/v1/verifications';
const PHONE = '+46700000000';
const OTHER_SECRET = Buffer.from('some other secret').toString('base64');

let emulators: SinchEmulator[] = [];
let children: ChildProcess[] = [];

afterEach(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  emulators = [];
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children = [];
});

async function emulator(options: EmulatorOptions = {}): Promise<SinchEmulator> {
  const emu = await startSinchEmulator(options);
  emulators.push(emu);
  return emu;
}

interface Answer {
  status: number;
  text: string;
  json: unknown;
}

interface RawRequest {
  method?: string;
  path: string;
  /** Sent verbatim when a string; JSON-encoded otherwise. */
  body?: unknown;
  /** How to authenticate: default signed with the default credentials. */
  auth?: 'signed' | 'basic' | 'none';
  key?: string;
  secret?: string;
  timestampMs?: number;
  /** Override the signed x-timestamp header (undefined value drops it). */
  headers?: Record<string, string | undefined>;
  /** Change the body after signing. */
  tamper?: (body: string) => string;
}

function raw(emu: SinchEmulator, request: RawRequest): Promise<Answer> {
  const method = request.method ?? 'GET';
  const text =
    request.body === undefined
      ? undefined
      : typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (text !== undefined) headers['Content-Type'] = 'application/json';
  const key = request.key ?? EMULATOR_DEFAULT_KEY;
  const secret = request.secret ?? EMULATOR_DEFAULT_SECRET;
  const auth = request.auth ?? 'signed';
  if (auth === 'basic') headers.Authorization = basicAuthorization(key, secret);
  if (auth === 'signed') {
    const signed = signRequest({
      key,
      secret,
      method,
      path: request.path,
      contentType: headers['Content-Type'] ?? '',
      timestamp: signingTimestamp(request.timestampMs ?? Date.now()),
      ...(text !== undefined ? { body: text } : {}),
    });
    headers.Authorization = signed.authorization;
    headers['x-timestamp'] = signed.timestamp;
  }
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const sent = text !== undefined && request.tamper ? request.tamper(text) : text;
  return new Promise((resolve, reject) => {
    const req = http.request(`${emu.url}${request.path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = body ? JSON.parse(body) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text: body, json });
      });
    });
    req.on('error', reject);
    req.end(sent);
  });
}

function startBody(to = PHONE, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { identity: { type: 'number', endpoint: to }, method: 'sms', ...extra };
}

async function startSms(
  emu: SinchEmulator,
  extra: Record<string, unknown> = {},
  to = PHONE,
): Promise<{ id: string; code: string }> {
  const answer = await raw(emu, { method: 'POST', path: API, body: startBody(to, extra), auth: 'basic' });
  expect(answer.status).toBe(200);
  const id = (answer.json as { id: string }).id;
  return { id, code: emu.outbox().find((e) => e.id === id)?.code ?? '' };
}

function report(emu: SinchEmulator, id: string, code: string, method = 'sms'): Promise<Answer> {
  return raw(emu, {
    method: 'PUT',
    path: `${API}/id/${id}`,
    body: { method, [method]: { code } },
    auth: 'basic',
  });
}

function otherCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

describe('authentication', () => {
  it('accepts a correct signed request and a correct Basic request', async () => {
    const emu = await emulator();
    expect((await raw(emu, { method: 'POST', path: API, body: startBody() })).status).toBe(200);
    expect((await raw(emu, { method: 'POST', path: API, body: startBody(), auth: 'basic' })).status).toBe(
      200,
    );
    // GET without a body signs an empty Content-MD5 and Content-Type.
    const id = emu.outbox()[0]?.id ?? '';
    expect((await raw(emu, { path: `${API}/id/${id}` })).status).toBe(200);
  });

  it('answers 401/40102 to a bad signature and to a body changed after signing', async () => {
    const emu = await emulator();
    const wrongSecret = await raw(emu, {
      method: 'POST',
      path: API,
      body: startBody(),
      secret: OTHER_SECRET,
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.json).toMatchObject({ errorCode: 40102 });
    const tampered = await raw(emu, {
      method: 'POST',
      path: API,
      body: startBody(),
      tamper: (b) => b.replace(PHONE, '+46700000001'),
    });
    expect(tampered.json).toMatchObject({ errorCode: 40102 });
    const otherContentType = await raw(emu, {
      method: 'POST',
      path: API,
      body: startBody(),
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(otherContentType.json).toMatchObject({ errorCode: 40102 });
    expect(emu.outbox()).toHaveLength(0);
  });

  it('answers 401/40101 without x-timestamp or with one more than 10 minutes off', async () => {
    const clock = new ManualClock();
    const emu = await emulator({ clock });
    const missing = await raw(emu, {
      method: 'POST',
      path: API,
      body: startBody(),
      headers: { 'x-timestamp': undefined },
    });
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject({ errorCode: 40101 });
    for (const offset of [-11 * 60_000, 11 * 60_000]) {
      const off = await raw(emu, {
        method: 'POST',
        path: API,
        body: startBody(),
        timestampMs: clock.now() + offset,
      });
      expect(off.status).toBe(401);
      expect(off.json).toMatchObject({ errorCode: 40101 });
    }
    const garbage = await raw(emu, {
      method: 'POST',
      path: API,
      body: startBody(),
      headers: { 'x-timestamp': 'yesterday' },
    });
    expect(garbage.json).toMatchObject({ errorCode: 40101 });
    const nineMinutesOld = await raw(emu, {
      method: 'POST',
      path: API,
      body: startBody(),
      timestampMs: clock.now() - 9 * 60_000,
    });
    expect(nineMinutesOld.status).toBe(200);
  });

  it('answers 401 to a wrong Basic secret, a missing header and an unknown scheme', async () => {
    const emu = await emulator();
    const wrong = await raw(emu, {
      method: 'POST',
      path: API,
      body: startBody(),
      auth: 'basic',
      secret: 'nope',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ errorCode: 40107 });
    const wrongKey = await raw(emu, {
      method: 'POST',
      path: API,
      body: startBody(),
      auth: 'basic',
      key: 'other',
    });
    expect(wrongKey.json).toMatchObject({ errorCode: 40107 });
    const none = await raw(emu, { method: 'POST', path: API, body: startBody(), auth: 'none' });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ errorCode: 40100 });
    const bearer = await raw(emu, {
      method: 'POST',
      path: API,
      body: startBody(),
      auth: 'none',
      headers: { Authorization: 'Bearer x' },
    });
    expect(bearer.json).toMatchObject({ errorCode: 40100 });
    const unknownKey = await raw(emu, { method: 'POST', path: API, body: startBody(), key: 'other-key' });
    expect(unknownKey.json).toMatchObject({ errorCode: 40107 });
  });

  it('accepts only the configured method', async () => {
    const signedOnly = await emulator({ auth: 'signed' });
    expect(
      (await raw(signedOnly, { method: 'POST', path: API, body: startBody(), auth: 'basic' })).json,
    ).toMatchObject({
      errorCode: 40100,
    });
    expect((await raw(signedOnly, { method: 'POST', path: API, body: startBody() })).status).toBe(200);
    const basicOnly = await emulator({ auth: 'basic', key: 'k', secret: 's' });
    expect(
      (await raw(basicOnly, { method: 'POST', path: API, body: startBody(), key: 'k', secret: 'czE=' }))
        .status,
    ).toBe(401);
    expect(
      (
        await raw(basicOnly, {
          method: 'POST',
          path: API,
          body: startBody(),
          auth: 'basic',
          key: 'k',
          secret: 's',
        })
      ).status,
    ).toBe(200);
  });
});

describe('start', () => {
  it('answers the documented SMS start shape and sends a 6-digit code', async () => {
    const emu = await emulator();
    const answer = await raw(emu, {
      method: 'POST',
      path: API,
      body: startBody(PHONE, { reference: 'r-1', smsOptions: { expiry: '00:10:00', codeType: 'Numeric' } }),
      headers: { 'Accept-Language': 'sv-SE' },
    });
    expect(answer.status).toBe(200);
    const body = answer.json as { id: string; _links: Array<{ rel: string; href: string; method: string }> };
    expect(body).toMatchObject({
      method: 'sms',
      sms: { template: 'Din verifieringskod är {{CODE}}.', interceptionTimeout: 598, codeType: 'Numeric' },
    });
    expect(body._links).toEqual([
      { rel: 'status', href: `${emu.url}${API}/id/${body.id}`, method: 'GET' },
      { rel: 'report', href: `${emu.url}${API}/id/${body.id}`, method: 'PUT' },
    ]);
    const [entry] = emu.outbox();
    expect(entry).toMatchObject({ id: body.id, method: 'sms', to: PHONE, locale: 'sv-SE' });
    expect(entry?.code).toMatch(/^\d{6}$/);
    expect(entry?.text).toBe(`Din verifieringskod är ${entry?.code}.`);
    expect(Date.parse(entry?.sentAt ?? '')).not.toBeNaN();
    expect(emu.lastCodeFor(PHONE)).toBe(entry?.code);

    const defaults = await raw(emu, { method: 'POST', path: API, body: startBody('+46701234567') });
    expect(defaults.json).toMatchObject({ sms: { interceptionTimeout: 298 } });
    expect(emu.outbox()[1]?.locale).toBe('en-US');
    expect(emu.outbox()[1]?.text).toMatch(/^Your verification code is \d{6}\.$/);
  });

  it('answers 400/40001 to numbers that are not valid E.164', async () => {
    const emu = await emulator();
    for (const to of ['0700000000', '46700000000', '+4670', '+46 70 000 00 00', '+15555550100', '']) {
      const answer = await raw(emu, { method: 'POST', path: API, body: startBody(to) });
      expect(answer.status, to).toBe(400);
      expect(answer.json).toMatchObject({ errorCode: 40001 });
      expect(typeof (answer.json as { message: unknown }).message).toBe('string');
      expect(typeof (answer.json as { reference: unknown }).reference).toBe('string');
    }
    for (const body of [
      '{not json',
      { method: 'sms' },
      startBody(PHONE, { smsOptions: { expiry: '5 minutes' } }),
      { ...startBody(), method: 'flashcall' },
    ]) {
      expect((await raw(emu, { method: 'POST', path: API, body })).json).toMatchObject({ errorCode: 40001 });
    }
    expect(emu.outbox()).toHaveLength(0);
  });

  it('starts e-mail (beta) verifications and checks the address', async () => {
    const emu = await emulator();
    const body = {
      identity: { type: 'email', endpoint: 'a@b.example' },
      method: 'email',
      emailOptions: { from: 'noreply@sc.example', fromName: 'System Configurator' },
    };
    const answer = await raw(emu, { method: 'POST', path: API, body });
    expect(answer.status).toBe(200);
    expect(emu.outbox()).toMatchObject([{ method: 'email', to: 'a@b.example' }]);
    const id = (answer.json as { id: string }).id;
    expect((await report(emu, id, emu.lastCodeFor('a@b.example') ?? '', 'email')).json).toMatchObject({
      status: 'SUCCESSFUL',
    });

    for (const endpoint of [
      'not-an-address',
      'a b@c.example',
      'a@b',
      'a@b.example trailing words',
      `${'a'.repeat(245)}@b.example`, // 255 characters, one over the limit of an address
    ]) {
      const bad = await raw(emu, {
        method: 'POST',
        path: API,
        body: { ...body, identity: { type: 'email', endpoint } },
      });
      expect(bad.json).toMatchObject({ errorCode: 40001 });
    }
    expect(emu.outbox()).toHaveLength(1);

    const longest = `${'a'.repeat(244)}@b.example`; // 254 characters: the longest address there is
    const accepted = await raw(emu, {
      method: 'POST',
      path: API,
      body: { ...body, identity: { type: 'email', endpoint: longest } },
    });
    expect(accepted.status).toBe(200);
    expect(emu.outbox()).toHaveLength(2);
  });

  it('answers 409/40900 to a duplicate reference, without sending', async () => {
    const emu = await emulator();
    await startSms(emu, { reference: 'dup' });
    const again = await raw(emu, {
      method: 'POST',
      path: API,
      body: startBody('+46701234567', { reference: 'dup' }),
    });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ errorCode: 40900 });
    expect(emu.outbox()).toHaveLength(1);
  });
});

describe('report and status', () => {
  it('is one-shot: a wrong code ends the verification', async () => {
    const emu = await emulator();
    const { id, code } = await startSms(emu);
    const wrong = await report(emu, id, otherCode(code));
    expect(wrong.status).toBe(200);
    expect(wrong.json).toEqual({ id, method: 'sms', status: 'FAIL', reason: 'Invalid code' });
    expect((await report(emu, id, code)).json).toMatchObject({ status: 'FAIL', reason: 'Invalid code' });
  });

  it('accepts the right code once, by id or by number', async () => {
    const emu = await emulator();
    const first = await startSms(emu);
    expect((await report(emu, first.id, first.code)).json).toEqual({
      id: first.id,
      method: 'sms',
      status: 'SUCCESSFUL',
    });
    expect((await report(emu, first.id, first.code)).json).toMatchObject({ status: 'SUCCESSFUL' });

    const second = await startSms(emu, { reference: 'by-number' });
    const byNumber = await raw(emu, {
      method: 'PUT',
      path: `${API}/number/${PHONE}`,
      body: { method: 'sms', sms: { code: second.code } },
    });
    expect(byNumber.json).toMatchObject({ id: second.id, status: 'SUCCESSFUL', reference: 'by-number' });
  });

  it('marks an older verification of the same identity ABORTED', async () => {
    const emu = await emulator();
    const first = await startSms(emu);
    const second = await startSms(emu);
    expect((await raw(emu, { path: `${API}/id/${first.id}` })).json).toMatchObject({ status: 'ABORTED' });
    expect((await report(emu, first.id, first.code)).json).toMatchObject({ id: first.id, status: 'ABORTED' });
    expect((await report(emu, second.id, second.code)).json).toMatchObject({ status: 'SUCCESSFUL' });
  });

  it('expires codes after smsOptions.expiry, else after 5 minutes', async () => {
    const clock = new ManualClock();
    const emu = await emulator({ clock });
    const short = await startSms(emu, { smsOptions: { expiry: '00:01:00' } });
    const usual = await startSms(emu, {}, '+46701234567');
    clock.advance(60_000);
    expect((await report(emu, short.id, short.code)).json).toEqual({
      id: short.id,
      method: 'sms',
      status: 'FAIL',
      reason: 'Expired',
    });
    clock.advance(239_000);
    expect((await raw(emu, { path: `${API}/id/${usual.id}`, timestampMs: clock.now() })).json).toMatchObject({
      status: 'PENDING',
    });
    clock.advance(1_000);
    expect((await report(emu, usual.id, usual.code)).json).toMatchObject({
      status: 'FAIL',
      reason: 'Expired',
    });
  });

  it('answers status by id, by identity and by reference; 404/40400 for unknown ones', async () => {
    const emu = await emulator();
    const { id } = await startSms(emu, { reference: 'status-ref' });
    const expected = {
      id,
      method: 'sms',
      status: 'PENDING',
      reference: 'status-ref',
      identity: { type: 'number', endpoint: PHONE },
    };
    expect((await raw(emu, { path: `${API}/id/${id}` })).json).toEqual(expected);
    expect((await raw(emu, { path: `${API}/sms/number/${PHONE}` })).json).toEqual(expected);
    expect((await raw(emu, { path: `${API}/sms/number/%2B46700000000` })).json).toEqual(expected);
    expect((await raw(emu, { path: `${API}/reference/status-ref` })).json).toEqual(expected);
    for (const unknown of [
      `${API}/id/nope`,
      `${API}/reference/nope`,
      `${API}/sms/number/+46701234567`,
      `${API}/email/number/${PHONE}`,
    ]) {
      const answer = await raw(emu, { path: unknown });
      expect(answer.status, unknown).toBe(404);
      expect(answer.json).toMatchObject({ errorCode: 40400 });
    }
    const unknownReport = await report(emu, 'nope', '123456');
    expect(unknownReport.status).toBe(404);
    expect(unknownReport.json).toMatchObject({ errorCode: 40400 });
  });

  it('counts API calls per operation', async () => {
    const emu = await emulator();
    const { id, code } = await startSms(emu);
    await report(emu, id, code);
    await raw(emu, { path: `${API}/id/${id}` });
    await raw(emu, { path: `${API}/id/${id}`, auth: 'none' });
    expect(emu.stats()).toEqual({ starts: 1, reports: 1, statuses: 2 });
    emu.resetStats();
    expect(emu.stats()).toEqual({ starts: 0, reports: 0, statuses: 0 });
  });
});

describe('test hooks', () => {
  it('serves and clears the outbox over HTTP, newest last, without auth', async () => {
    const emu = await emulator();
    const a = await startSms(emu);
    const b = await startSms(emu, {}, '+46701234567');
    const outbox = await raw(emu, { path: '/_emulator/outbox', auth: 'none' });
    expect(outbox.status).toBe(200);
    const entries = outbox.json as OutboxEntry[];
    expect(entries.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(Object.keys(entries[0] ?? {}).sort()).toEqual([
      'code',
      'id',
      'locale',
      'method',
      'sentAt',
      'text',
      'to',
    ]);
    expect((await raw(emu, { method: 'DELETE', path: '/_emulator/outbox', auth: 'none' })).status).toBe(204);
    expect(emu.outbox()).toEqual([]);
    expect(emu.lastCodeFor(PHONE)).toBeUndefined();
  });

  it('injects status faults for the next `count` API requests', async () => {
    const emu = await emulator();
    const set = await raw(emu, {
      method: 'POST',
      path: '/_emulator/faults',
      body: { status: 503, count: 2 },
      auth: 'none',
    });
    expect(set.status).toBe(204);
    for (let i = 0; i < 2; i++) {
      const answer = await raw(emu, { method: 'POST', path: API, body: startBody() });
      expect(answer.status).toBe(503);
      expect(answer.json).toMatchObject({ errorCode: 50300 });
    }
    expect((await raw(emu, { method: 'POST', path: API, body: startBody() })).status).toBe(200);

    // Faults come before auth: a fault answers even a request without credentials.
    await raw(emu, {
      method: 'POST',
      path: '/_emulator/faults',
      body: { status: 429, errorCode: 42901 },
      auth: 'none',
    });
    expect((await raw(emu, { path: `${API}/id/x`, auth: 'none' })).json).toMatchObject({ errorCode: 42901 });
  });

  it('injects malformed JSON and delays, and clears faults', async () => {
    const emu = await emulator();
    await raw(emu, { method: 'POST', path: '/_emulator/faults', body: { malformed: true }, auth: 'none' });
    const broken = await raw(emu, { method: 'POST', path: API, body: startBody() });
    expect(broken.status).toBe(200);
    expect(() => JSON.parse(broken.text)).toThrow();

    await raw(emu, { method: 'POST', path: '/_emulator/faults', body: { delayMs: 200 }, auth: 'none' });
    const before = Date.now();
    expect((await raw(emu, { method: 'POST', path: API, body: startBody() })).status).toBe(200);
    expect(Date.now() - before).toBeGreaterThanOrEqual(190);

    await raw(emu, {
      method: 'POST',
      path: '/_emulator/faults',
      body: { status: 500, count: 5 },
      auth: 'none',
    });
    expect((await raw(emu, { method: 'DELETE', path: '/_emulator/faults', auth: 'none' })).status).toBe(204);
    expect((await raw(emu, { method: 'POST', path: API, body: startBody() })).status).toBe(200);

    const invalid = await raw(emu, {
      method: 'POST',
      path: '/_emulator/faults',
      body: { status: 'soon' },
      auth: 'none',
    });
    expect(invalid.status).toBe(400);
  });

  it('closes promptly with a delayed request pending', async () => {
    const emu = await startSinchEmulator();
    emu.injectFaults({ delayMs: 60_000 });
    const pending = raw(emu, { method: 'POST', path: API, body: startBody() }).catch(() => 'closed');
    await new Promise((r) => setTimeout(r, 50));
    await emu.close();
    expect(await pending).toBe('closed');
    expect(emu.outbox()).toHaveLength(0);
  });

  it('binds 127.0.0.1 only', async () => {
    const emu = await emulator();
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
    expect(emu.port).toBeGreaterThan(0);
  });
});

describe('CLI', { tags: ['child-process'] }, () => {
  it('prints the listening line and one line per message, and exits when killed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/sinch-emulator/cli.ts', '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const stderr: string[] = [];
    child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
    const lines = createInterface({ input: child.stdout! });
    const waiting: Array<{ test: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
    const seen: string[] = [];
    lines.on('line', (line) => {
      seen.push(line);
      for (const w of [...waiting]) {
        const match = line.match(w.test);
        if (match) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(match);
        }
      }
    });
    const nextLine = (test: RegExp): Promise<RegExpMatchArray> =>
      new Promise((resolve, reject) => {
        const earlier = seen.map((l) => l.match(test)).find((m) => m !== null);
        if (earlier) return resolve(earlier);
        const timer = setTimeout(
          () => reject(new Error(`no line ${test}; stdout ${seen.join('|')} stderr ${stderr.join('')}`)),
          20_000,
        );
        waiting.push({ test, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });

    const listening = await nextLine(
      /^Sinch Verification API emulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/,
    );
    const url = listening[1] ?? '';
    expect(seen[0]).toBe(`Sinch Verification API emulator listening on ${url}`);
    const handle = { url } as SinchEmulator;
    const started = await raw(handle, { method: 'POST', path: API, body: startBody() });
    expect(started.status).toBe(200);
    const line = await nextLine(
      /^SMS to \+46700000000 code (\d{6}) \[en-US\] "Your verification code is \d{6}\."$/,
    );
    const outbox = (await raw(handle, { path: '/_emulator/outbox', auth: 'none' })).json as OutboxEntry[];
    expect(outbox[0]?.code).toBe(line[1]);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
