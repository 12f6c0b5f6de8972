/**
 * The Sinch client against a malicious or impersonated endpoint: a redirect must not carry the credentials
 * anywhere, a still-PENDING verification after a report is no success, the signature covers the endpoint's
 * own path prefix, and the policy rows are never written without their audit entry.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../main/core/audit/audit-log';
import { ManualClock } from '../../main/core/clock';
import { createSinchVerifier } from '../../main/core/verify/sinch-client';
import type { SinchSettings } from '../../main/contract/domain';
import { signRequest } from '../../main/core/verify/signing';
import { testCore } from '../support/core';

const KEY = 'redirect-test-key';
const SECRET = Buffer.from('redirect-test-secret-FROTZ-77').toString('base64');

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        }),
    ),
  );
});

/** A loopback server that records every request and answers with `answer`. */
async function server(answer: (req: Seen, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      seen.push(entry);
      answer(entry, res);
    });
  });
  servers.push(srv);
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, seen };
}

function verifierAt(endpoint: string, authMethod: SinchSettings['authMethod'], clock = new ManualClock()) {
  return createSinchVerifier({
    settings: () => ({ endpoint, authMethod, emailSenderAddress: '', emailSenderName: '' }),
    credentials: async () => ({ authId: KEY, secret: SECRET }),
    clock,
    retries: 0,
    retryDelaysMs: [0],
  });
}

const SMS = { method: 'sms' as const, to: '+46700000000', validMinutes: 5, reference: 'ref-redirect' };

describe('sinch client: redirects', () => {
  for (const authMethod of ['basic', 'signed'] as const) {
    for (const status of [301, 302, 307, 308]) {
      it(`never follows a ${status} redirect (${authMethod}): the redirect target receives no request and no credential`, async () => {
        const target = await server((_req, res) =>
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"stolen"}'),
        );
        const redirector = await server((req, res) =>
          res.writeHead(status, { Location: `${target.url}${req.url}` }).end(),
        );
        const verifier = verifierAt(redirector.url, authMethod);
        await expect(verifier.start(SMS)).rejects.toMatchObject({ code: 'verification-rejected' });
        await expect(verifier.status('some-id')).rejects.toMatchObject({ code: 'verification-rejected' });
        expect(redirector.seen.length).toBe(2);
        expect(target.seen).toEqual([]);
      });
    }
  }
});

describe('sinch client: report outcomes', () => {
  it('a PENDING status after a report is not success (the code was not accepted)', async () => {
    const fake = await server((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"v1","status":"PENDING"}'),
    );
    const result = await verifierAt(fake.url, 'signed').report('v1', 'sms', '123456');
    expect(result.outcome).not.toBe('successful');
    expect(result.outcome).toBe('wrong-code');
  });

  it('only SUCCESSFUL is success', async () => {
    for (const status of ['FAIL', 'DENIED', 'ABORTED', 'ERROR', 'PENDING']) {
      const fake = await server((_req, res) =>
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: 'v1', status })),
      );
      const result = await verifierAt(fake.url, 'signed').report('v1', 'sms', '123456');
      expect(result.outcome, status).not.toBe('successful');
    }
  });
});

describe('sinch client: signing', () => {
  it('signs the full request path including the endpoint path prefix', async () => {
    const fake = await server((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"v-prefixed"}'),
    );
    const clock = new ManualClock();
    await verifierAt(`${fake.url}/eu/sinch-proxy/`, 'signed', clock).start(SMS);
    const [request] = fake.seen;
    expect(request?.url).toBe('/eu/sinch-proxy/verification/v1/verifications');
    const timestamp = String(request?.headers['x-timestamp']);
    const expected = signRequest({
      key: KEY,
      secret: SECRET,
      method: 'POST',
      path: request!.url,
      contentType: String(request?.headers['content-type']),
      timestamp,
      body: request!.body,
    });
    expect(request?.headers.authorization).toBe(expected.authorization);
  });
});

describe('policy: rows and their audit entry are one transaction', () => {
  it('a policy change whose audit entry cannot be written leaves the policy unchanged', () => {
    const core = testCore();
    const before = core.policy.get();
    const auditBefore = core.audit.count();
    vi.spyOn(AuditLog.prototype, 'append').mockImplementationOnce(() => {
      throw new Error('disk full while auditing');
    });
    expect(() =>
      core.policy.set(
        { twoFactor: { maxAttempts: 7 }, sinch: { endpoint: 'https://eu.verification.api.sinch.com' } },
        'admin',
      ),
    ).toThrow('disk full while auditing');
    vi.restoreAllMocks();
    expect(core.policy.get()).toEqual(before);
    expect(core.audit.count()).toBe(auditBefore);
  });
});
