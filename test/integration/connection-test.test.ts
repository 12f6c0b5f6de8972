/** "Test connection": a code to the administrator's own contact, checked, bound to them, audited. */
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../main/core/clock';
import { loginFixture } from '../support/app';

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

  it('asks for the administrator’s own contact when it is missing', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'ada', roles: ['administrator'] });
    const ada = { userId: f.core.users.get('ada').id, username: 'ada' };
    await expect(f.core.connectionTest.start('w1', ada, 'email')).rejects.toMatchObject({
      code: 'no-verification-contact',
    });
  });
});
