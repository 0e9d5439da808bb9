import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalQueues, startLocalQueues } from '../../local/fauxqs-queues';
import { TEST_ADDRESSES } from '../../local/sandbox/test-addresses';
import { type SqsEventSource, startSqsEventSource } from '../../local/sqs-event-source';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import { createRetryBatchHandler } from '../../shared/delivery/retry-batch-handler';
import { SqsRetryQueue } from '../../shared/delivery/retry-queue';
import { parseSendRequest } from '../../shared/messages/send-request';
import { answerForResult } from '../../shared/send-api/send-answer';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';
import { waitFor } from '../support/wait-for';

// The sandbox's test addresses (like a payment provider's test cards), through the real delivery path:
// the sandbox over loopback, dynalite, fauxqs and the retry function behind the SQS event source.

let harness: DeliveryHarness;
let queues: LocalQueues;
let eventSource: SqsEventSource;
let delivery: DeliveryService;

function agentless(toAddress: string) {
  return { kind: 'agentless', messengerType: 'sms', fromAddress: '+13175550100', toAddress };
}

function bot(botSessionId: string) {
  return { kind: 'botConnector', botId: 'order-bot', botVersion: '1', botSessionId, languageCode: 'en-us' };
}

function send(id: string, target: Record<string, unknown>) {
  const request = parseSendRequest({ idempotencyKey: id, target, message: { text: `test address ${id}` } });
  return delivery.accept(request, { messageId: id, source: 'send' });
}

async function deadLetterBodies(): Promise<string[]> {
  const received = await queues.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queues.deadLetterQueueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      VisibilityTimeout: 0,
    }),
  );
  return (received.Messages ?? []).map((m) => m.Body ?? '');
}

beforeAll(async () => {
  harness = await startDeliveryHarness({ rateLimit: false });
  queues = await startLocalQueues({ visibilityTimeoutSeconds: 5, maxReceiveCount: 3 });
  const retryQueue = new SqsRetryQueue(queues.sqs, queues.retryQueueUrl, queues.deadLetterQueueUrl);
  delivery = harness.delivery({
    retryQueue,
    policy: { maxAttempts: 2, baseDelaySeconds: 1 },
    random: () => 0,
  });
  eventSource = startSqsEventSource({
    sqs: queues.sqs,
    queueUrl: queues.retryQueueUrl,
    queueArn: queues.retryQueueArn,
    handler: createRetryBatchHandler(() => ({ delivery, retryQueue: async () => retryQueue })),
    waitTimeSeconds: 1,
    concurrency: 1,
  });
});

afterAll(async () => {
  await eventSource?.stop();
  await queues?.stop();
  await harness?.close();
});

describe('sandbox test addresses', () => {
  it.each(TEST_ADDRESSES.filter((t) => t.status < 429))(
    'a send to $toAddress (or bot session $botSessionId) is refused: Genesys $status, answered 422',
    async ({ toAddress, botSessionId, status, code }) => {
      // Act
      const toNumber = await send(`refused-${status}-sms`, agentless(toAddress));
      const toBot = await send(`refused-${status}-bot`, bot(botSessionId));
      // Assess
      for (const result of [toNumber, toBot]) {
        expect(result.status).toBe('failed');
        expect(result.error).toMatchObject({ status, code });
        expect(answerForResult(result).statusCode).toBe(422);
      }
    },
  );

  it.each(TEST_ADDRESSES.filter((t) => t.status >= 429))(
    'a send to $toAddress is retried until the budget is spent, then failed and dead-lettered',
    async ({ toAddress, status }) => {
      // Prepare
      const id = `dead-${status}`;
      // Act
      const first = await send(id, agentless(toAddress));
      const record = await waitFor(
        () => harness.store.get(id),
        (r) => r?.status === 'failed',
      );
      const letters = await waitFor(deadLetterBodies, (bodies) => bodies.some((b) => b.includes(id)));
      // Assess
      expect(first.status).toBe('retrying');
      expect(record?.attempts).toBe(2);
      expect(record?.lastError?.reason).toMatch(
        new RegExp(`^retries exhausted: 2 attempts made; last error: HTTP ${status}`),
      );
      expect(letters.some((b) => b.includes(id))).toBe(true);
    },
  );

  it('leaves every other address alone', async () => {
    // Act
    const result = await send('ordinary', agentless('+13175550199'));
    // Assess
    expect(result.status).toBe('sent');
  });
});
