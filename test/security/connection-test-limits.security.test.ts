/**
 * Test connection's limits, as the administrator and the audit log see them: the cooldown and the hourly
 * cap say when the next test code may go, a refused click is audited, simultaneous clicks send one code,
 * the hour is a rolling one, and one test code is checked once (a wrong guess ends the test, as at log-on).
 */
import { describe, expect, it } from 'vitest';
import { MINUTE, SECOND } from '../../main/core/clock';
import { MAX_TESTS_PER_HOUR, TEST_COOLDOWN_MS } from '../../main/core/verify/connection-test';
import { loginFixture } from '../support/app';
import { wrongCodeFor } from '../support/codes';

const MOBILE = '+46701234567';

async function adminFixture() {
  const f = await loginFixture();
  await f.addUser({ username: 'ada', mobile: MOBILE, email: 'ada@example.com', roles: ['administrator'] });
  const ada = { userId: f.core.users.get('ada').id, username: 'ada' };
  return { f, ada };
}

describe('Test connection limits', () => {
  it('a click within the cooldown is refused, audited as denied, and says when the next code may go', async () => {
    const { f, ada } = await adminFixture();
    const sentAt = f.clock.now();
    await f.core.connectionTest.start('w1', ada, 'sms');
    f.clock.advance(10 * SECOND + 400);

    await expect(f.core.connectionTest.start('w1', ada, 'email')).rejects.toMatchObject({
      code: 'verification-rate-limited',
      message: 'Wait 20 s before sending another test code.',
      details: { retryAt: sentAt + TEST_COOLDOWN_MS },
    });
    expect(f.emulator.outbox()).toHaveLength(1);
    const denied = f.core.audit
      .query({ action: 'verify.test' })
      .entries.filter((e) => e.outcome === 'denied');
    expect(denied).toMatchObject([
      { actor: 'ada', target: 'ada', details: { step: 'send', method: 'email', reason: 'rate-limited' } },
    ]);
  });

  it('40 clicks at the same moment send one test code: the other 39 are refused and audited as denied', async () => {
    const { f, ada } = await adminFixture();
    const clicks = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => f.core.connectionTest.start(`w${i}`, ada, 'sms')),
    );
    expect(clicks.filter((click) => click.status === 'fulfilled')).toHaveLength(1);
    for (const click of clicks.filter((c) => c.status === 'rejected'))
      expect(click.reason).toMatchObject({ code: 'verification-rate-limited' });
    expect(f.emulator.outbox()).toHaveLength(1);
    const denied = f.core.audit
      .query({ action: 'verify.test' })
      .entries.filter((e) => e.outcome === 'denied');
    expect(denied).toHaveLength(39);
  });

  it(`the cap of ${MAX_TESTS_PER_HOUR} an hour is a rolling hour: it says when, and exactly an hour after the first send one more may go`, async () => {
    const { f, ada } = await adminFixture();
    const firstAt = f.clock.now();
    await f.core.connectionTest.start('w1', ada, 'sms');
    for (let sent = 1; sent < MAX_TESTS_PER_HOUR; sent++) {
      f.clock.advance(TEST_COOLDOWN_MS);
      await f.core.connectionTest.start('w1', ada, 'sms');
    }
    f.clock.advance(TEST_COOLDOWN_MS + 30 * SECOND); // 3 min after the first send
    await expect(f.core.connectionTest.start('w1', ada, 'sms')).rejects.toMatchObject({
      code: 'verification-rate-limited',
      message: `At most ${MAX_TESTS_PER_HOUR} test codes an hour. Try again in 57 min.`,
      details: { retryAt: firstAt + 60 * MINUTE },
    });

    f.clock.set(firstAt + 60 * MINUTE - 1);
    await expect(f.core.connectionTest.start('w1', ada, 'sms')).rejects.toMatchObject({
      message: `At most ${MAX_TESTS_PER_HOUR} test codes an hour. Try again in 1 min.`,
    });
    f.clock.set(firstAt + 60 * MINUTE);
    await expect(f.core.connectionTest.start('w1', ada, 'sms')).resolves.toMatchObject({ method: 'sms' });
    expect(f.emulator.outbox()).toHaveLength(MAX_TESTS_PER_HOUR + 1);
  });

  it('a test code is checked once: after a wrong one the test is over, without asking Sinch again', async () => {
    const { f, ada } = await adminFixture();
    await f.core.connectionTest.start('w1', ada, 'sms');
    const code = f.emulator.lastCodeFor(MOBILE)!;
    const wrong = wrongCodeFor(code);
    await expect(f.core.connectionTest.confirm('w1', ada, wrong)).resolves.toMatchObject({
      outcome: 'wrong-code',
    });
    const reports = f.emulator.stats().reports;

    await expect(f.core.connectionTest.confirm('w1', ada, code)).rejects.toMatchObject({
      code: 'conflict',
      message: 'Send a test code first.',
    });
    expect(f.emulator.stats().reports).toBe(reports);
  });
});
