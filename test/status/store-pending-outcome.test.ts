import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoStatusStore } from '../../shared/status/dynamo-status-store';
import { type DynaliteHandle, startDynalite } from '../support/dynalite';
import { createInput, manualClock, throttled } from './fixtures';

let dynamo: DynaliteHandle;
let clock: ReturnType<typeof manualClock>;
let store: DynamoStatusStore;

beforeAll(async () => {
  dynamo = await startDynalite();
});

afterAll(async () => {
  await dynamo.close();
});

beforeEach(async () => {
  clock = manualClock();
  store = new DynamoStatusStore({
    tableName: await dynamo.createStatusTable(),
    client: dynamo.client,
    now: clock.now,
  });
});

/** Ids of the records pending an outcome since before `secondsAgo` seconds ago (by the manual clock). */
async function pendingIds(secondsAgo = 0): Promise<string[]> {
  const before = new Date(clock.now() - secondsAgo * 1000 + 1).toISOString();
  return (await store.listPendingOutcome(before, 100)).map((r) => r.messageId).sort();
}

describe('listPendingOutcome', () => {
  it('lists records nobody recorded an outcome for, and drops them once sent, retrying or failed', async () => {
    // Prepare
    for (const id of ['a-sent', 'b-retrying', 'c-failed', 'd-released', 'e-untouched']) {
      await store.create(createInput(id));
    }
    for (const id of ['a-sent', 'b-retrying', 'c-failed', 'd-released'])
      await store.acquireLease(id, 'w', 60_000);
    // Act
    await store.markSent('a-sent', 'w', { genesysMessageId: 'g-a', attempt: 1, source: 'send' });
    await store.markRetrying('b-retrying', 'w', {
      attempt: 1,
      nextAttemptAt: '2026-03-01T10:05:00.000Z',
      error: throttled,
      source: 'send',
    });
    await store.markFailed('c-failed', 'w', { reason: 'refused', source: 'send' });
    await store.releaseLease('d-released', 'w', { source: 'send', reason: 'retry queue unavailable' });
    clock.advance(1000);
    // Assess: a released lease has queued nothing, so it still needs an outcome
    expect(await pendingIds()).toEqual(['d-released', 'e-untouched']);
  });

  it('orders by age and leaves out what is younger than asked', async () => {
    // Prepare
    await store.create(createInput('old'));
    clock.advance(600_000);
    await store.create(createInput('young'));
    // Act
    const olderThanFiveMinutes = await pendingIds(300);
    // Assess
    expect(olderThanFiveMinutes).toEqual(['old']);
  });

  it('counts a scheduled record from its sendAt, not from when it was created', async () => {
    // Prepare: scheduled an hour ahead
    await store.create(createInput('later', { status: 'scheduled', sendAt: '2026-03-01T11:00:00.000Z' }));
    // Act
    const beforeItIsDue = await pendingIds();
    clock.advance(2 * 3_600_000);
    const longAfterItWasDue = await pendingIds(1800);
    // Assess
    expect(beforeItIsDue).toEqual([]);
    expect(longAfterItWasDue).toEqual(['later']);
  });

  it('keeps a retrying record until it is sent or failed, due at its next attempt (a lost retry message is swept)', async () => {
    // Prepare
    await store.create(createInput('lost-retry'));
    await store.acquireLease('lost-retry', 'w', 60_000);
    await store.markRetrying('lost-retry', 'w', {
      attempt: 1,
      nextAttemptAt: new Date(clock.now() + 60_000).toISOString(),
      error: throttled,
      source: 'send',
    });
    // Act
    const beforeItIsDue = await pendingIds();
    clock.advance(120_000);
    const overdue = await pendingIds(30);
    // Assess
    expect(beforeItIsDue).toEqual([]);
    expect(overdue).toEqual(['lost-retry']);
  });
});
