/**
 * Clock: locks are stored as absolute end times, so the system clock moved back an hour during a lock does
 * not end it early; it ends exactly at its original end time (also across a restart). And the audit log,
 * whose pages are ordered by recorded time, still pages through every row exactly once when the clock moved
 * back while it was written.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditQuery } from '../../main/core/audit/audit-log';
import { MINUTE } from '../../main/core/clock';
import { loginFixture, PASSWORD, type LoginFixture } from '../support/app';
import { exportCsvLines } from '../support/audit-csv';
import { testCore } from '../support/core';
import { seededRandom } from './helpers';
import { wrongCodeFor } from '../support/codes';

const MOBILE = '+46701234567';
const CLIENT = 'window-1';
const HOUR = 60 * MINUTE;

function wrongCode(f: LoginFixture): string {
  return wrongCodeFor(f.emulator.lastCodeFor(MOBILE)!);
}

async function lockAlice(f: LoginFixture): Promise<number> {
  expect(await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD })).toMatchObject({
    step: 'awaitingCode',
  });
  for (let i = 0; i < 2; i++) await f.core.auth.submitCode(CLIENT, wrongCode(f));
  const locked = await f.core.auth.submitCode(CLIENT, wrongCode(f));
  expect(locked.step).toBe('locked');
  await f.core.auth.cancel(CLIENT);
  return locked.step === 'locked' ? locked.lockedUntil : Number.NaN;
}

describe('the clock moved back', () => {
  it('does not shorten a 2FA lock: it holds until its original end time, also after a restart', async () => {
    const f = await loginFixture({ twoFactor: { maxAttempts: 3, lockMinutes: 30 } });
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    const lockedAt = f.clock.now();
    const lockedUntil = await lockAlice(f);
    expect(lockedUntil).toBe(lockedAt + 30 * MINUTE);

    f.clock.advance(10 * MINUTE);
    f.clock.set(f.clock.now() - HOUR); // the system clock is set back an hour, mid-lock
    const starts = f.emulator.stats().starts;
    const view = await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD });
    expect(view).toMatchObject({ step: 'locked', lockedUntil });
    await f.core.auth.cancel(CLIENT);
    expect(f.core.users.get('alice').scLockedUntil).toBe(lockedUntil);

    const core = f.restart();
    for (const at of [lockedAt - HOUR, lockedAt, lockedUntil - 1]) {
      f.clock.set(at);
      expect(
        await core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD }),
        new Date(at).toISOString(),
      ).toMatchObject({
        step: 'locked',
        lockedUntil,
      });
      await core.auth.cancel(CLIENT);
    }
    expect(f.emulator.stats().starts).toBe(starts);

    f.clock.set(lockedUntil);
    expect(await core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD })).toMatchObject({
      step: 'awaitingCode',
      attemptsLeft: 3,
    });
  });

  it('does not shorten a password throttle either', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: MOBILE, roles: ['administrator'] });
    for (let i = 1; i <= 4; i++)
      await f.core.auth.logOn(CLIENT, { username: 'alice', password: `wrong ${i}` });
    const fifth = await f.core.auth.logOn(CLIENT, { username: 'alice', password: 'wrong 5' });
    expect(fifth.error?.code).toBe('password-throttled');
    const until = f.core.users.findRecord('alice')!.passwordLockedUntil!;
    expect(until).toBe(f.clock.now() + MINUTE);

    f.clock.set(f.clock.now() - HOUR);
    expect((await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD })).error?.code).toBe(
      'password-throttled',
    );
    f.clock.set(until - 1);
    expect((await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD })).error?.code).toBe(
      'password-throttled',
    );
    f.clock.set(until);
    expect((await f.core.auth.logOn(CLIENT, { username: 'alice', password: PASSWORD })).step).toBe(
      'awaitingCode',
    );
  });
});

describe('the audit log written while the clock moved back', () => {
  it('pages through every matching row exactly once, newest recorded time first, for every filter', () => {
    const core = testCore();
    const random = seededRandom(4_711);
    const users = ['alice', 'Bob', 'carol'];
    const actions = ['logon.success', 'code.failure', 'policy.changed'] as const;
    for (let i = 0; i < 400; i++) {
      // Mostly forward, sometimes back an hour, sometimes several rows in the same millisecond.
      const r = random();
      if (r < 0.05) core.clock.advance(-HOUR);
      else if (r < 0.85) core.clock.advance(Math.floor(random() * 5 * MINUTE));
      core.audit.append({
        actor: users[Math.floor(random() * users.length)]!,
        action: actions[Math.floor(random() * actions.length)]!,
        target: random() < 0.7 ? users[Math.floor(random() * users.length)]!.toUpperCase() : null,
        outcome: 'success',
      });
    }
    const all = core.db.prepare('SELECT id, at, actor, action, target FROM audit').all() as Pick<
      AuditEntry,
      'id' | 'at' | 'actor' | 'action' | 'target'
    >[];
    const times = all.map((row) => row.at).sort((a, b) => a - b);
    const middle = times[Math.floor(times.length / 2)]!;
    const queries: AuditQuery[] = [
      {},
      { user: 'bob' },
      { action: 'code.failure' },
      { from: times[50]!, to: middle },
      { user: 'ALICE', action: 'policy.changed' },
      { user: 'carol', from: middle },
      { action: 'logon.success', to: middle },
    ];
    for (const query of queries) {
      const expected = all
        .filter(
          (row) =>
            (query.user === undefined ||
              row.actor.toLowerCase() === query.user.toLowerCase() ||
              row.target?.toLowerCase() === query.user.toLowerCase()) &&
            (query.action === undefined || row.action === query.action) &&
            (query.from === undefined || row.at >= query.from) &&
            (query.to === undefined || row.at <= query.to),
        )
        .sort((a, b) => b.at - a.at || b.id - a.id)
        .map((row) => row.id);
      for (const limit of [1, 7, 50, 500]) {
        const seen: number[] = [];
        let beforeId: number | undefined;
        for (;;) {
          const page = core.audit.query({ ...query, limit, ...(beforeId === undefined ? {} : { beforeId }) });
          seen.push(...page.entries.map((e) => e.id));
          if (page.nextBeforeId === null) break;
          beforeId = page.nextBeforeId;
        }
        expect(seen, `${JSON.stringify(query)} limit ${limit}`).toEqual(expected);
      }
      const csvIds = exportCsvLines(core, query)
        .slice(1)
        .map((line) => Number(line.split(',')[0]?.replaceAll('"', '')));
      expect(csvIds, `export ${JSON.stringify(query)}`).toEqual(expected);
    }
  });
});
