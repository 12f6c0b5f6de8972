/**
 * The window's language: it follows the OS until someone picks one in the window; main remembers the pick
 * in the data folder across restarts; every view carries it; and the verification SMS is asked for in it
 * (Sinch's Accept-Language).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuthView } from '../../main/contract/ipc';
import { PREFERENCES_FILE } from '../../main/core/preferences/language';
import type { StartVerificationRequest, Verifier } from '../../main/core/verify/verifier';
import { gatewayFixture, signIn, ADMIN_PASSWORD } from '../support/gateway-fixture';
import { tempDir } from '../support/temp-dir';

const WINDOW = 'window-1';

/** A verifier that records each start and accepts no code (the flow stops at the code screen). */
function recordingVerifier(): Verifier & { starts: StartVerificationRequest[] } {
  const starts: StartVerificationRequest[] = [];
  return {
    starts,
    async start(request) {
      starts.push(request);
      return { id: `v-${starts.length}`, method: request.method };
    },
    async report() {
      return { outcome: 'wrong-code', status: 'FAIL' };
    },
    async status(id) {
      return { id, status: 'PENDING' };
    },
  };
}

describe('the window language', () => {
  it('follows the OS: the first preferred language the window speaks', async () => {
    const f = await gatewayFixture({ core: { systemLocales: ['fr-FR', 'sv-FI', 'de-DE'] } });
    expect((await f.ok<AuthView>(WINDOW, 'sc:auth:state')).locale).toBe('sv');
  });

  it('is English when the OS speaks none of the window languages', async () => {
    const f = await gatewayFixture({ core: { systemLocales: ['ja-JP'] } });
    expect((await f.ok<AuthView>(WINDOW, 'sc:auth:state')).locale).toBe('en');
  });

  it('can be changed from the window, and the change is remembered across a restart', async () => {
    const dataDir = tempDir('sc-language-');
    const first = await gatewayFixture({ core: { dataDir, systemLocales: ['fi-FI'] } });
    expect((await first.ok<AuthView>(WINDOW, 'sc:auth:state')).locale).toBe('fi');
    const changed = await first.ok<AuthView>(WINDOW, 'sc:auth:setLanguage', { locale: 'de' });
    expect(changed.locale).toBe('de');
    expect(changed.step).toBe('firstRun');
    first.core.close();

    const restarted = await gatewayFixture({ core: { dataDir, systemLocales: ['fi-FI'] } });
    expect((await restarted.ok<AuthView>(WINDOW, 'sc:auth:state')).locale).toBe('de');
  });

  it('refuses a language the window does not have, and keeps the current one', async () => {
    const f = await gatewayFixture({ core: { systemLocales: ['sv-SE'] } });
    const result = await f.call(WINDOW, 'sc:auth:setLanguage', { locale: 'xx' });
    expect(result.ok).toBe(false);
    expect((await f.ok<AuthView>(WINDOW, 'sc:auth:state')).locale).toBe('sv');
    expect(fs.existsSync(path.join(f.core.dataDir, PREFERENCES_FILE))).toBe(false);
  });

  it('ignores a damaged or foreign preferences file (the OS language applies)', async () => {
    for (const content of ['{not json', '{"language":"klingon"}', 'x'.repeat(10_000)]) {
      const dataDir = tempDir('sc-language-');
      fs.writeFileSync(path.join(dataDir, PREFERENCES_FILE), content);
      const f = await gatewayFixture({ core: { dataDir, systemLocales: ['fi'] } });
      expect((await f.ok<AuthView>(WINDOW, 'sc:auth:state')).locale).toBe('fi');
    }
  });

  it("asks for the verification SMS in the window's language", async () => {
    const verifier = recordingVerifier();
    const f = await gatewayFixture({ verifier, core: { systemLocales: ['en-GB'] } });
    await f.ok(WINDOW, 'sc:auth:firstRun', {
      username: 'admin',
      password: ADMIN_PASSWORD,
      confirmPassword: ADMIN_PASSWORD,
    });
    await signIn(f, WINDOW, 'admin', ADMIN_PASSWORD);
    await f.ok(WINDOW, 'sc:users:update', { username: 'admin', patch: { mobile: '+46701234567' } });
    await f.ok(WINDOW, 'sc:policy:set', { twoFactor: { enabled: true } });
    await f.ok(WINDOW, 'sc:auth:signOut');

    await f.ok(WINDOW, 'sc:auth:setLanguage', { locale: 'sv' });
    const view = await f.ok<AuthView>(WINDOW, 'sc:auth:logOn', {
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    expect(view.step).toBe('awaitingCode');
    expect(view.locale).toBe('sv');
    expect(verifier.starts.map((s) => s.locale)).toEqual(['sv-SE']);

    await f.ok(WINDOW, 'sc:auth:setLanguage', { locale: 'fi' });
    f.clock.advance(31_000);
    await f.ok(WINDOW, 'sc:auth:resendCode');
    expect(verifier.starts.map((s) => s.locale)).toEqual(['sv-SE', 'fi-FI']);
  });
});
