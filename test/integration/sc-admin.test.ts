/**
 * sc-admin as a process: every command's success, and bad input (exit 2, one specific line on stderr,
 * nothing written). Independent invocations run concurrently, each suite on its own data dir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../main/core/clock';
import { createCore } from '../../main/core/create-core';
import { DATABASE_FILE, databasePath } from '../../main/core/db/database';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { verifyPassword } from '../../main/core/users/passwords';
import { databaseDigest, scAdmin, type CliOptions, type CliResult } from '../support/sc-admin';

const ADMIN_PASSWORD = 'correct horse battery staple';

// Suites create their folders in beforeAll, so they are removed in afterAll (not after each test).
const suiteDirs: string[] = [];
function suiteDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-admin-test-'));
  suiteDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of suiteDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A data dir with an administrator (root, both contacts) and a read-only user (bob, e-mail only). */
async function seededDataDir(): Promise<string> {
  const dir = suiteDir();
  const core = createCore({ dataDir: dir, keychain: new InMemoryKeychain() });
  try {
    await core.users.create(
      {
        username: 'root',
        roles: ['administrator'],
        email: 'root@example.com',
        mobile: '+46701234567',
        password: ADMIN_PASSWORD,
      },
      'test',
    );
    await core.users.create({ username: 'bob', roles: ['read-only'], email: 'bob@example.com' }, 'test');
  } finally {
    core.close();
  }
  return dir;
}

function withCore<T>(dataDir: string, use: (core: ReturnType<typeof createCore>) => T): T {
  const core = createCore({ dataDir, keychain: new InMemoryKeychain() });
  let result: T;
  try {
    result = use(core);
  } catch (error) {
    core.close();
    throw error;
  }
  // An async check closes the core once it has settled.
  if (result instanceof Promise) return result.finally(() => core.close()) as T;
  core.close();
  return result;
}

/** Runs at most `limit` processes at once: the machines have few cores. */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function ok(result: CliResult): CliResult {
  expect(result.stderr, result.stdout).toBe('');
  expect(result.code).toBe(0);
  return result;
}

function json<T = Record<string, unknown>>(result: CliResult): T {
  ok(result);
  return JSON.parse(result.stdout) as T;
}

/** Exit 2, nothing on stdout, exactly one `sc-admin: ...` line on stderr matching the message. */
function expectBadInput(result: CliResult, message: RegExp): void {
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^sc-admin: [^\n]+\n$/);
  expect(result.stderr).toMatch(message);
  expect(result.code).toBe(2);
}

describe('sc-admin init', () => {
  it('creates the first administrator with the password from stdin, audited as sc-admin', async () => {
    const dir = suiteDir();
    const jsonDir = suiteDir();
    const [human, machine] = await Promise.all([
      scAdmin(
        [
          '--data-dir',
          dir,
          'init',
          '--admin',
          'root',
          '--display-name',
          'Root Admin',
          '--email',
          'root@example.com',
          '--mobile',
          '+46 70 123 45 67',
        ],
        { stdin: `${ADMIN_PASSWORD}\n` },
      ),
      scAdmin(['init', '--admin', 'first', '--json', '--data-dir', jsonDir], {
        stdin: `${ADMIN_PASSWORD}\r\n`,
      }),
    ]);
    expect(ok(human).stdout).toBe(`Created administrator root in ${dir}.\n`);
    const parsed = json<{
      dataDir: string;
      user: { username: string; roles: string[]; hasPassword: boolean };
    }>(machine);
    expect(parsed).toMatchObject({
      dataDir: jsonDir,
      user: { username: 'first', roles: ['administrator'], hasPassword: true },
    });

    await withCore(dir, async (core) => {
      const record = core.users.findRecord('root')!;
      expect(record).toMatchObject({
        displayName: 'Root Admin',
        email: 'root@example.com',
        mobile: '+46701234567',
        roles: ['administrator'],
        active: true,
      });
      expect(await verifyPassword(record.passwordHash!, ADMIN_PASSWORD)).toBe(true);
      const audit = core.audit.query().entries.map((e) => [e.actor, e.action, e.target]);
      expect(audit).toEqual([
        ['sc-admin', 'admin.initialized', 'root'],
        ['sc-admin', 'user.created', 'root'],
      ]);
    });
    // A trailing \r (a Windows pipe) is not part of the password.
    await withCore(jsonDir, async (core) => {
      expect(await verifyPassword(core.users.findRecord('first')!.passwordHash!, ADMIN_PASSWORD)).toBe(true);
    });
  });

  it('never takes the password from argv, and bad input creates no database', async () => {
    const cases: [string[], CliOptions, RegExp][] = [
      [['init', '--admin', 'root', ADMIN_PASSWORD], {}, /unexpected extra argument for "init".*stdin/],
      [
        ['init', '--admin', 'root', '--password', ADMIN_PASSWORD],
        {},
        /--password: .*never takes a password.*stdin/,
      ],
      [['init', '--admin', 'root'], {}, /no password on stdin/],
      [['init', '--admin', 'root'], { stdin: 'short\n' }, /password: .*at least 12 characters/],
      [
        ['init', '--admin', 'root', '--email', 'root@'],
        { stdin: `${ADMIN_PASSWORD}\n` },
        /--email: .*valid e-mail/,
      ],
      [
        ['init', '--admin', 'root', '--mobile', '070-123 45 67'],
        { stdin: `${ADMIN_PASSWORD}\n` },
        /--mobile: .*E\.164/,
      ],
      [['init', '--admin'], {}, /--admin needs a value/],
    ];
    const dirs = cases.map(() => suiteDir());
    const results = await inParallel(cases, 4, ([args, options], i) =>
      scAdmin(['--data-dir', dirs[i]!, ...args], options),
    );
    results.forEach((result, i) => {
      expectBadInput(result, cases[i]![2]);
      expect(result.stderr).not.toContain(ADMIN_PASSWORD.split(' ')[1]);
      expect(fs.readdirSync(dirs[i]!)).toEqual([]);
    });
  });

  it('refuses when an active administrator exists, before asking for a password', async () => {
    const dir = await seededDataDir();
    const before = databaseDigest(dir);
    expectBadInput(
      await scAdmin(['--data-dir', dir, 'init', '--admin', 'second'], { stdin: `${ADMIN_PASSWORD}\n` }),
      /an active administrator already exists/,
    );
    expect(databaseDigest(dir)).toEqual(before);
  });

  it('finds its data dir: --data-dir, else SC_DATA_DIR, else the platform app-data folder', async () => {
    const flagDir = suiteDir();
    const envDir = suiteDir();
    const configHome = suiteDir();
    const stdin = `${ADMIN_PASSWORD}\n`;
    const results = await Promise.all([
      scAdmin(['--data-dir', flagDir, 'init', '--admin', 'a'], { stdin, env: { SC_DATA_DIR: envDir } }),
      scAdmin(['init', '--admin', 'b'], { stdin, env: { SC_DATA_DIR: envDir } }),
      ...(process.platform === 'linux'
        ? [scAdmin(['init', '--admin', 'c'], { stdin, env: { XDG_CONFIG_HOME: configHome } })]
        : []),
    ]);
    results.forEach(ok);
    expect(withCore(flagDir, (core) => core.users.list().map((u) => u.username))).toEqual(['a']);
    expect(withCore(envDir, (core) => core.users.list().map((u) => u.username))).toEqual(['b']);
    if (process.platform === 'linux') {
      expect(fs.existsSync(path.join(configHome, 'System Configurator', DATABASE_FILE))).toBe(true);
    }
  });
});

describe('sc-admin user', () => {
  it('add, set, list, show, deactivate and unlock, each audited as sc-admin', async () => {
    const dir = await seededDataDir();
    const run = (args: string[], options?: CliOptions) =>
      scAdmin(['--data-dir', dir, 'user', ...args], options);

    const added = await run(
      [
        'add',
        'carol',
        '--display-name',
        'Carol Carlsson',
        '--email',
        'carol@example.com',
        '--mobile',
        '+46 70 765 43 21',
        '--role',
        'read-only',
        '--must-change-password',
        '--password-stdin',
      ],
      { stdin: 'carol has a long password\n' },
    );
    expect(ok(added).stdout).toBe('Created user carol (roles: read-only).\n');

    const changed = json(
      await run([
        'set',
        'carol',
        '--no-email',
        '--mobile',
        '+1 202 555 0143',
        '--role',
        'administrator',
        '--role',
        'read-only',
        '--must-change-password',
        'false',
        '--json',
      ]),
    );
    expect(changed).toMatchObject({
      username: 'carol',
      email: null,
      mobile: '+12025550143',
      roles: ['administrator', 'read-only'],
      mustChangePassword: false,
      hasPassword: true,
    });
    expect(changed).not.toHaveProperty('passwordHash');

    const [listed, listedHuman, shown, shownJson] = await Promise.all([
      run(['list', '--search', 'CAR', '--json']),
      run(['list']),
      run(['show', 'carol']),
      run(['show', 'Carol', '--json']),
    ]);
    expect(json<{ username: string }[]>(listed).map((u) => u.username)).toEqual(['carol']);
    expect(ok(listedHuman).stdout.split('\n')[0]).toMatch(
      /^USERNAME\s+DISPLAY NAME\s+ROLES\s+STATUS\s+E-MAIL\s+MOBILE$/,
    );
    expect(listedHuman.stdout).toMatch(/^bob\s+bob\s+read-only\s+active\s+bob@example\.com\s+-$/m);
    expect(ok(shown).stdout).toContain('Mobile number:         +12025550143');
    expect(shown.stdout).toContain('E-mail address:        (none)');
    expect(json(shownJson)).toMatchObject({ username: 'carol', displayName: 'Carol Carlsson' });

    expect(json(await run(['deactivate', 'carol', '--json']))).toMatchObject({
      username: 'carol',
      active: false,
    });

    withCore(dir, (core) => {
      const bob = core.users.findRecord('bob')!;
      core.db
        .prepare('UPDATE users SET failed_code_attempts = 3, sc_locked_until = ? WHERE id = ?')
        .run(Date.now() + 30 * MINUTE, bob.id);
    });
    const [unlocked, reactivated] = await Promise.all([
      run(['unlock', 'bob']),
      run(['set', 'carol', '--active', 'true']),
    ]);
    expect(ok(unlocked).stdout).toMatch(
      /^Unlocked user bob \(was locked until \d{4}-\d\d-\d\dT[\d:.]+Z\); failed attempts reset\.\n$/,
    );
    expect(ok(reactivated).stdout).toBe('Updated user carol.\n');

    withCore(dir, (core) => {
      expect(core.users.get('bob')).toMatchObject({ failedCodeAttempts: 0, scLockedUntil: null });
      expect(core.users.get('carol').active).toBe(true);
      const bySc = core.audit.query({ user: 'sc-admin' }).entries.map((e) => `${e.action} ${e.target}`);
      expect(bySc).toEqual([
        expect.stringMatching(/^(account\.unlocked bob|user\.changed carol)$/),
        expect.stringMatching(/^(account\.unlocked bob|user\.changed carol)$/),
        'user.deactivated carol',
        'user.changed carol',
        'user.created carol',
      ]);
    });
  });
});

describe('sc-admin policy', () => {
  it('set writes every seed field, show and readiness read them, audited as sc-admin', async () => {
    const dir = await seededDataDir();
    const run = (args: string[]) => scAdmin(['--data-dir', dir, 'policy', ...args]);
    const set = await run([
      'set',
      '--2fa',
      'on',
      '--primary',
      'sms',
      '--fallback',
      'email',
      '--valid-minutes',
      '10',
      '--max-attempts',
      '5',
      '--lock-minutes',
      '60',
      '--endpoint',
      'https://eu.verification.api.sinch.com',
      '--auth',
      'basic',
      '--email-sender-address',
      'noreply@sc.example',
      '--email-sender-name',
      'IT Service Desk',
    ]);
    expect(ok(set).stdout).toContain('Use two-factor authentication:  on');
    expect(set.stdout).toContain('All 2 active users have a contact for SMS or Email (beta).');

    const expected = {
      twoFactor: {
        enabled: true,
        primaryMethod: 'sms',
        fallbackMethod: 'email',
        validMinutes: 10,
        maxAttempts: 5,
        lockMinutes: 60,
      },
      sinch: {
        endpoint: 'https://eu.verification.api.sinch.com',
        authMethod: 'basic',
        emailSenderAddress: 'noreply@sc.example',
        emailSenderName: 'IT Service Desk',
      },
    };
    const [shown, shownHuman, smsOnly, saved] = await Promise.all([
      run(['show', '--json']),
      run(['show']),
      run(['readiness', '--primary', 'sms', '--fallback', 'none', '--json']),
      run(['readiness']),
    ]);
    expect(json(shown)).toMatchObject(expected);
    expect(ok(shownHuman).stdout).toContain('Authentication method:          Basic');
    expect(json(smsOnly)).toEqual({
      primaryMethod: 'sms',
      fallbackMethod: 'none',
      activeUsers: 2,
      usersWithoutContact: [{ username: 'bob', displayName: 'bob' }],
    });
    expect(ok(saved).stdout).toBe('All 2 active users have a contact for SMS or Email (beta).\n');

    const human = ok(await run(['readiness', '--primary', 'sms', '--fallback', 'none'])).stdout;
    expect(human).toBe(
      '1 of 2 active users have no contact for SMS and could not log in with 2FA on:\n  bob\n',
    );

    withCore(dir, (core) => {
      const [entry] = core.audit.query({ action: 'policy.changed' }).entries;
      expect(entry).toMatchObject({
        actor: 'sc-admin',
        outcome: 'success',
        details: { 'twoFactor.enabled': 'true' },
      });
    });
  });

  it('set writes the SSO block, and refuses SSO switched on without an issuer', async () => {
    const dir = await seededDataDir();
    const run = (args: string[]) => scAdmin(['--data-dir', dir, 'policy', ...args]);
    const refused = await run(['set', '--sso', 'on']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^sc-admin: .*(issuer|client)/i);
    const set = await run([
      'set',
      '--sso',
      'on',
      '--sso-issuer',
      'https://login.example.com',
      '--sso-client-id',
      'system-configurator',
      '--sso-scopes',
      'openid email',
      '--sso-claim',
      'email',
      '--sso-unknown',
      'admin-link',
      '--json',
    ]);
    expect(json(set)).toMatchObject({
      policy: {
        sso: {
          enabled: true,
          issuer: 'https://login.example.com',
          clientId: 'system-configurator',
          scopes: 'openid email',
          usernameClaim: 'email',
          unknownUsers: 'admin-link',
        },
      },
    });
    expect(ok(await run(['show'])).stdout).toContain(
      'Issuer URL:                     https://login.example.com',
    );
    const badClaim = await run(['set', '--sso-claim', 'nickname']);
    expect(badClaim.code).toBe(2);
  });
});

describe('sc-admin audit', () => {
  it('list filters and pages; export writes CSV to stdout or a new file', async () => {
    const dir = await seededDataDir();
    const out = path.join(suiteDir(), 'audit.csv');
    const run = (args: string[]) => scAdmin(['--data-dir', dir, 'audit', ...args]);
    const [all, byUser, limited, human] = await Promise.all([
      run(['list', '--json']),
      run([
        'list',
        '--user',
        'BOB',
        '--action',
        'user.created',
        '--from',
        '2000-01-01',
        '--to',
        '2999-12-31T00:00:00Z',
        '--json',
      ]),
      run(['list', '--limit', '1', '--json']),
      run(['list']),
    ]);
    // Each export appends an audit row of its own, so they run after the listings and one after the other.
    const csv = await run(['export', '--csv']);
    const toFile = await run(['export', '--csv', '--out', out, '--json']);
    type Page = { entries: { action: string; target: string }[]; nextBeforeId: number | null };
    expect(json<Page>(all).entries.map((e) => `${e.action} ${e.target}`)).toEqual([
      'user.created bob',
      'user.created root',
    ]);
    expect(json<Page>(byUser).entries.map((e) => e.target)).toEqual(['bob']);
    const page = json<Page>(limited);
    expect(page.entries).toHaveLength(1);
    expect(page.nextBeforeId).not.toBeNull();
    expect(ok(human).stdout).toMatch(/^TIME\s+ACTOR\s+ACTION\s+TARGET\s+OUTCOME\s+DETAILS\n/);
    expect(ok(csv).stdout).toMatch(/^id,time,actor,action,target,outcome,details\r\n"\d+","\d{4}-/);
    expect(json(toFile)).toEqual({ file: out, rows: 3 }); // 2 users created, 1 export
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^id,time,actor,action,target,outcome,details\r\n/);
    expect(fs.statSync(out).mode & 0o077).toBe(0);

    withCore(dir, (core) => {
      const exports = core.audit.query({ action: 'audit.exported' }).entries;
      expect(exports.map((e) => e.actor)).toEqual(['sc-admin', 'sc-admin']);
    });
    expectBadInput(await run(['export', '--csv', '--out', out]), /already exists/);
  });
});

describe('sc-admin db recover', () => {
  it('a damaged database: commands fail with exit 1 and a way out; recover moves it aside and keeps it', async () => {
    const dir = suiteDir();
    fs.writeFileSync(databasePath(dir), 'this is not a database\n'.repeat(20));
    const failed = await scAdmin(['--data-dir', dir, 'user', 'list']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^sc-admin: The database at .* is damaged .*sc-admin db recover/);

    const recovered = json<{ moved: boolean; backup: string }>(
      await scAdmin(['--data-dir', dir, 'db', 'recover', '--json']),
    );
    expect(recovered.moved).toBe(true);
    expect(fs.readFileSync(recovered.backup, 'utf8')).toContain('this is not a database');
    expect(fs.existsSync(databasePath(dir))).toBe(false);

    const healthy = await seededDataDir();
    const [afterwards, forced] = await Promise.all([
      scAdmin(['--data-dir', dir, 'user', 'list']),
      scAdmin(['--data-dir', healthy, 'db', 'recover', '--force']),
    ]);
    expectBadInput(afterwards, /there is no System Configurator database in .*sc-admin init/);
    expect(ok(forced).stdout).toMatch(/^Moved the database aside; it is kept as .*\.damaged\./);
  });
});

describe('sc-admin runtime failures', () => {
  it.runIf(process.platform === 'linux')(
    'keychain unavailable: exit 1 with the typed message, secret metadata untouched',
    async () => {
      const dir = await seededDataDir();
      const before = databaseDigest(dir);
      const result = await scAdmin(
        ['--data-dir', dir, 'secret', 'set', 'sinch-verification-api', '--auth-id', 'app-key'],
        {
          stdin: 'c2VjcmV0LXZhbHVl\n',
          env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: undefined },
        },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^sc-admin: OS keychain unavailable: /);
      expect(result.stderr).not.toContain('c2VjcmV0LXZhbHVl');
      expect(databaseDigest(dir)).toEqual(before);
    },
  );
});

describe('sc-admin help', () => {
  it('--help prints usage and exits 0, for sc-admin, a group and a command', async () => {
    const [top, group, command, short] = await Promise.all([
      scAdmin(['--help']),
      scAdmin(['policy', '--help']),
      scAdmin(['user', 'add', '--help']),
      scAdmin(['audit', 'export', '-h']),
    ]);
    expect(ok(top).stdout).toMatch(/^Usage: sc-admin \[--data-dir DIR\] \[--json\] <command>/);
    expect(top.stdout).toContain('Exit codes: 0 done, 1 runtime failure, 2 bad input (nothing written)');
    expect(ok(group).stdout).toContain('policy set [--2fa on|off]');
    expect(group.stdout).not.toContain('user add');
    expect(ok(command).stdout).toMatch(/^Usage: sc-admin \[--data-dir DIR\] \[--json\] user add NAME/);
    expect(ok(short).stdout).toContain('audit export --csv');
  });
});

describe('sc-admin bad input: exit 2, a specific message, nothing written', () => {
  const CASES: { args: string[]; stdin?: string; message: RegExp }[] = [
    // init and the never-in-argv rule
    {
      args: ['init', '--admin', 'x'],
      stdin: `${ADMIN_PASSWORD}\n`,
      message: /an active administrator already exists/,
    },
    // user
    { args: ['user', 'add', 'carol', '--email'], message: /--email needs a value/ },
    {
      args: ['user', 'add', 'carol', '--mobile', '0701234567'],
      message: /--mobile: Enter the mobile number in international E\.164 form/,
    },
    {
      args: ['user', 'add', 'carol', '--mobile', '+4670123456'],
      message: /--mobile: \+4670123456 is not a valid phone number/,
    },
    { args: ['user', 'add', 'carol', '--email', 'carol@'], message: /--email: Enter a valid e-mail address/ },
    {
      args: ['user', 'add', 'carol', '--role', 'superuser'],
      message: /--role must be administrator or read-only, not "superuser"/,
    },
    { args: ['user', 'add', 'BOB'], message: /a user named "BOB" already exists/ },
    { args: ['user', 'add', 'carol', '--colour', 'blue'], message: /unknown option --colour for "user add"/ },
    {
      args: ['user', 'add', 'carol', 'hunter2-password'],
      message: /unexpected extra argument for "user add"/,
    },
    { args: ['user', 'set', 'nobody', '--email', 'n@example.com'], message: /There is no user "nobody"/ },
    { args: ['user', 'set', 'bob', '--mobile', '+46 70'], message: /--mobile: .*E\.164/ },
    { args: ['user', 'set', 'bob'], message: /nothing to change/ },
    {
      args: ['user', 'set', 'bob', '--active', 'maybe'],
      message: /--active must be true or false, not "maybe"/,
    },
    {
      args: ['user', 'set', 'bob', '--email', 'b@example.com', '--no-email'],
      message: /either --email or --no-email/,
    },
    { args: ['user', 'deactivate', 'root'], message: /last active administrator/ },
    { args: ['user', 'deactivate', 'nobody'], message: /There is no user "nobody"/ },
    { args: ['user', 'unlock', 'nobody'], message: /There is no user "nobody"/ },
    { args: ['user', 'show', 'nobody'], message: /There is no user "nobody"/ },
    {
      args: ['user', 'frob'],
      message: /unknown user command "frob"; one of: add, set, list, show, deactivate, unlock/,
    },
    // policy
    {
      args: ['policy', 'set', '--valid-minutes', '61'],
      message: /--valid-minutes: A code can be valid for at most 60 minutes/,
    },
    {
      args: ['policy', 'set', '--lock-minutes', '1441'],
      message: /--lock-minutes: Lock for at most 1440 minutes/,
    },
    { args: ['policy', 'set', '--max-attempts', '11'], message: /--max-attempts: Allow at most 10 attempts/ },
    {
      args: ['policy', 'set', '--max-attempts', 'three'],
      message: /--max-attempts needs a whole number, not "three"/,
    },
    {
      args: ['policy', 'set', '--fallback', 'sms'],
      message: /--fallback: The fallback method must differ from the primary method/,
    },
    {
      args: ['policy', 'set', '--endpoint', 'http://verification.api.sinch.com'],
      message: /--endpoint: .*https:\/\//,
    },
    {
      args: ['policy', 'set', '--email-sender-address', 'noreply'],
      message: /--email-sender-address: Enter a valid e-mail/,
    },
    {
      args: ['policy', 'set', '--2fa', 'on', '--primary', 'email'],
      message: /--email-sender-address: .*sender address before using Email/,
    },
    { args: ['policy', 'set', '--valid-minutes'], message: /--valid-minutes needs a value/ },
    { args: ['policy', 'set', '--timeout', '5'], message: /unknown option --timeout for "policy set"/ },
    { args: ['policy', 'set'], message: /nothing to set/ },
    {
      args: ['policy', 'readiness', '--primary', 'sms', '--fallback', 'sms'],
      message: /--fallback must differ/,
    },
    // audit
    { args: ['audit', 'list', '--from', 'yesterday'], message: /--from needs an ISO 8601 time/ },
    { args: ['audit', 'list', '--action', 'user.nuked'], message: /unknown --action "user\.nuked"/ },
    { args: ['audit', 'list', '--limit', '0'], message: /--limit must be 1 to 500/ },
    { args: ['audit', 'export'], message: /"audit export" needs --csv/ },
    // secret and verify-test: refused before any keychain or network access
    { args: ['secret', 'set', 'other-secret', '--auth-id', 'k'], message: /unknown secret "other-secret"/ },
    { args: ['secret', 'set', 'sinch-verification-api'], message: /"secret set" needs --auth-id/ },
    {
      args: ['secret', 'set', 'sinch-verification-api', '--auth-id', 'k', '--secret', 'c2VjcmV0'],
      message: /--secret: .*stdin/,
    },
    {
      args: ['verify-test', '--to', '0701234567'],
      message: /--to: Enter the mobile number in international E\.164 form/,
    },
    { args: ['verify-test', '--to', 'user@'], message: /--to: "user@" is not a valid e-mail address/ },
    {
      args: ['verify-test', '--to', '+46701234567', '123456'],
      message: /unexpected extra argument for "verify-test"/,
    },
    // global
    { args: [], message: /no command given/ },
    { args: ['frobnicate'], message: /unknown command "frobnicate"/ },
    { args: ['--verbose', 'user', 'list'], message: /unknown option --verbose/ },
    // names every object inherits are not options either
    { args: ['--toString=1', 'user', 'list'], message: /unknown option --toString/ },
    { args: ['user', 'list', '--constructor=x'], message: /unknown option --constructor for "user list"/ },
    { args: ['user', 'list', '--json=yes'], message: /--json takes no value/ },
    { args: ['db', 'recover'], message: /opens without problems; nothing to recover/ },
  ];

  let dir: string;
  let before: ReturnType<typeof databaseDigest>;
  const results: CliResult[] = [];

  beforeAll(async () => {
    dir = await seededDataDir();
    before = databaseDigest(dir);
    results.push(
      ...(await inParallel(CASES, 6, (c) =>
        scAdmin(['--data-dir', dir, ...c.args], c.stdin === undefined ? {} : { stdin: c.stdin }),
      )),
    );
  }, 120_000);

  it.each(CASES.map((c, i) => ({ ...c, i, label: c.args.join(' ') || '(no arguments)' })))(
    '$label',
    ({ i, message }) => {
      expectBadInput(results[i]!, message);
    },
  );

  it('left the database exactly as it was (every table, the audit row count)', () => {
    expect(databaseDigest(dir)).toEqual(before);
    expect(before.auditRows).toBe(2);
  });
});
