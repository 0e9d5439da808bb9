import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalQueues, startLocalQueues } from '../../local/fauxqs-queues';
import { type SqsEventSource, startSqsEventSource } from '../../local/sqs-event-source';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import { createRetryBatchHandler } from '../../shared/delivery/retry-batch-handler';
import { SqsRetryQueue } from '../../shared/delivery/retry-queue';
import { parseSendRequest } from '../../shared/messages/send-request';
import type { SendRecord } from '../../shared/status/types';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';
import { waitFor } from '../support/wait-for';

const CONVERSATION = {
  kind: 'conversation',
  conversationId: 'c0ffee00-0000-4000-8000-00000000000a',
  communicationId: 'c0ffee00-0000-4000-8000-00000000000b',
} as const;

let harness: DeliveryHarness;
let queues: LocalQueues;
let retryQueue: SqsRetryQueue;
let eventSource: SqsEventSource;
let delivery: DeliveryService;
let counter = 0;

function settled(id: string): Promise<SendRecord | undefined> {
  return waitFor(
    () => harness.store.get(id),
    (r) => r?.status === 'sent' || r?.status === 'failed',
  );
}

/** Sends a uniquely worded text, so the sandbox's delivery count per body is a count per message. */
async function accept(id: string) {
  const request = parseSendRequest({
    idempotencyKey: id,
    target: CONVERSATION,
    message: { text: `message ${id}` },
  });
  return delivery.accept(request, { messageId: id, source: 'send' });
}

function deliveriesOf(id: string): number {
  return harness.sandbox.messages().filter((m) => JSON.stringify(m.body).includes(`message ${id}"`)).length;
}

async function deadLetters(): Promise<{ body: string; reason: string | undefined }[]> {
  const received = await queues.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queues.deadLetterQueueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ['All'],
      VisibilityTimeout: 0,
    }),
  );
  return (received.Messages ?? []).map((m) => ({
    body: m.Body ?? '',
    reason: m.MessageAttributes?.reason?.StringValue,
  }));
}

/** The retry function behind Lambda's SQS event source, on fauxqs. */
function startRetryPoller(concurrency = 1): SqsEventSource {
  return startSqsEventSource({
    sqs: queues.sqs,
    queueUrl: queues.retryQueueUrl,
    queueArn: queues.retryQueueArn,
    handler: createRetryBatchHandler(() => ({ delivery, retryQueue: async () => retryQueue })),
    waitTimeSeconds: 1,
    concurrency,
  });
}

beforeAll(async () => {
  harness = await startDeliveryHarness();
  queues = await startLocalQueues({ visibilityTimeoutSeconds: 5, maxReceiveCount: 3 });
  retryQueue = new SqsRetryQueue(queues.sqs, queues.retryQueueUrl, queues.deadLetterQueueUrl);
  delivery = harness.delivery({
    retryQueue,
    policy: { maxAttempts: 4, baseDelaySeconds: 1 },
    // The smallest jitter: retries wait exactly what Genesys asked for (Retry-After), else no time at all.
    random: () => 0,
  });
  eventSource = startRetryPoller();
});

afterAll(async () => {
  await eventSource.stop();
  await queues.stop();
  await harness.close();
});

beforeEach(() => {
  counter++;
});

describe('retry: through SQS with real queue semantics', () => {
  it('waits out Retry-After: 2 before calling Genesys again, then records sent', async () => {
    // Prepare
    const id = `throttled-${counter}`;
    harness.sandbox.injectFaults([{ type: 'status', status: 429, retryAfterSeconds: 2 }]);
    // Act
    const first = await accept(id);
    const throttledAt = Date.now();
    const record = await settled(id);
    // Assess
    expect(first.status).toBe('retrying');
    expect(record).toMatchObject({ status: 'sent', attempts: 2 });
    const sent = harness.sandbox.messages().find((m) => m.id === record?.genesysMessageId);
    expect(Date.parse(sent!.receivedAt) - throttledAt).toBeGreaterThanOrEqual(1_900);
    expect(record?.history.map((h) => h.status)).toEqual(['accepted', 'retrying', 'sent']);
    expect(record?.history[1]?.reason).toContain('throttled');
  });

  it('sends on attempt 3 after 503, 503', async () => {
    // Prepare
    const id = `flaky-${counter}`;
    harness.sandbox.injectFaults([
      { type: 'status', status: 503 },
      { type: 'status', status: 503 },
    ]);
    // Act
    await accept(id);
    const record = await settled(id);
    // Assess
    expect(record).toMatchObject({ status: 'sent', attempts: 3 });
    expect(deliveriesOf(id)).toBe(1);
  });

  it('records failed with Genesys reason when a retry meets a permanent 400', async () => {
    // Prepare
    const id = `refused-${counter}`;
    harness.sandbox.injectFaults([
      { type: 'status', status: 503 },
      { type: 'status', status: 400, code: 'bad.request', message: 'Conversation is disconnected' },
    ]);
    // Act
    await accept(id);
    const record = await settled(id);
    // Assess
    expect(record?.status).toBe('failed');
    expect(record?.lastError).toMatchObject({
      status: 400,
      code: 'bad.request',
      message: 'Conversation is disconnected',
    });
    expect(deliveriesOf(id)).toBe(0);
  });

  it('fails with "retries exhausted" and parks the message in the DLQ with the reason once the budget is spent', async () => {
    // Prepare
    const id = `exhausted-${counter}`;
    harness.sandbox.injectFaults(Array.from({ length: 4 }, () => ({ type: 'status' as const, status: 503 })));
    // Act
    await accept(id);
    const record = await settled(id);
    const parked = await waitFor(deadLetters, (list) => list.some((m) => m.body.includes(id)));
    // Assess
    expect(record?.status).toBe('failed');
    expect(record?.attempts).toBe(4);
    expect(record?.lastError?.reason).toMatch(/^retries exhausted: 4 attempts made; last error: HTTP 503/);
    const letter = parked.find((m) => m.body.includes(id));
    expect(letter?.reason).toMatch(/retries exhausted/);
    expect(JSON.parse(letter!.body)).toMatchObject({ messageId: id, attempt: 4 });
  });

  it('makes one Genesys call when SQS delivers the same retry message twice', async () => {
    // Prepare: a failed first attempt leaves exactly one retry message; SQS then hands over a duplicate.
    const id = `duplicate-${counter}`;
    await eventSource.stop();
    harness.sandbox.injectFaults([{ type: 'status', status: 503 }]);
    await accept(id);
    const body = JSON.stringify({
      messageId: id,
      attempt: 2,
      firstAttemptAt: new Date().toISOString(),
      notBefore: new Date().toISOString(),
    });
    await queues.sqs.send(new SendMessageCommand({ QueueUrl: queues.retryQueueUrl, MessageBody: body }));
    // Act
    eventSource = startRetryPoller(2);
    const record = await settled(id);
    await new Promise((r) => setTimeout(r, 1500));
    // Assess
    expect(record?.status).toBe('sent');
    expect(deliveriesOf(id)).toBe(1);
    expect(harness.sandbox.duplicates()).toEqual([]);
  });

  it('sends an unreadable record to the DLQ with the parse error and still processes the rest of its batch', async () => {
    // Prepare
    const id = `batch-mate-${counter}`;
    await eventSource.stop();
    harness.sandbox.injectFaults([{ type: 'status', status: 503 }]);
    await accept(id);
    const poison = `{"messageId":"poison-${counter}","attempt":"two"}`;
    await queues.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queues.retryQueueUrl,
        Entries: [{ Id: 'p', MessageBody: poison }],
      }),
    );
    // Act
    eventSource = startRetryPoller();
    const record = await settled(id);
    const parked = await waitFor(deadLetters, (list) => list.some((m) => m.body === poison));
    // Assess
    expect(record?.status).toBe('sent');
    expect(parked.find((m) => m.body === poison)?.reason).toMatch(/^unreadable retry message: attempt: /);
  });
});
