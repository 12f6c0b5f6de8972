/**
 * Crash safety: a child process writes audit rows, audit batches and policy changes as fast as it can and
 * is killed with SIGKILL at random moments, 20 times on the same database. After every kill the database
 * passes PRAGMA integrity_check, every write whose commit was acknowledged is there, batches are all or
 * nothing, and the policy row agrees with its last policy.changed audit row (same transaction).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/core/db/database';
import { tempDir } from '../support/temp-dir';
import { seededRandom, sleep, startChild } from './helpers';

const ROUNDS = 20;

interface Acks {
  single: number[];
  batches: [number, number][];
  policies: { auditId: number; lockMinutes: number }[];
}

function parseAcks(lines: readonly string[]): Acks {
  const acks: Acks = { single: [], batches: [], policies: [] };
  for (const line of lines) {
    const [kind, a, b] = line.split(' ');
    if (kind === 'A') acks.single.push(Number(a));
    else if (kind === 'B') acks.batches.push([Number(a), Number(b)]);
    else if (kind === 'P') acks.policies.push({ auditId: Number(a), lockMinutes: Number(b) });
  }
  return acks;
}

describe('crash safety', () => {
  it(`keeps every acknowledged write and an intact database through ${ROUNDS} SIGKILLs at random moments`, async () => {
    const seed = Number(process.env.SC_CRASH_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    const dataDir = tempDir('sc-crash-');
    const file = path.join(dataDir, DATABASE_FILE);
    const acknowledged = new Set<number>();
    let policyAcks = 0;
    let killedBeforeReady = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const context = `seed ${seed} (SC_CRASH_SEED=${seed} replays it), round ${round}`;
      const child = startChild('crash-writer.ts', [dataDir]);
      // Every fourth round is killed at any moment from the start (opening, migrating, first writes);
      // the others after they began writing.
      if (round % 4 === 3) {
        await sleep(random() * 600);
      } else {
        await child.waitForLine((line) => line === 'ready');
        await sleep(5 + random() * 200);
      }
      if (!child.lines.includes('ready')) killedBeforeReady++;
      await child.kill();

      const acks = parseAcks(child.lines);
      for (const id of acks.single) acknowledged.add(id);
      for (const [first, last] of acks.batches) for (let id = first; id <= last; id++) acknowledged.add(id);
      for (const p of acks.policies) acknowledged.add(p.auditId);
      policyAcks += acks.policies.length;

      const db = new Database(file);
      try {
        expect(db.pragma('integrity_check', { simple: true }), context).toBe('ok');
        expect(db.pragma('foreign_key_check'), context).toEqual([]);
        const ids = new Set(db.prepare('SELECT id FROM audit').pluck().all() as number[]);
        const missing = [...acknowledged].filter((id) => !ids.has(id));
        expect(missing, `${context}: acknowledged audit ids missing`).toEqual([]);

        // Batches: all rows of a batch or none (also the ones whose acknowledgement was cut off).
        const batchSizes = db
          .prepare("SELECT target, count(*) AS n FROM audit WHERE action = 'user.changed' GROUP BY target")
          .all() as { target: string; n: number }[];
        for (const { target, n } of batchSizes) expect(n, `${context}: batch ${target}`).toBe(25);

        // The policy row and its audit row were one transaction: they agree.
        for (const p of acks.policies) {
          const details = db.prepare('SELECT action, details FROM audit WHERE id = ?').get(p.auditId) as
            { action: string; details: string } | undefined;
          expect(details?.action, context).toBe('policy.changed');
          expect(JSON.parse(details!.details)).toMatchObject({
            'twoFactor.lockMinutes': String(p.lockMinutes),
          });
        }
        const lastChange = db
          .prepare("SELECT details FROM audit WHERE action = 'policy.changed' ORDER BY id DESC LIMIT 1")
          .pluck()
          .get() as string | undefined;
        const lockMinutes = db.prepare('SELECT lock_minutes FROM policy_two_factor').pluck().get() as number;
        if (lastChange)
          expect(String(lockMinutes), context).toBe(JSON.parse(lastChange)['twoFactor.lockMinutes']);
        else expect(lockMinutes, context).toBe(30);
      } finally {
        db.close();
      }
    }
    // The test must actually have exercised writes and policy changes, not only start-ups.
    expect(acknowledged.size).toBeGreaterThan(1_000);
    expect(policyAcks).toBeGreaterThan(20);
    expect(killedBeforeReady).toBeLessThanOrEqual(ROUNDS);
  }, 150_000);
});
