/**
 * Provider faults, from the Sinch emulator's fault injection (and a closed port): a time-out, 5xx, 429, 401,
 * malformed JSON and connection refused, each when the code is sent and when it is checked. Each gives a
 * typed, plain message; no attempt is counted and nobody is locked, even when it happens more often than
 * the maximum number of attempts; the audit log keeps what the provider said; and once the provider is
 * back, the same log-on goes on.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { AuthView } from '../../main/contract/ipc';
import { SECOND } from '../../main/core/clock';
import type { EmulatorFault } from '../../tools/sinch-emulator/server';
import { loginFixture, PASSWORD, type LoginFixture } from '../support/app';

const MOBILE = '+46701234567';
const CLIENT = 'window-1';
const CLIENT_TIMEOUT_MS = 300;

interface FaultCase {
  name: string;
  fault: EmulatorFault | 'connection-refused';
  code: string;
  message: RegExp;
  providerErrorCode: number | null;
  /** A wrong setup (e.g. the key and secret refused) is not retried: only an administrator can fix it. */
  setupProblem?: true;
}

const CASES: FaultCase[] = [
  {
    name: 'time-out (the answer comes after the client gave up)',
    fault: { delayMs: 5 * CLIENT_TIMEOUT_MS },
    code: 'verification-unavailable',
    message: /did not answer in time/,
    providerErrorCode: null,
  },
  {
    name: '503',
    fault: { status: 503 },
    code: 'verification-unavailable',
    message: /unavailable/,
    providerErrorCode: 50300,
  },
  {
    name: '429',
    fault: { status: 429 },
    code: 'verification-rate-limited',
    message: /Too many verification requests/,
    providerErrorCode: 42900,
  },
  {
    name: '401',
    fault: { status: 401 },
    code: 'verification-bad-credentials',
    message: /did not accept the configured Sinch key and secret/,
    providerErrorCode: 40100,
    setupProblem: true,
  },
  {
    name: 'malformed JSON',
    fault: { malformed: true },
    code: 'verification-malformed-response',
    message: /could not be read/,
    providerErrorCode: null,
  },
  {
    name: 'connection refused',
    fault: 'connection-refused',
    code: 'verification-unavailable',
    message: /unavailable/,
    providerErrorCode: null,
  },
];

async function setUp(): Promise<LoginFixture> {
  const f = await loginFixture({
    twoFactor: { maxAttempts: 3, lockMinutes: 30 },
    core: { sinchTimeoutMs: CLIENT_TIMEOUT_MS },
  });
  await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
  return f;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function expectNothingCounted(f: LoginFixture): void {
  expect(f.core.users.get('alice')).toMatchObject({ failedCodeAttempts: 0, scLockedUntil: null });
  expect(f.core.audit.query({ action: 'account.locked' }).entries).toEqual([]);
}

function expectTypedError(view: AuthView, c: FaultCase): void {
  expect(view.error?.code, JSON.stringify(view.error)).toBe(c.code);
  expect(view.error?.message).toMatch(c.message);
  expect(view.error?.message).not.toMatch(/ECONN|axios|\n\s+at\s|Authorization|Application /);
}

describe('provider faults when the code is sent', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const f = await setUp();
    const endpoint = f.emulator.url;
    // A new endpoint origin needs the secret entered again (it is bound to the origin it was entered for).
    const enterSecret = () =>
      f.core.secrets.set({ name: 'sinch-verification-api', ...f.emulator.credentials }, 'test');
    if (c.fault === 'connection-refused') {
      f.core.policy.set({ sinch: { endpoint: `http://127.0.0.1:${await closedPort()}` } }, 'test');
      await enterSecret();
    } else f.emulator.injectFaults({ ...c.fault, count: 10 });

    const view = await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD });
    if (c.setupProblem) {
      expect(view).toMatchObject({ step: 'refused', reason: 'verification-misconfigured', canRetry: false });
      expectTypedError(view, c);
      expectNothingCounted(f);
      // Retry is refused: it could not help.
      expect((await f.core.auth.retry(CLIENT)).step).toBe('refused');
      return;
    }
    expect(view).toMatchObject({ step: 'refused', reason: 'verification-unavailable', canRetry: true });
    expectTypedError(view, c);
    expectNothingCounted(f);
    const [audited] = f.core.audit.query({ action: 'code.sent' }).entries;
    expect(audited).toMatchObject({ outcome: 'error', details: { error: c.code } });
    expect(audited?.details.providerErrorCode ?? null).toBe(c.providerErrorCode);

    // The provider is back: Retry sends the code and the log-on completes.
    f.emulator.clearFaults();
    if (c.fault === 'connection-refused') {
      f.core.policy.set({ sinch: { endpoint } }, 'test');
      await enterSecret();
    }
    expect(await f.core.auth.retry(CLIENT)).toMatchObject({ step: 'awaitingCode', attemptsLeft: 3 });
    expect(await f.core.auth.submitCode(CLIENT, f.emulator.lastCodeFor(MOBILE)!)).toMatchObject({
      step: 'signedIn',
    });
  });
});

describe('provider faults when the code is checked', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const f = await setUp();
    const first = await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD });
    expect(first).toMatchObject({ step: 'awaitingCode', attemptsLeft: 3 });
    const code = f.emulator.lastCodeFor(MOBILE)!;
    if (c.fault === 'connection-refused') await f.emulator.close();
    else f.emulator.injectFaults({ ...c.fault, count: 10 });

    // More failures than the maximum attempts: still nothing counted, nobody locked.
    for (let i = 0; i < 5; i++) {
      const view = await f.core.auth.submitCode(CLIENT, code);
      expect(view).toMatchObject({ step: 'awaitingCode', attemptsLeft: 3 });
      expectTypedError(view, c);
      expectNothingCounted(f);
    }
    const audited = f.core.audit.query({ action: 'code.failure' }).entries;
    expect(audited).toHaveLength(5);
    for (const entry of audited) {
      expect(entry).toMatchObject({ outcome: 'error', details: { error: c.code } });
      expect(entry.details.providerErrorCode ?? null).toBe(c.providerErrorCode);
    }
    if (c.fault === 'connection-refused') return;

    // The provider is back: a new code (after the resend cooldown) signs in.
    f.emulator.clearFaults();
    f.clock.advance(30 * SECOND);
    expect(await f.core.auth.resendCode(CLIENT)).toMatchObject({ step: 'awaitingCode', attemptsLeft: 3 });
    expect(await f.core.auth.submitCode(CLIENT, f.emulator.lastCodeFor(MOBILE)!)).toMatchObject({
      step: 'signedIn',
    });
  });
});
