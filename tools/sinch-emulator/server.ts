/**
 * A local Sinch Verification API v1 emulator (shared/sinch-verification-api.md) for tests, the benchmark
 * and the demo. node:http only; binds 127.0.0.1. The API routes check Basic and/or signed auth exactly;
 * the /_emulator/* test hooks need no auth. See README.md for the emulator's own choices.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isLoopbackHost } from '../../main/contract/web-url';
import type { Method } from '../../main/contract/domain';
import { isE164Number } from '../../main/core/users/contacts';
import { applicationSignature, contentMd5, stringToSign } from '../../main/core/verify/signing';
import {
  emailReportSchema,
  emailStartSchema,
  isPlausibleEmailAddress,
} from '../../main/core/verify/email-adapter';

/** Default credentials (README.md). The secret is base64, so it works for both auth methods. */
export const EMULATOR_DEFAULT_KEY = 'sc-emulator-key';
export const EMULATOR_DEFAULT_SECRET = 'c2MtZW11bGF0b3Itc2VjcmV0LWRvLW5vdC11c2U='; // "sc-emulator-secret-do-not-use"

/** A signed request's x-timestamp may be this far from the emulator's clock, either way. */
const TIMESTAMP_TOLERANCE_MS = 10 * 60_000;
const DEFAULT_EXPIRY_SECONDS = 300;
const MAX_BODY_BYTES = 64 * 1024;
const API = '/verification/v1/verifications';

export type EmulatorAuth = 'basic' | 'signed' | 'any';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  key?: string;
  secret?: string;
  /** Which auth methods the API accepts. Default 'any'. */
  auth?: EmulatorAuth;
  /** Expiry and x-timestamp checks use this clock. */
  clock?: { now(): number };
  /** One line per message sent: `SMS to +46700000000 code 123456 [sv-SE] "Din verifieringskod är 123456."` */
  log?: (line: string) => void;
}

export interface OutboxEntry {
  id: string;
  method: Method;
  to: string;
  code: string;
  /** ISO-8601, from the emulator's clock. */
  sentAt: string;
  /** The Accept-Language of the start (default en-US). */
  locale: string;
  /** The message as the person receives it, in the language asked for (English when it has none). */
  text: string;
  /** E-mail only: the sender asked for in `emailOptions`, when the start named one. */
  from?: string;
  fromName?: string;
}

/** The SMS templates the emulator speaks, by language subtag (Sinch picks the template from Accept-Language). */
const SMS_TEMPLATES: Readonly<Record<string, string>> = {
  en: 'Your verification code is {{CODE}}.',
  fi: 'Vahvistuskoodisi on {{CODE}}.',
  sv: 'Din verifieringskod är {{CODE}}.',
  de: 'Ihr Bestätigungscode lautet {{CODE}}.',
};

/** The template for an Accept-Language ("sv-SE", "fi;q=0.9"): its first language, else English. */
function smsTemplate(acceptLanguage: string): string {
  const language = acceptLanguage.split(',')[0]?.split(/[-_;]/)[0]?.trim().toLowerCase() ?? '';
  return SMS_TEMPLATES[language] ?? SMS_TEMPLATES.en!;
}

export interface EmulatorFault {
  /** HTTP status to answer with (error body `{errorCode, message, reference}`). */
  status?: number;
  /** Default: status × 100 (503 → 50300). */
  errorCode?: number;
  /** Wait this long before answering (a delay alone then answers normally). */
  delayMs?: number;
  /** How many of the next API requests get this fault. Default 1. */
  count?: number;
  /** Answer 200 (or `status`) with a body that is not JSON. */
  malformed?: boolean;
}

interface EmulatorStats {
  starts: number;
  reports: number;
  statuses: number;
}

export interface SinchEmulator {
  /** `http://127.0.0.1:PORT`, the value for the "Endpoint URL" setting. */
  url: string;
  port: number;
  key: string;
  secret: string;
  /** Messages sent, oldest first. */
  outbox(): OutboxEntry[];
  /** The code of the newest message to this number or address. */
  lastCodeFor(to: string): string | undefined;
  clearOutbox(): void;
  /** Queue a fault; faults apply to API requests in the order queued. */
  injectFaults(fault: EmulatorFault): void;
  clearFaults(): void;
  /** API requests received per operation, counted before faults and auth. */
  stats(): EmulatorStats;
  resetStats(): void;
  close(): Promise<void>;
}

type Status = 'PENDING' | 'SUCCESSFUL' | 'FAIL' | 'DENIED' | 'ABORTED' | 'ERROR';

interface Verification {
  id: string;
  method: Method;
  identity: { type: 'number' | 'email'; endpoint: string };
  reference?: string;
  code: string;
  expiresAt: number;
  status: Status;
  reason?: string;
}

interface ApiError {
  status: number;
  errorCode: number;
  message: string;
}

const faultSchema = z.object({
  status: z.number().int().min(200).max(599).optional(),
  errorCode: z.number().int().optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  count: z.number().int().min(1).optional(),
  malformed: z.boolean().optional(),
});

const smsStartSchema = z.object({
  identity: z.object({ type: z.literal('number'), endpoint: z.string() }),
  method: z.literal('sms'),
  smsOptions: z
    .object({
      expiry: z.string().optional(),
      codeType: z.enum(['Numeric', 'Alpha', 'Alphanumeric']).optional(),
    })
    .optional(),
});

const commonStartSchema = z.object({
  method: z.string(),
  reference: z.string().min(1).max(256).optional(),
  custom: z.string().max(4096).optional(),
});

const smsReportSchema = z.object({ method: z.literal('sms'), sms: z.object({ code: z.string() }) });

function apiError(status: number, errorCode: number, message: string): ApiError {
  return { status, errorCode, message };
}

function parseExpiry(value: string | undefined): number | null {
  if (value === undefined) return DEFAULT_EXPIRY_SECONDS;
  const match = /^(\d{2}):([0-5]\d):([0-5]\d)$/.exec(value);
  if (!match) return null;
  const seconds = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
  return seconds > 0 ? seconds : null;
}

function generateCode(codeType: 'Numeric' | 'Alpha' | 'Alphanumeric'): string {
  if (codeType === 'Numeric') return String(randomInt(0, 1_000_000)).padStart(6, '0');
  const alphabet =
    codeType === 'Alpha' ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let code = '';
  for (let i = 0; i < 6; i++) code += alphabet[randomInt(0, alphabet.length)];
  return code;
}

/** Constant-time string comparison (hashing first makes the lengths equal). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * True only when the Host header names this machine. A web page can make a DNS name resolve to 127.0.0.1
 * (DNS rebinding); its requests still carry that name as Host, so they are refused here.
 */
function isLoopbackHostHeader(value: string | undefined): boolean {
  if (value === undefined) return false;
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(value.trim().toLowerCase());
  return match !== null && isLoopbackHost(match[1] ?? '');
}

export async function startSinchEmulator(options: EmulatorOptions = {}): Promise<SinchEmulator> {
  const host = options.host ?? '127.0.0.1';
  const key = options.key ?? EMULATOR_DEFAULT_KEY;
  const secret = options.secret ?? EMULATOR_DEFAULT_SECRET;
  const authMode: EmulatorAuth = options.auth ?? 'any';
  const clock = options.clock ?? { now: () => Date.now() };
  const log = options.log;

  const byId = new Map<string, Verification>();
  const byReference = new Map<string, Verification>();
  /** Newest verification per identity ("number:+46…" / "email:a@b"). */
  const latestByIdentity = new Map<string, Verification>();
  let outbox: OutboxEntry[] = [];
  let faults: Array<EmulatorFault & { remaining: number }> = [];
  let counts: EmulatorStats = { starts: 0, reports: 0, statuses: 0 };
  let closed = false;
  const sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let baseUrl = '';

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          sleepers.delete(sleeper);
          resolve();
        }, ms),
        resolve,
      };
      sleepers.add(sleeper);
    });

  function injectFaults(fault: EmulatorFault): void {
    faults.push({ ...fault, remaining: fault.count ?? 1 });
  }

  function takeFault(): EmulatorFault | undefined {
    const head = faults[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) faults.shift();
    return head;
  }

  /** Expiry is evaluated lazily, on every read. */
  function current(v: Verification): Verification {
    if (v.status === 'PENDING' && clock.now() >= v.expiresAt) {
      v.status = 'FAIL';
      v.reason = 'Expired';
    }
    return v;
  }

  function checkAuth(req: http.IncomingMessage, body: Buffer): ApiError | null {
    const authorization = header(req, 'authorization');
    if (!authorization) return apiError(401, 40100, 'Missing Authorization header.');
    const space = authorization.indexOf(' ');
    const scheme = space > 0 ? authorization.slice(0, space) : '';
    const value = space > 0 ? authorization.slice(space + 1).trim() : '';

    if (scheme === 'Basic' && authMode !== 'signed') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return apiError(401, 40100, 'Malformed Basic Authorization header.');
      const ok = sameSecret(decoded.slice(0, colon), key) && sameSecret(decoded.slice(colon + 1), secret);
      return ok ? null : apiError(401, 40107, 'Invalid authorization.');
    }

    if (scheme === 'Application' && authMode !== 'basic') {
      const colon = value.lastIndexOf(':');
      if (colon <= 0) return apiError(401, 40100, 'Malformed Application Authorization header.');
      const timestamp = header(req, 'x-timestamp');
      if (!timestamp) return apiError(401, 40101, 'X-Timestamp header is required.');
      const at = Date.parse(timestamp);
      // A stale or future timestamp is reported as a timestamp problem (40101), not as a bad signature.
      if (Number.isNaN(at) || Math.abs(clock.now() - at) > TIMESTAMP_TOLERANCE_MS) {
        return apiError(401, 40101, 'X-Timestamp is invalid or too far from the server time.');
      }
      if (!sameSecret(value.slice(0, colon), key)) return apiError(401, 40107, 'Invalid authorization.');
      const expected = applicationSignature(
        secret,
        stringToSign({
          method: req.method ?? '',
          contentMd5: contentMd5(body),
          contentType: header(req, 'content-type') ?? '',
          timestamp,
          path: req.url ?? '',
        }),
      );
      return sameSecret(value.slice(colon + 1), expected) ? null : apiError(401, 40102, 'Invalid signature.');
    }

    return apiError(
      401,
      40100,
      `Unsupported authorization scheme; this emulator accepts ${authMode === 'any' ? 'Basic or Application' : authMode === 'basic' ? 'Basic' : 'Application'}.`,
    );
  }

  function links(id: string): Array<{ rel: string; href: string; method: string }> {
    const href = `${baseUrl}${API}/id/${encodeURIComponent(id)}`;
    return [
      { rel: 'status', href, method: 'GET' },
      { rel: 'report', href, method: 'PUT' },
    ];
  }

  function statusBody(v: Verification): Record<string, unknown> {
    return {
      id: v.id,
      method: v.method,
      status: v.status,
      ...(v.reason !== undefined ? { reason: v.reason } : {}),
      ...(v.reference !== undefined ? { reference: v.reference } : {}),
      identity: v.identity,
    };
  }

  function start(json: unknown, locale: string): [number, unknown] | ApiError {
    const common = commonStartSchema.safeParse(json);
    if (!common.success) return apiError(400, 40001, 'Invalid start request.');
    const { method, reference } = common.data;
    let identity: Verification['identity'];
    let expirySeconds = DEFAULT_EXPIRY_SECONDS;
    let codeType: 'Numeric' | 'Alpha' | 'Alphanumeric' = 'Numeric';
    let sender: Pick<OutboxEntry, 'from' | 'fromName'> = {};
    if (method === 'sms') {
      const sms = smsStartSchema.safeParse(json);
      if (!sms.success) return apiError(400, 40001, 'Invalid SMS start request.');
      if (!isE164Number(sms.data.identity.endpoint))
        return apiError(400, 40001, 'identity.endpoint is not a valid E.164 number.');
      const expiry = parseExpiry(sms.data.smsOptions?.expiry);
      if (expiry === null) return apiError(400, 40001, 'smsOptions.expiry must be HH:MM:SS.');
      expirySeconds = expiry;
      codeType = sms.data.smsOptions?.codeType ?? 'Numeric';
      identity = { type: 'number', endpoint: sms.data.identity.endpoint };
    } else if (method === 'email') {
      const email = emailStartSchema.safeParse(json);
      if (!email.success) return apiError(400, 40001, 'Invalid e-mail start request.');
      if (!isPlausibleEmailAddress(email.data.identity.endpoint)) {
        return apiError(400, 40001, 'identity.endpoint is not a valid e-mail address.');
      }
      const from = email.data.emailOptions?.from;
      if (from !== undefined && !isPlausibleEmailAddress(from)) {
        return apiError(400, 40001, 'emailOptions.from is not a valid e-mail address.');
      }
      identity = { type: 'email', endpoint: email.data.identity.endpoint };
      const fromName = email.data.emailOptions?.fromName;
      sender = { ...(from !== undefined ? { from } : {}), ...(fromName !== undefined ? { fromName } : {}) };
    } else {
      return apiError(400, 40001, `Method "${method.slice(0, 32)}" is not supported by this emulator.`);
    }
    if (reference !== undefined && byReference.has(reference)) {
      return apiError(409, 40900, 'Reference already defined.');
    }

    // A newer verification for the same identity replaces the older one.
    const identityKey = `${identity.type}:${identity.endpoint}`;
    const previous = latestByIdentity.get(identityKey);
    if (previous && current(previous).status === 'PENDING') previous.status = 'ABORTED';

    const now = clock.now();
    const v: Verification = {
      id: randomUUID(),
      method,
      identity,
      ...(reference !== undefined ? { reference } : {}),
      code: generateCode(codeType),
      expiresAt: now + expirySeconds * 1000,
      status: 'PENDING',
    };
    byId.set(v.id, v);
    if (reference !== undefined) byReference.set(reference, v);
    latestByIdentity.set(identityKey, v);
    outbox.push({
      id: v.id,
      method,
      to: identity.endpoint,
      code: v.code,
      sentAt: new Date(now).toISOString(),
      locale,
      text: smsTemplate(locale).replace('{{CODE}}', v.code),
      ...sender,
    });
    log?.(
      `${method === 'sms' ? 'SMS' : 'EMAIL'} to ${identity.endpoint} code ${v.code} [${locale}] "${smsTemplate(locale).replace('{{CODE}}', v.code)}"`,
    );

    const response =
      method === 'sms'
        ? {
            id: v.id,
            method,
            sms: {
              template: smsTemplate(locale),
              interceptionTimeout: Math.max(0, expirySeconds - 2),
              codeType,
            },
            _links: links(v.id),
          }
        : { id: v.id, method, _links: links(v.id) };
    return [200, response];
  }

  function report(v: Verification | undefined, json: unknown): [number, unknown] | ApiError {
    if (!v) return apiError(404, 40400, 'Verification not found.');
    const parsed = v.method === 'sms' ? smsReportSchema.safeParse(json) : emailReportSchema.safeParse(json);
    if (!parsed.success)
      return apiError(400, 40001, `Invalid report request for a ${v.method} verification.`);
    const code = 'sms' in parsed.data ? parsed.data.sms.code : parsed.data.email.code;
    current(v);
    // One-shot: only a PENDING verification is decided; later reports get its final state unchanged.
    if (v.status === 'PENDING') {
      if (sameSecret(code, v.code)) {
        v.status = 'SUCCESSFUL';
      } else {
        v.status = 'FAIL';
        v.reason = 'Invalid code';
      }
    }
    const body = {
      id: v.id,
      method: v.method,
      status: v.status,
      ...(v.reason !== undefined ? { reason: v.reason } : {}),
      ...(v.reference !== undefined ? { reference: v.reference } : {}),
    };
    return [200, body];
  }

  function found(v: Verification | undefined): [number, unknown] | ApiError {
    return v ? [200, statusBody(current(v))] : apiError(404, 40400, 'Verification not found.');
  }

  type Route = {
    kind: keyof EmulatorStats;
    handle: (json: unknown, req: http.IncomingMessage) => [number, unknown] | ApiError;
  };

  function route(method: string, path: string): Route | ApiError | null {
    const segments = path.split('/').slice(1);
    let parts: string[];
    try {
      parts = segments.map((s) => decodeURIComponent(s));
    } catch {
      return apiError(400, 40001, 'Malformed path.');
    }
    if (path === API && method === 'POST') {
      return {
        kind: 'starts',
        handle: (json, req) => start(json, header(req, 'accept-language') ?? 'en-US'),
      };
    }
    if (!path.startsWith(`${API}/`)) return null;
    const rest = parts.slice(3); // after verification/v1/verifications
    if (rest.length === 2 && rest[0] === 'id' && rest[1]) {
      const id = rest[1];
      if (method === 'PUT') return { kind: 'reports', handle: (json) => report(byId.get(id), json) };
      if (method === 'GET') return { kind: 'statuses', handle: () => found(byId.get(id)) };
    }
    if (rest.length === 2 && rest[0] === 'number' && rest[1] && method === 'PUT') {
      const number = rest[1];
      return { kind: 'reports', handle: (json) => report(latestByIdentity.get(`number:${number}`), json) };
    }
    if (rest.length === 2 && rest[0] === 'reference' && rest[1] && method === 'GET') {
      const reference = rest[1];
      return { kind: 'statuses', handle: () => found(byReference.get(reference)) };
    }
    if (rest.length === 3 && rest[1] === 'number' && rest[0] && rest[2] && method === 'GET') {
      const [verificationMethod, , number] = rest;
      return {
        kind: 'statuses',
        handle: () => {
          const v = latestByIdentity.get(`number:${number}`);
          return found(v && v.method === verificationMethod ? v : undefined);
        },
      };
    }
    return null;
  }

  function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.destroyed || res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  function sendError(res: http.ServerResponse, error: ApiError): void {
    sendJson(res, error.status, {
      errorCode: error.errorCode,
      message: error.message,
      reference: randomBytes(8).toString('hex'),
    });
  }

  async function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MAX_BODY_BYTES) return null;
      chunks.push(buffer);
    }
    return Buffer.concat(chunks);
  }

  function parseJson(body: Buffer): unknown {
    if (body.length === 0) return undefined;
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      return undefined;
    }
  }

  async function handleHook(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    body: Buffer,
  ): Promise<void> {
    if (path === '/_emulator/outbox' && req.method === 'GET') return sendJson(res, 200, outbox);
    if (path === '/_emulator/outbox' && req.method === 'DELETE') {
      outbox = [];
      res.writeHead(204).end();
      return;
    }
    if (path === '/_emulator/faults' && req.method === 'POST') {
      const parsed = faultSchema.safeParse(parseJson(body));
      if (!parsed.success) return sendError(res, apiError(400, 40001, 'Invalid fault.'));
      injectFaults(parsed.data);
      res.writeHead(204).end();
      return;
    }
    if (path === '/_emulator/faults' && req.method === 'DELETE') {
      faults = [];
      res.writeHead(204).end();
      return;
    }
    sendError(res, apiError(404, 40400, 'No such emulator hook.'));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!isLoopbackHostHeader(header(req, 'host'))) {
      return sendError(res, apiError(403, 40300, 'Only requests addressed to a loopback host are answered.'));
    }
    const body = await readBody(req);
    if (body === null) return sendError(res, apiError(400, 40001, 'Request body too large.'));
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    if (path.startsWith('/_emulator/')) return handleHook(req, res, path, body);

    const matched = route(req.method ?? 'GET', path);
    if (matched === null) return sendError(res, apiError(404, 40400, 'Not found.'));
    if ('errorCode' in matched) return sendError(res, matched);
    counts[matched.kind] += 1;

    // Faults stand for provider trouble, so they come before auth.
    const fault = takeFault();
    if (fault?.delayMs) {
      await sleep(fault.delayMs);
      if (closed) return;
    }
    if (fault?.malformed) {
      if (!res.destroyed) {
        res.writeHead(fault.status ?? 200, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end('{"id": "broken", "status":');
      }
      return;
    }
    if (fault?.status !== undefined) {
      return sendError(res, apiError(fault.status, fault.errorCode ?? fault.status * 100, 'Injected fault.'));
    }

    const denied = checkAuth(req, body);
    if (denied) return sendError(res, denied);

    const json = parseJson(body);
    if (req.method !== 'GET' && json === undefined)
      return sendError(res, apiError(400, 40001, 'Body is not valid JSON.'));
    const result = matched.handle(json, req);
    if (Array.isArray(result)) sendJson(res, result[0], result[1]);
    else sendError(res, result);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) sendError(res, apiError(500, 50000, 'Internal error.'));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host}:${port}`;

  return {
    url: baseUrl,
    port,
    key,
    secret,
    outbox: () => outbox.map((entry) => ({ ...entry })),
    lastCodeFor: (to) => outbox.findLast((entry) => entry.to === to)?.code,
    clearOutbox: () => {
      outbox = [];
    },
    injectFaults,
    clearFaults: () => {
      faults = [];
    },
    stats: () => ({ ...counts }),
    resetStats: () => {
      counts = { starts: 0, reports: 0, statuses: 0 };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const sleeper of sleepers) {
        clearTimeout(sleeper.timer);
        sleeper.resolve();
      }
      sleepers.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
    },
  };
}
