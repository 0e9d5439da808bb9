import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { restApiEvent } from '../../local/api-gateway-events';
import type { HttpAnswer } from '../../shared/http/api-gateway';
import { handleSendEvent } from '../../shared/send-api/handle-send-event';
import { type DeliveryHarness, sqsRetryQueue, startDeliveryHarness } from '../support/delivery-harness';

const CONVERSATION = {
  kind: 'conversation',
  conversationId: 'c0ffee00-0000-4000-8000-000000000001',
  communicationId: 'c0ffee00-0000-4000-8000-000000000002',
};

mockClient(SQSClient);
let harness: DeliveryHarness;

async function post(body: unknown) {
  const delivery = harness.delivery({
    retryQueue: sqsRetryQueue(undefined, 'https://sqs.invalid/q', 'https://sqs.invalid/dlq'),
  });
  const event = restApiEvent({
    method: 'POST',
    path: '/messages',
    resource: '/messages',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await handleSendEvent(event, {}, { delivery })) as HttpAnswer;
  return { statusCode: answer.statusCode, headers: answer.headers, body: JSON.parse(answer.body) };
}

beforeAll(async () => {
  harness = await startDeliveryHarness();
});

afterAll(async () => {
  await harness.close();
});

beforeEach(async () => {
  await harness.freshTable();
});

describe('send answers', () => {
  it('answers a replay with the current status, as GET shows it, not the first call\'s "sent"', async () => {
    // Prepare: sent, then Genesys' read receipt recorded
    const request = { idempotencyKey: 'replay-read', target: CONVERSATION, message: { text: 'hi' } };
    const first = await post(request);
    expect(first.body.status).toBe('sent');
    await harness.store.applyReceipt({
      genesysMessageId: first.body.genesysMessageId,
      status: 'read',
      source: 'webhook',
      at: new Date().toISOString(),
    });
    // Act
    const replay = await post(request);
    // Assess
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.status).toBe('read');
    expect((await harness.store.getMerged('replay-read'))?.status).toBe('read');
  });

  it('refuses a sendAt more than a year ahead with a 400 that names no message id', async () => {
    // Act: no idempotency key, so the service would have generated one
    const answer = await post({
      target: CONVERSATION,
      message: { text: 'far away' },
      sendAt: new Date(Date.now() + 400 * 24 * 3600 * 1000).toISOString(),
    });
    // Assess
    expect(answer.statusCode).toBe(400);
    expect(answer.body.error.issues).toEqual([{ path: 'sendAt', message: 'must be at most one year ahead' }]);
    expect(answer.body).not.toHaveProperty('messageId');
  });
});
