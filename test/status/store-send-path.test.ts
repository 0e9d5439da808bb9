import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoStatusStore } from '../../shared/status/dynamo-status-store';
import { MessageNotFoundError, StatusInputError, StatusStoreError } from '../../shared/status/errors';
import { sendItemKey } from '../../shared/status/table-keys';
import { type DynaliteHandle, startDynalite } from '../support/dynalite';
import { createInput, manualClock, throttled } from './fixtures';

let dynamo: DynaliteHandle;
let tableName: string;
let clock: ReturnType<typeof manualClock>;
let store: DynamoStatusStore;

beforeAll(async () => {
  dynamo = await startDynalite();
  tableName = await dynamo.createStatusTable();
});

afterAll(async () => {
  await dynamo.close();
});

beforeEach(() => {
  clock = manualClock();
  store = new DynamoStatusStore({ tableName, client: dynamo.client, now: clock.now });
});

async function rawItem(messageId: string) {
  const answer = await dynamo.client.send(
    new GetCommand({ TableName: tableName, Key: sendItemKey(messageId), ConsistentRead: true }),
  );
  return answer.Item;
}

describe('create', () => {
  it('creates the record once and returns the first record to a second caller', async () => {
    // Prepare
    const input = createInput();
    // Act
    const first = await store.create(input);
    clock.advance(1000);
    const second = await store.create({ ...input, requestHash: 'another-hash' });
    // Assess
    expect(first.created).toBe(true);
    expect(second).toEqual({ created: false, record: first.record });
    expect(second.record.requestHash).toBe('sha256-of-the-canonical-request');
    expect(second.record.history).toEqual([
      { at: '2026-03-01T10:00:00.000Z', status: 'accepted', source: 'send' },
    ]);
  });

  it('lets exactly one of 10 concurrent creates win', async () => {
    // Prepare
    const input = createInput();
    // Act
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.create({ ...input, requestHash: `hash-${i}` })),
    );
    // Assess
    const winners = results.filter((result) => result.created);
    expect(winners).toHaveLength(1);
    for (const result of results) expect(result.record.requestHash).toBe(winners[0]?.record.requestHash);
  });

  it('stores the TTL in epoch seconds, STATUS_TTL_DAYS after the write, and refreshes it on each write', async () => {
    // Prepare
    const ttlStore = new DynamoStatusStore({ tableName, client: dynamo.client, now: clock.now, ttlDays: 2 });
    const { messageId } = createInput();
    await ttlStore.create(createInput(messageId));
    const createdTtl = (await rawItem(messageId))?.expiresAt;
    // Act
    clock.advance(3600_000);
    await ttlStore.acquireLease(messageId, 'worker-a', 30_000);
    // Assess
    expect(createdTtl).toBe(Date.parse('2026-03-01T10:00:00Z') / 1000 + 2 * 86_400);
    expect((await rawItem(messageId))?.expiresAt).toBe(createdTtl + 3600);
  });

  it('records a scheduled message with its send time', async () => {
    // Prepare
    const input = createInput(undefined, {
      status: 'scheduled',
      sendAt: '2026-12-01T09:00:00Z',
      scheduleName: 'send-abc',
    });
    // Act
    const { record } = await store.create(input);
    // Assess
    expect(record).toMatchObject({
      status: 'scheduled',
      sendAt: '2026-12-01T09:00:00Z',
      scheduleName: 'send-abc',
    });
    expect(record.history[0]?.reason).toBe('scheduled for 2026-12-01T09:00:00Z');
    expect(await store.get(input.messageId)).toEqual(record);
  });

  it('refuses bad input with an error naming the field', async () => {
    // Act / Assess
    await expect(store.create(createInput(''))).rejects.toThrow(
      new StatusInputError('messageId', 'must not be empty'),
    );
    await expect(store.create(createInput('a\nb'))).rejects.toThrow(
      /messageId must not contain control characters/,
    );
    await expect(store.create(createInput(undefined, { sendAt: 'tomorrow' }))).rejects.toThrow(
      /sendAt must be an ISO-8601 time/,
    );
  });
});

describe('get', () => {
  it('returns undefined for an unknown message', async () => {
    // Act / Assess
    expect(await store.get('nobody-sent-this')).toBeUndefined();
  });
});

describe('acquireLease', () => {
  it('gives the lease to exactly one of two concurrent callers', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    // Act
    const [a, b] = await Promise.all([
      store.acquireLease(messageId, 'worker-a', 30_000),
      store.acquireLease(messageId, 'worker-b', 30_000),
    ]);
    // Assess
    const results = [a, b];
    expect(results.filter((r) => r?.acquired)).toHaveLength(1);
    const loser = results.find((r) => !r?.acquired);
    expect(loser).toMatchObject({ acquired: false, reason: 'leased' });
  });

  it('returns the leased record with owner and expiry', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    // Act
    const lease = await store.acquireLease(messageId, 'worker-a', 30_000);
    // Assess
    expect(lease).toMatchObject({
      acquired: true,
      record: { messageId, leaseOwner: 'worker-a', leaseUntil: clock.now() + 30_000, status: 'accepted' },
    });
  });

  it('lets the same owner renew its lease', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    await store.acquireLease(messageId, 'worker-a', 30_000);
    // Act
    clock.advance(10_000);
    const again = await store.acquireLease(messageId, 'worker-a', 30_000);
    // Assess
    expect(again).toMatchObject({ acquired: true, record: { leaseUntil: clock.now() + 30_000 } });
  });

  it('lets another owner take over an expired lease, and the old owner then cannot write', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    await store.acquireLease(messageId, 'worker-a', 30_000);
    clock.advance(29_999);
    const tooEarly = await store.acquireLease(messageId, 'worker-b', 30_000);
    // Act
    clock.advance(2);
    const takeover = await store.acquireLease(messageId, 'worker-b', 30_000);
    const oldOwnerWrite = await store.markSent(messageId, 'worker-a', { attempt: 1, source: 'send' });
    // Assess
    expect(tooEarly).toMatchObject({ acquired: false, reason: 'leased', record: { leaseOwner: 'worker-a' } });
    expect(takeover).toMatchObject({ acquired: true, record: { leaseOwner: 'worker-b' } });
    expect(oldOwnerWrite).toBe(false);
    expect((await store.get(messageId))?.status).toBe('accepted');
  });

  it('refuses a record that is done sending, and a missing one', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    await store.acquireLease(messageId, 'worker-a', 30_000);
    await store.markSent(messageId, 'worker-a', { genesysMessageId: 'g-1', attempt: 1, source: 'send' });
    // Act
    const done = await store.acquireLease(messageId, 'worker-b', 30_000);
    const missing = await store.acquireLease('never-created', 'worker-b', 30_000);
    // Assess
    expect(done).toMatchObject({ acquired: false, reason: 'done', record: { status: 'sent' } });
    expect(missing).toEqual({ acquired: false, reason: 'missing' });
  });

  it('refuses a failed record', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    await store.markFailed(messageId, undefined, { reason: 'rendering failed', source: 'send' });
    // Act
    const lease = await store.acquireLease(messageId, 'worker-a', 30_000);
    // Assess
    expect(lease).toMatchObject({ acquired: false, reason: 'done', record: { status: 'failed' } });
  });
});

describe('markSent / markRetrying / markFailed', () => {
  it('marks a message sent with its Genesys id and releases the lease', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    await store.acquireLease(messageId, 'worker-a', 30_000);
    clock.advance(500);
    // Act
    const ok = await store.markSent(messageId, 'worker-a', {
      genesysMessageId: 'g-42',
      conversationId: 'conv-1',
      attempt: 1,
      source: 'send',
    });
    // Assess
    expect(ok).toBe(true);
    const record = await store.get(messageId);
    expect(record).toMatchObject({
      status: 'sent',
      genesysMessageId: 'g-42',
      conversationId: 'conv-1',
      attempts: 1,
      firstAttemptAt: '2026-03-01T10:00:00.500Z',
      updatedAt: '2026-03-01T10:00:00.500Z',
    });
    expect(record?.leaseOwner).toBeUndefined();
    expect(record?.leaseUntil).toBeUndefined();
    expect(record?.history.map((entry) => entry.status)).toEqual(['accepted', 'sent']);
    expect(await rawItem(messageId)).toMatchObject({
      awaiting: 'receipt',
      sentAt: '2026-03-01T10:00:00.500Z',
    });
  });

  it('returns false, without throwing, when the lease was lost', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    await store.acquireLease(messageId, 'worker-a', 30_000);
    // Act
    const sent = await store.markSent(messageId, 'worker-b', { attempt: 1, source: 'send' });
    const retrying = await store.markRetrying(messageId, 'worker-b', {
      attempt: 1,
      nextAttemptAt: '2026-03-01T10:01:00Z',
      error: throttled,
      source: 'send',
    });
    const failed = await store.markFailed(messageId, 'worker-b', { reason: 'permanent', source: 'send' });
    const missing = await store.markSent('never-created', 'worker-a', { attempt: 1, source: 'send' });
    // Assess
    expect([sent, retrying, failed, missing]).toEqual([false, false, false, false]);
    expect((await store.get(messageId))?.status).toBe('accepted');
  });

  it('records a retry with the next attempt time and Genesys error, keeping the first attempt time', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    await store.acquireLease(messageId, 'worker-a', 30_000);
    await store.markRetrying(messageId, 'worker-a', {
      attempt: 1,
      nextAttemptAt: '2026-03-01T10:00:05Z',
      error: throttled,
      source: 'send',
    });
    clock.advance(5000);
    await store.acquireLease(messageId, 'worker-b', 30_000);
    // Act
    const ok = await store.markRetrying(messageId, 'worker-b', {
      attempt: 2,
      nextAttemptAt: '2026-03-01T10:00:20Z',
      error: { status: 503, message: 'Service Unavailable' },
      source: 'retry',
      reason: 'transient: 503',
    });
    // Assess
    expect(ok).toBe(true);
    const record = await store.get(messageId);
    expect(record).toMatchObject({
      status: 'retrying',
      attempts: 2,
      firstAttemptAt: '2026-03-01T10:00:00.000Z',
      nextAttemptAt: '2026-03-01T10:00:20Z',
      lastError: { status: 503, message: 'Service Unavailable', reason: 'transient: 503' },
    });
    expect(record?.leaseOwner).toBeUndefined();
    expect(record?.history.slice(1)).toEqual([
      {
        at: '2026-03-01T10:00:00.000Z',
        status: 'retrying',
        source: 'send',
        reason: '429 too.many.requests.retry.after: Rate limit exceeded the maximum',
        attempt: 1,
      },
      {
        at: '2026-03-01T10:00:05.000Z',
        status: 'retrying',
        source: 'retry',
        reason: 'transient: 503',
        attempt: 2,
      },
    ]);
  });

  it('clears the retry plan and the old error once sent', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    await store.acquireLease(messageId, 'worker-a', 30_000);
    await store.markRetrying(messageId, 'worker-a', {
      attempt: 1,
      nextAttemptAt: '2026-03-01T10:00:05Z',
      error: throttled,
      source: 'send',
    });
    await store.acquireLease(messageId, 'worker-b', 30_000);
    // Act
    await store.markSent(messageId, 'worker-b', { genesysMessageId: 'g-1', attempt: 2, source: 'retry' });
    // Assess
    const record = await store.get(messageId);
    expect(record?.nextAttemptAt).toBeUndefined();
    expect(record?.lastError).toBeUndefined();
    expect(record?.attempts).toBe(2);
  });

  it('marks failed under the lease with the Genesys error kept', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    await store.acquireLease(messageId, 'worker-a', 30_000);
    const genesysError = {
      status: 400,
      code: 'bad.request',
      message: 'Invalid toAddress',
      contextId: 'ctx-9',
    };
    // Act
    const ok = await store.markFailed(messageId, 'worker-a', {
      reason: 'rejected by Genesys',
      error: genesysError,
      attempt: 1,
      source: 'send',
    });
    // Assess
    expect(ok).toBe(true);
    const record = await store.get(messageId);
    expect(record).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: { ...genesysError, reason: 'rejected by Genesys' },
    });
    expect(record?.history.at(-1)).toEqual({
      at: '2026-03-01T10:00:00.000Z',
      status: 'failed',
      source: 'send',
      reason: 'rejected by Genesys (400 bad.request: Invalid toAddress)',
      attempt: 1,
    });
  });

  it('marks failed without an owner only when no live lease is held and the record is not done', async () => {
    // Prepare
    const leased = (await store.create(createInput())).record.messageId;
    const sent = (await store.create(createInput())).record.messageId;
    const idle = (await store.create(createInput())).record.messageId;
    await store.acquireLease(leased, 'worker-a', 30_000);
    await store.acquireLease(sent, 'worker-a', 30_000);
    await store.markSent(sent, 'worker-a', { attempt: 1, source: 'send' });
    // Act
    const whileLeased = await store.markFailed(leased, undefined, { reason: 'x', source: 'send' });
    const afterSent = await store.markFailed(sent, undefined, { reason: 'x', source: 'send' });
    const onIdle = await store.markFailed(idle, undefined, {
      reason: 'schedule could not be created',
      source: 'send',
    });
    const twice = await store.markFailed(idle, undefined, { reason: 'again', source: 'send' });
    clock.advance(30_001);
    const afterExpiry = await store.markFailed(leased, undefined, {
      reason: 'lease expired',
      source: 'reconcile',
    });
    // Assess
    expect([whileLeased, afterSent, onIdle, twice, afterExpiry]).toEqual([false, false, true, false, true]);
    expect(await store.get(idle)).toMatchObject({
      status: 'failed',
      lastError: { message: 'schedule could not be created', reason: 'schedule could not be created' },
    });
    expect((await store.get(leased))?.leaseOwner).toBeUndefined();
    expect((await store.get(sent))?.status).toBe('sent');
  });
});

describe('releaseLease and note', () => {
  it('gives the lease back with a note, keeping the status', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    await store.acquireLease(messageId, 'worker-a', 30_000);
    // Act
    const released = await store.releaseLease(messageId, 'worker-a', {
      source: 'send',
      reason: 'retry queue unavailable',
      attempt: 1,
    });
    const takenAtOnce = await store.acquireLease(messageId, 'worker-b', 30_000);
    // Assess
    expect(released).toBe(true);
    expect(takenAtOnce.acquired).toBe(true);
    const record = await store.get(messageId);
    expect(record?.status).toBe('accepted');
    expect(record?.history.at(-1)).toEqual({
      at: '2026-03-01T10:00:00.000Z',
      status: 'accepted',
      source: 'send',
      reason: 'retry queue unavailable',
      attempt: 1,
    });
  });

  it('refuses to release a lease held by someone else', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    await store.acquireLease(messageId, 'worker-a', 30_000);
    // Act
    const released = await store.releaseLease(messageId, 'worker-b', { source: 'send', reason: 'x' });
    // Assess
    expect(released).toBe(false);
    expect((await store.get(messageId))?.leaseOwner).toBe('worker-a');
  });

  it('adds a note with the current status and fails clearly for an unknown message', async () => {
    // Prepare
    const { messageId } = (await store.create(createInput())).record;
    // Act
    await store.note(messageId, { source: 'send', reason: 'retry queue unavailable' });
    // Assess
    expect((await store.get(messageId))?.history.at(-1)).toEqual({
      at: '2026-03-01T10:00:00.000Z',
      status: 'accepted',
      source: 'send',
      reason: 'retry queue unavailable',
    });
    await expect(store.note('never-created', { source: 'send' })).rejects.toBeInstanceOf(
      MessageNotFoundError,
    );
  });
});

describe('history bound', () => {
  it('keeps only the newest historyLimit entries across many lease-holder writes', async () => {
    // Prepare
    const small = new DynamoStatusStore({
      tableName,
      client: dynamo.client,
      now: clock.now,
      historyLimit: 4,
    });
    const { messageId } = (await small.create(createInput())).record;
    // Act
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      clock.advance(1000);
      await small.acquireLease(messageId, `worker-${attempt}`, 30_000);
      await small.markRetrying(messageId, `worker-${attempt}`, {
        attempt,
        nextAttemptAt: '2026-03-01T11:00:00Z',
        error: throttled,
        source: 'retry',
      });
    }
    // Assess
    const history = (await small.get(messageId))?.history ?? [];
    expect(history.map((entry) => entry.attempt)).toEqual([4, 5, 6, 7]);
  });

  it('stays bounded under concurrent notes, keeping the newest entries', async () => {
    // Prepare
    const small = new DynamoStatusStore({
      tableName,
      client: dynamo.client,
      now: clock.now,
      historyLimit: 5,
    });
    const { messageId } = (await small.create(createInput())).record;
    // Act
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => small.note(messageId, { source: 'send', reason: `note ${i}` })),
    );
    // Assess
    const history = (await small.get(messageId))?.history ?? [];
    expect(history).toHaveLength(5);
    const notes = history.map((entry) => entry.reason);
    expect(new Set(notes).size).toBe(5);
    expect(notes).not.toContain(undefined);
  });
});

describe('AWS failures', () => {
  it('keep the AWS error name and say which call failed', async () => {
    // Prepare
    const missingTable = new DynamoStatusStore({ tableName: 'no-such-table', client: dynamo.client });
    // Act
    const error = await missingTable.get('m-1').catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(StatusStoreError);
    expect((error as StatusStoreError).awsErrorName).toBe('ResourceNotFoundException');
    expect((error as Error).message).toMatch(
      /^DynamoDB GetItem for message "m-1" failed: ResourceNotFoundException/,
    );
  });
});
