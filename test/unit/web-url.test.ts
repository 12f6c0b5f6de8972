/**
 * The one transport rule (main/contract/web-url.ts) that the Sinch endpoint, the SSO issuer and its
 * endpoints, and the system-browser opener all use: https anywhere, plain http only to this machine.
 */
import { describe, expect, it } from 'vitest';
import {
  isHttpsOrLoopbackBaseUrl,
  isLoopbackHost,
  parseHttpsOrLoopbackUrl,
} from '../../main/contract/web-url';

describe('https, or http only to this machine', () => {
  it.each([
    'https://verification.api.sinch.com',
    'http://127.0.0.1:8089',
    'http://localhost',
    'http://[::1]:9/x',
  ])('accepts %s', (url) => expect(parseHttpsOrLoopbackUrl(url)?.href).toBe(new URL(url).href));

  it.each([
    'http://verification.api.sinch.com',
    'http://127.0.0.1.nip.io',
    'http://localhost.example.com',
    'ftp://127.0.0.1',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'https://user:pass@example.com',
    'https://user@example.com',
    'not a url',
  ])('refuses %s', (url) => expect(parseHttpsOrLoopbackUrl(url)).toBeNull());

  it('a configured base URL carries no query or fragment either', () => {
    expect(isHttpsOrLoopbackBaseUrl('https://idp.example.com/realms/sc')).toBe(true);
    expect(isHttpsOrLoopbackBaseUrl('https://idp.example.com/?x=1')).toBe(false);
    expect(isHttpsOrLoopbackBaseUrl('https://idp.example.com/#x')).toBe(false);
    expect(isHttpsOrLoopbackBaseUrl('http://example.com')).toBe(false);
  });

  it('loopback means the names of this machine only', () => {
    expect(['127.0.0.1', 'localhost', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['127.0.0.2', '0.0.0.0', 'localhost.', '::1', 'example.com'].some(isLoopbackHost)).toBe(false);
  });
});
