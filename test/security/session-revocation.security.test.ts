/**
 * A revoked user loses access at their next call: a deactivated user's session ends, a demoted
 * administrator loses the administrator's channels at once, and a user deactivated between password and
 * code is not signed in. Also when the change comes from another process on the same database (sc-admin).
 */
import { describe, expect, it } from 'vitest';
import type { AuthView } from '../../main/contract/ipc';
import { createCore } from '../../main/core/create-core';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { PASSWORD, loginFixture } from '../support/app';
import { forbiddenVerifier, gatewayFixture, seedAccounts, signIn } from '../support/gateway-fixture';

const SECOND_ADMIN_PASSWORD = 'second-admin-Pa55word-9z';

describe('a revoked user', () => {
  it('deactivated in the window: their session ends at their next call', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    const { admin, reader } = await seedAccounts(f);
    await f.ok(reader, 'sc:users:list');
    await f.ok(admin, 'sc:users:update', { username: 'reader', patch: { active: false } });

    const refused = await f.call(reader, 'sc:users:list');
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect((await f.ok<AuthView>(reader, 'sc:auth:state')).step).toBe('signedOut');
    expect(f.core.auth.session(reader)).toBeNull();
    expect(f.core.audit.query({ action: 'logon.revoked' }).entries).toMatchObject([
      { actor: 'reader', outcome: 'success', details: { step: 'signedIn', reason: 'inactive' } },
    ]);
  });

  it('deactivated by another process on the same database (sc-admin): the session ends as well', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    const { reader } = await seedAccounts(f);
    const other = createCore({ dataDir: f.core.dataDir, clock: f.clock, keychain: new InMemoryKeychain() });
    try {
      other.users.deactivate('reader', 'sc-admin');
    } finally {
      other.close();
    }
    expect(await f.call(reader, 'sc:users:list')).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });

  it('demoted: an administrator loses the administrator channels at the next call', async () => {
    const f = await gatewayFixture({ verifier: forbiddenVerifier() });
    const { admin } = await seedAccounts(f);
    await f.ok(admin, 'sc:users:create', {
      username: 'second',
      password: SECOND_ADMIN_PASSWORD,
      roles: ['administrator'],
    });
    await signIn(f, 'second-window', 'second', SECOND_ADMIN_PASSWORD);
    await f.ok('second-window', 'sc:users:list');

    await f.ok(admin, 'sc:users:update', { username: 'second', patch: { roles: ['read-only'] } });
    const write = await f.call('second-window', 'sc:users:create', {
      username: 'mallory',
      password: 'mallory-Pa55word-x',
      roles: ['administrator'],
    });
    expect(write).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(f.core.users.list().map((u) => u.username)).not.toContain('mallory');
    // The session itself goes on, with the role it has now (the window shows it).
    expect(f.core.auth.session('second-window')?.roles).toEqual(['read-only']);
    expect((await f.ok<AuthView>('second-window', 'sc:auth:state')).step).toBe('signedIn');

    await f.ok(admin, 'sc:users:update', { username: 'second', patch: { roles: [] } });
    expect(await f.call('second-window', 'sc:users:list')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('deactivated between password and code: the right code signs nobody in', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: '+46701234567', roles: ['administrator'] });
    await f.addUser({ username: 'boss', mobile: '+46701234568', roles: ['administrator'] });
    const view = await f.core.auth.logOn('window', { username: 'alice', password: PASSWORD });
    expect(view.step).toBe('awaitingCode');
    const code = f.emulator.lastCodeFor('+46701234567')!;
    f.core.users.deactivate('alice', 'boss');
    const reports = f.emulator.stats().reports;

    const after = await f.core.auth.submitCode('window', code);
    expect(after.step).not.toBe('signedIn');
    expect(f.core.auth.session('window')).toBeNull();
    expect(f.core.audit.query({ action: 'logon.success' }).entries).toHaveLength(0);
    // The log-on ended at that call, on the code screen: the code never went to Sinch.
    expect(f.emulator.stats().reports).toBe(reports);
    expect(f.core.audit.query({ action: 'logon.revoked' }).entries).toMatchObject([
      { actor: 'alice', details: { step: 'awaitingCode', reason: 'inactive' } },
    ]);
  });

  it('deactivated while the code is being checked: the answer signs nobody in', async () => {
    const f = await loginFixture();
    await f.addUser({ username: 'alice', mobile: '+46701234567', roles: ['administrator'] });
    await f.addUser({ username: 'boss', mobile: '+46701234568', roles: ['administrator'] });
    await f.core.auth.logOn('window', { username: 'alice', password: PASSWORD });
    const code = f.emulator.lastCodeFor('+46701234567')!;
    const checking = f.core.auth.submitCode('window', code);
    f.core.users.deactivate('alice', 'boss');
    expect((await checking).step).not.toBe('signedIn');
    expect(f.core.auth.session('window')).toBeNull();
  });
});
