import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult } from 'aws-lambda';

/** REST API (v1) or HTTP API (v2) proxy event: the handlers accept both. */
export type ApiGatewayEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

export type HttpAnswer = APIGatewayProxyResult & { headers: Record<string, string> };

export function isApiGatewayEvent(event: unknown): event is ApiGatewayEvent {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as { httpMethod?: unknown; requestContext?: { http?: unknown }; version?: unknown };
  return (
    typeof e.httpMethod === 'string' || (e.version === '2.0' && typeof e.requestContext?.http === 'object')
  );
}

/** The method, upper-case; '' for an event without one (a hand-made direct invoke, never API Gateway). */
export function httpMethodOf(event: ApiGatewayEvent): string {
  const method: unknown = 'httpMethod' in event ? event.httpMethod : event.requestContext?.http?.method;
  return typeof method === 'string' ? method.toUpperCase() : '';
}

/**
 * A path parameter as the client meant it. HTTP APIs (events with a `version` field) hand path parameters
 * over URL-decoded; REST APIs hand them over still percent-encoded, so those are decoded once here.
 * A value that is not valid percent-encoding is kept as it is.
 */
export function pathParameterOf(event: ApiGatewayEvent, name: string): string | undefined {
  const value = event.pathParameters?.[name];
  if (value === undefined || value === null) return undefined;
  if ('version' in event) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Header value by case-insensitive name (API Gateway v1 keeps the client's case, v2 lower-cases). */
export function headerValue(
  headers: Readonly<Record<string, string | undefined>> | null | undefined,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  }
  return undefined;
}

export function headerOf(event: ApiGatewayEvent, name: string): string | undefined {
  return headerValue(event.headers, name);
}

/** The body bytes as the client sent them: API Gateway may hand them over base64-encoded. */
export function rawBodyOf(event: ApiGatewayEvent): Buffer {
  // API Gateway always sends a string; anything else comes from a hand-made invoke and counts as no body.
  if (typeof event.body !== 'string') return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

export function jsonAnswer(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpAnswer {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** Every error answer has this shape: a stable machine code and a sentence for the person reading it. */
export interface ErrorBody {
  error: { code: string; message: string; [detail: string]: unknown };
}

export function errorAnswer(
  statusCode: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): HttpAnswer {
  const body: ErrorBody = { error: { code, message, ...details } };
  return jsonAnswer(statusCode, body, headers);
}

/** Reads a JSON body: the media type must be JSON (415) and the size bounded (413). */
export function readJsonBody(
  event: ApiGatewayEvent,
  maxBytes: number,
): { ok: true; value: unknown; bytes: number } | { ok: false; answer: HttpAnswer } {
  const contentType = headerOf(event, 'content-type');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== undefined && mediaType !== 'application/json' && !mediaType.endsWith('+json')) {
    return {
      ok: false,
      answer: errorAnswer(
        415,
        'unsupported_media_type',
        `content-type must be application/json, got "${mediaType}"`,
      ),
    };
  }
  if (event.body !== undefined && event.body !== null && typeof event.body !== 'string') {
    return {
      ok: false,
      answer: errorAnswer(
        400,
        'invalid_request',
        `body must be a string, as API Gateway sends it, got ${typeof event.body}`,
      ),
    };
  }
  const raw = rawBodyOf(event);
  if (raw.length > maxBytes) {
    return {
      ok: false,
      answer: errorAnswer(
        413,
        'payload_too_large',
        `body is ${raw.length} bytes; the limit is ${maxBytes} bytes`,
      ),
    };
  }
  if (raw.length === 0) {
    return {
      ok: false,
      answer: errorAnswer(400, 'invalid_json', 'body is empty; a JSON object is required'),
    };
  }
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let value: unknown;
  try {
    value = JSON.parse(text.decode(raw));
  } catch (error) {
    const reason =
      error instanceof TypeError
        ? 'body is not valid UTF-8'
        : `body is not valid JSON: ${(error as Error).message}`;
    return { ok: false, answer: errorAnswer(400, 'invalid_json', reason) };
  }
  return { ok: true, value, bytes: raw.length };
}
