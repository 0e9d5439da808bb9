import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalQueues, startLocalQueues } from '../../local/fauxqs-queues';
import { type SqsEventSource, startSqsEventSource } from '../../local/sqs-event-source';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import { requestHash } from '../../shared/delivery/request-hash';
import { createRetryBatchHandler } from '../../shared/delivery/retry-batch-handler';
import { SqsRetryQueue } from '../../shared/delivery/retry-queue';
import { parseSendRequest } from '../../shared/messages/send-request';
import { sweepPendingSends } from '../../shared/reconcile/sweep-pending-sends';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';
import { waitFor } from '../support/wait-for';

const LEASE_MS = 1_000;
const target = {
  kind: 'conversation',
  conversationId: 'c0ffee00-0000-4000-8000-0000000005e1',
  communicationId: 'c0ffee00-0000-4000-8000-0000000005e2',
} as const;

let harness: DeliveryHarness;
let queues: LocalQueues;
let retryQueue: SqsRetryQueue;
let healthy: DeliveryService;
let poller: SqsEventSource;

function request(id: string) {
  return parseSendRequest({ idempotencyKey: id, target, message: { text: `sweep ${id}` } });
}

function copiesOf(id: string): number {
  return harness.sandbox.messages().filter((m) => JSON.stringify(m.body).includes(`sweep ${id}"`)).length;
}

const sweep = () =>
  sweepPendingSends({
    store: harness.store,
    retryQueue: async () => retryQueue,
    minAgeSeconds: 0,
    limit: 100,
  });

beforeAll(async () => {
  harness = await startDeliveryHarness();
  queues = await startLocalQueues({ visibilityTimeoutSeconds: 5 });
  retryQueue = new SqsRetryQueue(queues.sqs, queues.retryQueueUrl, queues.deadLetterQueueUrl);
  healthy = harness.delivery({ retryQueue, leaseMs: LEASE_MS });
  poller = startSqsEventSource({
    sqs: queues.sqs,
    queueUrl: queues.retryQueueUrl,
    queueArn: queues.retryQueueArn,
    handler: createRetryBatchHandler(() => ({ delivery: healthy, retryQueue: async () => retryQueue })),
    waitTimeSeconds: 1,
  });
});

afterAll(async () => {
  await poller.stop();
  await queues.stop();
  await harness.close();
});

describe('sweepPendingSends', () => {
  it('sends, exactly once, a message whose send function died mid-call while nobody called again', async () => {
    // Prepare: a send function takes the lease and hangs in its Genesys call until Lambda kills it
    const neverAnswers = { request: () => new Promise<never>(() => undefined) };
    const dying = harness.delivery({ retryQueue, leaseMs: LEASE_MS, genesys: neverAnswers });
    void dying.accept(request('died'), { messageId: 'died', source: 'send' });
    await waitFor(
      () => harness.store.get('died'),
      (r) => r?.leaseOwner !== undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 100));
    // Act
    const report = await sweep();
    const record = await waitFor(
      () => harness.store.get('died'),
      (r) => r?.status === 'sent',
    );
    // Assess
    expect(report).toMatchObject({ requeued: 1, leased: 0 });
    // Accepted, then sent by the retry path; on a busy machine an attempt may first run out of its short
    // deadline (1 s lease here) and be retried: never a second copy.
    const steps = record?.history.map((h) => [h.status, h.source]) ?? [];
    expect(steps[0]).toEqual(['accepted', 'send']);
    expect(steps.at(-1)).toEqual(['sent', 'retry']);
    expect(steps.slice(1, -1).every(([status]) => status === 'retrying')).toBe(true);
    expect(copiesOf('died')).toBe(1);
    expect(await sweep()).toMatchObject({ found: 0 });
  });

  it('leaves alone a message whose worker still holds a live lease', async () => {
    // Prepare
    await harness.store.create({
      messageId: 'busy',
      status: 'accepted',
      requestHash: requestHash(request('busy')),
      request: request('busy'),
      targetKind: 'conversation',
      source: 'send',
    });
    await harness.store.acquireLease('busy', 'a-live-worker', 60_000);
    // Act
    const report = await sweep();
    // Assess
    expect(report).toMatchObject({ found: 1, requeued: 0, leased: 1 });
    expect(copiesOf('busy')).toBe(0);
  });

  it('sends a scheduled message whose schedule never fired', async () => {
    // Prepare: due a moment ago, never triggered (the scheduler lost it, or was never reached)
    const due = new Date(Date.now() - 1000).toISOString();
    await harness.store.create({
      messageId: 'forgotten',
      status: 'scheduled',
      requestHash: requestHash(request('forgotten')),
      request: request('forgotten'),
      targetKind: 'conversation',
      sendAt: due,
      source: 'send',
    });
    // Act
    const report = await sweep();
    const record = await waitFor(
      () => harness.store.get('forgotten'),
      (r) => r?.status === 'sent',
    );
    // Assess
    expect(report.requeued).toBeGreaterThanOrEqual(1);
    expect(record?.attempts).toBe(1);
    expect(copiesOf('forgotten')).toBe(1);
  });
});
