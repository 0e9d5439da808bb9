/**
 * A reconciliation run within the function's time: the sweep of messages without an outcome and the
 * receipt pass each get their own budget, a backlog of messages that never settle (SMS without delivery
 * reports) no longer starves the sweep or holds the head of the list, and 429 waits are bounded.
 * Real sandbox over loopback and dynalite; the function's clock is virtual: each Genesys status call
 * "costs" one second of the Lambda's remaining time, so the budget is exact on a machine of any speed.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import type { RetryMessage } from '../../shared/delivery/retry-message';
import type { RetryQueue } from '../../shared/delivery/retry-queue';
import type { GenesysRequester } from '../../shared/delivery/types';
import { parseSendRequest } from '../../shared/messages/send-request';
import { MAX_THROTTLE_WAITS_PER_CALL, reconcileMessages } from '../../shared/reconcile/reconcile-messages';
import { RESERVE_MS, runReconciliation } from '../../shared/reconcile/run-reconciliation';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';

const CALL_MS = 1000;
const later = () => Date.now() + 60_000;

let harness: DeliveryHarness;
let delivery: DeliveryService;

/** A retry queue that notes the function's remaining time at each enqueue. */
class RecordingQueue implements RetryQueue {
  enqueued: Array<{ messageId: string; remainingMs: number }> = [];
  constructor(private readonly remainingMs: () => number) {}
  async enqueue(message: RetryMessage): Promise<void> {
    this.enqueued.push({ messageId: message.messageId, remainingMs: this.remainingMs() });
  }
  async deadLetter(): Promise<void> {
    throw new Error('reconciliation dead-letters nothing');
  }
}

/** The function's clock: `totalMs` at the start, one CALL_MS less for each status call Genesys got. */
function virtualLambda(totalMs: number) {
  const statusCalls = () => {
    const { requests } = harness.sandbox.stats();
    return requests.bulk + requests.getMessageDetails;
  };
  const start = statusCalls();
  const remainingMs = () => totalMs - CALL_MS * (statusCalls() - start);
  const startedWith: number[] = [];
  const asked: string[] = [];
  // The real client, noting the time left when each call starts and which conversation it asks about.
  const genesys: GenesysRequester = {
    request: (method, path, body) => {
      startedWith.push(remainingMs());
      asked.push(path.split('/')[5] ?? path);
      return harness.genesys.request(method, path, body);
    },
  };
  return { remainingMs, genesys, startedWith, asked };
}

/** A stable Genesys-shaped id (a UUID) for a name, so each conversation is told apart by its name. */
function uuidOf(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A message Genesys took (and keeps at `sent`: the sandbox posts no receipts here), in a conversation of its own. */
async function sentMessage(id: string, conversation = `conv-${id}`): Promise<string> {
  const request = parseSendRequest({
    target: { kind: 'conversation', conversationId: uuidOf(conversation), communicationId: uuidOf('comm-1') },
    message: { text: `budget ${id}` },
  });
  const result = await delivery.accept(request, { messageId: id, source: 'send' });
  return result.genesysMessageId as string;
}

/** A message whose send function died before recording any outcome. */
async function orphan(id: string): Promise<void> {
  await harness.store.create({
    messageId: id,
    status: 'accepted',
    requestHash: 'h',
    request: { target: { kind: 'conversation', conversationId: uuidOf('c'), communicationId: uuidOf('m') } },
    targetKind: 'conversation',
    source: 'send',
  });
}

beforeAll(async () => {
  harness = await startDeliveryHarness({ rateLimit: false });
});

afterAll(async () => {
  await harness.close();
});

beforeEach(async () => {
  await harness.freshTable();
  delivery = harness.delivery({ retryQueue: new RecordingQueue(() => 0) });
});

describe('a reconciliation run within its time', () => {
  it('sweeps orphaned messages and ends in time although the receipt backlog is far larger than the run', async () => {
    // Prepare: 40 sent messages that never settle, each in its own conversation (40 calls), and 3 orphans;
    // the function has 20 s, each call costs 1 s.
    for (let i = 0; i < 40; i++) await sentMessage(`backlog-${i}`);
    for (const id of ['orphan-1', 'orphan-2', 'orphan-3']) await orphan(id);
    const lambda = virtualLambda(20_000);
    const queue = new RecordingQueue(lambda.remainingMs);

    // Act
    const report = await runReconciliation({
      store: harness.store,
      genesys: lambda.genesys,
      retryQueue: async () => queue,
      minAgeSeconds: 0,
      remainingMs: lambda.remainingMs,
      callMs: CALL_MS,
      now: later,
    });

    // Assess: the orphans went to the retry queue while the function was alive,
    expect(queue.enqueued.map((entry) => entry.messageId).sort()).toEqual([
      'orphan-1',
      'orphan-2',
      'orphan-3',
    ]);
    expect(Math.min(...queue.enqueued.map((entry) => entry.remainingMs))).toBeGreaterThan(0);
    expect(report.pending).toMatchObject({ found: 3, requeued: 3 });
    // no call started without time for it to end, and the run stopped with its reserve left.
    expect(Math.min(...lambda.startedWith)).toBeGreaterThanOrEqual(RESERVE_MS + CALL_MS);
    expect(lambda.remainingMs()).toBeGreaterThanOrEqual(RESERVE_MS);
    expect(report).toMatchObject({ stoppedEarly: true, stopReason: 'time' });
    expect(report.checked).toBe(lambda.startedWith.length);
    expect(report.checked).toBeLessThan(40);
  });

  it('asks first about the messages asked about least, so a backlog at the head does not hide the rest', async () => {
    // Prepare
    for (let i = 0; i < 12; i++) await sentMessage(`rotate-${i}`);
    const run = async () => {
      const lambda = virtualLambda(RESERVE_MS + 5 * CALL_MS);
      await reconcileMessages({
        store: harness.store,
        genesys: lambda.genesys,
        minAgeSeconds: 0,
        limit: 100,
        remainingMs: () => lambda.remainingMs() - RESERVE_MS,
        callMs: CALL_MS,
        now: later,
      });
      return lambda.asked;
    };

    // Act: three runs of five calls each
    const first = await run();
    const second = await run();
    const third = await run();

    // Assess: twelve conversations, each asked about once before any is asked about again
    expect(first).toHaveLength(5);
    expect(second).toHaveLength(5);
    expect(new Set([...first, ...second]).size).toBe(10);
    expect(new Set([...first, ...second, ...third.slice(0, 2)]).size).toBe(12);
  });

  it('retires a message that never settles after maxChecks checks, and writes no second `sent`', async () => {
    // Prepare: three SMS-like messages Genesys keeps at `sent`, one that gets delivered after the first run
    const never = ['never-1', 'never-2', 'never-3'];
    for (const id of never) await sentMessage(id, 'conv-shared');
    const delivered = await sentMessage('late-delivery', 'conv-shared');
    const run = () =>
      reconcileMessages({
        store: harness.store,
        genesys: harness.genesys,
        minAgeSeconds: 0,
        limit: 100,
        maxChecks: 3,
        now: later,
      });

    // Act
    const first = await run();
    harness.sandbox.setMessageStatus(delivered, 'delivery-success');
    const second = await run();
    const third = await run();
    const bulkBefore = harness.sandbox.stats().requests.bulk;
    const fourth = await run();

    // Assess
    expect(first).toMatchObject({ checked: 4, updated: 0, unchanged: 4, retired: 0 });
    expect(second).toMatchObject({ checked: 4, updated: 1, retired: 0 });
    expect(third).toMatchObject({ checked: 3, updated: 0, retired: 3 });
    expect(fourth.checked).toBe(0);
    expect(harness.sandbox.stats().requests.bulk).toBe(bulkBefore);
    expect((await harness.store.getMerged('late-delivery'))?.status).toBe('delivered');
    const history = (await harness.store.getMerged('never-1'))?.history ?? [];
    expect(history.map((entry) => entry.status)).toEqual(['accepted', 'sent']);
  });

  it('waits out Retry-After a bounded number of times for one call, then stops the pass', async () => {
    // Prepare: Genesys answers 429 + Retry-After: 1 once more than the pass waits
    await sentMessage('throttled-1');
    harness.sandbox.injectFaults(
      Array.from({ length: MAX_THROTTLE_WAITS_PER_CALL + 1 }, () => ({
        type: 'status' as const,
        status: 429,
        retryAfterSeconds: 1,
      })),
      { on: 'status' },
    );
    const slept: number[] = [];

    // Act
    const report = await reconcileMessages({
      store: harness.store,
      genesys: harness.genesys,
      minAgeSeconds: 0,
      limit: 100,
      now: later,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });

    // Assess
    expect(report).toMatchObject({
      throttled: MAX_THROTTLE_WAITS_PER_CALL + 1,
      stoppedEarly: true,
      stopReason: 'throttled',
      checked: 0,
    });
    expect(slept).toEqual(Array.from({ length: MAX_THROTTLE_WAITS_PER_CALL }, () => 1000));
    expect(harness.sandbox.pendingFaults()).toBe(0);
  });
});
