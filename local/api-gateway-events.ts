import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

/** An HTTP request as the local server (or a test) sees it. */
export interface HttpRequestShape {
  method: string;
  /** Path without the stage, e.g. `/messages/order-1`. */
  path: string;
  /** The API resource template, e.g. `/messages/{id}`. */
  resource: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** API Gateway base64-encodes binary media types; tests use this to cover that path. */
  base64?: boolean;
  sourceIp?: string;
}

const API_ID = 'local';
const ACCOUNT = '000000000000';

function bodyOf(request: HttpRequestShape): { body: string | null; isBase64Encoded: boolean } {
  if (request.body === undefined) return { body: null, isBase64Encoded: false };
  const bytes = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  // Bytes that are not UTF-8 cannot travel as a string body: API Gateway sends such bodies base64-encoded.
  const base64 = request.base64 === true || !isUtf8(bytes);
  return base64
    ? { body: bytes.toString('base64'), isBase64Encoded: true }
    : { body: bytes.toString('utf8'), isBase64Encoded: false };
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A REST API (v1) Lambda proxy event, shaped like the AWS documentation's sample event. */
export function restApiEvent(request: HttpRequestShape): APIGatewayProxyEvent {
  const headers = request.headers ?? {};
  const { body, isBase64Encoded } = bodyOf(request);
  const now = Date.now();
  return {
    resource: request.resource,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: request.query ?? null,
    multiValueQueryStringParameters: request.query
      ? Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, [v]]))
      : null,
    // REST APIs pass path parameters percent-encoded, as the client sent them.
    pathParameters: request.pathParameters
      ? Object.fromEntries(Object.entries(request.pathParameters).map(([k, v]) => [k, encodeURIComponent(v)]))
      : null,
    stageVariables: null,
    body,
    isBase64Encoded,
    requestContext: {
      accountId: ACCOUNT,
      apiId: API_ID,
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp ?? '127.0.0.1',
        user: null,
        userAgent: headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/local${request.path}`,
      stage: 'local',
      requestId: randomUUID(),
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: request.resource,
    },
  };
}

/** An HTTP API (payload 2.0) Lambda proxy event. */
export function httpApiEvent(request: HttpRequestShape): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const { body, isBase64Encoded } = bodyOf(request);
  const routeKey = `${request.method} ${request.resource}`;
  const query = new URLSearchParams(request.query ?? {}).toString();
  return {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString: query,
    headers,
    ...(request.query && { queryStringParameters: request.query }),
    ...(request.pathParameters && { pathParameters: request.pathParameters }),
    requestContext: {
      accountId: ACCOUNT,
      apiId: API_ID,
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    ...(body !== null && { body }),
    isBase64Encoded,
  };
}
