/**
 * The audit log's action filter as the window sends it: a chosen action narrows the listing and the export
 * to it, and the empty choice ("every action") filters nothing.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gatewayFixture, seedAccounts } from '../support/gateway-fixture';

interface Page {
  entries: { action: string }[];
}
interface Job {
  id: string;
  state: string;
  file: string;
}

describe('audit log through the window: the action filter', () => {
  it('a chosen action lists only that action; the empty choice lists every action', async () => {
    const f = await gatewayFixture();
    const { admin } = await seedAccounts(f);
    const all = await f.ok<Page>(admin, 'sc:audit:query', { limit: 500 });
    const actions = new Set(all.entries.map((e) => e.action));
    expect(actions.size).toBeGreaterThan(1);
    const [chosen] = [...actions];

    const filtered = await f.ok<Page>(admin, 'sc:audit:query', { limit: 500, action: chosen });
    expect(filtered.entries.length).toBeGreaterThan(0);
    expect(filtered.entries.length).toBeLessThan(all.entries.length);
    expect(new Set(filtered.entries.map((e) => e.action))).toEqual(new Set([chosen]));

    const everyAction = await f.ok<Page>(admin, 'sc:audit:query', { limit: 500, action: '' });
    expect(everyAction.entries).toHaveLength(all.entries.length);
  });

  it('an export through the window holds only the chosen action; the empty choice exports every action', async () => {
    const f = await gatewayFixture();
    const { admin } = await seedAccounts(f);
    const all = await f.ok<Page>(admin, 'sc:audit:query', { limit: 500 });
    const [chosen] = new Set(all.entries.map((e) => e.action));

    /** The actions of the exported file's rows (the header line left out). */
    const exported = async (action: string): Promise<string[]> => {
      const job = await f.ok<Job>(admin, 'sc:audit:exportStart', { action });
      let status = job;
      while (status.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 5));
        status = await f.ok<Job>(admin, 'sc:audit:exportStatus', { id: job.id });
      }
      expect(status.state).toBe('done');
      const lines = fs.readFileSync(status.file, 'utf8').trimEnd().split('\r\n').slice(1);
      return lines.map((line) => line.split('","')[3]!);
    };

    const filtered = await exported(chosen!);
    expect(filtered.length).toBeGreaterThan(0);
    expect(new Set(filtered)).toEqual(new Set([chosen]));
    // Every action, including the export just audited.
    const everyAction = await exported('');
    expect(everyAction.length).toBeGreaterThan(filtered.length);
    expect(new Set(everyAction)).toEqual(new Set([...all.entries.map((e) => e.action), 'audit.exported']));
  });
});
