/**
 * The local API Gateway: HTTP requests become Lambda proxy events, the function's proxy result becomes the
 * HTTP answer, and function faults get API Gateway's own answers (502, 504).
 */
import { request as httpRequest } from 'node:http';
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

  describe("browser requests (a web page must not send through a developer's stack)", () => {
    /** A raw request, so that Host can be anything (fetch sets it from the URL). */
    function raw(
      headers: Record<string, string>,
      body?: string,
      method = 'POST',
    ): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
      return new Promise((resolve, reject) => {
        const request = httpRequest(
          { host: '127.0.0.1', port: gateway.port, path: '/messages', method, headers, setHost: false },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                body: JSON.parse(Buffer.concat(chunks).toString()),
              }),
            );
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    }
    const own = () => `127.0.0.1:${gateway.port}`;

    it('refuses a POST without a JSON content type, before the function runs', async () => {
      // Prepare
      const before = received.length;

      // Act
      const none = await raw({ host: own() }, '{"a":1}');
      const form = await raw({ host: own(), 'content-type': 'text/plain' }, '{"a":1}');

      // Assess
      expect([none.status, none.body.error?.code]).toEqual([415, 'unsupported_media_type']);
      expect([form.status, form.body.error?.message]).toEqual([
        415,
        'send the body as JSON with Content-Type: application/json, not text/plain',
      ]);
      expect(received.length).toBe(before);
    });

    it('refuses a Host that is not this gateway (DNS rebinding)', async () => {
      // Act
      const rebound = await raw(
        { host: `evil.example.com:${gateway.port}`, 'content-type': 'application/json' },
        '{}',
      );
      const otherPort = await raw({ host: '127.0.0.1:1', 'content-type': 'application/json' }, '{}');
      const localhost = await raw(
        { host: `localhost:${gateway.port}`, 'content-type': 'application/json' },
        '{}',
      );

      // Assess
      expect([rebound.status, rebound.body.error?.code]).toEqual([403, 'forbidden_host']);
      expect(otherPort.status).toBe(403);
      expect(localhost.status).toBe(202);
    });

    it('refuses a cross-origin request and accepts its own origin', async () => {
      // Act
      const foreign = await raw(
        { host: own(), origin: 'https://evil.example.com', 'content-type': 'application/json' },
        '{}',
      );
      const nullOrigin = await raw({ host: own(), origin: 'null', 'content-type': 'application/json' }, '{}');
      const same = await raw(
        { host: own(), origin: `http://${own()}`, 'content-type': 'application/json' },
        '{}',
      );

      // Assess
      expect([foreign.status, foreign.body.error?.code]).toEqual([403, 'cross_origin_refused']);
      expect(nullOrigin.status).toBe(403);
      expect(same.status).toBe(202);
    });
  });
});
