import { describe, expect, it } from 'vitest';
import { SINCH_DEFAULTS, TWO_FACTOR_DEFAULTS } from '../../main/contract/domain';
import { createCore } from '../../main/core/create-core';
import { ScError } from '../../main/core/errors';
import type { PolicyPatch } from '../../main/core/policy/policy-store';
import { InMemoryKeychain } from '../../main/core/secrets/keychain';
import { testCore } from '../support/core';

function refusal(core: ReturnType<typeof testCore>, patch: PolicyPatch): ScError {
  const before = core.policy.get();
  const auditBefore = core.audit.count();
  try {
    core.policy.set(patch, 'test');
  } catch (error) {
    // Refused means nothing written: the policy and the audit log are as they were.
    expect(core.policy.get()).toEqual(before);
    expect(core.audit.count()).toBe(auditBefore);
    if (error instanceof ScError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(patch)} to be refused`);
}

describe('authentication policy', () => {
  it("defaults are exactly the seed's: 2FA off, SMS, no fallback, 5 min, 3 attempts, 30 min; Sinch signed at the public endpoint", () => {
    const core = testCore();
    const { twoFactor, sinch } = core.policy.get();
    expect(twoFactor).toEqual({
      enabled: false,
      primaryMethod: 'sms',
      fallbackMethod: 'none',
      validMinutes: 5,
      maxAttempts: 3,
      lockMinutes: 30,
    });
    expect(sinch).toEqual({
      endpoint: 'https://verification.api.sinch.com',
      authMethod: 'signed',
      emailSenderAddress: '',
      emailSenderName: '',
    });
    // The seeded rows and the contract's defaults (used by the UI) agree.
    expect({ twoFactor, sinch }).toEqual({ twoFactor: TWO_FACTOR_DEFAULTS, sinch: SINCH_DEFAULTS });
  });

  it.each([
    ['validMinutes', 1, 60, [0, 61, 2.5]],
    ['maxAttempts', 1, 10, [0, 11, -1]],
    ['lockMinutes', 1, 1440, [0, 1441, 30.5]],
  ] as const)('%s accepts %i to %i and refuses %j', (field, min, max, bad) => {
    const core = testCore();
    expect(core.policy.set({ twoFactor: { [field]: min } }, 'test').twoFactor[field]).toBe(min);
    expect(core.policy.set({ twoFactor: { [field]: max } }, 'test').twoFactor[field]).toBe(max);
    for (const value of bad) {
      expect(refusal(core, { twoFactor: { [field]: value } })).toMatchObject({
        code: 'validation',
        details: { field: `twoFactor.${field}` },
      });
    }
  });

  it('the fallback method must differ from the primary method', () => {
    const core = testCore();
    expect(refusal(core, { twoFactor: { fallbackMethod: 'sms' } }).message).toMatch(
      /fallback method must differ/,
    );
    core.policy.set({ twoFactor: { fallbackMethod: 'email' } }, 'test');
    // Switching the primary onto the saved fallback is the same mistake.
    expect(refusal(core, { twoFactor: { primaryMethod: 'email' } }).details.field).toBe(
      'twoFactor.fallbackMethod',
    );
    expect(
      core.policy.set({ twoFactor: { primaryMethod: 'email', fallbackMethod: 'sms' } }, 'test').twoFactor,
    ).toMatchObject({
      primaryMethod: 'email',
      fallbackMethod: 'sms',
    });
  });

  it.each([
    ['https://eu.verification.api.sinch.com', true],
    ['https://verification.example.com:8443/base', true],
    ['http://127.0.0.1:8089', true],
    ['http://localhost:8089', true],
    ['http://verification.api.sinch.com', false],
    ['http://10.0.0.5', false],
    ['ftp://verification.api.sinch.com', false],
    ['https://user:pass@verification.api.sinch.com', false],
    ['https://verification.api.sinch.com/?x=1', false],
    ['verification.api.sinch.com', false],
    ['', false],
  ])('endpoint %j allowed: %s (https; http only for 127.0.0.1/localhost)', (endpoint, allowed) => {
    const core = testCore();
    if (allowed) expect(core.policy.set({ sinch: { endpoint } }, 'test').sinch.endpoint).toBe(endpoint);
    else expect(refusal(core, { sinch: { endpoint } }).details.field).toBe('sinch.endpoint');
  });

  it('the e-mail sender address must be an e-mail address (or empty)', () => {
    const core = testCore();
    expect(refusal(core, { sinch: { emailSenderAddress: 'not an address' } }).details.field).toBe(
      'sinch.emailSenderAddress',
    );
    expect(
      core.policy.set({ sinch: { emailSenderAddress: 'noreply@sc.example' } }, 'test').sinch
        .emailSenderAddress,
    ).toBe('noreply@sc.example');
    expect(core.policy.set({ sinch: { emailSenderAddress: '' } }, 'test').sinch.emailSenderAddress).toBe('');
  });

  it('using Email (beta) with 2FA on needs a sender address, as primary or as fallback', () => {
    const core = testCore();
    // Off: a draft may use e-mail before the address is known.
    core.policy.set({ twoFactor: { primaryMethod: 'email' } }, 'test');
    expect(refusal(core, { twoFactor: { enabled: true } }).details.field).toBe('sinch.emailSenderAddress');
    core.policy.set({ twoFactor: { primaryMethod: 'sms', fallbackMethod: 'email' } }, 'test');
    expect(refusal(core, { twoFactor: { enabled: true } }).details.field).toBe('sinch.emailSenderAddress');
    const on = core.policy.set(
      { twoFactor: { enabled: true }, sinch: { emailSenderAddress: 'noreply@sc.example' } },
      'test',
    );
    expect(on.twoFactor.enabled).toBe(true);
    // ...and the address cannot then be removed while e-mail is in use.
    expect(refusal(core, { sinch: { emailSenderAddress: '' } }).details.field).toBe(
      'sinch.emailSenderAddress',
    );
  });

  it('SMS-only 2FA can be switched on without a sender address', () => {
    const core = testCore();
    expect(core.policy.set({ twoFactor: { enabled: true } }, 'test').twoFactor.enabled).toBe(true);
  });

  it('a change is audited with the fields it changed; saving the same values writes nothing', () => {
    const core = testCore();
    core.policy.set(
      { twoFactor: { enabled: true, maxAttempts: 5 }, sinch: { authMethod: 'basic' } },
      'admin-1',
    );
    const [entry] = core.audit.query({ action: 'policy.changed' }).entries;
    expect(entry).toMatchObject({
      actor: 'admin-1',
      outcome: 'success',
      details: { 'twoFactor.enabled': 'true', 'twoFactor.maxAttempts': '5', 'sinch.authMethod': 'basic' },
    });
    const count = core.audit.count();
    core.policy.set({ twoFactor: { maxAttempts: 5 } }, 'admin-1');
    expect(core.audit.count()).toBe(count);
  });

  it('is kept in the database: a new core over the same folder reads the saved policy', () => {
    const core = testCore();
    core.policy.set(
      { twoFactor: { validMinutes: 10 }, sinch: { emailSenderName: 'IT Service Desk' } },
      'test',
    );
    core.close();
    const again = createCore({ dataDir: core.dataDir, keychain: new InMemoryKeychain() });
    try {
      expect(again.policy.get()).toMatchObject({
        twoFactor: { validMinutes: 10 },
        sinch: { emailSenderName: 'IT Service Desk' },
      });
    } finally {
      again.close();
    }
  });
});

describe('readiness check', () => {
  async function withUsers() {
    const core = testCore();
    await core.users.create({ username: 'sms-only', mobile: '+46701234567' }, 'test');
    await core.users.create(
      { username: 'mail-only', email: 'mail@example.com', displayName: 'Mail Only' },
      'test',
    );
    await core.users.create({ username: 'both', mobile: '+46701234568', email: 'both@example.com' }, 'test');
    await core.users.create({ username: 'neither' }, 'test');
    await core.users.create({ username: 'gone', active: false }, 'test');
    return core;
  }
  const names = (readiness: { usersWithoutContact: { username: string }[] }) =>
    readiness.usersWithoutContact.map((u) => u.username);

  it('lists the active users without a contact for the primary method', async () => {
    const core = await withUsers();
    const sms = core.policy.readiness({ primaryMethod: 'sms', fallbackMethod: 'none' });
    expect(names(sms)).toEqual(['mail-only', 'neither']);
    expect(sms.activeUsers).toBe(4);
    expect(sms.usersWithoutContact).toContainEqual({ username: 'mail-only', displayName: 'Mail Only' });
    expect(names(core.policy.readiness({ primaryMethod: 'email', fallbackMethod: 'none' }))).toEqual([
      'neither',
      'sms-only',
    ]);
  });

  it('honours the fallback: a user with the fallback contact can still log in', async () => {
    const core = await withUsers();
    expect(names(core.policy.readiness({ primaryMethod: 'sms', fallbackMethod: 'email' }))).toEqual([
      'neither',
    ]);
    expect(names(core.policy.readiness({ primaryMethod: 'email', fallbackMethod: 'sms' }))).toEqual([
      'neither',
    ]);
  });

  it('defaults to the saved policy, and a contact added clears the user', async () => {
    const core = await withUsers();
    core.policy.set({ twoFactor: { fallbackMethod: 'email' } }, 'test');
    expect(names(core.policy.readiness())).toEqual(['neither']);
    core.users.update('neither', { email: 'n@example.com' }, 'test');
    expect(names(core.policy.readiness())).toEqual([]);
  });
});
