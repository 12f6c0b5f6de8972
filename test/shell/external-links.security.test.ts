/** shell.openExternal is reached only for an origin main allowed (the SSO issuer), never for anything else. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isScError } from '../../main/core/errors';
import { createExternalOpener, issuerBoundOpener } from '../../main/shell/security';
import { resetFakeElectron, shell } from './support/fake-electron';

vi.mock('electron', () => import('./support/fake-electron'));

beforeEach(() => resetFakeElectron());

describe('openExternal allow-list', () => {
  it('opens nothing until an origin is allowed', async () => {
    const opener = createExternalOpener(() => {});
    expect(await opener.open('https://login.example.com/authorize')).toBe(false);
    expect(shell.opened).toEqual([]);
  });

  it('opens URLs of the allowed origin only: not other hosts, ports, schemes or look-alikes', async () => {
    const lines: string[] = [];
    const opener = createExternalOpener((line) => lines.push(line));
    opener.allowExternalOrigin('https://login.example.com');
    for (const url of [
      'https://login.example.com.evil.example/authorize',
      'https://evil.example/?https://login.example.com',
      'https://login.example.com:8443/authorize',
      'http://login.example.com/authorize',
      'https://user:pw@login.example.com/authorize',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(await opener.open(url), url).toBe(false);
    }
    expect(shell.opened).toEqual([]);
    expect(lines.every((line) => !line.includes('/authorize'))).toBe(true);
    expect(await opener.open('https://login.example.com/authorize?client_id=sc&state=xyz')).toBe(true);
    expect(shell.opened).toEqual(['https://login.example.com/authorize?client_id=sc&state=xyz']);
  });

  it('allows https origins, and http only for loopback (a test identity provider)', () => {
    const opener = createExternalOpener(() => {});
    expect(() => opener.allowExternalOrigin('http://idp.example.com')).toThrow(/https/);
    expect(() => opener.allowExternalOrigin('ftp://idp.example.com')).toThrow();
    opener.allowExternalOrigin('http://127.0.0.1:4010');
    expect(opener.isAllowed('http://127.0.0.1:4010/auth')).toBe(true);
    expect(opener.isAllowed('http://127.0.0.1:4011/auth')).toBe(false);
  });

  it("SSO's opener opens only on the configured issuer's origin, read at each call", async () => {
    let issuer = 'https://login.example.com/realms/sc';
    const open = issuerBoundOpener(
      createExternalOpener(() => {}),
      () => issuer,
    );
    await open('https://login.example.com/realms/sc/protocol/openid-connect/auth?state=1');
    expect(shell.opened).toHaveLength(1);

    const refused = async (url: string) => {
      const error = await open(url).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(isScError(error, 'sso-error'), url).toBe(true);
    };
    await refused('https://evil.example/auth');
    issuer = 'https://idp.example.org';
    await refused('https://login.example.com/realms/sc/protocol/openid-connect/auth?state=2');
    issuer = '';
    await refused('https://idp.example.org/auth');
    expect(shell.opened).toHaveLength(1);
  });
});
