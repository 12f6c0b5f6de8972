/**
 * Lock safety: the failed-code count and the 2FA lock live in SQLite, so a kill -9 of the app between a
 * wrong code and the next start changes nothing. The wrong codes are entered by a child process (the app)
 * against the Sinch emulator; the test kills it with SIGKILL and starts the core again on the same data dir.
 */
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../main/core/clock';
import { loginFixture, PASSWORD, type LoginFixture } from '../support/app';
import { sleep, startChild, type Child } from './helpers';
import { wrongCodeFor } from '../support/codes';

const MOBILE = '+46701234567';
const CLIENT = 'window-after-restart';

async function setUp(): Promise<LoginFixture> {
  const f = await loginFixture({ twoFactor: { maxAttempts: 3, lockMinutes: 30 } });
  await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
  // The app that enters the codes is the child; this process only looks at the data dir afterwards.
  f.core.close();
  return f;
}

function wrongCodes(f: LoginFixture, count: number, hold = false): Child {
  return startChild('wrong-codes.ts', [
    f.dataDir,
    f.emulator.url,
    f.emulator.credentials.secret,
    String(f.clock.now()),
    'alice',
    PASSWORD,
    MOBILE,
    String(count),
    ...(hold ? ['hold'] : []),
  ]);
}

function wrongCode(f: LoginFixture): string {
  return wrongCodeFor(f.emulator.lastCodeFor(MOBILE)!);
}

describe('lock safety across kill -9', () => {
  it('keeps the failure count: after 2 wrong codes and a kill, one more wrong code locks', async () => {
    const f = await setUp();
    const child = wrongCodes(f, 2);
    await child.waitForLine((line) => line === 'done');
    expect(child.lines.filter((l) => l.startsWith('wrong'))).toEqual([
      'wrong 2 awaitingCode -',
      'wrong 1 awaitingCode -',
    ]);
    await child.kill();

    const core = f.restart();
    expect(core.users.get('alice')).toMatchObject({ failedCodeAttempts: 2, scLockedUntil: null });
    const view = await core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD });
    expect(view.step).toBe('awaitingCode');
    if (view.step === 'awaitingCode') expect(view.attemptsLeft).toBe(1);
    const locked = await core.auth.submitCode(CLIENT, wrongCode(f));
    expect(locked).toMatchObject({ step: 'locked', lockedUntil: f.clock.now() + 30 * MINUTE });
  });

  it('keeps the lock until its end: the right password then sees the lock and no code is sent', async () => {
    const f = await setUp();
    const lockedAt = f.clock.now();
    const child = wrongCodes(f, 3);
    await child.waitForLine((line) => line === 'done');
    expect(child.lines.at(-2)).toBe(`wrong - locked ${lockedAt + 30 * MINUTE}`);
    await child.kill();

    const core = f.restart();
    expect(core.users.get('alice')).toMatchObject({
      failedCodeAttempts: 3,
      scLockedUntil: lockedAt + 30 * MINUTE,
    });
    const starts = f.emulator.stats().starts;
    f.clock.advance(30 * MINUTE - 1);
    expect(await core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD })).toMatchObject({
      step: 'locked',
      lockedUntil: lockedAt + 30 * MINUTE,
    });
    expect(f.emulator.stats().starts).toBe(starts);
    // At the end of the lock the account logs on again, with a fresh count.
    await core.auth.cancel(CLIENT);
    f.clock.advance(1);
    const view = await core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD });
    expect(view).toMatchObject({ step: 'awaitingCode', attemptsLeft: 3 });
  });

  it('keeps an attempt counted when the app dies while Sinch is checking the code', async () => {
    const f = await setUp();
    const child = wrongCodes(f, 1, true);
    await child.waitForLine((line) => line === 'awaiting');
    const reports = f.emulator.stats().reports;
    f.emulator.injectFaults({ delayMs: 30_000 });
    child.write('go');
    await child.waitForLine((line) => line === 'submitting');
    for (let i = 0; f.emulator.stats().reports === reports; i++) {
      if (i > 500) throw new Error('the code never reached the emulator');
      await sleep(10);
    }
    await child.kill();
    f.emulator.clearFaults();

    const core = f.restart();
    // Counted before the check (pessimistically): killing the app mid-check gives no free guess.
    expect(core.users.get('alice')).toMatchObject({ failedCodeAttempts: 1, scLockedUntil: null });
    const view = await core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD });
    expect(view).toMatchObject({ step: 'awaitingCode', attemptsLeft: 2 });
  });
});
