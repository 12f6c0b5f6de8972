import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuditEntryInput } from '../../main/core/audit/audit-log';
import { csvField } from '../../main/core/audit/audit-csv';
import { MINUTE } from '../../main/core/clock';
import { databasePath } from '../../main/core/db/database';
import { exportCsvLines, exportCsvText } from '../support/audit-csv';
import { testCore } from '../support/core';

function entry(overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return { actor: 'admin-1', action: 'user.changed', target: 'alice', outcome: 'success', ...overrides };
}

describe('audit log', () => {
  it('is append-only: the database refuses UPDATE and DELETE', () => {
    const core = testCore();
    const id = core.audit.append(entry());
    expect(() => core.db.prepare("UPDATE audit SET outcome = 'failure' WHERE id = ?").run(id)).toThrow(
      /append-only/,
    );
    expect(() => core.db.prepare('DELETE FROM audit WHERE id = ?').run(id)).toThrow(/append-only/);
    expect(() => core.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(core.audit.query().entries).toMatchObject([{ id, outcome: 'success' }]);
  });

  it('records time from the injected clock, actor, action, target, outcome and details', () => {
    const core = testCore();
    core.audit.append(
      entry({
        action: 'code.failure',
        target: 'bob',
        outcome: 'failure',
        details: { attempt: 2, method: 'sms' },
      }),
    );
    expect(core.audit.query().entries).toEqual([
      {
        id: 1,
        at: core.clock.now(),
        actor: 'admin-1',
        action: 'code.failure',
        target: 'bob',
        outcome: 'failure',
        details: { attempt: 2, method: 'sms' },
      },
    ]);
  });

  it('filters by time (inclusive), by user (actor or target, any case) and by action', () => {
    const core = testCore();
    const t0 = core.clock.now();
    core.audit.append(entry({ actor: 'alice', action: 'logon.success', target: null }));
    core.clock.advance(MINUTE);
    core.audit.append(entry({ actor: 'sc-admin', action: 'user.created', target: 'Bob' }));
    core.clock.advance(MINUTE);
    core.audit.append(entry({ actor: 'bob', action: 'logon.success', target: null }));
    core.clock.advance(MINUTE);
    core.audit.append(
      entry({ actor: 'sc-admin', action: 'policy.changed', target: 'authentication-policy' }),
    );

    const ids = (q: Parameters<typeof core.audit.query>[0]) => core.audit.query(q).entries.map((e) => e.id);
    expect(ids({ from: t0 + MINUTE, to: t0 + 2 * MINUTE })).toEqual([3, 2]);
    expect(ids({ from: t0 + 3 * MINUTE })).toEqual([4]);
    expect(ids({ to: t0 })).toEqual([1]);
    expect(ids({ user: 'BOB' })).toEqual([3, 2]);
    expect(ids({ action: 'logon.success' })).toEqual([3, 1]);
    expect(ids({ user: 'bob', action: 'logon.success' })).toEqual([3]);
    expect(ids({ user: 'nobody' })).toEqual([]);
  });

  it('pages newest first with a keyset: every row exactly once, in order, and the end is marked', () => {
    const core = testCore();
    for (let i = 0; i < 120; i++) {
      core.audit.append(entry({ target: `user-${i}` }));
      core.clock.advance(1000);
    }
    const seen: number[] = [];
    let beforeId: number | undefined;
    let pages = 0;
    for (;;) {
      const page = core.audit.query({ limit: 50, ...(beforeId === undefined ? {} : { beforeId }) });
      pages++;
      seen.push(...page.entries.map((e) => e.id));
      if (page.nextBeforeId === null) break;
      beforeId = page.nextBeforeId;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => 120 - i));
    // A page that ends exactly at the last row says so.
    expect(core.audit.query({ limit: 20, beforeId: 21 }).nextBeforeId).toBeNull();
  });

  it('holds exactly the rows asked for on a page: 50 unless told, never more than 500', () => {
    const core = testCore();
    core.db.transaction(() => {
      for (let i = 0; i < 520; i++) core.audit.append(entry({ target: `user-${i}` }));
    })();
    const sizes = (limit?: number) => core.audit.query(limit === undefined ? {} : { limit }).entries.length;
    expect(sizes()).toBe(50);
    expect(sizes(7)).toBe(7);
    expect(sizes(10_000)).toBe(500);
    expect(sizes(0)).toBe(1);
    // The next page starts right after the last row shown: nothing skipped between pages.
    const first = core.audit.query({ limit: 7 });
    expect(first.nextBeforeId).toBe(first.entries.at(-1)?.id);
    expect(core.audit.query({ limit: 3, beforeId: first.nextBeforeId! }).entries.map((e) => e.id)).toEqual([
      513, 512, 511,
    ]);
  });

  it('pages in time order, every row once, also after the clock was set back', () => {
    const core = testCore();
    const t0 = core.clock.now();
    // Written in id order 1..12; the clock set back after the sixth row, so ids 7..12 are older than 1..6.
    for (let i = 0; i < 12; i++) {
      if (i === 6) core.clock.set(t0 - 60 * MINUTE);
      core.audit.append(entry({ target: `user-${i}` }));
      core.clock.advance(MINUTE);
    }
    const seen: number[] = [];
    let beforeId: number | undefined;
    for (;;) {
      const page = core.audit.query({ limit: 4, ...(beforeId === undefined ? {} : { beforeId }) });
      seen.push(...page.entries.map((e) => e.id));
      if (page.nextBeforeId === null) break;
      beforeId = page.nextBeforeId;
    }
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 12, 11, 10, 9, 8, 7]);
  });

  it('a page after an id that never existed (beyond the newest) starts at the newest row', () => {
    const core = testCore();
    for (let i = 0; i < 5; i++) core.audit.append(entry({ target: `user-${i}` }));
    expect(core.audit.query({ beforeId: 1_000, limit: 3 }).entries.map((e) => e.id)).toEqual([5, 4, 3]);
  });

  it('keys that look secret are never stored, whatever a caller passes', () => {
    const core = testCore();
    core.audit.append(
      entry({
        action: 'code.failure',
        details: {
          code: '493817',
          verificationCode: '493817',
          secret: 'sk-live-do-not-store',
          clientSecret: 'sk-live-do-not-store',
          password: 'hunter2-do-not-store',
          passwordHash: '$argon2id$...',
          accessToken: 'tok-do-not-store',
          authorization: 'Basic ZG8tbm90LXN0b3Jl',
          providerErrorCode: 40003,
          attempt: 2,
        },
      }),
    );
    expect(core.audit.query().entries[0]!.details).toEqual({ providerErrorCode: 40003, attempt: 2 });
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    const file = fs.readFileSync(databasePath(core.dataDir));
    for (const needle of ['493817', 'do-not-store', 'hunter2', 'ZG8tbm90LXN0b3Jl', '$argon2id$...']) {
      expect(file.includes(Buffer.from(needle)), needle).toBe(false);
    }
  });

  it('exports CSV with a header, RFC 4180 quoting and newest first, honouring filters', () => {
    const core = testCore();
    core.audit.append(
      entry({ action: 'policy.changed', target: 'Smith, "Jo"', details: { note: 'line one\nline two' } }),
    );
    core.audit.append(entry({ action: 'logon.success', target: 'plain' }));
    const csv = exportCsvText(core);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('id,time,actor,action,target,outcome,details');
    expect(lines[1]).toBe(
      `"2","${new Date(core.clock.now()).toISOString()}","admin-1","logon.success","plain","success",""`,
    );
    expect(csv).toContain('"Smith, ""Jo"""');
    expect(csv).toContain('"{""note"":""line one\\\\u{a}line two""}"');
    expect(csv.endsWith('\r\n')).toBe(true);
    const filtered = exportCsvText(core, { action: 'logon.success' });
    expect(filtered.trimEnd().split('\r\n')).toHaveLength(2);
  });

  it('defuses spreadsheet formulas in exported fields', () => {
    const core = testCore();
    for (const target of ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB']) {
      core.audit.append(entry({ action: 'policy.changed', target }));
    }
    const rows = exportCsvLines(core)
      .slice(1)
      .map((row) => row.split(',')[4]);
    // A leading tab is escaped (\u{9}) before the formula check, so it can no longer start a formula either.
    expect(rows.every((field) => field !== undefined && /^"('|\\u\{9\})/.test(field))).toBe(true);
    expect(csvField('=1+1')).toBe(`"'=1+1"`);
    expect(csvField('=A1,B1')).toBe(`"'=A1,B1"`);
    expect(csvField('ordinary')).toBe('"ordinary"');
    expect(csvField(-5)).toBe(`"'-5"`);
  });
});
