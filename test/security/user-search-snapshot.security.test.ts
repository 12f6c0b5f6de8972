/**
 * A search reads the index's state, counts and reads its page from one snapshot of the database: another
 * process (sc-admin's re-import, which empties the index) committing in between must not make one search
 * show no users, or a count that disagrees with its page.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../main/core/create-core';
import { openDatabase } from '../../main/core/db/database';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { SearchIndex } from '../../main/core/users/search-index';
import { tempDir } from '../support/temp-dir';

const opened: { close(): void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const handle of opened.splice(0)) handle.close();
});

describe('a user search while another process rewrites the index', () => {
  it('answers from one snapshot: the users as they were, count and page agreeing', () => {
    const dataDir = tempDir('sc-search-snapshot-');
    const core = createCore({ dataDir, keychain: new InMemoryKeychain() });
    opened.push(core);
    const insert = core.db.prepare(
      'INSERT INTO users (username, display_name, email, created_at, updated_at) VALUES (?, ?, NULL, 1, 1)',
    );
    core.db.transaction(() => {
      for (let i = 1; i <= 30; i++) insert.run(`agent${String(i).padStart(2, '0')}`, `Agent Number ${i}`);
    })();
    expect(core.searchIndex.coverage().complete).toBe(true);
    expect(core.users.page({ search: 'number', limit: 100 }, ['sms']).total).toBe(30);

    // Another connection (sc-admin) empties the index the moment this search has read its state.
    const other = openDatabase({ dataDir });
    opened.push(other);
    const readCoverage = core.searchIndex.coverage.bind(core.searchIndex);
    vi.spyOn(core.searchIndex, 'coverage').mockImplementationOnce(() => {
      const coverage = readCoverage();
      other.transaction(() => new SearchIndex(other).clearForRebuild())();
      return coverage;
    });

    const page = core.users.page({ search: 'number', limit: 100 }, ['sms']);
    expect(page.total).toBe(30);
    expect(page.users).toHaveLength(30);
    // The next search sees the rebuild under way and still finds everyone (the scan covers the unbuilt rest).
    expect(core.searchIndex.coverage().complete).toBe(false);
    expect(core.users.page({ search: 'number', limit: 100 }, ['sms']).total).toBe(30);
  });
});
