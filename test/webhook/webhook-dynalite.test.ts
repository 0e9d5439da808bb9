import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../local/sandbox';
import type { HttpAnswer } from '../../shared/http/api-gateway';
import { DynamoStatusStore } from '../../shared/status/dynamo-status-store';
import { signWebhookBody } from '../../shared/webhook/verify-signature';
import { type DynaliteHandle, startDynalite, TEST_CREDENTIALS, TEST_REGION } from '../support/dynalite';
import { sendAgentlessThroughSandbox } from '../support/sandbox-agentless-send';
import { waitFor as eventually } from '../support/wait-for';
import { apiGatewayV2Event, conversationMessageEvent, receiptBody, SECRET } from './support';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

const savedEnv = { ...process.env };
let dynamo: DynaliteHandle;
let store: DynamoStatusStore;
let sandbox: Sandbox;
let server: Server;
let webhookUrl: string;
let handler: LambdaHandler;

const context = {
  functionName: 'webhook',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:webhook',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/webhook',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** API Gateway HTTP API in front of the real Lambda handler: bytes in, base64 body, v2 event. */
function startApiGateway(): Promise<Server> {
  const gateway = createServer(async (request, response) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const body = await readBody(request);
    const event = apiGatewayV2Event(body.toString('base64'), headers, {
      isBase64Encoded: true,
      method: request.method ?? 'POST',
    });
    const answer = (await handler(event, context)) as HttpAnswer;
    response.writeHead(answer.statusCode, answer.headers).end(answer.body);
  });
  return new Promise((resolve) => gateway.listen(0, '127.0.0.1', () => resolve(gateway)));
}

async function sendThroughSandbox(text: string): Promise<string> {
  return sendAgentlessThroughSandbox(sandbox.url, text);
}

beforeAll(async () => {
  dynamo = await startDynalite();
  const tableName = await dynamo.createStatusTable();
  Object.assign(process.env, {
    STATUS_TABLE_NAME: tableName,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    WEBHOOK_SECRET: SECRET,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  handler = (await import('../../functions/webhook/handler')).handler as LambdaHandler;
  store = new DynamoStatusStore({ tableName, client: dynamo.client });
  server = await startApiGateway();
  webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/genesys`;
  sandbox = await startSandbox({
    port: 0,
    rateLimit: false,
    webhook: { url: webhookUrl, secret: SECRET, retryDelayMs: 10 },
    // Gaps wide enough that the posts cannot cross on a loaded machine (crossed posts are tested on their own).
    receipts: { deliveredAfterMs: 150, readAfterMs: 600 },
  });
});

afterAll(async () => {
  await sandbox?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await dynamo?.close();
  process.env = { ...savedEnv };
});

describe('webhook λ with the sandbox and dynalite', () => {
  it('records sent, delivered and read from the signed receipts the sandbox posts', async () => {
    // Prepare
    const genesysMessageId = await sendThroughSandbox('webhook integration: progression');

    // Act
    const record = await eventually(
      () => store.getReceipts(genesysMessageId),
      (value) => value?.status === 'read',
    );
    await sandbox.webhookIdle();

    // Assess
    expect(record).toMatchObject({ genesysMessageId, status: 'read', final: true });
    expect(record?.conversationId).toEqual(expect.any(String));
    expect(record?.history.map((entry) => [entry.status, entry.source])).toEqual([
      ['sent', 'webhook'],
      ['delivered', 'webhook'],
      ['read', 'webhook'],
    ]);
    expect(sandbox.stats().webhookPosts.failed).toBe(0);
  });

  it('accepts duplicates and out-of-order receipts (200) without changing the record', async () => {
    // Prepare
    const genesysMessageId = await sendThroughSandbox('webhook integration: repeats');
    await eventually(
      () => store.getReceipts(genesysMessageId),
      (value) => value?.status === 'read',
    );
    await sandbox.webhookIdle();
    const before = await store.getReceipts(genesysMessageId);

    // Act
    const late = await sandbox.postReceipt(genesysMessageId, 'Delivered');
    const duplicate = await sandbox.postReceipt(genesysMessageId, 'Read');
    const after = await store.getReceipts(genesysMessageId);

    // Assess
    expect(late).toMatchObject({ ok: true, attempts: 1, lastStatus: 200 });
    expect(duplicate).toMatchObject({ ok: true, attempts: 1, lastStatus: 200 });
    expect(after?.status).toBe('read');
    expect(after?.history).toEqual(before?.history);
  });

  it('records a failure with its reason codes, and a receipt that arrives before any send record', async () => {
    // Prepare
    const genesysMessageId = `unknown-to-us-${Date.now()}`;

    // Act
    const delivery = await sandbox.postReceipt(genesysMessageId, 'Failed', {
      reasons: [{ code: 'RecipientOptedOut', message: 'The recipient opted out.' }],
    });

    // Assess
    expect(delivery.ok).toBe(true);
    expect(await store.getReceipts(genesysMessageId)).toMatchObject({
      status: 'failed',
      final: true,
      reasons: ['RecipientOptedOut'],
    });
  });

  it('answers 401 and writes nothing for a wrongly signed receipt', async () => {
    // Prepare
    const genesysMessageId = `forged-${Date.now()}`;
    const body = JSON.stringify(receiptBody(genesysMessageId, 'Read'));

    // Act
    const answer = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(body, 'forger') },
      body,
    });

    // Assess
    expect(answer.status).toBe(401);
    expect(await store.getReceipts(genesysMessageId)).toBeUndefined();
  });

  it('records the statuses of an EventBridge conversation message event', async () => {
    // Prepare
    const delivered = `eb-delivered-${Date.now()}`;
    const failed = `eb-failed-${Date.now()}`;
    const event = conversationMessageEvent([
      {
        messages: [
          {
            messageId: delivered,
            messageStatus: 'delivery-success',
            messageTime: '2026-11-25T10:00:03.000Z',
          },
          { messageId: failed, messageStatus: 'delivery-failed', errorInfo: { code: 'InvalidDestination' } },
        ],
      },
    ]);

    // Act
    const result = await handler(event, context);

    // Assess
    expect(result).toEqual({ received: 2, applied: 2 });
    expect(await store.getReceipts(delivered)).toMatchObject({
      status: 'delivered',
      conversationId: 'conversation-9',
    });
    expect(await store.getReceipts(failed)).toMatchObject({
      status: 'failed',
      reasons: ['InvalidDestination'],
    });
  });
});
