import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gatewayErrorBody } from '../shared/http/gateway-errors';
import { type HttpRequestShape, httpApiEvent, restApiEvent } from './api-gateway-events';
import { BodyTooLargeError, closeServer, listenOnLoopback, readBody } from './http-server';

/**
 * A small API Gateway on loopback: each request becomes a real Lambda proxy event (REST API v1 by default,
 * as the CDK stack deploys, or HTTP API v2), the route's handler answers, and its status code, headers and
 * body go back to the client as API Gateway would send them.
 */

/** One API route: `resource` is the API Gateway template, e.g. `/messages/{id}`. */
export interface GatewayRoute {
  method: string;
  resource: string;
  /** Invokes the Lambda function behind the route with the proxy event. */
  invoke(event: unknown): Promise<unknown>;
  /** The function's timeout; API Gateway itself gives up after 29 s whatever the function's is. */
  timeoutMs?: number;
}

export interface GatewayRequestLog {
  method: string;
  path: string;
  status: number;
  ms: number;
  requestId: string;
}

export interface HttpGatewayOptions {
  routes: GatewayRoute[];
  /** Default 0 (any free port); always 127.0.0.1. */
  port?: number;
  payloadVersion?: '1.0' | '2.0';
  onRequest?: (log: GatewayRequestLog) => void;
  /** A function that threw or answered something that is not a proxy result (API Gateway answers 502). */
  onInvokeError?: (route: string, error: unknown) => void;
}

export interface HttpGateway {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** API Gateway's payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** API Gateway's integration timeout. */
const INTEGRATION_TIMEOUT_MS = 29_000;

interface ProxyResult {
  statusCode: number;
  headers?: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, Array<string | number | boolean>>;
  body?: string;
  isBase64Encoded?: boolean;
}

class TimedOut extends Error {}

export async function startHttpGateway(options: HttpGatewayOptions): Promise<HttpGateway> {
  const payloadVersion = options.payloadVersion ?? '1.0';
  const routes = options.routes.map((route) => ({ route, pattern: resourcePattern(route.resource) }));

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(request.url ?? '/', 'http://gateway.invalid');
    const method = (request.method ?? 'GET').toUpperCase();
    let requestId = '';
    const answer = (status: number, body: string, headers: Record<string, string> = {}) => {
      send(response, status, body, { 'content-type': 'application/json', ...headers }, requestId);
      options.onRequest?.({ method, path: url.pathname, status, ms: Date.now() - started, requestId });
    };

    // Before any route work: a browser page (cross-origin, or through DNS rebinding) must not reach the stack.
    const refusal = browserRefusal(request, port);
    if (refusal !== undefined) {
      answer(refusal.status, errorJson(refusal.code, refusal.message));
      return;
    }

    const matches = routes
      .map(({ route, pattern }) => ({ route, params: matchPath(pattern, url.pathname) }))
      .filter((m): m is { route: GatewayRoute; params: Record<string, string> } => m.params !== undefined);
    // API Gateway answers an unknown route 403 "Missing Authentication Token"; locally the answer names the routes.
    if (matches.length === 0) {
      answer(
        404,
        errorJson(
          'not_found',
          `no route for ${method} ${url.pathname}; routes: ${routeList(options.routes)}`,
        ),
      );
      return;
    }
    const match = matches.find((m) => m.route.method === method);
    if (match === undefined) {
      const allowed = matches.map((m) => m.route.method).join(', ');
      answer(405, errorJson('method_not_allowed', `use ${allowed} on ${url.pathname}, not ${method}`), {
        allow: allowed,
      });
      return;
    }

    let body: Buffer;
    try {
      body = await readBody(request, MAX_PAYLOAD_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) answer(413, gatewayErrorBody('REQUEST_TOO_LARGE'));
      return;
    }
    const shape: HttpRequestShape = {
      method,
      path: url.pathname,
      resource: match.route.resource,
      pathParameters: match.params,
      headers: headersOf(request),
      ...(url.search !== '' && { query: Object.fromEntries(url.searchParams) }),
      ...(body.length > 0 && { body }),
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
    };
    const event = payloadVersion === '1.0' ? restApiEvent(shape) : httpApiEvent(shape);
    requestId = event.requestContext.requestId;

    let result: unknown;
    try {
      result = await withTimeout(
        match.route.invoke(event),
        Math.min(match.route.timeoutMs ?? INTEGRATION_TIMEOUT_MS, INTEGRATION_TIMEOUT_MS),
      );
    } catch (error) {
      options.onInvokeError?.(routeName(match.route), error);
      if (error instanceof TimedOut) answer(504, gatewayErrorBody('INTEGRATION_TIMEOUT'));
      else answer(502, gatewayErrorBody('INTEGRATION_FAILURE'));
      return;
    }
    const proxy = asProxyResult(result);
    if (proxy === undefined) {
      options.onInvokeError?.(
        routeName(match.route),
        new Error('the function returned no proxy result (statusCode, body)'),
      );
      answer(502, gatewayErrorBody('INTEGRATION_FAILURE'));
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const [name, value] of Object.entries(proxy.headers ?? {}))
      headers[name.toLowerCase()] = String(value);
    for (const [name, values] of Object.entries(proxy.multiValueHeaders ?? {})) {
      headers[name.toLowerCase()] = values.map(String).join(', ');
    }
    const text = proxy.body ?? '';
    const bytes = proxy.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
    send(response, proxy.statusCode, bytes, headers, requestId);
    options.onRequest?.({
      method,
      path: url.pathname,
      status: proxy.statusCode,
      ms: Date.now() - started,
      requestId,
    });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.onInvokeError?.(`${request.method} ${request.url}`, error);
      send(response, 500, JSON.stringify({ message: 'Internal server error' }), {}, '');
    });
  });
  // `handle` reads it: requests only arrive once the server listens.
  const port = await listenOnLoopback(server, options.port ?? 0);
  return { url: `http://127.0.0.1:${port}`, port, close: () => closeServer(server) };
}

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/**
 * The local stack may point at a real Genesys org, and it has no IAM in front: refuse what a web page can
 * send, before any function runs.
 * - `Host` must name this server (`127.0.0.1:<port>` or `localhost:<port>`): a DNS-rebound name does not;
 * - an `Origin` other than this server's own is a cross-origin request (browsers send it on every POST);
 * - a request with a body must say it is JSON: a form or `text/plain` POST needs no CORS preflight.
 */
function browserRefusal(
  request: IncomingMessage,
  port: number,
): { status: number; code: string; message: string } | undefined {
  const own = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = (request.headers.host ?? '').toLowerCase();
  if (!own.includes(host)) {
    return {
      status: 403,
      code: 'forbidden_host',
      message: `Host "${host}" is not this local gateway (${own.join(' or ')})`,
    };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !own.some((name) => origin.toLowerCase() === `http://${name}`)) {
    return {
      status: 403,
      code: 'cross_origin_refused',
      message: `requests from another origin (${origin}) are refused: the local gateway serves no browser pages`,
    };
  }
  const method = (request.method ?? 'GET').toUpperCase();
  const hasBody =
    method === 'POST' ||
    method === 'PUT' ||
    method === 'PATCH' ||
    request.headers['content-length'] !== undefined ||
    request.headers['transfer-encoding'] !== undefined;
  const contentType = request.headers['content-type'];
  if (hasBody && (contentType === undefined || !JSON_CONTENT_TYPE.test(contentType))) {
    return {
      status: 415,
      code: 'unsupported_media_type',
      message: `send the body as JSON with Content-Type: application/json${contentType === undefined ? '' : `, not ${contentType}`}`,
    };
  }
  return undefined;
}

function send(
  response: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string>,
  requestId: string,
): void {
  if (response.headersSent || response.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.writeHead(status, {
    ...headers,
    'content-length': String(bytes.length),
    ...(requestId !== '' && { 'x-amzn-requestid': requestId }),
  });
  response.end(bytes);
}

function errorJson(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

function routeName(route: GatewayRoute): string {
  return `${route.method} ${route.resource}`;
}

function routeList(routes: GatewayRoute[]): string {
  return routes.map(routeName).join(', ');
}

/** The client's headers with the client's spelling (REST API events keep it), repeats joined by commas. */
function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
    if (existing === undefined) headers[name] = value;
    else headers[existing] = `${headers[existing]},${value}`;
  }
  return headers;
}

type PathPattern = Array<{ literal: string } | { param: string }>;

function resourcePattern(resource: string): PathPattern {
  return resource
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)\}$/.exec(segment)?.[1];
      return param === undefined ? { literal: segment } : { param };
    });
}

/** Path parameters (decoded, as the event helpers expect them), or undefined when the path does not match. */
function matchPath(pattern: PathPattern, path: string): Record<string, string> | undefined {
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.length !== pattern.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] as string;
    if ('literal' in part) {
      if (segment !== part.literal) return undefined;
      continue;
    }
    try {
      params[part.param] = decodeURIComponent(segment);
    } catch {
      params[part.param] = segment;
    }
  }
  return params;
}

function asProxyResult(value: unknown): ProxyResult | undefined {
  const result = value as Partial<ProxyResult> | null;
  if (typeof result !== 'object' || result === null) return undefined;
  if (typeof result.statusCode !== 'number' || !Number.isInteger(result.statusCode)) return undefined;
  if (result.body !== undefined && typeof result.body !== 'string') return undefined;
  return result as ProxyResult;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
