/** The webhook as the reliability tests drive it: the real handler, the real status store on dynalite. */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpRequestShape, httpApiEvent, restApiEvent } from '../../local/api-gateway-events';
import type { HttpAnswer } from '../../shared/http/api-gateway';
import { logger } from '../../shared/observability/telemetry';
import { DynamoStatusStore } from '../../shared/status/dynamo-status-store';
import type { ReceiptEvent } from '../../shared/status/types';
import { createWebhookHandler, type WebhookHandler } from '../../shared/webhook/create-webhook-handler';
import { SIGNATURE_HEADER_DISPLAY, signWebhookBody } from '../../shared/webhook/verify-signature';
import { staticWebhookSecrets } from '../../shared/webhook/webhook-secret';
import { type DynaliteHandle, startDynalite } from '../support/dynalite';
import { registerSecret } from '../support/log-capture';

export const WEBHOOK_SECRET = 'whsec-reliability-7c1f0e2d9b';
registerSecret(WEBHOOK_SECRET);

export interface WebhookRig {
  dynamo: DynaliteHandle;
  store: DynamoStatusStore;
  tableName: string;
  handle: WebhookHandler;
  /** applyReceipt calls the handler made (a refused request makes none). */
  writes: ReceiptEvent[];
  /** Items in the table (send and receipt items). */
  itemCount(): Promise<number>;
  close(): Promise<void>;
}

export async function startWebhookRig(): Promise<WebhookRig> {
  const dynamo = await startDynalite();
  const tableName = await dynamo.createStatusTable();
  const store = new DynamoStatusStore({ tableName, client: dynamo.client });
  const writes: ReceiptEvent[] = [];
  const recording = {
    applyReceipt(event: ReceiptEvent) {
      writes.push(event);
      return store.applyReceipt(event);
    },
  };
  const handle = createWebhookHandler({
    logger,
    dependencies: { store: recording, secrets: staticWebhookSecrets(WEBHOOK_SECRET) },
  });
  return {
    dynamo,
    store,
    tableName,
    handle,
    writes,
    async itemCount() {
      const page = await dynamo.client.send(
        new ScanCommand({ TableName: tableName, Select: 'COUNT', ConsistentRead: true }),
      );
      return page.Count ?? 0;
    },
    close: () => dynamo.close(),
  };
}

/** A POST to /webhooks/genesys as API Gateway (REST v1 or HTTP API v2) hands it to the function. */
export function webhookEvent(
  body: string | Buffer,
  headers: Record<string, string>,
  options: { v2?: boolean; method?: string } = {},
): APIGatewayProxyEvent | APIGatewayProxyEventV2 {
  const shape: HttpRequestShape = {
    method: options.method ?? 'POST',
    path: '/webhooks/genesys',
    resource: '/webhooks/genesys',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  };
  return options.v2 ? httpApiEvent(shape) : restApiEvent(shape);
}

/** The signature header Genesys would send for these exact bytes. */
export function signedHeaders(body: string | Buffer, secret = WEBHOOK_SECRET): Record<string, string> {
  return {
    [SIGNATURE_HEADER_DISPLAY]: signWebhookBody(
      typeof body === 'string' ? body : new Uint8Array(body),
      secret,
    ),
  };
}

export async function answer(
  rig: WebhookRig,
  event: unknown,
): Promise<{ statusCode: number; body: Record<string, any> }> {
  const result = (await rig.handle(event)) as HttpAnswer;
  return { statusCode: result.statusCode, body: JSON.parse(result.body) as Record<string, any> };
}

const CHANNEL = {
  id: '5e1a7d2c-0000-4000-8000-5a4db0c0ffee',
  platform: 'Open',
  type: 'Private',
  messageId: 'provider-1',
  to: { id: 'customer-1' },
  from: { id: '5e1a7d2c-0000-4000-8000-5a4db0c0ffee' },
  time: '2026-11-25T10:00:01.000Z',
};

/** An Open Messaging receipt as Genesys posts it. */
export function receiptJson(genesysMessageId: string, status: string, time = CHANNEL.time): string {
  return JSON.stringify({
    id: genesysMessageId,
    channel: { ...CHANNEL, time },
    type: 'Receipt',
    status,
    isFinalReceipt: status === 'Read' || status === 'Failed',
    direction: 'Outbound',
    conversationId: 'c0ffee00-0000-4000-8000-00000000c0c0',
  });
}
