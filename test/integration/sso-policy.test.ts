/**
 * The SSO block of the Authentication Policy: defaults, validation, the IPC patch schema, the audit of
 * changes, and migration 2 from a schema-1 database.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SSO_DEFAULTS, ssoSettingsSchema } from '../../main/contract/domain';
import { policyPatchSchema } from '../../main/contract/ipc';
import { createCore } from '../../main/core/create-core';
import { openDatabase } from '../../main/core/db/database';
import { LATEST_SCHEMA_VERSION, migrations } from '../../main/core/db/migrations';
import { ScError } from '../../main/core/errors';
import type { PolicyPatch } from '../../main/core/policy/policy-store';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { testCore } from '../support/core';
import { tempDir } from '../support/temp-dir';

const ON = { enabled: true, issuer: 'https://login.example.com/realms/sc', clientId: 'sc-desktop' };

function refusal(core: ReturnType<typeof testCore>, patch: PolicyPatch): ScError {
  const before = core.policy.get();
  try {
    core.policy.set(patch, 'test');
  } catch (error) {
    expect(core.policy.get()).toEqual(before);
    if (error instanceof ScError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(patch)} to be refused`);
}

describe('SSO policy block', () => {
  it('defaults: off, no issuer or client, "openid profile email", preferred_username, refuse unknown users', () => {
    const core = testCore();
    expect(core.policy.get().sso).toEqual(SSO_DEFAULTS);
    expect(SSO_DEFAULTS).toEqual({
      enabled: false,
      issuer: '',
      clientId: '',
      scopes: 'openid profile email',
      usernameClaim: 'preferred_username',
      unknownUsers: 'refuse',
    });
  });

  it('stores a valid block, audits what changed, and switching off keeps the settings', () => {
    const core = testCore();
    const saved = core.policy.set(
      { sso: { ...ON, scopes: '  openid   email ', usernameClaim: 'email', unknownUsers: 'admin-link' } },
      'admin',
    );
    expect(saved.sso).toEqual({
      ...ON,
      scopes: 'openid email',
      usernameClaim: 'email',
      unknownUsers: 'admin-link',
    });
    expect(core.policy.get()).toEqual(saved);
    const entry = core.audit.query({ action: 'policy.changed' }).entries[0]!;
    expect(entry.actor).toBe('admin');
    expect(Object.keys(entry.details).sort()).toEqual(
      [
        'sso.clientId',
        'sso.enabled',
        'sso.issuer',
        'sso.scopes',
        'sso.unknownUsers',
        'sso.usernameClaim',
      ].sort(),
    );
    expect(core.policy.set({ sso: { enabled: false } }, 'admin').sso).toMatchObject({
      ...ON,
      enabled: false,
    });
  });

  it('issuer: https, or http only for 127.0.0.1/localhost; no query, fragment or credentials', () => {
    const core = testCore();
    for (const issuer of [
      'http://127.0.0.1:8080',
      'http://localhost:3000/realms/x',
      'https://idp.example.com',
    ]) {
      expect(core.policy.set({ sso: { ...ON, issuer } }, 'test').sso.issuer).toBe(issuer);
    }
    for (const issuer of [
      'http://idp.example.com',
      'https://idp.example.com/?tenant=1',
      'https://idp.example.com/#x',
      'https://user:pw@idp.example.com',
      'ftp://idp.example.com',
      'not a url',
    ]) {
      const error = refusal(core, { sso: { ...ON, issuer } });
      expect(error.details.field).toBe('sso.issuer');
      expect(error.message).toMatch(/https:\/\//);
    }
  });

  it('switching on needs an issuer and a client ID; scopes must include openid', () => {
    const core = testCore();
    expect(refusal(core, { sso: { enabled: true, clientId: 'x' } }).details.field).toBe('sso.issuer');
    expect(refusal(core, { sso: { enabled: true, issuer: ON.issuer } }).details.field).toBe('sso.clientId');
    expect(refusal(core, { sso: { ...ON, scopes: 'profile email' } }).message).toMatch(/must include openid/);
    expect(refusal(core, { sso: { ...ON, scopes: 'openid "quoted"' } }).details.field).toBe('sso.scopes');
    // Off, the fields may stay empty.
    expect(core.policy.set({ sso: { enabled: false, issuer: '', clientId: '' } }, 'test').sso.enabled).toBe(
      false,
    );
  });

  it('the schema refuses a claim or unknown-user setting outside the lists', () => {
    const base = { ...SSO_DEFAULTS, ...ON };
    expect(ssoSettingsSchema.safeParse({ ...base, usernameClaim: 'name' }).success).toBe(false);
    expect(ssoSettingsSchema.safeParse({ ...base, unknownUsers: 'create' }).success).toBe(false);
    expect(ssoSettingsSchema.safeParse(base).success).toBe(true);
  });

  it('the IPC patch takes a partial, strict sso block', () => {
    expect(policyPatchSchema.safeParse({ sso: { enabled: false } }).success).toBe(true);
    expect(policyPatchSchema.safeParse({ sso: { clientSecret: 'x' } }).success).toBe(false);
    expect(policyPatchSchema.safeParse({ sso: { issuer: 'http://idp.example.com' } }).success).toBe(false);
  });
});

describe('migration 2 (policy_sso)', () => {
  it('adds the block with its defaults to a schema-1 database, keeping its data (backup beside it)', () => {
    const dir = tempDir();
    const v1 = openDatabase({ dataDir: dir, migrations: [migrations[0]!] });
    v1.prepare('UPDATE policy_two_factor SET enabled = 1, max_attempts = 5').run();
    v1.close();

    const core = createCore({ dataDir: dir, keychain: new InMemoryKeychain() });
    try {
      expect(core.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
      const policy = core.policy.get();
      expect(policy.twoFactor).toMatchObject({ enabled: true, maxAttempts: 5 });
      expect(policy.sso).toEqual(SSO_DEFAULTS);
      // The table itself refuses an "on" row without issuer and client.
      expect(() => core.db.prepare('UPDATE policy_sso SET enabled = 1').run()).toThrow(/CHECK/);
      expect(() =>
        core.db
          .prepare("INSERT INTO policy_sso SELECT 2, 0, '', '', 'openid', 'sub', 'refuse', 0, 'x'")
          .run(),
      ).toThrow(/CHECK/);
    } finally {
      core.close();
    }
    expect(fs.readdirSync(dir).some((name) => name.endsWith('.bak'))).toBe(true);
  });
});
