/**
 * The audit log's action filter as the window sends it: a chosen action narrows the listing to it, and the
 * empty choice ("every action") filters nothing.
 */
import { describe, expect, it } from 'vitest';
import { gatewayFixture, seedAccounts } from '../support/gateway-fixture';

interface Page {
  entries: { action: string }[];
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
});
