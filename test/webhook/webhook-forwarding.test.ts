import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../../local/http-gateway';
import { type Sandbox, startSandbox } from '../../local/sandbox';
import { DynamoStatusStore } from '../../shared/status/dynamo-status-store';
import { createWebhookHandler } from '../../shared/webhook/create-webhook-handler';
import {
  createWebhookForwarder,
  ForwardUrlError,
  parseForwardUrl,
} from '../../shared/webhook/forward-to-middleware';
import { signWebhookBody } from '../../shared/webhook/verify-signature';
import { staticWebhookSecrets } from '../../shared/webhook/webhook-secret';
import { type DynaliteHandle, startDynalite } from '../support/dynalite';
import { sendAgentlessThroughSandbox } from '../support/sandbox-agentless-send';
import { RecordingLogger, receiptBody, SECRET } from './support';

// Forwarding mode end to end: the sandbox posts signed receipts (retrying like Genesys) through the local
// API Gateway to the real webhook handler, which records them in dynalite and passes each post on to a
// stand-in middleware on loopback, whose answer (or failure) is what the sandbox gets.

interface Received {
  body: Buffer;
  headers: IncomingMessage['headers'];
}

/** The org's middleware: records every post, answers as told (a status, a hang). */
class StandInMiddleware {
  readonly received: Received[] = [];
  /** Answers for the next posts, in order; then 200 `{"ok":true}`. */
  script: Array<number | 'hang'> = [];
  private server!: Server;
  private readonly hanging: ServerResponse[] = [];

  async start(): Promise<string> {
    this.server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      this.received.push({ body: Buffer.concat(chunks), headers: request.headers });
      const next = this.script.shift() ?? 200;
      if (next === 'hang') {
        this.hanging.push(response);
        return;
      }
      const body = next < 300 ? '{"ok":true,"from":"middleware"}' : '{"error":"middleware says no"}';
      response.writeHead(next, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/genesys/outbound`;
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let dynamo: DynaliteHandle;
let store: DynamoStatusStore;
let sandbox: Sandbox;
let gateway: HttpGateway;
let middleware: StandInMiddleware;
let storeFails = false;
const logger = new RecordingLogger();

async function sendThroughSandbox(text: string): Promise<string> {
  const id = await sendAgentlessThroughSandbox(sandbox.url, text);
  // The sandbox posts the outbound message itself too (as Genesys does): let it through, then start afresh.
  await sandbox.webhookIdle();
  middleware.received.length = 0;
  return id;
}

function postSigned(body: string, secret = SECRET): Promise<Response> {
  return fetch(`${gateway.url}/webhooks/genesys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(body, secret) },
    body,
  });
}

beforeAll(async () => {
  dynamo = await startDynalite();
  store = new DynamoStatusStore({ tableName: await dynamo.createStatusTable(), client: dynamo.client });
  middleware = new StandInMiddleware();
  const middlewareUrl = await middleware.start();
  const handler = createWebhookHandler({
    logger,
    dependencies: {
      store: {
        applyReceipt: (event) =>
          storeFails ? Promise.reject(new Error('DynamoDB unavailable')) : store.applyReceipt(event),
      },
      secrets: staticWebhookSecrets(SECRET),
      forwarder: createWebhookForwarder(middlewareUrl, 500),
    },
  });
  gateway = await startHttpGateway({
    routes: [{ method: 'POST', resource: '/webhooks/genesys', invoke: (event) => handler(event) }],
  });
  sandbox = await startSandbox({
    port: 0,
    rateLimit: false,
    receipts: false,
    webhook: { url: `${gateway.url}/webhooks/genesys`, secret: SECRET, retryDelayMs: 10 },
  });
});

afterAll(async () => {
  await sandbox?.close();
  await gateway?.close();
  await middleware?.close();
  await dynamo?.close();
});

beforeEach(() => {
  middleware.received.length = 0;
  middleware.script = [];
  storeFails = false;
});

describe('webhook forwarding mode', () => {
  it('records the receipt and passes the post on unchanged: same bytes, signature and content type', async () => {
    // Prepare
    const id = await sendThroughSandbox('forwarded');
    // Act
    const delivery = await sandbox.postReceipt(id, 'Delivered');
    // Assess
    expect(delivery).toMatchObject({ ok: true, attempts: 1, lastStatus: 200 });
    expect((await store.getReceipts(id))?.status).toBe('delivered');
    expect(middleware.received).toHaveLength(1);
    const [post] = middleware.received;
    expect(JSON.parse(post!.body.toString('utf8'))).toMatchObject({
      id,
      type: 'Receipt',
      status: 'Delivered',
    });
    // The signature the sandbox made still verifies over the bytes the middleware got.
    expect(post!.headers['x-hub-signature-256']).toBe(signWebhookBody(post!.body, SECRET));
    expect(post!.headers['content-type']).toBe('application/json');
  });

  it("answers Genesys with the middleware's status and body", async () => {
    // Prepare
    const body = JSON.stringify(receiptBody('0123456789abcdef0123456789abcdef', 'Sent'));
    middleware.script = [202];
    // Act
    const answer = await postSigned(body);
    // Assess
    expect(answer.status).toBe(202);
    expect(await answer.json()).toEqual({ ok: true, from: 'middleware' });
    expect(middleware.received[0]?.body.toString('utf8')).toBe(body);
  });

  it('lets Genesys retry while the middleware fails (5xx), recording the receipt once', async () => {
    // Prepare
    const id = await sendThroughSandbox('middleware failing twice');
    middleware.script = [503, 500];
    // Act
    const delivery = await sandbox.postReceipt(id, 'Read');
    // Assess: two failed attempts, the third got through; the middleware saw all three, the record moved once
    expect(delivery).toMatchObject({ ok: true, attempts: 3, lastStatus: 200 });
    expect(middleware.received).toHaveLength(3);
    const record = await store.getReceipts(id);
    expect(record?.status).toBe('read');
    expect(record?.history.filter((entry) => entry.status === 'read')).toHaveLength(1);
  });

  it('answers 504 when the middleware does not answer in time, and 502 when it cannot be reached', async () => {
    // Prepare
    const body = JSON.stringify(receiptBody('fedcba9876543210fedcba9876543210', 'Delivered'));
    middleware.script = ['hang'];
    const unreachable = createWebhookForwarder('http://127.0.0.1:1/closed', 500);
    // Act
    const hung = await postSigned(body);
    const refused = await unreachable.forward({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      rawBody: Buffer.from(body),
    });
    // Assess
    expect(hung.status).toBe(504);
    expect(((await hung.json()) as { error: { code: string } }).error.code).toBe('middleware_timeout');
    expect(refused.statusCode).toBe(502);
    expect(JSON.parse(refused.body).error.code).toBe('middleware_unreachable');
    // Recorded all the same: Genesys' retry will change nothing.
    expect((await store.getReceipts('fedcba9876543210fedcba9876543210'))?.status).toBe('delivered');
  });

  it("forwards and answers the middleware's status even when our own recording fails", async () => {
    // Prepare
    storeFails = true;
    const body = JSON.stringify(receiptBody('00000000000000000000000000000abc', 'Delivered'));
    // Act
    const answer = await postSigned(body);
    // Assess
    expect(answer.status).toBe(200);
    expect(middleware.received).toHaveLength(1);
    expect(logger.text()).toContain('post forwarded without its receipts recorded');
  });

  it('forwards a signed post it does not understand, and nothing unsigned', async () => {
    // Act
    const unknown = await postSigned(JSON.stringify({ type: 'SomethingNew', id: 'x' }));
    const forged = await postSigned(
      JSON.stringify(receiptBody('0123456789abcdef0123456789abcdef', 'Read')),
      'wrong',
    );
    // Assess
    expect(unknown.status).toBe(200);
    expect(forged.status).toBe(401);
    expect(middleware.received.map((r) => JSON.parse(r.body.toString('utf8')).type)).toEqual([
      'SomethingNew',
    ]);
  });
});

describe('forward URL', () => {
  it.each([
    ['not a url', 'is not a URL'],
    ['http://middleware.example.com/hook', 'must be an https URL'],
    ['https://user:pass@middleware.example.com/hook', 'must not carry credentials'],
  ])('refuses %s', (url, reason) => {
    expect(() => parseForwardUrl(url)).toThrow(ForwardUrlError);
    expect(() => parseForwardUrl(url)).toThrow(reason);
  });

  it('takes https anywhere and plain http on loopback', () => {
    expect(parseForwardUrl('https://middleware.example.com/hook').host).toBe('middleware.example.com');
    expect(parseForwardUrl('http://127.0.0.1:8080/hook').port).toBe('8080');
  });
});
