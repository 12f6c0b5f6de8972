/**
 * Provisioning users from a file with sc-admin: create and update from CSV or JSON, idempotent, a dry run
 * that writes nothing, all-or-nothing with every bad row reported by line, never a password, and
 * export → import changing nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../main/core/create-core';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { scAdminInProcess } from '../support/cli-in-process';
import { databaseDigest } from '../support/sc-admin';
import { tempDir } from '../support/temp-dir';

async function seeded(): Promise<string> {
  const dir = tempDir();
  const core = createCore({ dataDir: dir, keychain: new InMemoryKeychain() });
  await core.users.create(
    { username: 'root', roles: ['administrator'], email: 'root@corp.example', password: 'a long password x' },
    'test',
  );
  await core.users.create({ username: 'bob', roles: ['read-only'], email: 'bob@corp.example' }, 'test');
  core.close();
  return dir;
}

function file(name: string, text: string): string {
  const target = path.join(tempDir(), name);
  fs.writeFileSync(target, text);
  return target;
}

function withCore<T>(dir: string, use: (core: ReturnType<typeof createCore>) => T): T {
  const core = createCore({ dataDir: dir, keychain: new InMemoryKeychain() });
  try {
    return use(core);
  } finally {
    core.close();
  }
}

const CSV = [
  'username,displayName,email,mobile,roles,active,mustChangePassword',
  'alice,"Lindqvist, Alice",alice@corp.example,+46 70 123 45 67,administrator;read-only,true,',
  'carol,Carol,,+358401234567,read-only,,false',
  'bob,Bob Builder,bob@corp.example,,read-only,true,',
].join('\n');

describe('sc-admin user import', () => {
  it('creates and updates users from CSV, with every field, each change audited', async () => {
    const dir = await seeded();
    const result = await scAdminInProcess(['--data-dir', dir, 'user', 'import', file('users.csv', CSV)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Created 2, updated 1, 0 unchanged.');
    withCore(dir, (core) => {
      expect(core.users.get('alice')).toMatchObject({
        displayName: 'Lindqvist, Alice',
        email: 'alice@corp.example',
        mobile: '+46701234567',
        roles: ['administrator', 'read-only'],
        active: true,
        mustChangePassword: true, // new users must change the password they are first given
        hasPassword: false, // never from the file
      });
      expect(core.users.get('carol')).toMatchObject({ email: null, mustChangePassword: false });
      expect(core.users.get('bob')).toMatchObject({ displayName: 'Bob Builder', email: 'bob@corp.example' });
      const changed = core.audit.query({ action: 'user.changed' }).entries;
      expect(changed).toHaveLength(1);
      expect(changed[0]).toMatchObject({
        actor: 'sc-admin',
        target: 'bob',
        details: { source: 'import', fields: 'displayName' },
      });
      expect(core.audit.query({ action: 'users.imported' }).entries[0]?.details).toEqual({
        created: 2,
        updated: 1,
        unchanged: 0,
      });
    });
  });

  it('is idempotent: the same file a second time changes nothing, not even a timestamp or the audit', async () => {
    const dir = await seeded();
    const users = file('users.csv', CSV);
    expect((await scAdminInProcess(['--data-dir', dir, 'user', 'import', users])).code).toBe(0);
    const before = databaseDigest(dir);
    const again = await scAdminInProcess(['--data-dir', dir, 'user', 'import', users]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Created 0, updated 0, 3 unchanged.');
    expect(databaseDigest(dir)).toEqual(before);
  });

  it('--dry-run prints what would change and writes nothing', async () => {
    const dir = await seeded();
    const before = databaseDigest(dir);
    const result = await scAdminInProcess([
      '--data-dir',
      dir,
      'user',
      'import',
      '--dry-run',
      file('u.csv', CSV),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('create alice (displayName, email, mobile, roles, active)');
    expect(result.stdout).toContain('update bob: displayName');
    expect(result.stdout).toContain(
      'Dry run: would create 2, update 1, leave 0 unchanged; nothing was written.',
    );
    expect(databaseDigest(dir)).toEqual(before);
  });

  it('reads JSON the same way', async () => {
    const dir = await seeded();
    const json = JSON.stringify({
      version: 1,
      users: [
        { username: 'dave', email: 'dave@corp.example', roles: ['read-only'], mustChangePassword: true },
        { username: 'bob', active: false },
      ],
    });
    const result = await scAdminInProcess(['--data-dir', dir, 'user', 'import', file('users.json', json)]);
    expect(result.code).toBe(0);
    withCore(dir, (core) => {
      expect(core.users.get('dave')).toMatchObject({ roles: ['read-only'], hasPassword: false });
      expect(core.users.get('bob').active).toBe(false);
      expect(core.audit.query({ action: 'user.deactivated' }).entries[0]?.target).toBe('bob');
    });
  });

  it('all or nothing: every bad row is reported with its line and reason, and nothing is written', async () => {
    const dir = await seeded();
    const before = databaseDigest(dir);
    const bad = [
      'username,displayName,email,mobile,roles,active,mustChangePassword',
      'good1,Good,good1@corp.example,,read-only,,', // line 2 is fine
      'bad email,Bad,not-an-address,,,,', // 3: username and e-mail
      'erin,Erin,erin@corp.example,+4612,,,', // 4: mobile
      'frank,Frank,,,superuser,,', // 5: role
      'good1,Again,,,,,', // 6: duplicate
      'gina,Gina,,,,maybe,', // 7: boolean
      'hank,Hank', // 8: cell count
      '"ivan","Ivan ""the""",ivan@corp.example,,read-only,true,false', // 9 is fine
    ].join('\n');
    const result = await scAdminInProcess(['--data-dir', dir, 'user', 'import', file('bad.csv', bad)]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines.map((l) => l.replace(/^.*bad\.csv: /, ''))).toEqual([
      expect.stringMatching(/^line 3: username: Username can contain letters/),
      expect.stringMatching(/^line 4: mobile: Enter the mobile number in international E\.164 form/),
      expect.stringMatching(/^line 5: roles: Role must be "administrator" or "read-only"\./),
      'line 6: username good1 is already in line 2',
      'line 7: active: use true or false, not "maybe".',
      'line 8: the number of cells differs from the header',
      expect.stringMatching(/^sc-admin: 6 bad rows in .*bad\.csv; nothing was written$/),
    ]);
    expect(databaseDigest(dir)).toEqual(before);
  });

  it('never takes a password: a password column or field refuses the whole file', async () => {
    const dir = await seeded();
    const before = databaseDigest(dir);
    const csv = await scAdminInProcess([
      '--data-dir',
      dir,
      'user',
      'import',
      file('p.csv', 'username,password\nmallory,hunter2hunter2\n'),
    ]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/column "password" is refused: passwords never come from a file/);
    expect(csv.stderr).not.toContain('hunter2');
    const json = await scAdminInProcess([
      '--data-dir',
      dir,
      'user',
      'import',
      file('p.json', JSON.stringify({ version: 1, users: [{ username: 'm', passwordHash: '$argon2id$x' }] })),
    ]);
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/user 1: field "passwordHash" is refused: passwords never come from a file/);
    expect(databaseDigest(dir)).toEqual(before);
  });

  it('refuses unknown columns, a file without username, and an import that leaves no administrator', async () => {
    const dir = await seeded();
    const before = databaseDigest(dir);
    const unknown = await scAdminInProcess([
      '--data-dir',
      dir,
      'user',
      'import',
      file('u.csv', 'username,phone\n'),
    ]);
    expect(unknown.stderr).toMatch(/unknown column phone/);
    const noName = await scAdminInProcess([
      '--data-dir',
      dir,
      'user',
      'import',
      file('u.csv', 'email\nx@y.z\n'),
    ]);
    expect(noName.stderr).toMatch(/needs a username column/);
    const lastAdmin = await scAdminInProcess([
      '--data-dir',
      dir,
      'user',
      'import',
      file('u.csv', 'username,roles\nnewbie,read-only\nroot,read-only\n'),
    ]);
    expect(lastAdmin.code).toBe(2);
    expect(lastAdmin.stderr).toMatch(/would leave no active administrator/);
    expect(databaseDigest(dir)).toEqual(before);
  });

  it('one transaction for many rows: a bad last row of 3000 leaves nothing written', async () => {
    const dir = await seeded();
    const before = databaseDigest(dir);
    const rows = Array.from({ length: 3000 }, (_, i) => `user${i},User ${i},user${i}@corp.example`);
    const many = ['username,displayName,email', ...rows].join('\n');
    const ok = await scAdminInProcess([
      '--data-dir',
      dir,
      'user',
      'import',
      '--dry-run',
      file('m.csv', many),
    ]);
    expect(ok.stdout).toContain('would create 3000');
    const withBadLast = await scAdminInProcess([
      '--data-dir',
      dir,
      'user',
      'import',
      file('m.csv', `${many}\nlast,Last,not-an-email`),
    ]);
    expect(withBadLast.code).toBe(2);
    expect(withBadLast.stderr).toMatch(/line 3002: email: Enter a valid e-mail address/);
    expect(databaseDigest(dir)).toEqual(before);
  });
});

describe('sc-admin user export', () => {
  for (const format of ['csv', 'json'] as const) {
    it(`${format}: no hashes, and export → import changes nothing`, async () => {
      const dir = await seeded();
      await scAdminInProcess(['--data-dir', dir, 'user', 'import', file('u.csv', CSV)]);
      const exported = await scAdminInProcess(['--data-dir', dir, 'user', 'export', '--format', format]);
      expect(exported.code).toBe(0);
      expect(exported.stdout).not.toMatch(/argon2|hash|"password"/i);
      if (format === 'csv') {
        expect(exported.stdout.split('\r\n')[0]).toBe(
          'username,displayName,email,mobile,roles,active,mustChangePassword',
        );
        // Spreadsheet formulas are defused ('+46…), and import reads the number back.
        expect(exported.stdout).toContain(`'+46701234567`);
      } else {
        expect(JSON.parse(exported.stdout)).toMatchObject({ version: 1 });
      }
      const before = databaseDigest(dir);
      const reimport = await scAdminInProcess([
        '--data-dir',
        dir,
        'user',
        'import',
        file(`all.${format}`, exported.stdout),
      ]);
      expect(reimport.stdout).toContain('Created 0, updated 0, 4 unchanged.');
      expect(databaseDigest(dir)).toEqual(before);

      const fresh = tempDir();
      withCore(fresh, () => undefined);
      await scAdminInProcess(['--data-dir', fresh, 'user', 'import', file(`all.${format}`, exported.stdout)]);
      const again = await scAdminInProcess(['--data-dir', fresh, 'user', 'export', '--format', format]);
      expect(again.stdout).toBe(exported.stdout);
    });
  }
});

describe('sc-admin user import of thousands and the search index', () => {
  /** More users than an import indexes one by one (they are left to the index's build). */
  const MANY = 2_600;
  const manyCsv = (): string =>
    [
      'username,displayName,roles',
      ...Array.from(
        { length: MANY },
        (_, i) => `imp${String(i + 1).padStart(5, '0')},Äijälä Öberg ${i + 1},read-only`,
      ),
    ].join('\n');
  const listed = async (dir: string, search: string): Promise<string[]> => {
    const result = await scAdminInProcess(['--data-dir', dir, '--json', 'user', 'list', '--search', search]);
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { username: string }[]).map((u) => u.username);
  };
  const searchState = (dir: string) =>
    withCore(dir, (core) => ({
      complete: core.searchIndex.isComplete(),
      folded: core.db.prepare('SELECT count(*) FROM users_fold').pluck().get() as number,
    }));
  // "äijälä öberg 25" and "ÄIJÄLÄ ÖBERG 25" find users 25, 250–259 and 2500–2599; "aijala" none (ä is not a).
  const expected = [
    'imp00025',
    ...Array.from({ length: 10 }, (_, i) => `imp0025${i}`),
    ...Array.from({ length: 100 }, (_, i) => `imp025${String(i).padStart(2, '0')}`),
  ];

  it('builds the search index for the users it added before it ends, so search answers from the index', async () => {
    const dir = await seeded();
    const result = await scAdminInProcess(['--data-dir', dir, 'user', 'import', file('many.csv', manyCsv())]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Created ${MANY}, updated 0, 0 unchanged.`);
    expect(result.stderr).toContain('Search index built.');
    expect(searchState(dir)).toEqual({ complete: true, folded: MANY + 2 });
    withCore(dir, (core) =>
      core.db.exec("INSERT INTO users_search (users_search, rank) VALUES ('integrity-check', 1)"),
    );
    expect(await listed(dir, 'äijälä öberg 25')).toEqual(expected);
    expect(await listed(dir, 'ÄIJÄLÄ ÖBERG 25')).toEqual(expected);
    expect(await listed(dir, 'aijala')).toEqual([]);
  });

  it('searches answer the same while the index is unbuilt (the import interrupted) as after; a dry run builds nothing', async () => {
    const dir = await seeded();
    // The import's rows written as sc-admin writes them, its build not run (as if interrupted there).
    const rows = Array.from({ length: MANY }, (_, i) => ({
      where: `line ${i + 2}`,
      username: `imp${String(i + 1).padStart(5, '0')}`,
      displayName: `Äijälä Öberg ${i + 1}`,
      roles: ['read-only' as const],
    }));
    withCore(dir, (core) => core.userImport.run(rows, 'test'));
    expect(searchState(dir)).toEqual({ complete: false, folded: 2 });
    const before = databaseDigest(dir);
    const dryRun = await scAdminInProcess([
      '--data-dir',
      dir,
      'user',
      'import',
      '--dry-run',
      file('many.csv', manyCsv()),
    ]);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(databaseDigest(dir)).toEqual(before);

    const meanwhile = await listed(dir, 'ÄIJÄLÄ ÖBERG 25');
    expect(meanwhile).toEqual(expected);
    expect(searchState(dir).complete).toBe(false); // a search does not write
    const again = await scAdminInProcess(['--data-dir', dir, 'user', 'import', file('many.csv', manyCsv())]);
    expect(again.stdout).toContain(`Created 0, updated 0, ${MANY} unchanged.`);
    expect(again.stderr).toContain('Search index built.'); // what was left, finished by the next import
    expect(searchState(dir)).toEqual({ complete: true, folded: MANY + 2 });
    expect(await listed(dir, 'ÄIJÄLÄ ÖBERG 25')).toEqual(meanwhile);
  });
});
