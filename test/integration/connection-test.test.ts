/** "Test connection": a code to the administrator's own contact, checked, bound to them, audited. */
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../main/core/clock';
import { loginFixture } from '../support/app';
import { wrongCodeFor } from '../support/codes';

const MOBILE = '+46701234567';

describe('Test connection', () => {
  it('sends a code to the administrator’s own number and confirms it, audited without the code', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'ada', mobile: MOBILE, roles: ['administrator'] });
    const ada = { userId: f.core.users.get('ada').id, username: 'ada' };
    const started = await f.core.connectionTest.start('w1', ada, 'sms');
    expect(started).toMatchObject({ method: 'sms', maskedDestination: '+46 •• ••• •• 67' });
    const code = f.emulator.lastCodeFor(MOBILE)!;
    await expect(f.core.connectionTest.confirm('w1', ada, code)).resolves.toMatchObject({
      outcome: 'successful',
    });
    const entries = f.core.audit.query({ action: 'verify.test' }).entries;
    expect(entries.map((e) => e.details.step).sort()).toEqual(['confirm', 'sent']);
    expect(JSON.stringify(entries)).not.toContain(code);
  });

  it('belongs to the administrator who started it, and is refused locally once expired', async () => {
    const f = await loginFixture({ twoFactor: { validMinutes: 5 } });
    await f.addUser({ username: 'ada', mobile: MOBILE, roles: ['administrator'] });
    await f.addUser({ username: 'bob', mobile: '+46701234568', roles: ['administrator'] });
    const ada = { userId: f.core.users.get('ada').id, username: 'ada' };
    const bob = { userId: f.core.users.get('bob').id, username: 'bob' };
    await f.core.connectionTest.start('w1', ada, 'sms');
    await expect(
      f.core.connectionTest.confirm('w1', bob, f.emulator.lastCodeFor(MOBILE)!),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    f.clock.advance(5 * MINUTE);
    const reportsBefore = f.emulator.stats().reports;
    await expect(
      f.core.connectionTest.confirm('w1', ada, f.emulator.lastCodeFor(MOBILE)!),
    ).resolves.toMatchObject({
      outcome: 'not-valid',
    });
    expect(f.emulator.stats().reports).toBe(reportsBefore);
  });

  it('asks for the administrator’s own contact when it is missing, naming which one', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'ada', roles: ['administrator'] });
    await f.addUser({ username: 'bob', mobile: MOBILE, roles: ['administrator'] });
    const ada = { userId: f.core.users.get('ada').id, username: 'ada' };
    const bob = { userId: f.core.users.get('bob').id, username: 'bob' };
    await expect(f.core.connectionTest.start('w1', ada, 'email')).rejects.toMatchObject({
      code: 'no-verification-contact',
      message: 'Add your own e-mail address in Users first.',
    });
    await expect(f.core.connectionTest.start('w1', ada, 'sms')).rejects.toMatchObject({
      code: 'no-verification-contact',
      message: 'Add your own mobile number in Users first.',
    });
    // Bob has a mobile number but no address: an e-mail test does not fall back to his number.
    await expect(f.core.connectionTest.start('w1', bob, 'email')).rejects.toMatchObject({
      code: 'no-verification-contact',
    });
    // An administrator removed meanwhile has no contact either.
    for (const method of ['sms', 'email'] as const) {
      await expect(
        f.core.connectionTest.start('w1', { userId: 9_999, username: 'gone' }, method),
      ).rejects.toMatchObject({ code: 'no-verification-contact' });
    }
    expect(f.emulator.outbox()).toHaveLength(0);
  });

  it('sends an e-mail test code to the administrator’s own address, not their number', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'ada', mobile: MOBILE, email: 'ada@example.com', roles: ['administrator'] });
    const ada = { userId: f.core.users.get('ada').id, username: 'ada' };
    await expect(f.core.connectionTest.start('w1', ada, 'email')).resolves.toMatchObject({ method: 'email' });
    expect(f.emulator.outbox()).toMatchObject([{ method: 'email', to: 'ada@example.com' }]);
  });

  it('audits a send the provider refused as an error, with the provider’s answer and no secret', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'ada', mobile: MOBILE, roles: ['administrator'] });
    const ada = { userId: f.core.users.get('ada').id, username: 'ada' };
    f.emulator.injectFaults({ status: 402, errorCode: 40200 });
    await expect(f.core.connectionTest.start('w1', ada, 'sms')).rejects.toMatchObject({
      code: 'verification-no-credit',
    });
    const [entry] = f.core.audit.query({ action: 'verify.test' }).entries;
    expect(entry).toMatchObject({
      actor: 'ada',
      target: 'ada',
      outcome: 'error',
      details: {
        step: 'send',
        method: 'sms',
        error: 'verification-no-credit',
        providerErrorCode: 40200,
        httpStatus: 402,
      },
    });
    expect(JSON.stringify(entry)).not.toContain(f.emulator.credentials.secret);
  });

  it('audits a right code as success and a wrong one as failure', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'ada', mobile: MOBILE, roles: ['administrator'] });
    const ada = { userId: f.core.users.get('ada').id, username: 'ada' };
    const confirmed = () =>
      f.core.audit
        .query({ action: 'verify.test' })
        .entries.filter((e) => e.details.step === 'confirm')
        .map((e) => ({ outcome: e.outcome, result: e.details.result }));

    await f.core.connectionTest.start('w1', ada, 'sms');
    const code = f.emulator.lastCodeFor(MOBILE)!;
    await f.core.connectionTest.confirm('w1', ada, wrongCodeFor(code));
    expect(confirmed()).toEqual([{ outcome: 'failure', result: 'wrong-code' }]);

    f.clock.advance(MINUTE);
    await f.core.connectionTest.start('w1', ada, 'sms');
    await f.core.connectionTest.confirm('w1', ada, f.emulator.lastCodeFor(MOBILE)!);
    expect(confirmed()[0]).toEqual({ outcome: 'success', result: 'successful' });
  });

  it('refuses a typed code that is not a code before asking Sinch, and the test stays open', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'ada', mobile: MOBILE, roles: ['administrator'] });
    const ada = { userId: f.core.users.get('ada').id, username: 'ada' };
    await expect(f.core.connectionTest.confirm('w1', ada, '123456')).rejects.toMatchObject({
      code: 'conflict',
      message: 'Send a test code first.',
    });
    await f.core.connectionTest.start('w1', ada, 'sms');
    await expect(f.core.connectionTest.confirm('w1', ada, '12!')).rejects.toMatchObject({
      code: 'validation',
      message: 'Enter the code from the message, digits only.',
      details: { field: 'code' },
    });
    expect(f.emulator.stats().reports).toBe(0);
    await expect(
      f.core.connectionTest.confirm('w1', ada, f.emulator.lastCodeFor(MOBILE)!),
    ).resolves.toMatchObject({ outcome: 'successful' });
  });
});
