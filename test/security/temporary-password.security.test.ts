/**
 * An administrator's temporary password (sc:users:setPassword, `sc-admin user set --password-stdin`), from the
 * attacker's side: a read-only user or a window without a session cannot set anyone's password (not even at
 * 40 calls at once), the password never reaches the audit log, the app log, an error or a result, and a
 * password set in the window is always one the user must replace.
 */
import { describe, expect, it } from 'vitest';
import type { LogFields } from '../../main/core/log-line';
import { verifyPassword } from '../../main/core/users/passwords';
import { gatewayFixture, seedAccounts, READER_PASSWORD } from '../support/gateway-fixture';

const TEMPORARY = 'Needle-Temporary-Quokka-5530';

function payload(username: string, password = TEMPORARY) {
  return { username, newPassword: password, confirmPassword: password };
}

describe('temporary passwords', () => {
  it('a read-only user cannot set a password, even 40 times at once, and nothing changes', async () => {
    const f = await gatewayFixture();
    const { reader } = await seedAccounts(f);
    const before = f.databaseDigest();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        f.call(reader, 'sc:users:setPassword', payload(i % 2 ? 'admin' : 'reader')),
      ),
    );
    for (const result of results) expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(f.databaseDigest()).toBe(before);
    const adminRecord = f.core.users.findRecord('admin')!;
    expect(await verifyPassword(adminRecord.passwordHash!, TEMPORARY)).toBe(false);
  });

  it('a window without a session (or one half-way through log-on) cannot set a password', async () => {
    const f = await gatewayFixture();
    await seedAccounts(f);
    const before = f.databaseDigest();
    expect(await f.call('stranger', 'sc:users:setPassword', payload('admin'))).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(f.databaseDigest()).toBe(before);
  });

  it('refuses a password longer than any allowed before a handler runs', async () => {
    const f = await gatewayFixture();
    const { admin } = await seedAccounts(f);
    const before = f.databaseDigest();
    const long = 'x'.repeat(1025);
    const result = await f.call(admin, 'sc:users:setPassword', payload('reader', long));
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', field: 'newPassword' } });
    expect(f.databaseDigest()).toBe(before);
  });

  it('the password never reaches the audit log, the app log, an error or a result', async () => {
    const lines: string[] = [];
    const f = await gatewayFixture({
      log: (event: string, fields?: LogFields) => lines.push(`${event} ${JSON.stringify(fields ?? {})}`),
    });
    const { admin, reader } = await seedAccounts(f);
    const answers = await Promise.all([
      f.call(admin, 'sc:users:setPassword', payload('reader')),
      f.call(admin, 'sc:users:setPassword', { ...payload('reader'), confirmPassword: `${TEMPORARY}x` }),
      f.call(admin, 'sc:users:setPassword', payload('nobody')),
      f.call(reader, 'sc:users:setPassword', payload('admin')),
      f.call('stranger', 'sc:users:setPassword', payload('admin')),
    ]);
    await f.call('reader-again', 'sc:auth:logOn', { username: 'reader', password: TEMPORARY });
    await f.call('reader-again', 'sc:auth:changePassword', {
      newPassword: READER_PASSWORD,
      confirmPassword: READER_PASSWORD,
    });

    expect(answers[0]).toMatchObject({ ok: true });
    const everything = [
      JSON.stringify(answers),
      JSON.stringify(f.core.db.prepare('SELECT * FROM audit').all()),
      lines.join('\n'),
    ].join('\n');
    expect(everything).not.toContain(TEMPORARY);
    // Nor any other table: only its argon2 hash is stored.
    for (const { name } of f.core.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as {
      name: string;
    }[]) {
      expect(JSON.stringify(f.core.db.prepare(`SELECT * FROM "${name}"`).all())).not.toContain(TEMPORARY);
    }
    expect(f.core.audit.query({ action: 'password.set' }).entries.map((e) => e.details)).toEqual([
      { mustChange: true, replaced: true },
    ]);
  });

  it('a password set in the window always makes the user change it at the next log-on', async () => {
    const f = await gatewayFixture();
    const { admin } = await seedAccounts(f);
    await f.ok(admin, 'sc:users:update', { username: 'reader', patch: { mustChangePassword: false } });
    await f.ok(admin, 'sc:users:setPassword', payload('reader'));
    const view = await f.ok<{ step: string }>('reader-again', 'sc:auth:logOn', {
      username: 'reader',
      password: TEMPORARY,
    });
    expect(view.step).toBe('passwordChangeRequired');
    expect(f.core.auth.session('reader-again')).toBeNull();
  });
});
