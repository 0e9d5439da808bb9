import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { restApiEvent } from '../../local/api-gateway-events';
import { type LocalQueues, startLocalQueues } from '../../local/fauxqs-queues';
import type { Fault } from '../../local/sandbox';
import { type SqsEventSource, startSqsEventSource } from '../../local/sqs-event-source';
import { DeliveryService } from '../../shared/delivery/delivery-service';
import { createRetryBatchHandler } from '../../shared/delivery/retry-batch-handler';
import { DEFAULT_RETRY_POLICY } from '../../shared/delivery/retry-policy';
import { SqsRetryQueue } from '../../shared/delivery/retry-queue';
import type { HttpAnswer } from '../../shared/http/api-gateway';
import { renderForTarget } from '../../shared/messages/render';
import { parseSendRequest, type SendRequest } from '../../shared/messages/send-request';
import { sweepPendingSends } from '../../shared/reconcile/sweep-pending-sends';
import { handleSendEvent } from '../../shared/send-api/handle-send-event';
import type { SendRecord } from '../../shared/status/types';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';
import { waitFor } from '../support/wait-for';

type BatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const CONVERSATION = {
  kind: 'conversation',
  conversationId: 'c0ffee00-0000-4000-8000-0000000c0001',
  communicationId: 'c0ffee00-0000-4000-8000-0000000c0002',
} as const;
/** Lambda's context as far as the batch handler reads it. */
const LAMBDA_CONTEXT = { getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
/** A retry queue record comes back this long after a failed (or abandoned) batch. */
const VISIBILITY_TIMEOUT_SECONDS = 2;
/** Short, so a dead worker's message is picked up within the test. Longer than one Genesys call. */
const LEASE_MS = 1_000;
const GENESYS_TIMEOUT_MS = 800;

let harness: DeliveryHarness;
let queues: LocalQueues;
let retryQueue: SqsRetryQueue;
let delivery: DeliveryService;
let eventSource: SqsEventSource | undefined;
let run = 0;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const ids = (count: number) => Array.from({ length: count }, (_, i) => `crash-${run}-${i}`);

/** Every listed message reaches `sent` (or `failed`); returns their records. */
function allSettled(messageIds: readonly string[], timeoutMs = 20_000): Promise<(SendRecord | undefined)[]> {
  return waitFor(
    () => Promise.all(messageIds.map((id) => harness.store.get(id))),
    (records) => records.every((r) => r?.status === 'sent' || r?.status === 'failed'),
    timeoutMs,
  );
}

/** Copies of the message that Genesys (the sandbox) accepted: its text names the message. */
function deliveriesOf(id: string): number {
  return harness.sandbox.messages().filter((m) => JSON.stringify(m.body).includes(`[${id}]`)).length;
}

/** Sends each message once while Genesys answers 503: each ends `retrying` with one record on the retry queue. */
async function queueForRetry(messageIds: readonly string[]): Promise<void> {
  harness.sandbox.injectFaults(messageIds.map((): Fault => ({ type: 'status', status: 503 })));
  for (const id of messageIds) {
    const request = parseSendRequest({
      idempotencyKey: id,
      target: CONVERSATION,
      message: { text: `Hello [${id}]` },
    });
    const result = await delivery.accept(request, { messageId: id, source: 'send' });
    expect(result.status).toBe('retrying');
  }
}

function startRetryFunction(handler: BatchHandler): void {
  eventSource = startSqsEventSource({
    sqs: queues.sqs,
    queueUrl: queues.retryQueueUrl,
    queueArn: queues.retryQueueArn,
    handler: (event) => handler(event, LAMBDA_CONTEXT),
    batchSize: 10,
    waitTimeSeconds: 1,
  });
}

/**
 * The one recovery path for a dead lease holder (docs/delivery.md): once its lease has ended, the
 * pending-outcome sweep hands the message back to the retry queue.
 */
async function sweepAfterLease(): Promise<void> {
  await sleep(LEASE_MS + 100);
  await sweepPendingSends({
    store: harness.store,
    retryQueue: async () => retryQueue,
    minAgeSeconds: 0,
    limit: 100,
  });
}

const realRetryFunction = (): BatchHandler =>
  createRetryBatchHandler(() => ({ delivery, retryQueue: async () => retryQueue }));

/** What the crashing wrapper saw: the batch it crashed in and the receive counts of later batches. */
interface CrashLog {
  crashes: number;
  crashedBatchSize: number;
  receiveCounts: string[];
}

/**
 * The real retry function, dying once in its first batch of more than `after` records, after
 * processing `after` of them: by throwing, or (timeout) by being abandoned when Lambda's time runs out —
 * records not started by then are never started, as in a frozen Lambda runtime.
 */
function crashingRetryFunction(
  after: number,
  mode: 'throw' | 'timeout',
  lambdaTimeoutMs = 500,
): { handler: BatchHandler; log: CrashLog } {
  const real = realRetryFunction();
  const log: CrashLog = { crashes: 0, crashedBatchSize: 0, receiveCounts: [] };
  const handler: BatchHandler = async (event, context) => {
    if (log.crashes > 0 || event.Records.length <= after) {
      log.receiveCounts.push(...event.Records.map((r) => r.attributes.ApproximateReceiveCount));
      return real(event, context);
    }
    log.crashes += 1;
    log.crashedBatchSize = event.Records.length;
    if (mode === 'throw') {
      await real({ Records: event.Records.slice(0, after) }, context);
      throw new Error(`retry function crashed after ${after} of ${event.Records.length} records`);
    }
    let abandoned = false;
    const work = (async () => {
      for (const record of event.Records) {
        if (abandoned) return;
        await real({ Records: [record] }, context);
      }
    })();
    await Promise.race([work, sleep(lambdaTimeoutMs)]);
    abandoned = true;
    throw new Error(`Task timed out after ${lambdaTimeoutMs} ms`);
  };
  return { handler, log };
}

beforeAll(async () => {
  harness = await startDeliveryHarness({ rateLimit: false }, { genesysTimeoutMs: GENESYS_TIMEOUT_MS });
});

afterAll(async () => {
  await harness.close();
});

beforeEach(async () => {
  run += 1;
  await harness.freshTable();
  harness.sandbox.resetStats();
  queues = await startLocalQueues({
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
    maxReceiveCount: 10,
  });
  retryQueue = new SqsRetryQueue(queues.sqs, queues.retryQueueUrl, queues.deadLetterQueueUrl);
  delivery = harness.delivery({
    retryQueue,
    policy: { maxAttempts: 5, baseDelaySeconds: 1 },
    leaseMs: LEASE_MS,
    // No jitter: a retry is due at once, so the batch is on the queue when the retry function starts.
    random: () => 0,
  });
});

afterEach(async () => {
  await eventSource?.stop();
  eventSource = undefined;
  await queues.stop();
});

describe('crash injection: the retry function dies mid-batch', () => {
  it('throws after 2 of 6 records: the batch comes back, the 2 done are skipped, the rest sent, none twice', async () => {
    // Prepare
    const messages = ids(6);
    await queueForRetry(messages);
    const { handler, log } = crashingRetryFunction(2, 'throw');

    // Act
    startRetryFunction(handler);
    const records = await allSettled(messages);

    // Assess
    expect(log.crashes).toBe(1);
    expect(log.crashedBatchSize).toBe(6);
    expect(log.receiveCounts).toContain('2');
    expect(records.map((r) => r?.status)).toEqual(Array(6).fill('sent'));
    expect(messages.map(deliveriesOf)).toEqual(Array(6).fill(1));
    expect(harness.sandbox.duplicates()).toEqual([]);
    // Each message made exactly two Genesys calls: the 503 and the one that sent it.
    expect(records.map((r) => r?.attempts)).toEqual(Array(6).fill(2));
  });

  it('times out (abandoned by Lambda) while a Genesys call is in flight: unfinished records come back, none sent twice', async () => {
    // Prepare: the third record's Genesys call is slow (600 ms, under the 800 ms client timeout).
    const messages = ids(6);
    await queueForRetry(messages);
    harness.sandbox.injectFaults([
      { type: 'latency', ms: 0 },
      { type: 'latency', ms: 0 },
      { type: 'latency', ms: 600 },
    ]);
    const { handler, log } = crashingRetryFunction(2, 'timeout', 400);

    // Act
    startRetryFunction(handler);
    const records = await allSettled(messages);
    // Let any late redelivery of the abandoned batch run before counting.
    await sleep(VISIBILITY_TIMEOUT_SECONDS * 1000 + 500);

    // Assess
    expect(log.crashes).toBe(1);
    expect(log.receiveCounts).toContain('2');
    expect(records.map((r) => r?.status)).toEqual(Array(6).fill('sent'));
    expect(messages.map(deliveriesOf)).toEqual(Array(6).fill(1));
    expect(harness.sandbox.duplicates()).toEqual([]);
  });
});

describe('crash injection: a worker dies holding the lease', () => {
  it('picks the message up after the lease expires and sends it exactly once', async () => {
    // Prepare: the message waits on the retry queue; a worker took its lease and died before calling Genesys.
    const [id] = ids(1) as [string];
    await queueForRetry([id]);
    const dead = await harness.store.acquireLease(id, 'worker-that-died', LEASE_MS);
    expect(dead.acquired).toBe(true);
    const diedAt = Date.now();

    // Act: its queued retry finds the lease held and leaves it; the sweep hands it back after the lease
    startRetryFunction(realRetryFunction());
    await sweepAfterLease();
    const [record] = await allSettled([id]);

    // Assess
    expect(record?.status).toBe('sent');
    expect(deliveriesOf(id)).toBe(1);
    const sent = harness.sandbox.messages().find((m) => m.id === record?.genesysMessageId);
    expect(Date.parse(sent!.receivedAt)).toBeGreaterThanOrEqual(diedAt + LEASE_MS);
    expect(record?.leaseOwner).not.toBe('worker-that-died');
  });

  it('a worker that dies after Genesys took a conversation message but before recording it: the next worker finds it there and sends nothing', async () => {
    // Prepare: a worker holds the lease, calls Genesys (accepted) and dies before markSent.
    const [id] = ids(1) as [string];
    await queueForRetry([id]);
    const dead = await harness.store.acquireLease(id, 'worker-that-died', LEASE_MS);
    expect(dead.acquired).toBe(true);
    const record = dead.acquired ? dead.record : undefined;
    const rendered = renderForTarget(record!.request as SendRequest);
    const outcome = await harness.genesys.request('POST', rendered.path, rendered.body);
    expect(outcome.kind).toBe('sent');
    const genesysId = outcome.kind === 'sent' ? (outcome.data as { id: string }).id : undefined;

    // Act
    startRetryFunction(realRetryFunction());
    await sweepAfterLease();
    const [settled] = await allSettled([id]);

    // Assess: the abandoned lease makes the outcome ambiguous; the look finds the copy Genesys took.
    expect(settled).toMatchObject({ status: 'sent', genesysMessageId: genesysId });
    expect(settled?.history.at(-1)?.reason).toMatch(/found in the conversation/);
    expect(deliveriesOf(id)).toBe(1);
  });

  it('documents the at-least-once window: the same on an agentless target (no listing to look in) → sent again after the lease', async () => {
    // Prepare
    const id = ids(1)[0]!;
    const request = parseSendRequest({
      idempotencyKey: id,
      target: {
        kind: 'agentless',
        messengerType: 'sms',
        fromAddress: '+13175550100',
        toAddress: '+13175550199',
      },
      message: { text: `Hello [${id}]` },
    });
    harness.sandbox.injectFaults([{ type: 'status', status: 503 }]);
    await delivery.accept(request, { messageId: id, source: 'send' });
    const dead = await harness.store.acquireLease(id, 'worker-that-died', LEASE_MS);
    const rendered = renderForTarget((dead.acquired ? dead.record : undefined)!.request as SendRequest);
    expect((await harness.genesys.request('POST', rendered.path, rendered.body)).kind).toBe('sent');

    // Act
    startRetryFunction(realRetryFunction());
    await sweepAfterLease();
    const [settled] = await allSettled([id]);

    // Assess: Genesys has no idempotency key for sends and agentless messages cannot be listed: a second copy.
    expect(settled?.status).toBe('sent');
    expect(settled?.history.at(-1)?.reason).toMatch(/no listing to look in/);
    expect(deliveriesOf(id)).toBe(2);
  });
});

describe('crash injection: the send function dies holding the lease of a new message', () => {
  it('a caller retry inside the lease gets 202, and the message is sent exactly once after the lease', async () => {
    // Prepare: the first send function takes the lease, then hangs in its Genesys call (a Lambda timeout).
    const [id] = ids(1) as [string];
    const request = { idempotencyKey: id, target: CONVERSATION, message: { text: `Hello [${id}]` } };
    const post = (service: DeliveryService) =>
      handleSendEvent(
        restApiEvent({
          method: 'POST',
          path: '/messages',
          resource: '/messages',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request),
        }),
        {},
        { delivery: service },
      ) as Promise<HttpAnswer>;
    const dying = new DeliveryService({
      store: harness.store,
      genesys: () => ({ request: () => new Promise<never>(() => undefined) }),
      retryQueue: async () => retryQueue,
      scheduler: async () => {
        throw new Error('no scheduler in this test');
      },
      policy: DEFAULT_RETRY_POLICY,
      leaseMs: LEASE_MS,
    });
    void post(dying);
    await waitFor(
      () => harness.store.get(id),
      (record) => record?.leaseOwner !== undefined,
    );
    startRetryFunction(realRetryFunction());

    // Act: API Gateway answered 504 to the caller, who retries with the same key inside the lease window;
    // once the lease has ended, the sweep hands the message to the retry queue.
    const replay = await post(delivery);
    await sweepAfterLease();
    const [record] = await allSettled([id]);
    await sleep(LEASE_MS + 500);

    // Assess
    expect(replay.statusCode).toBe(202);
    expect(JSON.parse(replay.body)).toMatchObject({ messageId: id, status: 'accepted' });
    expect(record?.status).toBe('sent');
    expect(deliveriesOf(id)).toBe(1);
  });
});
