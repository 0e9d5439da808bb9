import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import type { RetryQueue } from '../../shared/delivery/retry-queue';
import { parseSendRequest } from '../../shared/messages/send-request';
import { reconcileMessages } from '../../shared/reconcile/reconcile-messages';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';

const unusedQueue: RetryQueue = {
  enqueue: async () => {
    throw new Error('no retries expected here');
  },
  deadLetter: async () => {
    throw new Error('no dead letters expected here');
  },
};

let harness: DeliveryHarness;
let delivery: DeliveryService;

async function sendText(id: string, conversationId: string): Promise<string> {
  const request = parseSendRequest({
    target: { kind: 'conversation', conversationId, communicationId: 'c0ffee00-0000-4000-8000-0000000000c1' },
    message: { text: `reconcile ${id}` },
  });
  const result = await delivery.accept(request, { messageId: id, source: 'send' });
  return result.genesysMessageId!;
}

async function sendToBot(id: string): Promise<string> {
  const request = parseSendRequest({
    target: {
      kind: 'botConnector',
      botId: 'b',
      botVersion: '1',
      botSessionId: `session-${id}`,
      languageCode: 'en-us',
    },
    message: { text: `reconcile ${id}` },
  });
  return (await delivery.accept(request, { messageId: id, source: 'send' })).genesysMessageId!;
}

const later = () => Date.now() + 60_000;

beforeAll(async () => {
  harness = await startDeliveryHarness();
});

afterAll(async () => {
  await harness.close();
});

beforeEach(async () => {
  await harness.freshTable();
  delivery = harness.delivery({ retryQueue: unusedQueue });
});

describe('reconcile against the bulk status endpoint', () => {
  it('asks Genesys about sent messages without a settled receipt and records what it answers', async () => {
    // Prepare: three messages in two conversations, one to a bot session (no conversation id known)
    const delivered = await sendText('r-delivered', 'c0ffee00-0000-4000-8000-0000000000a0');
    const read = await sendText('r-read', 'c0ffee00-0000-4000-8000-0000000000a0');
    const failed = await sendText('r-failed', 'c0ffee00-0000-4000-8000-0000000000a1');
    const bot = await sendToBot('r-bot');
    harness.sandbox.setMessageStatus(delivered, 'delivery-success');
    harness.sandbox.setMessageStatus(read, 'read');
    harness.sandbox.setMessageStatus(failed, 'delivery-failed');
    harness.sandbox.setMessageStatus(bot, 'delivery-success');
    harness.sandbox.resetStats();
    // Act
    const report = await reconcileMessages({
      store: harness.store,
      genesys: harness.genesys,
      minAgeSeconds: 30,
      limit: 100,
      now: later,
    });
    // Assess
    expect(report).toMatchObject({ checked: 4, updated: 4, throttled: 0, errors: [], stoppedEarly: false });
    const { requests } = harness.sandbox.stats();
    expect(requests.bulk).toBe(2);
    expect(requests.getMessageDetails).toBe(1);
    const statuses = await Promise.all(
      ['r-delivered', 'r-read', 'r-failed', 'r-bot'].map((id) => harness.store.getMerged(id)),
    );
    expect(statuses.map((s) => s?.status)).toEqual(['delivered', 'read', 'failed', 'delivered']);
    expect(statuses[0]?.history.at(-1)).toMatchObject({ status: 'delivered', source: 'reconcile' });
  });

  it('leaves settled messages alone on the next run', async () => {
    // Prepare
    const id = await sendText('r-once', 'c0ffee00-0000-4000-8000-0000000000a2');
    harness.sandbox.setMessageStatus(id, 'read');
    await reconcileMessages({
      store: harness.store,
      genesys: harness.genesys,
      minAgeSeconds: 30,
      limit: 100,
      now: later,
    });
    harness.sandbox.resetStats();
    // Act
    const second = await reconcileMessages({
      store: harness.store,
      genesys: harness.genesys,
      minAgeSeconds: 30,
      limit: 100,
      now: later,
    });
    // Assess
    expect(second.checked).toBe(0);
    expect(harness.sandbox.stats().requests.bulk).toBe(0);
  });

  it('does not ask about messages younger than the minimum age', async () => {
    // Prepare
    await sendText('r-young', 'c0ffee00-0000-4000-8000-0000000000a3');
    // Act
    const report = await reconcileMessages({
      store: harness.store,
      genesys: harness.genesys,
      minAgeSeconds: 300,
      limit: 100,
    });
    // Assess
    expect(report.checked).toBe(0);
  });

  it('waits out a short Retry-After and stops the run on a long one', async () => {
    // Prepare
    const id = await sendText('r-throttled', 'c0ffee00-0000-4000-8000-0000000000a4');
    harness.sandbox.setMessageStatus(id, 'delivery-success');
    harness.sandbox.injectFaults([{ type: 'status', status: 429, retryAfterSeconds: 1 }], { on: 'status' });
    const slept: number[] = [];
    // Act
    const waited = await reconcileMessages({
      store: harness.store,
      genesys: harness.genesys,
      minAgeSeconds: 30,
      limit: 100,
      now: later,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    harness.sandbox.injectFaults([{ type: 'status', status: 429, retryAfterSeconds: 120 }], { on: 'status' });
    await sendText('r-throttled-2', 'c0ffee00-0000-4000-8000-0000000000a5');
    const stopped = await reconcileMessages({
      store: harness.store,
      genesys: harness.genesys,
      minAgeSeconds: 30,
      limit: 100,
      now: later,
    });
    // Assess
    expect(waited).toMatchObject({ throttled: 1, updated: 1, stoppedEarly: false });
    expect(slept).toEqual([1000]);
    expect(stopped).toMatchObject({ throttled: 1, stoppedEarly: true, updated: 0 });
  });
});
