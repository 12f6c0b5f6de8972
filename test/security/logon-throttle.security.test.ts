/**
 * Password throttling holds under concurrency exactly as it does in sequence: an attacker who fires many
 * guesses at once, from one window or from many, gets no more password checks than one who waits for each
 * answer. Through the gateway, as a window would call it.
 */
import { describe, expect, it } from 'vitest';
import type { AuthView } from '../../main/contract/ipc';
import type { IpcResult } from '../../main/contract/errors';
import {
  ADMIN_PASSWORD,
  forbiddenVerifier,
  gatewayFixture,
  type GatewayFixture,
} from '../support/gateway-fixture';

const GUESSES = 40;
/** Failures before the first delay (attempts.ts): the 5th failure starts it. */
const CHECKED_BEFORE_DELAY = 5;

async function withAdministrator(): Promise<GatewayFixture> {
  const f = await gatewayFixture({ verifier: forbiddenVerifier() });
  await f.ok('setup-window', 'sc:auth:firstRun', {
    username: 'admin',
    password: ADMIN_PASSWORD,
    confirmPassword: ADMIN_PASSWORD,
  });
  return f;
}

function steps(results: IpcResult<unknown>[]): string[] {
  return results.map((r) => (r.ok ? (r.value as AuthView).step : `error:${r.error.code}`));
}

function passwordAudit(f: GatewayFixture) {
  const entries = f.core.audit.query({ action: 'logon.password', limit: 500 }).entries;
  return {
    checked: entries.filter((e) => e.outcome === 'failure' || e.outcome === 'success').length,
    denied: entries.filter((e) => e.outcome === 'denied').length,
  };
}

describe('parallel log-ons', () => {
  it(`${GUESSES} wrong passwords and the right one sent at once from one window do not sign it in`, async () => {
    const f = await withAdministrator();
    const guesses = Array.from({ length: GUESSES }, (_, i) => `wrong-guess-${i}-xxxxxx`);
    const results = await Promise.all(
      [...guesses, ADMIN_PASSWORD].map((password) =>
        f.call('attacker', 'sc:auth:logOn', { username: 'admin', password }),
      ),
    );
    expect(steps(results)).not.toContain('signedIn');
    expect(f.core.auth.session('attacker')).toBeNull();
    // One check at a time per window: the rest were refused before any hash was checked.
    expect(passwordAudit(f).checked).toBe(1);
    expect(results.filter((r) => r.ok && (r.value as AuthView).error?.code === 'conflict')).toHaveLength(
      GUESSES,
    );
  });

  it(`${GUESSES} wrong passwords and the right one from ${GUESSES + 1} windows at once: at most ${CHECKED_BEFORE_DELAY} are checked`, async () => {
    const f = await withAdministrator();
    const passwords = [
      ...Array.from({ length: GUESSES }, (_, i) => `wrong-guess-${i}-xxxxxx`),
      ADMIN_PASSWORD,
    ];
    const results = await Promise.all(
      passwords.map((password, i) => f.call(`window-${i}`, 'sc:auth:logOn', { username: 'admin', password })),
    );
    expect(steps(results)).not.toContain('signedIn');
    for (let i = 0; i < passwords.length; i++) expect(f.core.auth.session(`window-${i}`)).toBeNull();
    // The same as one guess after another: five checks, then the delay refuses without checking.
    expect(passwordAudit(f)).toEqual({
      checked: CHECKED_BEFORE_DELAY,
      denied: GUESSES + 1 - CHECKED_BEFORE_DELAY,
    });
    const throttled = results.filter(
      (r) => r.ok && (r.value as AuthView).error?.code === 'password-throttled',
    );
    expect(throttled).toHaveLength(GUESSES + 1 - CHECKED_BEFORE_DELAY + 1);
  });

  it('an unknown username meets the same limit under the same burst', async () => {
    const f = await withAdministrator();
    const results = await Promise.all(
      Array.from({ length: GUESSES + 1 }, (_, i) =>
        f.call(`window-${i}`, 'sc:auth:logOn', {
          username: i % 2 ? 'Ghost' : 'GHOST ',
          password: `wrong-guess-${i}-xxxxxx`,
        }),
      ),
    );
    expect(steps(results)).not.toContain('signedIn');
    expect(passwordAudit(f)).toEqual({
      checked: CHECKED_BEFORE_DELAY,
      denied: GUESSES + 1 - CHECKED_BEFORE_DELAY,
    });
  });
});
