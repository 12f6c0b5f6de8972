/**
 * sc-admin and SSO identities (issue 12, "admin-link"): `sso list` shows what a pending identity claimed
 * (escaped: a provider's users choose their own claims), `sso link` ties an issuer + subject to the user
 * the administrator names, `sso unlink` removes it; each audited, each refusal a usage error (exit 2)
 * that changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/create-core';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { scAdminInProcess } from '../support/cli-in-process';
import { tempDir } from '../support/temp-dir';

const ISSUER = 'https://idp.example.com';
const NEWCOMER = 'u-newcomer-42';

function withCore<T>(dir: string, use: (core: Core) => T): T {
  const core = createCore({ dataDir: dir, keychain: new InMemoryKeychain() });
  try {
    return use(core);
  } finally {
    core.close();
  }
}

/** A data dir with SSO on ("admin-link"), a user carol, and one identity waiting for an administrator. */
async function dataDirWithPending(): Promise<string> {
  const dir = tempDir();
  const core = createCore({ dataDir: dir, keychain: new InMemoryKeychain() });
  try {
    core.policy.set(
      { sso: { enabled: true, issuer: ISSUER, clientId: 'sc-desktop', unknownUsers: 'admin-link' } },
      'test',
    );
    await core.users.create({ username: 'carol', roles: [] }, 'test');
    const answer = {
      issuer: ISSUER,
      subject: NEWCOMER,
      claims: { preferred_username: 'new\u001b[2Jcomer\nFAKE LINE' },
    };
    expect(() => core.ssoIdentities.resolve(answer, core.policy.get().sso)).toThrow();
  } finally {
    core.close();
  }
  return dir;
}

const run = (dir: string, ...args: string[]) => scAdminInProcess(['--data-dir', dir, ...args]);

describe('sc-admin sso', () => {
  it('lists a pending identity with its claims escaped, links it to the chosen user, audited, then unlinks it', async () => {
    const dir = await dataDirWithPending();

    const listed = await run(dir, 'sso', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(NEWCOMER);
    expect(listed.stdout).toContain('unmatched');
    expect(listed.stdout).not.toContain('\u001b');
    expect(listed.stdout).not.toMatch(/^FAKE LINE/m);

    const linked = await run(dir, 'sso', 'link', NEWCOMER, '--user', 'carol');
    expect(linked).toMatchObject({ code: 0 });
    expect(linked.stdout).toContain(`Linked ${NEWCOMER} (${ISSUER}) to carol.`);

    const json = JSON.parse((await run(dir, '--json', 'sso', 'list')).stdout) as {
      pending: unknown[];
      links: { subject: string; username: string; linkedBy: string }[];
    };
    expect(json.pending).toEqual([]);
    expect(json.links).toEqual([
      expect.objectContaining({ subject: NEWCOMER, username: 'carol', linkedBy: 'sc-admin' }),
    ]);

    const unlinked = await run(dir, 'sso', 'unlink', NEWCOMER);
    expect(unlinked.code).toBe(0);
    const after = await run(dir, 'sso', 'list');
    expect(after.stdout).toMatch(/Unlinked by an administrator, refused until linked again \(1\)/);
    expect(after.stdout).toContain(NEWCOMER);
    withCore(dir, (core) => {
      expect(core.ssoIdentities.list().links).toEqual([]);
      expect(core.ssoIdentities.list().unlinked).toEqual([
        expect.objectContaining({ issuer: ISSUER, subject: NEWCOMER, unlinkedBy: 'sc-admin' }),
      ]);
      const actions = core.audit.query({ limit: 10 }).entries.map((e) => [e.action, e.actor, e.target]);
      expect(actions).toEqual(
        expect.arrayContaining([
          ['sso.linked', 'sc-admin', 'carol'],
          ['sso.unlinked', 'sc-admin', 'carol'],
        ]),
      );
    });
  });

  it('refuses an unknown user, another issuer, a second link and a missing --user with exit 2, changing nothing', async () => {
    const dir = await dataDirWithPending();
    const refusals = [
      ['sso', 'link', NEWCOMER, '--user', 'nobody'],
      ['sso', 'link', NEWCOMER, '--user', 'carol', '--issuer', 'https://evil.example.net'],
      ['sso', 'link', NEWCOMER],
      ['sso', 'link', 'x'.repeat(300), '--user', 'carol'],
      ['sso', 'unlink', NEWCOMER],
    ];
    for (const args of refusals) {
      const result = await run(dir, ...args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).not.toBe('');
    }
    withCore(dir, (core) => {
      expect(core.ssoIdentities.list().links).toEqual([]);
      expect(core.ssoIdentities.list().pending).toHaveLength(1);
    });

    expect((await run(dir, 'sso', 'link', NEWCOMER, '--user', 'carol')).code).toBe(0);
    const again = await run(dir, 'sso', 'link', NEWCOMER, '--user', 'carol');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already linked');
  });
});
