/**
 * Sinch request authentication: HTTP Basic and the "Application signed request" scheme
 * (shared/sinch-verification-api.md). Pure functions over node:crypto; the client signs with them and the
 * emulator verifies with them, and the published test vectors pin them down.
 */
import { createHash, createHmac } from 'node:crypto';

/** A request body exactly as it goes on the wire (a string is taken as its UTF-8 bytes). */
export type BodyBytes = Uint8Array | string;

export interface StringToSignParts {
  /** HTTP verb; upper-cased here. */
  method: string;
  /** base64(md5(body)), or '' when there is no body. */
  contentMd5: string;
  /** The Content-Type header exactly as sent, or '' when none is sent. */
  contentType: string;
  /** The x-timestamp header value. */
  timestamp: string;
  /** Path (and query, if any) with its leading `/`, no host. */
  path: string;
}

export interface SignRequestInput {
  key: string;
  /** The application secret, base64 as Sinch issues it. */
  secret: string;
  method: string;
  path: string;
  contentType?: string;
  timestamp: string;
  body?: BodyBytes;
}

export interface SignedRequest {
  /** The full Authorization header value: `Application {key}:{signature}`. */
  authorization: string;
  /** The value to send as x-timestamp (the one that was signed). */
  timestamp: string;
  contentMd5: string;
  signature: string;
}

export function contentMd5(body?: BodyBytes): string {
  // An absent and an empty body both sign as the empty string (vector 2).
  if (body === undefined || body.length === 0) return '';
  return createHash('md5').update(body).digest('base64');
}

export function stringToSign(parts: StringToSignParts): string {
  return [
    parts.method.toUpperCase(),
    parts.contentMd5,
    parts.contentType,
    `x-timestamp:${parts.timestamp}`,
    parts.path,
  ].join('\n');
}

/** base64(HMAC-SHA256(key = base64decode(secret), stringToSign)). */
export function applicationSignature(secret: string, toSign: string): string {
  return createHmac('sha256', Buffer.from(secret, 'base64')).update(toSign, 'utf8').digest('base64');
}

export function signRequest(input: SignRequestInput): SignedRequest {
  const md5 = contentMd5(input.body);
  const signature = applicationSignature(
    input.secret,
    stringToSign({
      method: input.method,
      contentMd5: md5,
      contentType: input.contentType ?? '',
      timestamp: input.timestamp,
      path: input.path,
    }),
  );
  return {
    authorization: `Application ${input.key}:${signature}`,
    timestamp: input.timestamp,
    contentMd5: md5,
    signature,
  };
}

/** `Basic base64(key:secret)`; the secret is used as typed, not decoded. */
export function basicAuthorization(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`, 'utf8').toString('base64')}`;
}

/** Signed requests need a secret that is canonical base64 (Node would silently decode garbage). */
export function isBase64Secret(secret: string): boolean {
  return secret.length > 0 && secret.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(secret);
}

/** ISO-8601 UTC with milliseconds, the x-timestamp format. */
export function signingTimestamp(nowMs: number): string {
  return new Date(nowMs).toISOString();
}
