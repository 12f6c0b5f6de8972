import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { AuditLog } from '../audit/audit-log';
import type { PolicyStore } from '../policy/policy-store';
import type { UserStore } from '../users/user-store';
import { ScError, providerDetails } from '../errors';
import { normalizeCode } from '../auth/code';
import { maskDestination } from '../auth/masking';
import type { Method } from '../../contract/domain';
import type { Verifier } from './verifier';

export interface ConnectionTestOptions {
  verifier: Verifier;
  users: UserStore;
  policy: PolicyStore;
  audit: AuditLog;
  clock: Clock;
  /** Accept-Language for the test message, read at each send (the window's language). */
  locale?: () => string;
}

/** Who asks: the signed-in administrator (the gateway has checked the session and the role). */
export interface Tester {
  userId: number;
  username: string;
}

export interface ConnectionTestResult {
  outcome: 'successful' | 'wrong-code' | 'not-valid';
  message: string;
}

/** Like Resend: a cooldown after every test code, and a cap per administrator in a rolling hour. */
export const TEST_COOLDOWN_MS = 30_000;
export const MAX_TESTS_PER_HOUR = 5;
const HOUR_MS = 60 * 60_000;

/**
 * "Test connection" in the Secrets manager: a verification to the administrator's own number or address
 * with the saved Sinch settings and secret, and its code checked. One pending test per window, bound to the
 * administrator who started it; every step audited.
 */
export class ConnectionTest {
  private readonly pending = new Map<
    string,
    { userId: number; providerId: string; method: Method; expiresAt: number }
  >();

  /** When each administrator (user id) started test sends in the last hour; in memory. */
  private readonly sends = new Map<number, number[]>();

  constructor(private readonly options: ConnectionTestOptions) {}

  /**
   * Reserves one test send for the administrator, or refuses: taken before the provider is asked, so a
   * burst of simultaneous clicks sends one message, and a failed send still counts.
   */
  private reserveSend(userId: number): void {
    const now = this.options.clock.now();
    const recent = (this.sends.get(userId) ?? []).filter((at) => at > now - HOUR_MS && at <= now);
    const last = recent.at(-1);
    if (last !== undefined && now - last < TEST_COOLDOWN_MS) {
      const seconds = Math.ceil((last + TEST_COOLDOWN_MS - now) / 1000);
      throw new ScError('verification-rate-limited', `Wait ${seconds} s before sending another test code.`, {
        retryAt: last + TEST_COOLDOWN_MS,
      });
    }
    if (recent.length >= MAX_TESTS_PER_HOUR) {
      const minutes = Math.ceil(((recent[0] ?? now) + HOUR_MS - now) / 60_000);
      throw new ScError(
        'verification-rate-limited',
        `At most ${MAX_TESTS_PER_HOUR} test codes an hour. Try again in ${minutes} min.`,
        { retryAt: (recent[0] ?? now) + HOUR_MS },
      );
    }
    this.sends.set(userId, [...recent, now]);
  }

  async start(
    clientId: string,
    tester: Tester,
    method: Method,
  ): Promise<{ method: Method; maskedDestination: string; expiresAt: number }> {
    const { verifier, users, policy, audit, clock, locale } = this.options;
    const user = users.findRecordById(tester.userId);
    const to = method === 'sms' ? user?.mobile : user?.email;
    if (!to) {
      throw new ScError(
        'no-verification-contact',
        method === 'sms'
          ? 'Add your own mobile number in Users first.'
          : 'Add your own e-mail address in Users first.',
      );
    }
    const entry = { actor: tester.username, action: 'verify.test', target: tester.username } as const;
    try {
      this.reserveSend(tester.userId);
    } catch (error) {
      audit.append({
        ...entry,
        outcome: 'denied',
        details: { step: 'send', method, reason: 'rate-limited' },
      });
      throw error;
    }
    const { validMinutes } = policy.get().twoFactor;
    try {
      const started = await verifier.start({
        method,
        to,
        validMinutes,
        reference: randomUUID(),
        locale: locale?.(),
      });
      const expiresAt = clock.now() + validMinutes * 60_000;
      this.pending.set(clientId, { userId: tester.userId, providerId: started.id, method, expiresAt });
      audit.append({ ...entry, outcome: 'success', details: { step: 'sent', method } });
      return { method, maskedDestination: maskDestination(method, to), expiresAt };
    } catch (error) {
      audit.append({
        ...entry,
        outcome: 'error',
        details: { step: 'send', method, ...providerDetails(error) },
      });
      throw error;
    }
  }

  async confirm(clientId: string, tester: Tester, typed: string): Promise<ConnectionTestResult> {
    const test = this.pending.get(clientId);
    if (!test || test.userId !== tester.userId) throw new ScError('conflict', 'Send a test code first.');
    const code = normalizeCode(typed);
    if (code === null) {
      throw new ScError('validation', 'Enter the code from the message, digits only.', { field: 'code' });
    }
    this.pending.delete(clientId);
    const outcome =
      this.options.clock.now() >= test.expiresAt
        ? 'not-valid'
        : (await this.options.verifier.report(test.providerId, test.method, code)).outcome;
    this.options.audit.append({
      actor: tester.username,
      action: 'verify.test',
      target: tester.username,
      outcome: outcome === 'successful' ? 'success' : 'failure',
      details: { step: 'confirm', method: test.method, result: outcome },
    });
    return { outcome, message: MESSAGES[outcome] };
  }
}

const MESSAGES: Record<ConnectionTestResult['outcome'], string> = {
  successful: 'The connection works: the code was verified by the Sinch Verification API.',
  'wrong-code': 'The code was not right. The connection works, but send a new test code to try again.',
  'not-valid': 'That test code is no longer valid. Send a new one.',
};
