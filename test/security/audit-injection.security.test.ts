/* eslint-disable no-control-regex -- these tests search output for control characters on purpose */
/**
 * Anyone at the log-on screen types the username, and an identity provider chooses its claims: that text
 * must not forge audit lines, drive the administrator's terminal or run as a spreadsheet formula. Names
 * that fail the username rules are stored escaped and visibly marked; every sc-admin output line has its
 * control characters escaped; every CSV field is quoted and formula-leading characters are defused.
 */
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ExportJobView } from '../../main/contract/ipc';
import { Output } from '../../main/cli/output';
import { csvField } from '../../main/core/audit/audit-csv';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { createCore } from '../../main/core/create-core';
import { forbiddenVerifier, gatewayFixture, seedAccounts } from '../support/gateway-fixture';
import { scAdmin } from '../support/sc-admin';
import { quotedFields } from '../support/audit-csv';
import { tempDir } from '../support/temp-dir';

/** Anything a terminal or a log reader could act on: C0/C1 controls, DEL, bidi and zero-width marks. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

const HOSTILE_NAMES = [
  'mallory\n2030-01-01T00:00:00.000Z admin logon.success success',
  'mallory\r\nadmin',
  '\u001b[2J\u001b[1;32madmin\u001b[0m',
  '\u009b31madmin',
  '\u202eadmin',
  'ad\u200bmin',
  "=cmd|' /C calc'!A0",
];

describe('audit log: names typed at the log-on screen', () => {
  it('stores a username that fails the username rules escaped and marked as invalid, never raw', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    await seedAccounts(f);
    for (const [i, name] of HOSTILE_NAMES.entries()) {
      const view = await f.call(`window-${i}`, 'sc:auth:logOn', { username: name, password: 'wrong' });
      expect(view.ok, name).toBe(true);
    }
    const entries = f.core.audit.query({ action: 'logon.password', limit: 500 }).entries;
    const written = entries.filter((e) => e.outcome !== 'success');
    expect(written).toHaveLength(HOSTILE_NAMES.length);
    for (const entry of written) {
      expect(entry.actor).toMatch(/^<invalid-name "/);
      expect(entry.target).toBe(entry.actor);
      expect(JSON.stringify(entry)).not.toMatch(UNSAFE);
      expect(entry.actor).not.toMatch(UNSAFE);
    }
    const actors = written.map((e) => e.actor);
    expect(actors).toContain(
      '<invalid-name "mallory\\u{a}2030-01-01T00:00:00.000Z admin logon.success success">',
    );
    expect(actors).toContain('<invalid-name "ad\\u{200b}min">');
  });

  it('keeps a name that passes the username rules as typed, even when no such user exists', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    await seedAccounts(f);
    await f.call('w', 'sc:auth:logOn', { username: 'nobody.here', password: 'wrong' });
    const [latest] = f.core.audit.query({ action: 'logon.password', limit: 1 }).entries;
    expect(latest?.actor).toBe('nobody.here');
  });

  it('marks a name the username rules accept only once trimmed (a trailing newline): never stored raw', () => {
    const core = createCore({ dataDir: tempDir(), keychain: new InMemoryKeychain() });
    try {
      for (const name of ['alice\n', ' alice', 'alice\r\n'])
        core.audit.append({ actor: name, action: 'logon.password', target: name, outcome: 'failure' });
      const stored = core.audit.query({ limit: 10 }).entries.map((e) => [e.actor, e.target]);
      expect(stored).toEqual([
        ['<invalid-name "alice\\u{d}\\u{a}">', '<invalid-name "alice\\u{d}\\u{a}">'],
        ['<invalid-name " alice">', '<invalid-name " alice">'],
        ['<invalid-name "alice\\u{a}">', '<invalid-name "alice\\u{a}">'],
      ]);
    } finally {
      core.close();
    }
  });

  it('a marked name escapes its quotes and backslashes (it cannot close the mark), and a long one is cut at 64 characters saying how many more', () => {
    const core = createCore({ dataDir: tempDir(), keychain: new InMemoryKeychain() });
    try {
      const forged = 'x" admin="yes\\';
      const long = `${'é'.repeat(60)}\u{1f600}${'z'.repeat(3)}\n${'q'.repeat(35)}`;
      const justFits = `${'w'.repeat(63)}!`;
      for (const name of [forged, long, 'y'.repeat(65), justFits])
        core.audit.append({ actor: 'sc-admin', action: 'logon.password', target: name, outcome: 'failure' });
      const [whole, tooLong, cut, quoted] = core.audit.query({ limit: 10 }).entries.map((e) => e.target);
      expect(whole).toBe(`<invalid-name "${justFits}">`);
      expect(quoted).toBe('<invalid-name "x\\" admin=\\"yes\\\\">');
      // 64 characters shown (an emoji is one), the newline among the 36 left out.
      expect(cut).toBe(`<invalid-name "${'é'.repeat(60)}\u{1f600}zzz" +36 more>`);
      expect(tooLong).toBe(`<invalid-name "${'y'.repeat(64)}" +1 more>`);
    } finally {
      core.close();
    }
  });

  it('escapes control characters in free-text targets and details (an identity provider claim, say)', () => {
    const core = createCore({ dataDir: tempDir(), keychain: new InMemoryKeychain() });
    try {
      core.audit.append({
        actor: 'sc-admin',
        action: 'verify.test',
        target: '+46 ••• \u001b[31m',
        outcome: 'success',
        details: { claim: 'Anna\u001b]0;pwned\u0007', ['key\nname']: 'v' },
      });
      const [entry] = core.audit.query({ limit: 1 }).entries;
      expect(JSON.stringify(entry)).not.toMatch(UNSAFE);
      expect(entry?.target).toBe('+46 ••• \\u{1b}[31m');
      expect(entry?.details.claim).toBe('Anna\\u{1b}]0;pwned\\u{7}');
    } finally {
      core.close();
    }
  });
});

describe('sc-admin output: control characters escaped on every line', () => {
  function capture(json: boolean, data: unknown, human: () => string | string[]): string {
    const stream = new PassThrough();
    let written = '';
    stream.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
    new Output(json, stream).result(data, human);
    return written;
  }

  it('prints human lines with control, bidi and zero-width characters as visible escapes', () => {
    const hostile = 'Anna\u001b[2J\u009b1m\u202e\u200b\r\nfake line';
    const text = capture(false, null, () => [`Display name: ${hostile}`, 'next']);
    for (const line of text.split('\n')) expect(line).not.toMatch(UNSAFE);
    expect(text).toBe('Display name: Anna\\u{1b}[2J\\u{9b}1m\\u{202e}\\u{200b}\\u{d}\\u{a}fake line\nnext\n');
  });

  it('prints --json as one line of valid JSON that decodes to the same value but carries none raw', () => {
    const data = { name: 'Anna\u001b[2J\u009b\u202e\u2028\u200b', n: 1 };
    const text = capture(true, data, () => '');
    expect(text.trimEnd()).not.toMatch(UNSAFE);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(text)).toEqual(data);
  });

  it('prints a private-use or unassigned character beyond the BMP in --json as its escaped surrogate pair', () => {
    const data = { name: 'a\u{f0000}b\u{e0080}' };
    const text = capture(true, data, () => '');
    expect(text).toBe('{"name":"a\\udb80\\udc00b\\udb40\\udc80"}\n');
    expect(JSON.parse(text)).toEqual(data);
  });

  it(
    'sc-admin audit list (human and --json) shows rows an older version stored raw without their control characters',
    { tags: ['child-process'] },
    async () => {
      const dir = tempDir();
      const core = createCore({ dataDir: dir, keychain: new InMemoryKeychain() });
      core.db
        .prepare('INSERT INTO audit (at, actor, action, target, outcome, details) VALUES (?, ?, ?, ?, ?, ?)')
        .run(1, 'mallory\u001b[2K\radmin', 'logon.password', 'x\u202ey', 'failure', '{"note":"\\u001b[31m"}');
      core.close();
      for (const args of [
        ['audit', 'list'],
        ['--json', 'audit', 'list'],
      ]) {
        const result = await scAdmin(['--data-dir', dir, ...args]);
        expect(result.code, result.stderr).toBe(0);
        // Line breaks between lines are the output's own; any other control character would be the row's.
        expect(result.stdout, args.join(' ')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
        expect(result.stdout).toContain('mallory');
      }
    },
  );

  it('sc-admin error messages escape what the user typed', { tags: ['child-process'] }, async () => {
    const dir = tempDir();
    createCore({ dataDir: dir, keychain: new InMemoryKeychain() }).close();
    const result = await scAdmin(['--data-dir', dir, 'user', 'show', 'evil\u001b[2Jname']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('audit CSV export', () => {
  it('defuses only a formula start: other text outside printable ASCII is quoted as it is (escaped), no quote mark added', () => {
    expect(csvField('Jyväskylä')).toBe('"Jyväskylä"');
    expect(csvField('a\u0007b')).toBe('"a\\u{7}b"');
    expect(csvField('\u202eadmin')).toBe('"\\u{202e}admin"');
    expect(csvField('\u0007=1+1')).toBe('"\\u{7}=1+1"');
    expect(csvField('－1')).toBe('"\'－1"');
  });

  it('quotes every field, escapes control characters and defuses formula-leading characters in each', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    const { admin } = await seedAccounts(f);
    for (const name of ['@evil', '-2.3', 'a-b'])
      await f.call('w', 'sc:auth:logOn', { username: name, password: 'x' });
    f.core.audit.append({
      actor: 'sc-admin',
      action: 'secret.set',
      target: '=HYPERLINK("http://evil.example","x")',
      outcome: 'success',
      details: { note: '+1' },
    });
    f.core.audit.append({ actor: 'sc-admin', action: 'policy.changed', target: '\tTAB', outcome: 'success' });
    f.core.audit.append({ actor: 'sc-admin', action: 'policy.changed', target: '＝1+1', outcome: 'success' });
    // The export writes in main to the file the save dialog gave; the window gets only the job.
    let job = await f.ok<ExportJobView>(admin, 'sc:audit:exportStart', {});
    while (job.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 10));
      job = await f.ok<ExportJobView>(admin, 'sc:audit:exportStatus', { id: job.id });
    }
    expect(job.state).toBe('done');
    const csv = fs.readFileSync(job.file, 'utf8');
    expect(csv).not.toMatch(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
    const records = csv.split('\r\n').slice(1, -1);
    expect(records.length).toBeGreaterThan(5);
    for (const record of records) {
      for (const field of quotedFields(record)) expect(field, record).not.toMatch(/^[=+\-@\t\r\n＝＋－＠]/);
    }
    expect(csv).toContain(`"'@evil"`);
    expect(csv).toContain(`"'-2.3"`);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv).toContain(`"a-b"`);
  });
});
