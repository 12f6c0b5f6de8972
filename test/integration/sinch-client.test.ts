import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../main/core/clock';
import { ScError, isScError } from '../../main/core/errors';
import type { ErrorCode } from '../../main/contract/errors';
import { createSinchVerifier, formatExpiry, parseSinchEndpoint } from '../../main/core/verify/sinch-client';
import type { SinchVerifier, SinchVerifierOptions } from '../../main/core/verify/sinch-client';
import type { SinchSettings } from '../../main/contract/domain';
import type { EmulatorFault } from '../../tools/sinch-emulator/server';
import { startTestEmulator, testVerifier } from '../support/emulator';
import { startThrowawayTlsServer } from '../support/throwaway-tls';
import type { TestEmulator } from '../support/emulator';

// Distinctive values, so a leak anywhere is easy to find.
const SECRET = Buffer.from('client-test-secret-XYZZY-0042').toString('base64');
const WRONG_SECRET = Buffer.from('wrong-secret-PLUGH-0099').toString('base64');
const KEY = 'client-test-key';
const PHONE = '+46700000000';
const EMAIL = 'anna@example.com';

let emulators: TestEmulator[] = [];
let servers: http.Server[] = [];
let referenceCounter = 0;

afterEach(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        }),
    ),
  );
  emulators = [];
  servers = [];
  vi.restoreAllMocks();
});

async function emulator(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  const emu = await startTestEmulator({ key: KEY, secret: SECRET, ...options });
  emulators.push(emu);
  return emu;
}

function ref(): string {
  referenceCounter += 1;
  return `ref-${process.pid}-${referenceCounter}`;
}

function sms(to = PHONE, validMinutes = 5) {
  return { method: 'sms' as const, to, validMinutes, reference: ref() };
}

async function caught(promise: Promise<unknown>): Promise<ScError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ScError) return error;
    throw new Error(`expected an ScError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the call to fail');
}

/** Everything an error could show: own properties, stack, details, a deep inspect and JSON. */
function serialise(error: unknown): string {
  const parts: string[] = [inspect(error, { depth: 10, showHidden: true })];
  if (error instanceof Error) {
    parts.push(String(error.stack), error.message, JSON.stringify(error, Object.getOwnPropertyNames(error)));
    if (isScError(error)) parts.push(JSON.stringify(error.details));
    parts.push(inspect(error.cause, { depth: 10, showHidden: true }));
  }
  return parts.join('\n');
}

function secretForms(secret: string): string[] {
  return [
    secret,
    Buffer.from(secret, 'base64').toString('utf8'),
    Buffer.from(`${KEY}:${secret}`).toString('base64'), // the Basic header's payload
  ];
}

describe.each(['basic', 'signed'] as const)('client ↔ emulator, %s auth', (authMethod) => {
  it('starts an SMS verification and reports the right code', async () => {
    const emu = await emulator({ auth: authMethod });
    const verifier = testVerifier(emu, { authMethod });
    const started = await verifier.start({ ...sms(), validMinutes: 10, locale: 'sv-SE' });
    expect(started.method).toBe('sms');
    const [message] = emu.outbox();
    expect(message).toMatchObject({ id: started.id, method: 'sms', to: PHONE, locale: 'sv-SE' });
    expect(message?.code).toMatch(/^\d{6}$/);

    expect(await verifier.status(started.id)).toMatchObject({ id: started.id, status: 'PENDING' });
    expect(await verifier.report(started.id, 'sms', message?.code ?? '')).toEqual({
      outcome: 'successful',
      status: 'SUCCESSFUL',
    });
    expect(await verifier.status(started.id)).toMatchObject({ status: 'SUCCESSFUL' });
  });

  it('starts an e-mail verification (beta) and reports the right code', async () => {
    const emu = await emulator({ auth: authMethod });
    const verifier = testVerifier(emu, { authMethod });
    const started = await verifier.start({ method: 'email', to: EMAIL, validMinutes: 5, reference: ref() });
    expect(started.method).toBe('email');
    expect(emu.outbox()).toMatchObject([{ id: started.id, method: 'email', to: EMAIL }]);
    const result = await verifier.report(started.id, 'email', emu.lastCodeFor(EMAIL) ?? '');
    expect(result.outcome).toBe('successful');
  });

  it('answers wrong-code for a wrong code, and the verification is then spent', async () => {
    const emu = await emulator({ auth: authMethod });
    const verifier = testVerifier(emu, { authMethod });
    const { id } = await verifier.start(sms());
    const code = emu.lastCodeFor(PHONE) ?? '';
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await verifier.report(id, 'sms', wrong)).toEqual({
      outcome: 'wrong-code',
      status: 'FAIL',
      reason: 'Invalid code',
    });
    // One-shot: the right code afterwards does not succeed.
    expect((await verifier.report(id, 'sms', code)).outcome).not.toBe('successful');
  });

  it('answers not-valid after expiry', async () => {
    const clock = new ManualClock();
    const emu = await emulator({ auth: authMethod, clock });
    const verifier = testVerifier(emu, { authMethod, clock });
    const { id } = await verifier.start(sms(PHONE, 1));
    clock.advance(61_000);
    expect(await verifier.report(id, 'sms', emu.lastCodeFor(PHONE) ?? '')).toEqual({
      outcome: 'not-valid',
      status: 'FAIL',
      reason: 'Expired',
    });
  });

  it('answers not-valid for a verification replaced by a newer one', async () => {
    const emu = await emulator({ auth: authMethod });
    const verifier = testVerifier(emu, { authMethod });
    const first = await verifier.start(sms());
    const firstCode = emu.lastCodeFor(PHONE) ?? '';
    const second = await verifier.start(sms());
    expect(await verifier.status(first.id)).toMatchObject({ status: 'ABORTED' });
    expect(await verifier.report(first.id, 'sms', firstCode)).toEqual({
      outcome: 'not-valid',
      status: 'ABORTED',
    });
    expect((await verifier.report(second.id, 'sms', emu.lastCodeFor(PHONE) ?? '')).outcome).toBe(
      'successful',
    );
  });

  it('maps a wrong secret to verification-bad-credentials', async () => {
    const emu = await emulator({ auth: authMethod });
    const verifier = testVerifier(emu, {
      authMethod,
      credentials: async () => ({ authId: KEY, secret: WRONG_SECRET }),
    });
    const error = await caught(verifier.start(sms()));
    expect(error.code).toBe('verification-bad-credentials');
    expect(error.details).toMatchObject({
      httpStatus: 401,
      providerErrorCode: authMethod === 'signed' ? 40102 : 40107,
    });
    expect(emu.outbox()).toHaveLength(0);
  });
});

describe('status', () => {
  it('reads status by id and by reference', async () => {
    const emu = await emulator();
    const verifier = testVerifier(emu);
    const request = sms();
    const { id } = await verifier.start(request);
    expect(await verifier.status(id)).toEqual({ id, status: 'PENDING', reference: request.reference });
    expect(await verifier.statusByReference(request.reference)).toMatchObject({ id, status: 'PENDING' });
  });

  it('maps an unknown id to verification-rejected with 40400', async () => {
    const emu = await emulator();
    const error = await caught(testVerifier(emu, { retries: 0 }).status('no-such-id'));
    expect(error.code).toBe('verification-rejected');
    expect(error.details).toMatchObject({ httpStatus: 404, providerErrorCode: 40400 });
  });

  it('reports on an unknown id as not-valid', async () => {
    const emu = await emulator();
    expect(await testVerifier(emu).report('no-such-id', 'sms', '123456')).toEqual({
      outcome: 'not-valid',
      status: 'ERROR',
    });
  });
});

describe('error mapping via fault injection', () => {
  const cases: Array<{
    fault: EmulatorFault;
    code: ErrorCode;
    providerErrorCode: number | null;
    httpStatus: number;
  }> = [
    { fault: { status: 500 }, code: 'verification-unavailable', providerErrorCode: 50000, httpStatus: 500 },
    { fault: { status: 503 }, code: 'verification-unavailable', providerErrorCode: 50300, httpStatus: 503 },
    {
      fault: { status: 503, errorCode: 50301 },
      code: 'verification-unavailable',
      providerErrorCode: 50301,
      httpStatus: 503,
    },
    { fault: { status: 429 }, code: 'verification-rate-limited', providerErrorCode: 42900, httpStatus: 429 },
    {
      fault: { status: 429, errorCode: 42901 },
      code: 'verification-rate-limited',
      providerErrorCode: 42901,
      httpStatus: 429,
    },
    {
      fault: { status: 401 },
      code: 'verification-bad-credentials',
      providerErrorCode: 40100,
      httpStatus: 401,
    },
    {
      fault: { status: 401, errorCode: 40104 },
      code: 'verification-bad-credentials',
      providerErrorCode: 40104,
      httpStatus: 401,
    },
    { fault: { status: 402 }, code: 'verification-no-credit', providerErrorCode: 40200, httpStatus: 402 },
    {
      fault: { status: 400, errorCode: 40001 },
      code: 'verification-invalid-destination',
      providerErrorCode: 40001,
      httpStatus: 400,
    },
    {
      fault: { status: 400, errorCode: 40003 },
      code: 'verification-invalid-destination',
      providerErrorCode: 40003,
      httpStatus: 400,
    },
    {
      fault: { status: 422, errorCode: 42201 },
      code: 'verification-invalid-destination',
      providerErrorCode: 42201,
      httpStatus: 422,
    },
    {
      fault: { status: 422, errorCode: 42200 },
      code: 'verification-rejected',
      providerErrorCode: 42200,
      httpStatus: 422,
    },
    {
      fault: { status: 403, errorCode: 40300 },
      code: 'verification-rejected',
      providerErrorCode: 40300,
      httpStatus: 403,
    },
    {
      fault: { status: 400, errorCode: 40002 },
      code: 'verification-rejected',
      providerErrorCode: 40002,
      httpStatus: 400,
    },
    {
      fault: { malformed: true },
      code: 'verification-malformed-response',
      providerErrorCode: null,
      httpStatus: 200,
    },
  ];

  it.each(cases)('start: $fault → $code', async ({ fault, code, providerErrorCode, httpStatus }) => {
    const emu = await emulator();
    emu.injectFaults(fault);
    const error = await caught(testVerifier(emu, { retries: 0 }).start(sms()));
    expect(error.code).toBe(code);
    expect(error.details).toMatchObject({ operation: 'start', httpStatus, providerErrorCode });
    expect(error.message.length).toBeGreaterThan(20);
    expect(emu.stats().starts).toBe(1);
  });

  it('a malformed answer to report and to status is verification-malformed-response', async () => {
    const emu = await emulator();
    const verifier = testVerifier(emu, { retries: 0 });
    const { id } = await verifier.start(sms());
    emu.injectFaults({ malformed: true, count: 2 });
    expect((await caught(verifier.report(id, 'sms', '123456'))).code).toBe('verification-malformed-response');
    expect((await caught(verifier.status(id))).code).toBe('verification-malformed-response');
  });

  it('valid JSON of the wrong shape is verification-malformed-response', async () => {
    const server = await rawServer(200, '{"id": 42, "status": "MAYBE"}');
    const error = await caught(rawVerifier(server).status('x'));
    expect(error.code).toBe('verification-malformed-response');
  });

  it('accepts errorCode as a string', async () => {
    const server = await rawServer(429, '{"errorCode": "42901", "message": "too fast", "reference": "r"}');
    const error = await caught(rawVerifier(server).start(sms()));
    expect(error.code).toBe('verification-rate-limited');
    expect(error.details).toMatchObject({ httpStatus: 429, providerErrorCode: 42901 });
  });

  it('maps by HTTP status when the error body is not JSON', async () => {
    const server = await rawServer(502, '<html>Bad gateway</html>');
    const error = await caught(rawVerifier(server).start(sms()));
    expect(error.code).toBe('verification-unavailable');
    expect(error.details).toMatchObject({ httpStatus: 502, providerErrorCode: null });
  });

  it('400/40003 on report is a wrong code, not an error', async () => {
    const emu = await emulator();
    const verifier = testVerifier(emu);
    const { id } = await verifier.start(sms());
    emu.injectFaults({ status: 400, errorCode: 40003 });
    expect(await verifier.report(id, 'sms', '123456')).toEqual({
      outcome: 'wrong-code',
      status: 'FAIL',
      reason: 'Invalid code',
    });
  });

  it('a time-out is verification-unavailable', async () => {
    const emu = await emulator();
    emu.injectFaults({ delayMs: 2_000 });
    const error = await caught(testVerifier(emu, { retries: 0, timeoutMs: 150 }).start(sms()));
    expect(error.code).toBe('verification-unavailable');
    expect(error.details).toMatchObject({ httpStatus: null, providerErrorCode: null, cause: 'timeout' });
    expect(error.message).toMatch(/did not answer in time/);
  });

  it('a connection that never completes (TLS handshake stalls) hits the connect timeout', async () => {
    // Accepts TCP and then says nothing, so TLS never completes.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const sockets = new Set<net.Socket>();
    silent.on('connection', (s) => sockets.add(s));
    try {
      const { port } = silent.address() as AddressInfo;
      const verifier = createSinchVerifier({
        settings: () => ({
          endpoint: `https://127.0.0.1:${port}`,
          authMethod: 'basic',
          emailSenderAddress: '',
          emailSenderName: '',
        }),
        credentials: async () => ({ authId: KEY, secret: SECRET }),
        retries: 0,
        connectTimeoutMs: 150,
        timeoutMs: 5_000,
      });
      const before = Date.now();
      const error = await caught(verifier.status('x'));
      expect(Date.now() - before).toBeLessThan(2_000);
      expect(error.code).toBe('verification-unavailable');
      expect(error.details).toMatchObject({ cause: 'SC_CONNECT_TIMEOUT', httpStatus: null });
      expect(error.message).toMatch(/did not answer in time/);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a refused connection is verification-unavailable', async () => {
    const emu = await emulator();
    const verifier = testVerifier(emu, { retries: 0 });
    await emu.close();
    const error = await caught(verifier.start(sms()));
    expect(error.code).toBe('verification-unavailable');
    expect(error.details).toMatchObject({ httpStatus: null, providerErrorCode: null, cause: 'ECONNREFUSED' });
    expect(error.message).toBe('The verification service is unavailable. Try again in a moment.');
  });
});

describe('retries', () => {
  it('retries a GET on 503 up to `retries` times', async () => {
    const emu = await emulator();
    const verifier = testVerifier(emu, { retries: 2 });
    const { id } = await verifier.start(sms());
    emu.injectFaults({ status: 503, count: 2 });
    expect((await verifier.status(id)).status).toBe('PENDING');
    expect(emu.stats().statuses).toBe(3);

    emu.injectFaults({ status: 503, count: 3 });
    expect((await caught(verifier.status(id))).code).toBe('verification-unavailable');
    expect(emu.stats().statuses).toBe(6);
  });

  it('does not retry a rate-limited GET, nor anything with retries 0', async () => {
    const emu = await emulator();
    const verifier = testVerifier(emu, { retries: 2 });
    const { id } = await verifier.start(sms());
    emu.injectFaults({ status: 429 });
    expect((await caught(verifier.status(id))).code).toBe('verification-rate-limited');
    expect(emu.stats().statuses).toBe(1);
    emu.injectFaults({ status: 503 });
    expect((await caught(testVerifier(emu, { retries: 0 }).status(id))).code).toBe(
      'verification-unavailable',
    );
    expect(emu.stats().statuses).toBe(2);
  });

  it('retries a start at most once, and never a report', async () => {
    const emu = await emulator();
    const verifier = testVerifier(emu, { retries: 2 });
    emu.injectFaults({ status: 503, count: 2 });
    expect((await caught(verifier.start(sms()))).code).toBe('verification-unavailable');
    expect(emu.stats().starts).toBe(2);

    emu.injectFaults({ status: 500 });
    const { id } = await verifier.start(sms());
    expect(emu.stats().starts).toBe(4);
    expect(emu.outbox()).toHaveLength(1);

    emu.injectFaults({ status: 503 });
    expect((await caught(verifier.report(id, 'sms', '123456'))).code).toBe('verification-unavailable');
    expect(emu.stats().reports).toBe(1);
  });

  it('a start that timed out but reached Sinch is resolved by reference: one message, same id', async () => {
    const emu = await emulator();
    // The first answer comes after the client gave up; the retry comes after the first was processed.
    emu.injectFaults({ delayMs: 300 });
    const verifier = testVerifier(emu, { retries: 1, timeoutMs: 100, retryDelaysMs: [600] });
    const started = await verifier.start(sms());
    expect(emu.outbox()).toHaveLength(1);
    expect(started.id).toBe(emu.outbox()[0]?.id);
    expect(emu.stats()).toMatchObject({ starts: 2, statuses: 1 });
  });
});

describe('e-mail (beta) starts', () => {
  function email() {
    return { method: 'email' as const, to: EMAIL, validMinutes: 5, reference: ref() };
  }

  it('come from the sender set in the policy', async () => {
    const emu = await emulator();
    await testVerifier(emu).start(email());
    expect(emu.outbox()).toMatchObject([
      { method: 'email', to: EMAIL, from: 'noreply@sc.example', fromName: 'System Configurator' },
    ]);
  });

  it.each([
    ['no sender at all', '', ''],
    ['an address only', 'noreply@sc.example', ''],
    ['a name only', '', 'System Configurator'],
  ])(
    'name no more of the sender than is set (%s), so the provider fills in the rest',
    async (_name, address, name) => {
      const emu = await emulator();
      const verifier = testVerifier(emu, {
        settings: () => ({ ...emu.settings(), emailSenderAddress: address, emailSenderName: name }),
      });
      await verifier.start(email());
      const [entry] = emu.outbox();
      expect(entry?.from).toBe(address || undefined);
      expect(entry?.fromName).toBe(name || undefined);
    },
  );

  it('carry their reference: the same start sent twice sends one message', async () => {
    const emu = await emulator();
    const verifier = testVerifier(emu);
    const request = email();
    const first = await verifier.start(request);
    expect(await verifier.start(request)).toEqual(first);
    expect(emu.outbox()).toHaveLength(1);
    expect(emu.stats()).toMatchObject({ starts: 2, statuses: 1 });
  });
});

describe('duplicate reference', () => {
  it('resolves 409/40900 by status-by-reference', async () => {
    const emu = await emulator();
    const verifier = testVerifier(emu);
    const request = sms();
    const first = await verifier.start(request);
    const again = await verifier.start(request);
    expect(again).toEqual(first);
    expect(emu.outbox()).toHaveLength(1);
    expect(emu.stats()).toMatchObject({ starts: 2, statuses: 1 });
  });

  it('refuses a reused reference whose verification is over', async () => {
    const emu = await emulator();
    const verifier = testVerifier(emu);
    const request = sms();
    const { id } = await verifier.start(request);
    await verifier.report(id, 'sms', emu.lastCodeFor(PHONE) ?? '');
    const error = await caught(verifier.start(request));
    expect(error.code).toBe('verification-rejected');
    expect(error.message).toMatch(/refused the request/);
    expect(error.details).toMatchObject({ operation: 'start', httpStatus: 409, providerErrorCode: 40900 });
  });
});

describe('secrets stay secret', () => {
  it('no error, detail, stack or log line carries the secret, the Authorization header or the code', async () => {
    const logged: string[] = [];
    const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((a) => inspect(a, { depth: 10 })).join(' '));
      }),
    );
    const errors: unknown[] = [];
    const emu = await emulator();
    const log = (line: string): void => {
      logged.push(line);
    };
    const code = '987654';
    for (const authMethod of ['basic', 'signed'] as const) {
      for (const secret of [SECRET, WRONG_SECRET]) {
        const verifier = testVerifier(emu, {
          authMethod,
          log,
          retries: 0,
          timeoutMs: 100,
          credentials: async () => ({ authId: KEY, secret }),
        });
        const { id } = await verifier.start(sms()).catch((e: unknown) => {
          errors.push(e);
          return { id: 'unknown' };
        });
        const faults: EmulatorFault[] = [
          { status: 500 },
          { status: 401 },
          { malformed: true },
          { delayMs: 1_000 },
        ];
        for (const fault of faults) {
          emu.injectFaults(fault);
          await verifier.report(id, 'sms', code).catch((e: unknown) => errors.push(e));
          emu.clearFaults();
          emu.injectFaults(fault);
          await verifier.start(sms()).catch((e: unknown) => errors.push(e));
          emu.clearFaults();
        }
        await verifier.report(id, 'sms', code).catch((e: unknown) => errors.push(e));
      }
    }
    // Connection refused and a secret that is not base64 for signed requests.
    const closed = await emulator();
    await closed.close();
    await testVerifier(closed, {
      log,
      retries: 0,
      credentials: async () => ({ authId: KEY, secret: SECRET }),
    })
      .report('x', 'sms', code)
      .catch((e: unknown) => errors.push(e));
    const notBase64 = 'plain secret text!';
    await testVerifier(emu, {
      authMethod: 'signed',
      log,
      credentials: async () => ({ authId: KEY, secret: notBase64 }),
    })
      .start(sms())
      .catch((e: unknown) => errors.push(e));

    expect(errors.length).toBeGreaterThanOrEqual(20);
    const text = [...errors.map(serialise), ...logged].join('\n');
    for (const form of [...secretForms(SECRET), ...secretForms(WRONG_SECRET), notBase64, code]) {
      expect(text).not.toContain(form);
    }
    expect(text).not.toMatch(/Authorization|Basic |Application /);
    for (const error of errors) {
      expect(error).toBeInstanceOf(ScError);
      expect((error as Error).cause).toBeUndefined();
    }
    expect(logged.length).toBeGreaterThan(0);
    consoleSpies.forEach((s) => s.mockRestore());
  });

  it('errors from the secret store pass through; other failures are replaced', async () => {
    const emu = await emulator();
    const missing = new ScError('secret-missing', 'No Sinch secret is stored.');
    expect(await caught(testVerifier(emu, { credentials: () => Promise.reject(missing) }).start(sms()))).toBe(
      missing,
    );
    const other = await caught(
      testVerifier(emu, {
        credentials: () => Promise.reject(new Error(`keytar blew up with ${SECRET}`)),
      }).start(sms()),
    );
    expect(other.code).toBe('internal');
    expect(serialise(other)).not.toContain(SECRET);
    const empty = await caught(
      testVerifier(emu, { credentials: async () => ({ authId: KEY, secret: '' }) }).start(sms()),
    );
    expect(empty.code).toBe('secret-missing');
    expect(emu.stats().starts).toBe(0);
  });
});

describe('settings and credentials', () => {
  it('refuses plain http to a host other than this machine, before any request', async () => {
    for (const endpoint of [
      'http://example.com',
      'http://10.0.0.1:8080',
      'ftp://127.0.0.1',
      'not a url',
      'https://u:p@example.com',
    ]) {
      const verifier = createSinchVerifier({
        settings: () => ({ endpoint, authMethod: 'basic', emailSenderAddress: '', emailSenderName: '' }),
        credentials: async () => ({ authId: KEY, secret: SECRET }),
      });
      const error = await caught(verifier.start(sms()));
      expect(error.code).toBe('validation');
      expect(error.details).toMatchObject({ field: 'endpoint' });
    }
    expect(parseSinchEndpoint('https://verification.api.sinch.com/')).toEqual({
      origin: 'https://verification.api.sinch.com',
      basePath: '',
      loopback: false,
    });
    expect(parseSinchEndpoint('http://localhost:1234').loopback).toBe(true);
    expect(parseSinchEndpoint('https://proxy.example.com/eu/sinch//')).toEqual({
      origin: 'https://proxy.example.com',
      basePath: '/eu/sinch',
      loopback: false,
    });
  });

  it('accepts http://localhost', async () => {
    const emu = await emulator();
    const verifier = testVerifier(emu, {
      settings: () => ({ ...emu.settings(), endpoint: `http://localhost:${emu.port}` }),
    });
    await verifier.start(sms());
    expect(emu.outbox()).toHaveLength(1);
  });

  it('reads credentials and settings at every call', async () => {
    const emu = await emulator();
    let secret = SECRET;
    let authMethod: SinchSettings['authMethod'] = 'signed';
    const credentials = vi.fn(async () => ({ authId: KEY, secret }));
    const verifier = createSinchVerifier({
      settings: () => emu.settings(authMethod),
      credentials,
      retries: 0,
    } satisfies SinchVerifierOptions);
    const { id } = await verifier.start(sms());
    secret = WRONG_SECRET;
    expect((await caught(verifier.status(id))).code).toBe('verification-bad-credentials');
    authMethod = 'basic';
    expect((await caught(verifier.status(id))).details).toMatchObject({ providerErrorCode: 40107 });
    secret = SECRET;
    expect((await verifier.status(id)).status).toBe('PENDING');
    expect(credentials).toHaveBeenCalledTimes(4);
  });

  it('sends the policy minutes as HH:MM:SS', async () => {
    expect(formatExpiry(5)).toBe('00:05:00');
    expect(formatExpiry(90)).toBe('01:30:00');
    expect(formatExpiry(0.5)).toBe('00:00:30');
    const clock = new ManualClock();
    const emu = await emulator({ clock });
    const verifier = testVerifier(emu, { clock });
    const { id } = await verifier.start(sms(PHONE, 10));
    clock.advance(9 * 60_000);
    expect((await verifier.status(id)).status).toBe('PENDING');
    clock.advance(60_000);
    expect(await verifier.status(id)).toMatchObject({ status: 'FAIL', reason: 'Expired' });
  });

  it('refuses bad input without calling Sinch', async () => {
    const emu = await emulator();
    const verifier = testVerifier(emu);
    expect((await caught(verifier.start({ ...sms(), validMinutes: 0 }))).code).toBe('validation');
    expect((await caught(verifier.start({ ...sms(), reference: '' }))).code).toBe('validation');
    expect((await caught(verifier.report('id', 'sms', ''))).code).toBe('validation');
    expect(emu.stats()).toEqual({ starts: 0, reports: 0, statuses: 0 });
  });

  it('maps an invalid number reported by Sinch to verification-invalid-destination', async () => {
    const emu = await emulator();
    const error = await caught(testVerifier(emu).start(sms('+4670')));
    expect(error.code).toBe('verification-invalid-destination');
    expect(error.details).toMatchObject({ httpStatus: 400, providerErrorCode: 40001 });
  });
});

interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A one-answer HTTP server for shapes the emulator never produces; it records every request it gets
 * (`seen`), and answers after `delayMs` when told.
 */
async function rawServer(
  status: number,
  body: string,
  delayMs = 0,
): Promise<http.Server & { seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      setTimeout(() => res.writeHead(status, { 'Content-Type': 'application/json' }).end(body), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return Object.assign(server, { seen });
}

/** Basic auth to `server` (or an origin); the verifier's own defaults for everything else. */
function rawOptions(server: http.Server | string): SinchVerifierOptions {
  const endpoint =
    typeof server === 'string' ? server : `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    settings: () => ({
      endpoint,
      authMethod: 'basic',
      emailSenderAddress: '',
      emailSenderName: '',
    }),
    credentials: async () => ({ authId: KEY, secret: SECRET }),
  };
}

function rawVerifier(server: http.Server, overrides: Partial<SinchVerifierOptions> = {}) {
  return createSinchVerifier({ ...rawOptions(server), retries: 0, ...overrides });
}

describe("the provider's answers, each as the caller sees it", () => {
  // The provider's errorCode decides before the HTTP status; without one, the HTTP status does.
  it.each([
    [400, { errorCode: 40100 }, 'verification-bad-credentials', 40100],
    [400, { errorCode: 40199 }, 'verification-bad-credentials', 40199],
    [401, { errorCode: 40099 }, 'verification-bad-credentials', 40099],
    [400, { errorCode: 40099 }, 'verification-rejected', 40099],
    [400, { errorCode: 40200 }, 'verification-no-credit', 40200],
    [400, { errorCode: 40201 }, 'verification-rejected', 40201],
    [400, { errorCode: 42900 }, 'verification-rate-limited', 42900],
    [400, { errorCode: 42999 }, 'verification-rate-limited', 42999],
    [400, { errorCode: 42899 }, 'verification-rejected', 42899],
    [400, { errorCode: 43000 }, 'verification-rejected', 43000],
    [400, { errorCode: 50000 }, 'verification-unavailable', 50000],
    [400, { errorCode: 59999 }, 'verification-unavailable', 59999],
    [400, { errorCode: 49999 }, 'verification-rejected', 49999],
    [400, { errorCode: 60000 }, 'verification-rejected', 60000],
    [400, { errorCode: 40001 }, 'verification-invalid-destination', 40001],
    [400, { errorCode: 42201 }, 'verification-invalid-destination', 42201],
    [400, { errorCode: 40003 }, 'verification-rejected', 40003],
    [401, 'not json', 'verification-bad-credentials', null],
    [402, 'not json', 'verification-no-credit', null],
    [429, 'not json', 'verification-rate-limited', null],
    [500, 'not json', 'verification-unavailable', null],
    [499, 'not json', 'verification-rejected', null],
    [404, 'not json', 'verification-rejected', null],
    [429, { errorCode: '99999999999999999999' }, 'verification-rate-limited', null],
  ] as const)('a status read answered %i %j is %s', async (status, body, code, providerErrorCode) => {
    const server = await rawServer(status, typeof body === 'string' ? body : JSON.stringify(body));
    const error = await caught(rawVerifier(server).status('v-1'));
    expect(error.code).toBe(code);
    expect(error.details).toEqual({ operation: 'status', httpStatus: status, providerErrorCode });
  });

  it('a read by reference fails as a status read', async () => {
    const server = await rawServer(429, '{"errorCode":42900}');
    const error = await caught(rawVerifier(server).statusByReference('r-1'));
    expect(error.code).toBe('verification-rate-limited');
    expect(error.details).toEqual({ operation: 'status', httpStatus: 429, providerErrorCode: 42900 });
  });

  it('an invalid identity (40003) is the destination only when starting; reporting, it is a wrong code', async () => {
    const server = await rawServer(400, '{"errorCode":40003}');
    expect((await caught(rawVerifier(server).start(sms()))).code).toBe('verification-invalid-destination');
    expect(await rawVerifier(server).report('v-1', 'sms', '123456')).toEqual({
      outcome: 'wrong-code',
      status: 'FAIL',
      reason: 'Invalid code',
    });
  });

  it.each([
    [400, '{"errorCode":40002}', 'verification-rejected', 40002],
    [400, 'not json', 'verification-rejected', null],
    [404, '{"errorCode":40401}', 'verification-rejected', 40401],
    [404, 'not json', 'verification-rejected', null],
    [409, '{"errorCode":40400}', 'verification-rejected', 40400],
    [401, '{"errorCode":40003}', 'verification-bad-credentials', 40003],
  ] as const)(
    'a report answered %i %s is an error (%s), neither a wrong code nor a spent verification',
    async (status, body, code, providerErrorCode) => {
      const server = await rawServer(status, body);
      const error = await caught(rawVerifier(server).report('v-1', 'sms', '123456'));
      expect(error.code).toBe(code);
      expect(error.details).toEqual({ operation: 'report', httpStatus: status, providerErrorCode });
    },
  );

  it.each([
    ['{"status":"SUCCESSFUL"}', { outcome: 'successful', status: 'SUCCESSFUL' }],
    ['{"status":"SUCCESSFUL","reason":"x"}', { outcome: 'successful', status: 'SUCCESSFUL', reason: 'x' }],
    [
      '{"status":"FAIL","reason":"Invalid code"}',
      { outcome: 'wrong-code', status: 'FAIL', reason: 'Invalid code' },
    ],
    ['{"status":"PENDING"}', { outcome: 'wrong-code', status: 'PENDING' }],
    ['{"status":"FAIL"}', { outcome: 'not-valid', status: 'FAIL' }],
    ['{"status":"FAIL","reason":"Expired"}', { outcome: 'not-valid', status: 'FAIL', reason: 'Expired' }],
    ['{"status":"DENIED","reason":"Fraud"}', { outcome: 'not-valid', status: 'DENIED', reason: 'Fraud' }],
    [
      '{"status":"DENIED","reason":"Invalid code"}',
      { outcome: 'not-valid', status: 'DENIED', reason: 'Invalid code' },
    ],
  ])('a report answered 200 %s is %j, nothing more', async (body, expected) => {
    const server = await rawServer(200, body);
    expect(await rawVerifier(server).report('v-1', 'sms', '123456')).toStrictEqual(expected);
  });

  it('a status names the reason and reference only when the provider sent them', async () => {
    const bare = await rawServer(200, '{"id":"v-1","status":"PENDING"}');
    expect(await rawVerifier(bare).status('v-1')).toStrictEqual({ id: 'v-1', status: 'PENDING' });
    const full = await rawServer(200, '{"id":"v-1","status":"FAIL","reason":"Expired","reference":"r-1"}');
    expect(await rawVerifier(full).statusByReference('r-1')).toStrictEqual({
      id: 'v-1',
      status: 'FAIL',
      reason: 'Expired',
      reference: 'r-1',
    });
  });

  it.each([
    ['start', '{"method":"sms"}', (v: SinchVerifier) => v.start(sms())],
    ['report', '{"id":"v-1","status":"SUCCEEDED"}', (v: SinchVerifier) => v.report('v-1', 'sms', '123456')],
    ['status', '{"status":"PENDING"}', (v: SinchVerifier) => v.status('v-1')],
  ])('a %s answered 200 without what it must hold is malformed', async (operation, body, call) => {
    const server = await rawServer(200, body);
    const error = await caught(call(rawVerifier(server)));
    expect(error.code).toBe('verification-malformed-response');
    expect(error.details).toEqual({ operation, httpStatus: 200, providerErrorCode: null });
  });

  it('a 409 that is not "reference already defined" is refused at once, without looking the reference up', async () => {
    for (const [status, body] of [
      [409, '{"errorCode":40901}'],
      [409, 'not json'],
      [400, '{"errorCode":40900}'],
    ] as const) {
      const server = await rawServer(status, body);
      const error = await caught(rawVerifier(server, { retries: 2 }).start(sms()));
      expect(error.code).toBe('verification-rejected');
      expect(server.seen.map((r) => r.method)).toEqual(['POST']);
    }
  });

  it('a reused reference whose verification is over names its status', async () => {
    const emu = await emulator();
    const verifier = testVerifier(emu);
    const request = sms();
    const { id } = await verifier.start(request);
    await verifier.report(id, 'sms', emu.lastCodeFor(PHONE) ?? '');
    expect((await caught(verifier.start(request))).details).toMatchObject({ existingStatus: 'SUCCESSFUL' });
  });
});

describe('what the client sends', () => {
  it('an SMS start: JSON with the number, reference and validity, in the language asked for', async () => {
    const server = await rawServer(200, '{"id":"v-1"}');
    const request = { ...sms(PHONE, 7.5), locale: 'sv-SE' };
    expect(await rawVerifier(server).start(request)).toEqual({ id: 'v-1', method: 'sms' });
    const [sent] = server.seen;
    expect(sent).toMatchObject({ method: 'POST', url: '/verification/v1/verifications' });
    expect(sent?.headers).toMatchObject({
      accept: 'application/json',
      'content-type': 'application/json',
      'user-agent': 'SystemConfigurator-Desktop',
      'accept-language': 'sv-SE',
    });
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      identity: { type: 'number', endpoint: PHONE },
      method: 'sms',
      reference: request.reference,
      smsOptions: { expiry: '00:07:30', codeType: 'Numeric' },
    });
  });

  it.each([
    ['no language', undefined],
    ['an empty one', ''],
    ['one that is not a language tag', 'sv SE'],
  ])('an SMS start with %s goes out in en-US', async (_name, locale) => {
    const server = await rawServer(200, '{"id":"v-1"}');
    await rawVerifier(server).start({ ...sms(), ...(locale === undefined ? {} : { locale }) });
    expect(server.seen[0]?.headers['accept-language']).toBe('en-US');
  });

  it('a report: PUT by id with the code, no language; a status read: GET without a body', async () => {
    const reported = await rawServer(200, '{"status":"SUCCESSFUL"}');
    await rawVerifier(reported).report('v-1', 'sms', '123456');
    const [put] = reported.seen;
    expect(put).toMatchObject({ method: 'PUT', url: '/verification/v1/verifications/id/v-1' });
    expect(put?.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json' });
    expect(put?.headers['accept-language']).toBeUndefined();
    expect(JSON.parse(put?.body ?? '')).toEqual({ method: 'sms', sms: { code: '123456' } });

    const read = await rawServer(200, '{"id":"v-1","status":"PENDING"}');
    await rawVerifier(read).status('v-1');
    await rawVerifier(read).statusByReference('r-1');
    expect(read.seen.map((r) => [r.method, r.url, r.body])).toEqual([
      ['GET', '/verification/v1/verifications/id/v-1', ''],
      ['GET', '/verification/v1/verifications/reference/r-1', ''],
    ]);
  });

  it('takes validities from seconds up to just under 100 hours, and codes up to 64 characters', async () => {
    const server = await rawServer(200, '{"id":"v-1"}');
    await rawVerifier(server).start(sms(PHONE, 5999));
    await rawVerifier(server).start(sms(PHONE, 0.25));
    expect(server.seen.map((r) => (JSON.parse(r.body) as { smsOptions: unknown }).smsOptions)).toEqual([
      { expiry: '99:59:00', codeType: 'Numeric' },
      { expiry: '00:00:15', codeType: 'Numeric' },
    ]);
    const reported = await rawServer(200, '{"status":"FAIL","reason":"Invalid code"}');
    expect((await rawVerifier(reported).report('v-1', 'email', 'x'.repeat(64))).outcome).toBe('wrong-code');
    expect(JSON.parse(reported.seen[0]?.body ?? '')).toEqual({
      method: 'email',
      email: { code: 'x'.repeat(64) },
    });
  });

  it('refuses every malformed request before anything is sent', async () => {
    const server = await rawServer(200, '{"id":"v-1","status":"PENDING"}');
    const verifier = rawVerifier(server);
    const refusals: Array<[string, Promise<unknown>]> = [
      ['method', verifier.start({ ...sms(), method: 'voice' as 'sms' })],
      ['to', verifier.start({ ...sms(), to: '' })],
      ['reference', verifier.start({ ...sms(), reference: '' })],
      ...[0, -1, 6000, Number.NaN, Number.POSITIVE_INFINITY].map(
        (validMinutes): [string, Promise<unknown>] => [
          'validMinutes',
          verifier.start({ ...sms(), validMinutes }),
        ],
      ),
      ['id', verifier.report('', 'sms', '123456')],
      ['method', verifier.report('v-1', 'voice' as 'sms', '123456')],
      ['code', verifier.report('v-1', 'sms', '')],
      ['code', verifier.report('v-1', 'sms', '1'.repeat(65))],
      ['code', verifier.report('v-1', 'sms', 123456 as unknown as string)],
      ['id', verifier.status('')],
      ['reference', verifier.statusByReference('')],
    ];
    for (const [field, refused] of refusals) {
      const error = await caught(refused);
      expect(error.code, field).toBe('validation');
      expect(error.details, field).toMatchObject({ field });
      expect(error.message.length, field).toBeGreaterThan(10);
    }
    expect(server.seen).toEqual([]);
  });
});

describe('defaults and diagnostics', () => {
  it('by default a status read is retried twice and a start once, when the service is unavailable', async () => {
    const server = await rawServer(503, '{"errorCode":50300}');
    const verifier = createSinchVerifier(rawOptions(server));
    expect((await caught(verifier.status('v-1'))).code).toBe('verification-unavailable');
    expect(server.seen).toHaveLength(3);
    expect((await caught(verifier.start(sms()))).code).toBe('verification-unavailable');
    expect(server.seen).toHaveLength(5);
  });

  it('a slow answer on an established plain-http connection is not cut short by the connect time-out', async () => {
    const server = await rawServer(200, '{"id":"v-1","status":"PENDING"}', 600);
    const verifier = rawVerifier(server, { connectTimeoutMs: 150, timeoutMs: 10_000 });
    expect((await verifier.status('v-1')).status).toBe('PENDING');
  });

  it('a slow answer on an established https connection is not cut short by the connect time-out', async () => {
    // The connect timer stops when the TLS handshake is done ('secureConnect'), not when the socket closes.
    const server = await startThrowawayTlsServer(200, '{"id":"v-1","status":"PENDING"}', 2_000);
    try {
      const verifier = createSinchVerifier({
        ...rawOptions(server.origin),
        retries: 0,
        connectTimeoutMs: 1_000,
        timeoutMs: 10_000,
      });
      expect((await server.trusted(() => verifier.status('v-1'))).status).toBe('PENDING');
      expect(server.requests).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('logs one line per exchange: the operation, the HTTP status, the provider code of a failure, the time taken', async () => {
    const lines: Array<[string, Record<string, unknown>]> = [];
    const log = (event: string, fields?: Readonly<Record<string, unknown>>): void => {
      lines.push([event, { ...fields }]);
    };
    const ok = await rawServer(200, '{"id":"v-1","status":"PENDING","errorCode":40000}');
    await rawVerifier(ok, { log }).status('v-1');
    const limited = await rawServer(429, '{"errorCode":42901}');
    await caught(rawVerifier(limited, { log }).start(sms()));
    const closed = await rawServer(200, '');
    const toClosed = rawVerifier(closed, { log });
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await caught(toClosed.report('v-1', 'sms', '123456'));

    expect(
      lines.map(([event, fields]) => [event, { ...fields, durationMs: typeof fields.durationMs }]),
    ).toEqual([
      ['sinch.answer', { operation: 'status', httpStatus: 200, errorCode: undefined, durationMs: 'number' }],
      ['sinch.answer', { operation: 'start', httpStatus: 429, errorCode: 42901, durationMs: 'number' }],
      ['sinch.no-answer', { operation: 'report', cause: 'ECONNREFUSED', durationMs: 'number' }],
    ]);
    for (const [, fields] of lines) {
      expect(fields.durationMs).toBeGreaterThanOrEqual(0);
      expect(fields.durationMs).toBeLessThan(60_000);
    }
  });

  it("a transport failure is named by the socket's own code, not by the transport's generic one", async () => {
    const server = await rawServer(200, '');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const error = await caught(
      rawVerifier(server, {
        // As Node's fetch fails: a TypeError whose cause is the socket's error.
        fetch: async () => {
          throw new TypeError('fetch failed', { cause: refused });
        },
      }).status('v-1'),
    );
    expect(error.details).toMatchObject({ httpStatus: null, cause: 'ECONNREFUSED' });
    expect(error.message).toBe('The verification service is unavailable. Try again in a moment.');

    const unexplained = await caught(
      rawVerifier(server, {
        fetch: async () => {
          throw new TypeError('fetch failed');
        },
      }).status('v-1'),
    );
    expect(unexplained.details).toMatchObject({ cause: 'ERR_NETWORK' });
  });
});
