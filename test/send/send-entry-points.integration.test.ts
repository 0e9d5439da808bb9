import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { restApiEvent } from '../../local/api-gateway-events';
import { DeliveryService } from '../../shared/delivery/delivery-service';
import { createRetryBatchHandler } from '../../shared/delivery/retry-batch-handler';
import type { RetryMessage } from '../../shared/delivery/retry-message';
import { DEFAULT_RETRY_POLICY } from '../../shared/delivery/retry-policy';
import type { RetryQueue } from '../../shared/delivery/retry-queue';
import type { SendScheduler } from '../../shared/delivery/send-scheduler';
import {
  type DirectResult,
  handleSendEvent,
  ScheduledMessageMissingError,
  SendFailedError,
} from '../../shared/send-api/handle-send-event';
import { DynamoStatusStore } from '../../shared/status/dynamo-status-store';
import { sendItemKey } from '../../shared/status/table-keys';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';

const SMS = {
  kind: 'agentless',
  messengerType: 'sms',
  fromAddress: '+13175550100',
  toAddress: '+13175550155',
};
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:genesys-send';
const DAY_S = 86_400;

class RecordingQueue implements RetryQueue {
  readonly messages: RetryMessage[] = [];
  readonly deadLetters: string[] = [];
  /** What the status record looked like when each retry was queued. */
  readonly leaseAtEnqueue: (string | undefined)[] = [];
  constructor(private readonly store: () => DynamoStatusStore) {}
  async enqueue(message: RetryMessage): Promise<void> {
    this.leaseAtEnqueue.push((await this.store().get(message.messageId))?.leaseOwner);
    this.messages.push(message);
  }
  async deadLetter(_body: string, reason: string): Promise<void> {
    this.deadLetters.push(reason);
  }
}

const scheduler: SendScheduler = {
  schedule: async ({ messageId }) => ({ scheduleName: `send-${messageId}` }),
};

let harness: DeliveryHarness;
let queue: RecordingQueue;
let delivery: DeliveryService;

function sms(id: string, text = `entry ${id}`) {
  return { idempotencyKey: id, target: SMS, message: { text } };
}

function sends(): number {
  return harness.sandbox.stats().requests.agentless;
}

beforeAll(async () => {
  harness = await startDeliveryHarness({ rateLimit: false });
});

afterAll(async () => {
  await harness.close();
});

beforeEach(async () => {
  await harness.freshTable();
  harness.sandbox.resetStats();
  queue = new RecordingQueue(() => harness.store);
  delivery = harness.delivery({ retryQueue: queue, scheduler, random: () => 0 });
});

describe('scheduled sends (item 1)', () => {
  it('keeps a record scheduled beyond the TTL until its send plus the TTL', async () => {
    // Prepare
    const sendAt = new Date(Date.now() + 200 * DAY_S * 1000).toISOString();
    // Act
    const [result] = (await handleSendEvent(
      [{ ...sms('far-ahead'), sendAt }],
      { invokedFunctionArn: FUNCTION_ARN },
      {
        delivery,
      },
    )) as DirectResult[];
    const item = await harness.dynamo.client.send(
      new GetCommand({ TableName: harness.tableName, Key: sendItemKey('far-ahead') }),
    );
    // Assess
    expect(result).toMatchObject({ statusCode: 202, status: 'scheduled' });
    expect(item.Item?.expiresAt).toBeGreaterThanOrEqual(Math.floor(Date.parse(sendAt) / 1000) + 90 * DAY_S);
  });

  it('throws when a schedule fires for a message without a record, instead of a quiet 422', async () => {
    // Act
    const fired = handleSendEvent({ scheduledSend: { messageId: 'expired-long-ago' } }, {}, { delivery });
    // Assess
    await expect(fired).rejects.toBeInstanceOf(ScheduledMessageMissingError);
  });
});

describe('our own faults reach asynchronous invokers (item 2)', () => {
  it('throws for a single request (raw-input rules and schedules, Event invokes) and answers per item for a batch', async () => {
    // Prepare: the status table is gone (a DynamoDB outage looks the same to the handler)
    const broken = new DeliveryService({
      store: new DynamoStatusStore({ tableName: 'no-such-table', client: harness.dynamo.client }),
      genesys: () => harness.genesys,
      retryQueue: async () => queue,
      scheduler: async () => scheduler,
      policy: DEFAULT_RETRY_POLICY,
      leaseMs: 30_000,
    });
    // Act
    // The rejection is awaited below: attach its handler now, so it never counts as unhandled meanwhile.
    const single = expect(handleSendEvent(sms('outage-1'), {}, { delivery: broken })).rejects.toBeInstanceOf(
      SendFailedError,
    );
    const batch = (await handleSendEvent(
      [sms('outage-2'), sms('outage-3')],
      {},
      { delivery: broken },
    )) as DirectResult[];
    // Assess
    await single;
    expect(batch.map((r) => [r.ok, r.statusCode])).toEqual([
      [false, 500],
      [false, 500],
    ]);
  });
});

describe('events of the wrong kind (item 9)', () => {
  it.each([
    ['null', null],
    ['a string', 'hello'],
    ['an SQS event', { Records: [{ eventSource: 'aws:sqs', body: '{}' }] }],
  ])('the send function answers %s with a clear 400 and sends nothing', async (_name, event) => {
    // Act
    const answer = (await handleSendEvent(event, {}, { delivery })) as DirectResult;
    // Assess
    expect(answer).toMatchObject({ ok: false, statusCode: 400, error: { code: 'invalid_event' } });
    expect((answer.error as { message: string }).message).toMatch(/the send function takes/);
    expect(sends()).toBe(0);
  });

  it.each([
    ['null', null],
    [
      'an API Gateway event',
      restApiEvent({ method: 'GET', path: '/messages/x', resource: '/messages/{id}' }),
    ],
  ])('the retry function refuses %s with a named error', async (_name, event) => {
    // Prepare
    const handler = createRetryBatchHandler(() => ({ delivery, retryQueue: async () => queue }));
    // Act / Assess
    await expect(handler(event as unknown as SQSEvent)).rejects.toThrow(
      /the retry function takes SQS events/,
    );
  });
});

describe('ordering and the retry batch (items 11 and 12)', () => {
  it('records the outcome before queuing the retry, so a retry due at once finds no lease', async () => {
    // Prepare
    harness.sandbox.injectFaults([{ type: 'status', status: 503 }]);
    // Act
    await handleSendEvent(sms('ordered'), {}, { delivery });
    // Assess
    expect(queue.messages).toHaveLength(1);
    expect(queue.leaseAtEnqueue).toEqual([undefined]);
  });

  it('hands a record it cannot start in time straight back to the queue, untouched', async () => {
    // Prepare
    harness.sandbox.injectFaults([{ type: 'status', status: 503 }]);
    await handleSendEvent(sms('late-record'), {}, { delivery });
    const before = await harness.store.get('late-record');
    const [message] = queue.messages.splice(0);
    const handler = createRetryBatchHandler(() => ({ delivery, retryQueue: async () => queue }));
    const event = {
      Records: [
        { messageId: 'sqs-1', body: JSON.stringify(message), eventSource: 'aws:sqs', attributes: {} },
      ],
    } as unknown as SQSEvent;
    // Act: 100 ms left in the invocation
    const answer = await handler(event, { getRemainingTimeInMillis: () => 100 } as unknown as Context);
    // Assess
    expect(answer.batchItemFailures).toEqual([]);
    expect(queue.messages).toEqual([message]);
    expect((await harness.store.get('late-record'))?.history).toEqual(before?.history);
    expect(sends()).toBe(1);
  });
});

// Last: it leaves unused latency faults queued in the sandbox.
describe('work within the function time (item 5)', () => {
  it('defers what cannot start in time to the retry queue as retrying, and answers every item', async () => {
    // Prepare: every Genesys call takes 300 ms; the function has about 2 s left
    harness.sandbox.injectFaults(Array.from({ length: 60 }, () => ({ type: 'latency' as const, ms: 300 })));
    const items = Array.from({ length: 50 }, (_, i) => sms(`batch-${i}`));
    const deadline = Date.now() + 2_000;
    const context = { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
    // Act
    const results = (await handleSendEvent(items, context, { delivery, reserveMs: 0 })) as DirectResult[];
    // Assess
    const sent = results.filter((r) => r.status === 'sent');
    const deferred = results.filter(
      (r) => r.status === 'retrying' && (r.lastError as { code?: string }).code === 'deferred',
    );
    expect(results).toHaveLength(50);
    expect(sent.length).toBeGreaterThan(0);
    expect(deferred.length).toBeGreaterThan(0);
    expect(sent.length + deferred.length).toBe(50);
    expect(sends()).toBe(sent.length);
    // Not started, so no attempt spent: each deferred message asks for its first call.
    expect(queue.messages.every((m) => m.attempt === 1)).toBe(true);
    expect(queue.messages).toHaveLength(deferred.length);
  });
});
