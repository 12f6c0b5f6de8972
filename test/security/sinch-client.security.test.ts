/**
 * The Sinch client against a malicious or impersonated endpoint: a redirect must not carry the credentials
 * anywhere, an https endpoint whose certificate this machine does not trust gets no request, a still-PENDING
 * verification after a report is no success, the signature covers the endpoint's own path prefix, and the
 * policy rows are never written without their audit entry.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../main/core/audit/audit-log';
import { ManualClock } from '../../main/core/clock';
import { createSinchVerifier, type SinchVerifierOptions } from '../../main/core/verify/sinch-client';
import type { SinchSettings } from '../../main/contract/domain';
import { signRequest } from '../../main/core/verify/signing';
import { testCore } from '../support/core';
import { startThrowawayTlsServer } from '../support/throwaway-tls';

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

function verifierAt(
  endpoint: string,
  authMethod: SinchSettings['authMethod'],
  clock = new ManualClock(),
  options: Partial<SinchVerifierOptions> = {},
) {
  return createSinchVerifier({
    settings: () => ({ endpoint, authMethod, emailSenderAddress: '', emailSenderName: '' }),
    credentials: async () => ({ authId: KEY, secret: SECRET }),
    clock,
    retries: 0,
    retryDelaysMs: [0],
    ...options,
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

describe('sinch client: what leaves for the endpoint', () => {
  it('an id or reference stays inside its own path segment (only "+" is kept, as E.164 needs)', async () => {
    const fake = await server((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"v1","status":"PENDING"}'),
    );
    const verifier = verifierAt(fake.url, 'signed');
    await verifier.status('../../x?y=1#z');
    await verifier.statusByReference('+46700000000/../id/other');
    await verifier.report('a/b c', 'sms', '123456');
    expect(fake.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /verification/v1/verifications/id/..%2F..%2Fx%3Fy%3D1%23z',
      'GET /verification/v1/verifications/reference/+46700000000%2F..%2Fid%2Fother',
      'PUT /verification/v1/verifications/id/a%2Fb%20c',
    ]);
  });

  it('a locale that is not a language tag never reaches a header: the SMS goes out in en-US', async () => {
    const fake = await server((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"v1"}'),
    );
    await verifierAt(fake.url, 'basic').start({ ...SMS, locale: 'sv-SE\r\nX-Injected: 1' });
    expect(fake.seen[0]?.headers['accept-language']).toBe('en-US');
    expect(fake.seen[0]?.headers['x-injected']).toBeUndefined();
  });

  it.each([
    [
      'signed requests with a secret that is not base64',
      'signed',
      KEY,
      'not base64!',
      'verification-bad-credentials',
    ],
    ['an empty key (basic)', 'basic', '', SECRET, 'secret-missing'],
    ['an empty key (signed)', 'signed', '', SECRET, 'secret-missing'],
    ['an empty secret', 'basic', KEY, '', 'secret-missing'],
  ] as const)(
    '%s: nothing is sent, and the caller is told why',
    async (_name, authMethod, authId, secret, code) => {
      const fake = await server((_req, res) =>
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"v1"}'),
      );
      const verifier = createSinchVerifier({
        settings: () => ({ endpoint: fake.url, authMethod, emailSenderAddress: '', emailSenderName: '' }),
        credentials: async () => ({ authId, secret }),
        retries: 0,
      });
      await expect(verifier.start(SMS)).rejects.toMatchObject({
        code,
        message: expect.stringMatching(/administrator/),
      });
      if (code === 'verification-bad-credentials') {
        await expect(verifier.status('v1')).rejects.toMatchObject({
          message: expect.stringMatching(/base64/),
          details: { operation: 'status', httpStatus: null, providerErrorCode: null },
        });
      }
      expect(fake.seen).toEqual([]);
    },
  );

  it('a failing secret store is reported without its own words, which may hold the secret', async () => {
    const verifier = createSinchVerifier({
      settings: () => ({
        endpoint: 'https://verification.api.sinch.com',
        authMethod: 'basic',
        emailSenderAddress: '',
        emailSenderName: '',
      }),
      credentials: () => Promise.reject(new Error(`keychain said ${SECRET}`)),
    });
    await expect(verifier.status('v1')).rejects.toMatchObject({
      code: 'internal',
      message: 'The Sinch key and secret could not be read.',
    });
  });

  it('the loopback emulator is reached directly, never through a proxy from the environment', async () => {
    const proxy = await server((_req, res) => res.writeHead(502).end());
    const fake = await server((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"v1","status":"PENDING"}'),
    );
    const names = ['HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const;
    const saved = names.map((name) => [name, process.env[name]] as const);
    process.env.HTTP_PROXY = proxy.url;
    process.env.http_proxy = proxy.url;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    try {
      expect((await verifierAt(fake.url, 'basic').status('v1')).status).toBe('PENDING');
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    expect(proxy.seen).toEqual([]);
    expect(fake.seen).toHaveLength(1);
  });

  it.each([
    ['a code with words in it', { code: `ECONNREFUSED ${SECRET}` }, 'network'],
    ['a lower-case code', { code: 'econnrefused' }, 'network'],
    ['a code longer than 40 characters', { code: 'E'.repeat(41) }, 'network'],
    ['no code at all', {}, 'network'],
    ['a code that is not text', { code: 1234 }, 'network'],
    [
      'a code of 40 capitals, digits and underscores',
      { code: `ERR_${'X9'.repeat(18)}` },
      `ERR_${'X9'.repeat(18)}`,
    ],
  ])(
    'a transport failure with %s is logged and reported as %j, nothing more of what it said',
    async (_name, props, cause) => {
      const lines: string[] = [];
      const verifier = verifierAt('https://verification.api.sinch.com', 'basic', new ManualClock(), {
        log: (event, fields) => lines.push(`${event} ${JSON.stringify(fields)}`),
        fetch: async () => {
          throw Object.assign(new Error(`refused, secret ${SECRET}`), props);
        },
      });
      await expect(verifier.status('v1')).rejects.toMatchObject({
        code: 'verification-unavailable',
        details: { cause },
      });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`"cause":"${cause}"`);
      expect(lines.join('\n')).not.toContain(SECRET);
    },
  );

  it('an https endpoint whose certificate this machine does not trust gets no request, and no secret', async () => {
    const endpoint = await startThrowawayTlsServer(200, '{"id":"v-1","status":"PENDING"}');
    try {
      const verifier = verifierAt(endpoint.origin, 'basic');
      const error = await verifier.status('v-1').catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        code: 'verification-unavailable',
        details: { cause: 'DEPTH_ZERO_SELF_SIGNED_CERT', httpStatus: null },
      });
      expect(endpoint.requests).toBe(0);
      // The same endpoint, once this machine trusts its certificate, is reached: the refusal was the trust.
      expect((await endpoint.trusted(() => verifier.status('v-1'))).status).toBe('PENDING');
      expect(endpoint.requests).toBe(1);
    } finally {
      await endpoint.close();
    }
  });

  it('an answer larger than 1 MB is not read to its end: the service counts as unavailable', async () => {
    const huge = `{"id":"v1","status":"PENDING","reason":"${'x'.repeat(1_100_000)}"}`;
    const fake = await server((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(huge),
    );
    await expect(verifierAt(fake.url, 'basic').status('v1')).rejects.toMatchObject({
      code: 'verification-unavailable',
      details: { httpStatus: null, cause: 'ERR_BAD_RESPONSE' },
    });
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
