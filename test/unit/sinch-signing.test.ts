import { describe, expect, it } from 'vitest';
import {
  applicationSignature,
  basicAuthorization,
  contentMd5,
  isBase64Secret,
  signRequest,
  signingTimestamp,
  stringToSign,
} from '../../main/core/verify/signing';

// The vectors of shared/sinch-verification-api.md, byte for byte.
const KEY = '669E367E-6BBA-48AB-AF15-266871C28135';
const SECRET = 'BeIukql3pTKJ8RGL5zo0DA==';
const PATH = '/verification/v1/verifications';
const TS = '2014-06-04T13:41:58Z';

describe('Application signed request', () => {
  it('vector 1: SMS start body with spaces', () => {
    const body = '{"identity": {"type": "number", "endpoint": "+46700000000"}, "method": "sms"}';
    expect(contentMd5(body)).toBe('c5jl2EZiU6BpQ2QiBOJ/gQ==');
    const signed = signRequest({
      key: KEY,
      secret: SECRET,
      method: 'POST',
      path: PATH,
      contentType: 'application/json',
      timestamp: TS,
      body: Buffer.from(body, 'utf8'),
    });
    expect(signed.contentMd5).toBe('c5jl2EZiU6BpQ2QiBOJ/gQ==');
    expect(signed.signature).toBe('h6rXrFayOoggyHW4ymnLlfSDkZZPg6j98lHzvOXVjvw=');
    expect(signed.authorization).toBe(`Application ${KEY}:h6rXrFayOoggyHW4ymnLlfSDkZZPg6j98lHzvOXVjvw=`);
    expect(signed.timestamp).toBe(TS);
  });

  it('vector 2: empty body signs an empty Content-MD5', () => {
    for (const body of [undefined, '', new Uint8Array(0)]) {
      const signed = signRequest({
        key: KEY,
        secret: SECRET,
        method: 'post',
        path: PATH,
        contentType: 'application/json',
        timestamp: TS,
        ...(body === undefined ? {} : { body }),
      });
      expect(signed.contentMd5).toBe('');
      expect(signed.signature).toBe('srx3SkKXw/ryFJLfwFFzZTigPxR/1+9Ae+eB3olDIjM=');
    }
  });

  it('vector 3: compact body, charset in Content-Type, millisecond timestamp', () => {
    const body = '{"identity":{"type":"number","endpoint":"+33444555666"},"method":"sms"}';
    const signed = signRequest({
      key: 'my-key-id',
      secret: 'bXkta2V5LXNlY3JldA==',
      method: 'POST',
      path: '/path/pathParamValue',
      contentType: 'application/json; charset=UTF-8',
      timestamp: '2023-11-22T09:10:11.999Z',
      body,
    });
    expect(signed.contentMd5).toBe('RkD29EocJh6t7zr5QfKM4g==');
    expect(signed.authorization).toBe('Application my-key-id:QP3OzQZVzRZAEev6DBLvJkgpiqyZPuXYsc7oyjUV0K8=');
  });

  it('builds the string to sign line by line', () => {
    expect(
      stringToSign({ method: 'get', contentMd5: '', contentType: '', timestamp: TS, path: '/a/b' }),
    ).toBe(`GET\n\n\nx-timestamp:${TS}\n/a/b`);
    expect(applicationSignature(SECRET, 'x')).not.toBe(applicationSignature('AAAA', 'x'));
  });

  it('a request sent without Content-Type signs an empty line in its place', () => {
    const signed = signRequest({ key: KEY, secret: SECRET, method: 'GET', path: PATH, timestamp: TS });
    expect(signed.signature).toBe(applicationSignature(SECRET, `GET\n\n\nx-timestamp:${TS}\n${PATH}`));
  });

  it('formats x-timestamp as ISO-8601 UTC', () => {
    expect(signingTimestamp(Date.UTC(2023, 10, 22, 9, 10, 11, 999))).toBe('2023-11-22T09:10:11.999Z');
  });
});

describe('Basic', () => {
  it('encodes key:secret with the secret as typed', () => {
    expect(basicAuthorization('my-key', 'my secret==')).toBe(
      `Basic ${Buffer.from('my-key:my secret==').toString('base64')}`,
    );
    expect(basicAuthorization('k', 's')).toBe('Basic azpz');
  });
});

describe('isBase64Secret', () => {
  it('accepts canonical base64 only', () => {
    expect(isBase64Secret(SECRET)).toBe(true);
    expect(isBase64Secret('bXkta2V5LXNlY3JldA==')).toBe(true);
    expect(isBase64Secret('')).toBe(false);
    expect(isBase64Secret('not base64!')).toBe(false);
    expect(isBase64Secret('abc')).toBe(false);
    // A stray character anywhere (a pasted line break, a quote) even when the length fits: Node would
    // decode the rest and sign with a key Sinch never issued.
    for (const pasted of [
      'abc!defg',
      '"bXkta2V5LXNlY3JldA=="',
      'bXkta2V5\nLXNlY3JldA==',
      ' bXkta2V5LXNlY3JldA==',
    ])
      expect(isBase64Secret(pasted)).toBe(false);
  });
});
