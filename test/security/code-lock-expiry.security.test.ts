/**
 * A code lock that has run out starts the count again from zero, and the maximum locks again: an ended lock
 * must not leave an account that can be guessed at without limit (main/core/auth/attempts.ts clears an
 * expired lock with its count, in the same transaction that reads it).
 */
import { describe, expect, it } from 'vitest';
import type { AuthView } from '../../main/contract/ipc';
import { MINUTE } from '../../main/core/clock';
import { PASSWORD, loginFixture, type LoginFixture } from '../support/app';
import { wrongCodeFor } from '../support/codes';

const CLIENT = 'window-1';
const MOBILE = '+46701234567';
const LOCK_MINUTES = 30;

function wrongCode(f: LoginFixture): string {
  return wrongCodeFor(f.emulator.lastCodeFor(MOBILE)!);
}

async function logOn(f: LoginFixture): Promise<AuthView> {
  return f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD });
}

describe('a code lock that has ended', () => {
  it('starts the count again, and the maximum locks again for the full time', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 3, lockMinutes: LOCK_MINUTES } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    expect((await logOn(f)).step).toBe('awaitingCode');
    for (let i = 0; i < 3; i++) await f.core.auth.submitCode(CLIENT, wrongCode(f));
    expect(f.core.auth.state(CLIENT).step).toBe('locked');
    f.core.auth.cancel(CLIENT);

    f.clock.advance(LOCK_MINUTES * MINUTE);
    expect(await logOn(f)).toMatchObject({ step: 'awaitingCode', attemptsLeft: 3 });
    const first = await f.core.auth.submitCode(CLIENT, wrongCode(f));
    expect(first).toMatchObject({ step: 'awaitingCode', attemptsLeft: 2, error: { code: 'wrong-code' } });
    await f.core.auth.submitCode(CLIENT, wrongCode(f));
    const lockedAt = f.clock.now();
    const third = await f.core.auth.submitCode(CLIENT, wrongCode(f));
    expect(third).toMatchObject({ step: 'locked', lockedUntil: lockedAt + LOCK_MINUTES * MINUTE });
    expect(f.core.users.get('alice').scLockedUntil).toBe(lockedAt + LOCK_MINUTES * MINUTE);

    // And it holds: the right password shows the lock, and no code is sent.
    f.core.auth.cancel(CLIENT);
    const starts = f.emulator.stats().starts;
    expect((await logOn(f)).step).toBe('locked');
    expect(f.emulator.stats().starts).toBe(starts);
  });
});
