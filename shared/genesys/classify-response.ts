import { STATUS_CODES } from 'node:http';
import type { GenesysErrorInfo, GenesysFailure, GenesysOutcome } from './types';

/**
 * Pure classification of a Genesys answer (docs/data-flow.md, "Genesys outcomes"): 2xx sent; 429 throttled;
 * 408 and 5xx transient; every other status permanent. 401 comes out permanent here: renewing the
 * token and trying once more is the client's job, before it classifies.
 */

/** An HTTP answer as any client sees it: header names in any case, body parsed JSON or text. */
export interface HttpAnswer {
  status: number;
  headers?: Readonly<Record<string, unknown>>;
  data?: unknown;
}

export const CORRELATION_ID_HEADER = 'ININ-Correlation-Id';

/** How a call's failure is read: `sendOnce` for a call that must not be repeated blindly (a send). */
export interface ClassifyOptions {
  sendOnce?: boolean;
}

/**
 * Gateway answers that can come after Genesys took the request (its upstream timed out or dropped the
 * answer): for a send, ambiguous. 500 and 503 mean Genesys did not take it.
 */
const AMBIGUOUS_STATUSES = new Set([502, 504]);

/** `nowMs` turns a Retry-After HTTP-date into seconds; pass it to keep the function pure. */
export function classifyResponse<T = unknown>(
  answer: HttpAnswer,
  nowMs: number = Date.now(),
  options: ClassifyOptions = {},
): GenesysOutcome<T> {
  const { status } = answer;
  const correlationId = headerValue(answer.headers, CORRELATION_ID_HEADER);
  if (status >= 200 && status < 300) {
    return withDefined({ kind: 'sent' as const, status, data: answer.data as T }, { correlationId });
  }
  const error = errorInfo(status, answer.data, correlationId);
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(headerValue(answer.headers, 'Retry-After'), nowMs);
    return withDefined({ kind: 'throttled' as const, error }, { retryAfterSeconds });
  }
  if (options.sendOnce === true && AMBIGUOUS_STATUSES.has(status)) return { kind: 'ambiguous', error };
  if (status === 408 || status >= 500) return { kind: 'transient', error };
  return { kind: 'permanent', error };
}

/**
 * Node / axios error codes that no retry can cure: the request itself cannot be built. Every other
 * network failure (timeouts, ECONNRESET, ECONNREFUSED, EPIPE, DNS…) is transient.
 */
const PERMANENT_NETWORK_CODES = new Set([
  'ERR_INVALID_URL',
  'ERR_BAD_OPTION',
  'ERR_BAD_OPTION_VALUE',
  'ERR_NOT_SUPPORT',
  'ERR_INVALID_CHAR',
  'ERR_HTTP_INVALID_HEADER_VALUE',
  'ERR_INVALID_ARG_TYPE',
]);

/** Codes that prove the request never reached a server: nothing was written. */
const NOT_WRITTEN_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

/**
 * Whether the request had been written to the connection when it failed. Axios hands the Node request in
 * `error.request`: `writableFinished` is true once the whole request went to the operating system.
 * Without it, only a code that proves nothing was written says no.
 */
export function requestWasWritten(error: unknown): boolean {
  const request = (error as { request?: { writableFinished?: unknown } } | null)?.request;
  if (typeof request?.writableFinished === 'boolean') return request.writableFinished;
  const code = networkCode(error);
  return code === undefined || !NOT_WRITTEN_CODES.has(code);
}

/**
 * A request that got no HTTP answer (timeout, reset, refused…) or could not be sent. Reads only the
 * error's `code`, `message` and whether its request was written (never its config, which carries the
 * Authorization header). `context` (e.g. `POST https://api.mypurecloud.com/api/v2/...`) prefixes the
 * message. With `sendOnce`, a failure after the request was written is `ambiguous`, not `transient`.
 */
export function classifyNetworkError(
  error: unknown,
  context?: string,
  options: ClassifyOptions = {},
): GenesysFailure {
  const code = networkCode(error);
  const detail =
    code === 'ERR_CANCELED'
      ? "the attempt's hard deadline ended the call"
      : (messageOf(error) ?? code ?? 'request failed without an answer');
  const message = `${context ? `${context}: ` : ''}no answer from Genesys: ${detail}${
    code && !detail.includes(code) ? ` (${code})` : ''
  }`;
  const info: GenesysErrorInfo = withDefined({ message }, { code });
  if (code !== undefined && PERMANENT_NETWORK_CODES.has(code)) return { kind: 'permanent', error: info };
  if (options.sendOnce === true && requestWasWritten(error)) return { kind: 'ambiguous', error: info };
  return { kind: 'transient', error: info };
}

const DELAY_SECONDS = /^\d+$/;
// RFC 9110 HTTP-date: IMF-fixdate, obsolete RFC 850 form (both say GMT), and asctime (implicitly GMT).
const IMF_FIXDATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC850_DATE = /^[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * `Retry-After` as whole seconds from `nowMs`: delay-seconds or an HTTP-date (a past date gives 0).
 * Absent or invalid gives undefined (the retry policy then backs off on its own).
 */
export function parseRetryAfter(value: unknown, nowMs: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (DELAY_SECONDS.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds : undefined;
  }
  let at = Number.NaN;
  if (IMF_FIXDATE.test(text) || RFC850_DATE.test(text)) at = Date.parse(text);
  else if (ASCTIME_DATE.test(text)) at = Date.parse(`${text} GMT`);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** Genesys' ErrorBody in its own words; OAuth errors (`{ error, error_description }`) and other bodies fall back. */
function errorInfo(status: number, body: unknown, correlationId: string | undefined): GenesysErrorInfo {
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : undefined;
  const field = (name: string): string | undefined => {
    const value = (record as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  const message =
    field('message') ?? field('error_description') ?? field('description') ?? fallbackMessage(status, body);
  return withDefined(
    { status, message },
    { code: field('code') ?? field('error'), contextId: field('contextId'), correlationId },
  );
}

const SNIPPET_MAX = 200;

function fallbackMessage(status: number, body: unknown): string {
  const reason = STATUS_CODES[status];
  const base = `Genesys answered HTTP ${status}${reason ? ` ${reason}` : ''}`;
  if (typeof body !== 'string') return base;
  // Proxies and load balancers answer HTML or plain text: keep a short readable excerpt.
  const text = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return base;
  return `${base}: ${text.length > SNIPPET_MAX ? `${text.slice(0, SNIPPET_MAX)}…` : text}`;
}

function headerValue(
  headers: Readonly<Record<string, unknown>> | undefined,
  name: string,
): string | undefined {
  if (headers === undefined) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && first !== '') return first;
    if (typeof first === 'number') return String(first);
  }
  return undefined;
}

function networkCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && code !== '') return code;
  // Node names a server that closed the socket before answering "socket hang up" (code ECONNRESET).
  return typeof message === 'string' && /socket hang up/i.test(message) ? 'ECONNRESET' : undefined;
}

function messageOf(error: unknown): string | undefined {
  if (typeof error === 'string') return error || undefined;
  if (typeof error !== 'object' || error === null) return undefined;
  const { message } = error as { message?: unknown };
  return typeof message === 'string' && message !== '' ? message : undefined;
}

/** `base` plus only the optional fields that have a value (no `key: undefined` in outcomes). */
function withDefined<B extends object, O extends object>(base: B, optional: O): B & Partial<O> {
  const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) result[key] = value;
  }
  return result as B & Partial<O>;
}
