import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryService } from '../../shared/delivery/delivery-service';
import { DEFAULT_RETRY_POLICY } from '../../shared/delivery/retry-policy';
import { StaticCredentialsProvider } from '../../shared/genesys/credentials';
import { GenesysClient } from '../../shared/genesys/genesys-client';
import { RatePacer } from '../../shared/genesys/rate-pacer';
import { parseSendRequest } from '../../shared/messages/send-request';
import {
  type DeliveryHarness,
  SANDBOX_CLIENT,
  sqsRetryQueue,
  startDeliveryHarness,
} from '../support/delivery-harness';

const target = {
  kind: 'conversation',
  conversationId: 'c0ffee00-0000-4000-8000-00000000bac1',
  communicationId: 'c0ffee00-0000-4000-8000-00000000bac2',
} as const;
const sqsMock = mockClient(SQSClient);
let harness: DeliveryHarness;

function paced(requestsPerMinute: number): DeliveryService {
  const genesys = new GenesysClient({
    credentials: new StaticCredentialsProvider({ ...SANDBOX_CLIENT, region: 'us-east-1' }),
    baseUrls: { apiBaseUrl: harness.sandbox.url, loginBaseUrl: harness.sandbox.url },
    pacer: new RatePacer(requestsPerMinute),
  });
  return new DeliveryService({
    store: harness.store,
    genesys: () => genesys,
    retryQueue: async () => sqsRetryQueue(undefined, 'https://sqs.local/q', 'https://sqs.local/dlq'),
    scheduler: async () => {
      throw new Error('unused');
    },
    policy: DEFAULT_RETRY_POLICY,
    leaseMs: 30_000,
    random: () => 0,
  });
}

beforeAll(async () => {
  harness = await startDeliveryHarness();
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'x' });
});

afterAll(async () => {
  sqsMock.restore();
  await harness.close();
});

describe('pacing', () => {
  it('defers a send that would wait too long for a slot to the retry queue, without calling Genesys or spending an attempt', async () => {
    // Prepare: one call every 2 s; an API caller waits at most 1 s for its turn
    const delivery = paced(30);
    const send = (id: string) =>
      delivery.accept(parseSendRequest({ target, message: { text: id } }), { messageId: id, source: 'send' });
    const before = harness.sandbox.stats().requests.conversationMessage;
    // Act
    const first = await send('pace-1');
    const second = await send('pace-2');
    // Assess
    expect(first.status).toBe('sent');
    expect(second, JSON.stringify(second)).toMatchObject({ status: 'retrying', attempts: 0 });
    expect(harness.sandbox.stats().requests.conversationMessage - before).toBe(1);
    const queued = JSON.parse(sqsMock.commandCalls(SendMessageCommand).at(-1)!.args[0].input.MessageBody!);
    expect(queued).toMatchObject({ messageId: 'pace-2', attempt: 1 });
    expect((await harness.store.get('pace-2'))?.history.at(-1)?.reason).toMatch(
      /^paced: held back before calling Genesys: this instance paces its calls at 30 per minute .* next turn is \d+\.\d s away$/,
    );
  });

  it("says a deferred send waits for Genesys' Retry-After, not for a pace slot, after a 429", async () => {
    // Prepare: a fast pacer; Genesys throttles once with Retry-After: 3
    const delivery = paced(6000);
    harness.sandbox.injectFaults([{ type: 'status', status: 429, retryAfterSeconds: 3 }]);
    await delivery.accept(parseSendRequest({ target, message: { text: 'why-1' } }), {
      messageId: 'why-1',
      source: 'send',
    });
    // Act: an API caller waits at most 1 s, so the gate defers it
    const deferred = await delivery.accept(parseSendRequest({ target, message: { text: 'why-2' } }), {
      messageId: 'why-2',
      source: 'send',
    });
    // Assess
    expect(deferred.status).toBe('retrying');
    const reason = (await harness.store.get('why-2'))?.history.at(-1)?.reason;
    expect(reason).toMatch(/^paced: held back before calling Genesys: Genesys answered 429 with Retry-After/);
    expect(reason).not.toContain('per minute');
  });

  it('holds every message after a 429 until Retry-After has passed', async () => {
    // Prepare: a fast pacer; Genesys throttles once with Retry-After: 2
    const delivery = paced(6000);
    harness.sandbox.injectFaults([{ type: 'status', status: 429, retryAfterSeconds: 2 }]);
    const throttled = await delivery.accept(parseSendRequest({ target, message: { text: 'gate-1' } }), {
      messageId: 'gate-1',
      source: 'send',
    });
    const before = harness.sandbox.stats().requests.conversationMessage;
    // Act: another message, from a worker that may wait up to 5 s
    const started = Date.now();
    const result = await delivery.accept(parseSendRequest({ target, message: { text: 'gate-2' } }), {
      messageId: 'gate-2',
      source: 'retry',
    });
    // Assess
    expect(throttled.status).toBe('retrying');
    expect(result.status).toBe('sent');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(harness.sandbox.stats().requests.conversationMessage - before).toBe(1);
  });
});
