/**
 * The Sinch Verification API v1 client (shared/sinch-verification-api.md) behind the `Verifier` interface.
 *
 * Safety rules this file keeps:
 * - Settings and credentials are read on every call, so a changed endpoint or secret applies at once.
 * - Every failure is turned into an ScError built from scratch here. axios errors (which hold the request
 *   config, headers and so the Authorization header) are caught and dropped; only a short error code
 *   such as ECONNREFUSED survives. No message, detail or log line carries the secret, the code or a header.
 * - The body is serialised once and those exact bytes are signed and sent.
 * - Retries: GETs up to `retries` times on "unavailable" failures. A start is retried at most once, with the
 *   same reference, so a start that reached Sinch but whose answer was lost ends in 409/40900 and is
 *   resolved by status-by-reference instead of sending a second message. Reports are never retried
 *   (reporting is one-shot).
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import axios from 'axios';
import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { LogSink } from '../log-line';
import { ScError, isScError, validationError } from '../errors';
import type { ErrorCode } from '../../contract/errors';
import { endpointSchema, firstIssue, type Method, type SinchSettings } from '../../contract/domain';
import { isLoopbackHost } from '../../contract/web-url';
import type { SinchCredentials } from '../secrets/secret-store';
import { buildEmailReportBody, buildEmailStartBody } from './email-adapter';
import { basicAuthorization, isBase64Secret, signRequest, signingTimestamp } from './signing';
import type {
  ReportResult,
  StartVerificationRequest,
  StartedVerification,
  VerificationStatus,
  VerificationStatusValue,
  Verifier,
} from './verifier';

export interface SinchVerifierOptions {
  /** Read at every call (from the policy). */
  settings: () => SinchSettings;
  /**
   * Read at every call (from the secret store) for the endpoint the request is about to go to, which may
   * refuse it; ScErrors it throws pass through unchanged.
   */
  credentials: (endpoint: string) => Promise<SinchCredentials>;
  /** For x-timestamp. */
  clock?: Clock;
  /** Wall-clock limit for one HTTP exchange, connect included. Default 10 s. */
  timeoutMs?: number;
  /** Limit for establishing the connection (TCP and TLS). Default min(5 s, timeoutMs). */
  connectTimeoutMs?: number;
  /** Retries of GETs on "unavailable" failures (a start gets at most one). Default 2; 0 turns all off. */
  retries?: number;
  /** Back-off before retry n (the last value repeats). Default [100, 300]; [0] for tests. */
  retryDelaysMs?: readonly number[];
  /** Optional diagnostics: one structured line per HTTP exchange (operation, status, errorCode, duration). */
  log?: LogSink;
  /**
   * A fetch to send through instead of Node's http/https (the app passes Electron's net.fetch). The
   * connect time-out is then the transport's own; the wall-clock time-out still covers the exchange.
   */
  fetch?: typeof fetch;
}

export interface SinchVerifier extends Verifier {
  statusByReference(reference: string): Promise<VerificationStatus>;
}

type Operation = 'start' | 'report' | 'status';
type Verb = 'GET' | 'POST' | 'PUT';

const API_PATH = '/verification/v1/verifications';

const STATUS_VALUES = [
  'PENDING',
  'SUCCESSFUL',
  'FAIL',
  'DENIED',
  'ABORTED',
  'ERROR',
] as const satisfies readonly VerificationStatusValue[];

const startResponseSchema = z.object({ id: z.string().min(1), method: z.string().optional() });
const reportResponseSchema = z.object({
  id: z.string().optional(),
  status: z.enum(STATUS_VALUES),
  reason: z.string().optional(),
});
const statusResponseSchema = z.object({
  id: z.string().min(1),
  status: z.enum(STATUS_VALUES),
  reason: z.string().optional(),
  reference: z.string().optional(),
});
// errorCode is documented as a string but sent as a number.
const errorBodySchema = z.object({ errorCode: z.union([z.number(), z.string().regex(/^\d+$/)]) });

/** The provider's failures: the vocabulary's `verification-*` codes. */
type ProviderErrorCode = Extract<ErrorCode, `verification-${string}`>;

const MESSAGES: Record<ProviderErrorCode, string> = {
  'verification-unavailable': 'The verification service is unavailable. Try again in a moment.',
  'verification-bad-credentials':
    'The verification service did not accept the configured Sinch key and secret. Ask your administrator to check them.',
  'verification-invalid-destination':
    'The verification service cannot send a code to this phone number or e-mail address. Ask your administrator to check your contact details.',
  'verification-rate-limited': 'Too many verification requests right now. Wait a minute and try again.',
  'verification-no-credit':
    'The verification service account has run out of credit. Ask your administrator to top it up.',
  'verification-malformed-response':
    'The verification service sent an answer that could not be read. Try again in a moment.',
  'verification-rejected':
    'The verification service refused the request. Try again, or ask your administrator if it keeps happening.',
};

const TIMEOUT_MESSAGE = 'The verification service did not answer in time. Try again in a moment.';

/** Percent-encodes one path segment but keeps `+` literal, as Sinch expects for E.164 numbers. */
function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%2B/gi, '+');
}

export interface SinchEndpoint {
  origin: string;
  /** The endpoint's own path prefix without a trailing slash ('' for a bare host). */
  basePath: string;
  loopback: boolean;
}

/** The endpoint by the policy's own rule (https; plain http only to this machine). Throws ScError `validation`. */
export function parseSinchEndpoint(endpoint: string): SinchEndpoint {
  const checked = endpointSchema.safeParse(endpoint);
  if (!checked.success) throw validationError('endpoint', firstIssue(checked.error).message);
  const url = new URL(checked.data);
  return {
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    loopback: isLoopbackHost(url.hostname),
  };
}

/** Minutes → Sinch's HH:MM:SS. */
export function formatExpiry(minutes: number): string {
  const total = Math.round(minutes * 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

const LOCALE_PATTERN = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

interface Exchange {
  httpStatus: number;
  /** The parsed JSON body, or `undefined` when the body was not JSON. */
  json: unknown;
}

class ConnectTimeoutError extends Error {
  readonly code = 'SC_CONNECT_TIMEOUT';
}

/** Agents whose sockets are destroyed if connecting (TCP, and TLS for https) takes longer than `ms`. */
function withConnectTimeout<A extends http.Agent>(agent: A, ms: number, secure: boolean): A {
  const create = agent.createConnection.bind(agent) as (
    options: http.ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ) => Duplex | null | undefined;
  agent.createConnection = (
    options: http.ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ) => {
    const socket = create(options, callback);
    if (socket) {
      const timer = setTimeout(() => socket.destroy(new ConnectTimeoutError('connect timeout')), ms);
      timer.unref();
      const done = (): void => clearTimeout(timer);
      socket.once(secure ? 'secureConnect' : 'connect', done);
      socket.once('close', done);
    }
    return socket;
  };
  return agent;
}

/**
 * The short, secret-free error code of a network failure, if any. (Node's AggregateError, from a dual-stack
 * connect, carries its parts' code itself; axios copies an error's code onto its own and keeps the error as
 * the cause.)
 */
function networkErrorCode(error: unknown): string | undefined {
  const pick = (value: unknown): string | undefined => {
    if (typeof value !== 'object' || value === null) return undefined;
    const code = (value as { code?: unknown }).code;
    return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
  };
  const own = pick(error);
  const underlying = error instanceof Error ? pick(error.cause) : undefined;
  // axios' own generic codes (ERR_NETWORK for any failed fetch) say less than the socket's: prefer that one.
  if (own && own.startsWith('ERR_') && underlying) return underlying;
  return own ?? underlying;
}

function providerCode(json: unknown): number | null {
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return null;
  const code = Number(parsed.data.errorCode);
  return Number.isSafeInteger(code) ? code : null;
}

function classify(operation: Operation, httpStatus: number, code: number | null): ProviderErrorCode {
  if (code !== null) {
    if (code >= 40100 && code < 40200) return 'verification-bad-credentials';
    if (code === 40001 || code === 42201 || (code === 40003 && operation === 'start')) {
      return 'verification-invalid-destination';
    }
    if (code >= 42900 && code < 43000) return 'verification-rate-limited';
    if (code === 40200) return 'verification-no-credit';
    if (code >= 50000 && code < 60000) return 'verification-unavailable';
  }
  if (httpStatus === 401) return 'verification-bad-credentials';
  if (httpStatus === 402) return 'verification-no-credit';
  if (httpStatus === 429) return 'verification-rate-limited';
  if (httpStatus >= 500) return 'verification-unavailable';
  return 'verification-rejected';
}

function providerError(operation: Operation, httpStatus: number, code: number | null): ScError {
  const scCode = classify(operation, httpStatus, code);
  return new ScError(scCode, MESSAGES[scCode], { operation, httpStatus, providerErrorCode: code });
}

function malformed(operation: Operation, httpStatus: number): ScError {
  return new ScError('verification-malformed-response', MESSAGES['verification-malformed-response'], {
    operation,
    httpStatus,
    providerErrorCode: null,
  });
}

export function createSinchVerifier(options: SinchVerifierOptions): SinchVerifier {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const connectTimeoutMs = Math.min(options.connectTimeoutMs ?? 5_000, timeoutMs);
  const retries = Math.max(0, Math.floor(options.retries ?? 2));
  const delays = options.retryDelaysMs ?? [100, 300];
  const log = options.log;

  // keepAlive off: one login needs two requests minutes apart, and stale pooled sockets only add failures.
  const transport = options.fetch
    ? { adapter: 'fetch' as const, env: { fetch: options.fetch } }
    : {
        adapter: 'http' as const,
        httpAgent: withConnectTimeout(new http.Agent({ keepAlive: false }), connectTimeoutMs, false),
        httpsAgent: withConnectTimeout(new https.Agent({ keepAlive: false }), connectTimeoutMs, true),
      };
  const client: AxiosInstance = axios.create({
    ...transport,
    maxRedirects: 0, // never carry the Authorization header to another place
    maxContentLength: 1_000_000,
    responseType: 'text',
    responseEncoding: 'utf8',
    transformRequest: [(data: unknown) => data], // the signed bytes go out untouched
    transformResponse: [(data: unknown) => data], // JSON is parsed and validated here, with zod
    validateStatus: () => true, // HTTP errors are answers; only transport failures reject
  });

  const delayFor = (attempt: number): number => delays[Math.min(attempt, delays.length - 1)] ?? 0;

  async function readCredentials(endpoint: string): Promise<SinchCredentials> {
    let credentials: SinchCredentials;
    try {
      credentials = await options.credentials(endpoint);
    } catch (error) {
      if (isScError(error)) throw error;
      throw new ScError('internal', 'The Sinch key and secret could not be read.');
    }
    if (!credentials.authId || !credentials.secret) {
      throw new ScError(
        'secret-missing',
        'The Sinch key or secret is not set. Ask your administrator to set them.',
      );
    }
    return credentials;
  }

  async function exchange(
    operation: Operation,
    verb: Verb,
    apiPath: string,
    body?: Record<string, unknown>,
    locale?: string,
  ): Promise<Exchange> {
    const settings = options.settings();
    const endpoint = parseSinchEndpoint(settings.endpoint);
    const credentials = await readCredentials(settings.endpoint);
    const path = endpoint.basePath + apiPath;
    const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const contentType = 'application/json';

    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Content-Type': contentType,
      'User-Agent': 'SystemConfigurator-Desktop',
    };
    if (locale !== undefined) headers['Accept-Language'] = locale;
    if (settings.authMethod === 'signed') {
      if (!isBase64Secret(credentials.secret)) {
        throw new ScError(
          'verification-bad-credentials',
          'The Sinch secret is not valid base64, which signed requests need. Ask your administrator to check it.',
          { operation, httpStatus: null, providerErrorCode: null },
        );
      }
      const signed = signRequest({
        key: credentials.authId,
        secret: credentials.secret,
        method: verb,
        path,
        contentType,
        timestamp: signingTimestamp(clock.now()),
        ...(bytes ? { body: bytes } : {}),
      });
      headers.Authorization = signed.authorization;
      headers['x-timestamp'] = signed.timestamp;
    } else {
      headers.Authorization = basicAuthorization(credentials.authId, credentials.secret);
    }

    // Our own wall-clock deadline covers connect, sending and the whole answer.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const started = Date.now();
    let httpStatus: number;
    let text: unknown;
    try {
      const response = await client.request<unknown>({
        method: verb,
        url: endpoint.origin + path,
        headers,
        data: bytes,
        signal: controller.signal,
        // Environment proxies must not see traffic to this machine's emulator.
        ...(endpoint.loopback ? { proxy: false as const } : {}),
      });
      httpStatus = response.status;
      text = response.data;
    } catch (error) {
      // Only a short code leaves this block; the axios error (config, headers) is dropped here.
      const cause = timedOut ? 'timeout' : (networkErrorCode(error) ?? 'network');
      log?.('sinch.no-answer', { operation, cause, durationMs: Date.now() - started });
      throw new ScError(
        'verification-unavailable',
        cause === 'timeout' || cause === 'SC_CONNECT_TIMEOUT'
          ? TIMEOUT_MESSAGE
          : MESSAGES['verification-unavailable'],
        { operation, httpStatus: null, providerErrorCode: null, cause },
      );
    } finally {
      clearTimeout(timer);
    }

    let json: unknown;
    if (typeof text === 'string' && text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const code = httpStatus === 200 ? null : providerCode(json);
    log?.('sinch.answer', {
      operation,
      httpStatus,
      errorCode: code ?? undefined,
      durationMs: Date.now() - started,
    });
    return { httpStatus, json };
  }

  async function withRetries<T>(maxRetries: number, attempt: () => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (n >= maxRetries || !isScError(error, 'verification-unavailable')) throw error;
        const wait = delayFor(n);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  function parseStatus(operation: Operation, result: Exchange): VerificationStatus {
    if (result.httpStatus !== 200) {
      throw providerError(operation, result.httpStatus, providerCode(result.json));
    }
    const parsed = statusResponseSchema.safeParse(result.json);
    if (!parsed.success) throw malformed(operation, result.httpStatus);
    const { id, status, reason, reference } = parsed.data;
    return {
      id,
      status,
      ...(reason !== undefined ? { reason } : {}),
      ...(reference !== undefined ? { reference } : {}),
    };
  }

  async function statusByReference(reference: string): Promise<VerificationStatus> {
    if (!reference) throw validationError('reference', 'A verification reference is required.');
    return withRetries(retries, async () =>
      parseStatus(
        'status',
        await exchange('status', 'GET', `${API_PATH}/reference/${encodePathSegment(reference)}`),
      ),
    );
  }

  async function start(request: StartVerificationRequest): Promise<StartedVerification> {
    if (request.method !== 'sms' && request.method !== 'email') {
      throw validationError('method', 'The verification method must be SMS or e-mail.');
    }
    if (!request.to) throw validationError('to', 'A phone number or e-mail address is required.');
    if (!request.reference) throw validationError('reference', 'A verification reference is required.');
    if (!(Number.isFinite(request.validMinutes) && request.validMinutes > 0 && request.validMinutes < 6000)) {
      throw validationError('validMinutes', 'The code validity must be a positive number of minutes.');
    }
    const locale = request.locale && LOCALE_PATTERN.test(request.locale) ? request.locale : 'en-US';
    let body: Record<string, unknown>;
    if (request.method === 'sms') {
      body = {
        identity: { type: 'number', endpoint: request.to },
        method: 'sms',
        reference: request.reference,
        smsOptions: { expiry: formatExpiry(request.validMinutes), codeType: 'Numeric' },
      };
    } else {
      const settings = options.settings();
      body = buildEmailStartBody({
        to: request.to,
        reference: request.reference,
        sender: { address: settings.emailSenderAddress, name: settings.emailSenderName },
      });
    }

    return withRetries(Math.min(retries, 1), async () => {
      const result = await exchange('start', 'POST', API_PATH, body, locale);
      if (result.httpStatus === 409 && providerCode(result.json) === 40900) {
        // Our reference exists already: a previous attempt of this start got through. Use that one.
        const existing = await statusByReference(request.reference);
        if (existing.status !== 'PENDING') {
          throw new ScError('verification-rejected', MESSAGES['verification-rejected'], {
            operation: 'start',
            httpStatus: 409,
            providerErrorCode: 40900,
            existingStatus: existing.status,
          });
        }
        return { id: existing.id, method: request.method };
      }
      if (result.httpStatus !== 200) {
        throw providerError('start', result.httpStatus, providerCode(result.json));
      }
      const parsed = startResponseSchema.safeParse(result.json);
      if (!parsed.success) throw malformed('start', result.httpStatus);
      return { id: parsed.data.id, method: request.method };
    });
  }

  async function report(id: string, method: Method, code: string): Promise<ReportResult> {
    if (!id) throw validationError('id', 'A verification id is required.');
    if (method !== 'sms' && method !== 'email') {
      throw validationError('method', 'The verification method must be SMS or e-mail.');
    }
    if (typeof code !== 'string' || code.length === 0 || code.length > 64) {
      throw validationError('code', 'Enter the code you received.');
    }
    const body = method === 'sms' ? { method: 'sms', sms: { code } } : buildEmailReportBody(code);
    const result = await exchange('report', 'PUT', `${API_PATH}/id/${encodePathSegment(id)}`, body);

    if (result.httpStatus !== 200) {
      const providerErrorCode = providerCode(result.json);
      // Undocumented which of the two Sinch uses for a wrong code: both mean "wrong code".
      if (result.httpStatus === 400 && providerErrorCode === 40003) {
        return { outcome: 'wrong-code', status: 'FAIL', reason: 'Invalid code' };
      }
      // Sinch no longer knows this verification (e.g. purged after expiry): it cannot be completed.
      if (result.httpStatus === 404 && providerErrorCode === 40400) {
        return { outcome: 'not-valid', status: 'ERROR' };
      }
      throw providerError('report', result.httpStatus, providerErrorCode);
    }
    const parsed = reportResponseSchema.safeParse(result.json);
    if (!parsed.success) throw malformed('report', result.httpStatus);
    const { status, reason } = parsed.data;
    const withReason = reason !== undefined ? { reason } : {};
    if (status === 'SUCCESSFUL') return { outcome: 'successful', status, ...withReason };
    // PENDING after a report means the code was not accepted but the verification is still open.
    if ((status === 'FAIL' && reason === 'Invalid code') || status === 'PENDING') {
      return { outcome: 'wrong-code', status, ...withReason };
    }
    return { outcome: 'not-valid', status, ...withReason };
  }

  async function status(id: string): Promise<VerificationStatus> {
    if (!id) throw validationError('id', 'A verification id is required.');
    return withRetries(retries, async () =>
      parseStatus('status', await exchange('status', 'GET', `${API_PATH}/id/${encodePathSegment(id)}`)),
    );
  }

  return { start, report, status, statusByReference };
}
