/**
 * The local API Gateway: HTTP requests become Lambda proxy events, the function's proxy result becomes the
 * HTTP answer, and function faults get API Gateway's own answers (502, 504).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayRoute, type HttpGateway, startHttpGateway } from '../../local/http-gateway';

let gateway: HttpGateway;
let gatewayV2: HttpGateway;
const received: unknown[] = [];
const invokeErrors: string[] = [];

const routes: GatewayRoute[] = [
  {
    method: 'POST',
    resource: '/messages',
    invoke: async (event) => {
      received.push(event);
      return {
        statusCode: 202,
        headers: { Location: '/messages/m-1', 'content-type': 'application/json' },
        multiValueHeaders: { 'x-multi': ['a', 'b'] },
        body: JSON.stringify({ messageId: 'm-1' }),
      };
    },
  },
  {
    method: 'GET',
    resource: '/messages/{id}',
    invoke: async (event) => {
      received.push(event);
      const id = (event as APIGatewayProxyEvent).pathParameters?.id;
      if (id === 'throws') throw new Error('boom');
      if (id === 'garbage') return { hello: 'world' };
      if (id === 'binary')
        return { statusCode: 200, body: Buffer.from([0xff, 0x00]).toString('base64'), isBase64Encoded: true };
      if (id === 'slow')
        return new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200 }), 2000));
      return { statusCode: 200, body: JSON.stringify({ id }) };
    },
    timeoutMs: 300,
  },
];

beforeAll(async () => {
  const onInvokeError = (route: string) => invokeErrors.push(route);
  gateway = await startHttpGateway({ routes, onInvokeError });
  gatewayV2 = await startHttpGateway({ routes, payloadVersion: '2.0', onInvokeError });
});

afterAll(async () => {
  await gateway.close();
  await gatewayV2.close();
});

describe('local HTTP gateway', () => {
  it('hands the function a REST API event with the request as the client sent it', async () => {
    // Act
    const answer = await fetch(`${gateway.url}/messages?dryRun=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'key-1' },
      body: '{"a":1}',
    });
    const event = received.at(-1) as APIGatewayProxyEvent;
    // Assess
    expect(answer.status).toBe(202);
    expect(answer.headers.get('location')).toBe('/messages/m-1');
    expect(answer.headers.get('x-multi')).toBe('a, b');
    expect(answer.headers.get('x-amzn-requestid')).toBe(event.requestContext.requestId);
    expect(await answer.json()).toEqual({ messageId: 'm-1' });
    expect(event).toMatchObject({
      resource: '/messages',
      path: '/messages',
      httpMethod: 'POST',
      body: '{"a":1}',
      isBase64Encoded: false,
      queryStringParameters: { dryRun: '1' },
    });
    expect(event.headers['Idempotency-Key']).toBe('key-1');
  });

  it('passes path parameters as API Gateway does: REST APIs percent-encoded, HTTP APIs decoded', async () => {
    // Act
    await fetch(`${gateway.url}/messages/order%3A12345`);
    const rest = received.at(-1) as APIGatewayProxyEvent;
    await fetch(`${gatewayV2.url}/messages/order%3A12345`);
    const http = received.at(-1) as APIGatewayProxyEventV2;
    // Assess
    expect(rest.pathParameters).toEqual({ id: 'order%3A12345' });
    expect(http.version).toBe('2.0');
    expect(http.routeKey).toBe('GET /messages/{id}');
    expect(http.pathParameters).toEqual({ id: 'order:12345' });
  });

  it('decodes a base64 result body into bytes', async () => {
    // Act
    const answer = await fetch(`${gateway.url}/messages/binary`);
    // Assess
    expect(answer.status).toBe(200);
    expect([...new Uint8Array(await answer.arrayBuffer())]).toEqual([0xff, 0x00]);
  });

  it("answers function faults as API Gateway does: 502 for a throw or a non-proxy result, 504 past the function's time", async () => {
    // Act
    const thrown = await fetch(`${gateway.url}/messages/throws`);
    const garbage = await fetch(`${gateway.url}/messages/garbage`);
    const slow = await fetch(`${gateway.url}/messages/slow`);
    // Assess
    // In the service's error shape, as the deployed gateway responses render them (cdk/api-error-responses.ts)
    const failure = { error: { code: 'bad_gateway', message: 'Internal server error' } };
    expect([thrown.status, await thrown.json()]).toEqual([502, failure]);
    expect([garbage.status, await garbage.json()]).toEqual([502, failure]);
    expect([slow.status, await slow.json()]).toEqual([
      504,
      { error: { code: 'gateway_timeout', message: 'Endpoint request timed out' } },
    ]);
    expect(invokeErrors).toEqual(['GET /messages/{id}', 'GET /messages/{id}', 'GET /messages/{id}']);
  });

  it('names the routes for an unknown path and the allowed method for a known one', async () => {
    // Act
    const unknown = await fetch(`${gateway.url}/nothing/here`);
    const wrongMethod = await fetch(`${gateway.url}/messages`, { method: 'GET' });
    // Assess
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(
      'no route for GET /nothing/here; routes: POST /messages, GET /messages/{id}',
    );
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});
