import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoStatusStore } from '../../shared/status/dynamo-status-store';
import { StatusInputError } from '../../shared/status/errors';
import { type MessageStatus, statusRank } from '../../shared/status/message-status';
import { receiptItemKey, sendItemKey } from '../../shared/status/table-keys';
import type { ReceiptEvent } from '../../shared/status/types';
import { type DynaliteHandle, startDynalite } from '../support/dynalite';
import { createInput, manualClock } from './fixtures';

let dynamo: DynaliteHandle;
let tableName: string;
let clock: ReturnType<typeof manualClock>;
let store: DynamoStatusStore;
let counter = 0;

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

function genesysId(): string {
  counter += 1;
  return `g-${counter}-${Date.now()}`;
}

function receipt(
  genesysMessageId: string,
  status: MessageStatus,
  overrides: Partial<ReceiptEvent> = {},
): ReceiptEvent {
  return { genesysMessageId, status, source: 'webhook', at: '2026-03-01T10:00:01.000Z', ...overrides };
}

/** A message the send path has sent with the given Genesys id. */
async function sentMessage(genesysMessageId: string, sendStore = store): Promise<string> {
  const { messageId } = (await sendStore.create(createInput())).record;
  await sendStore.acquireLease(messageId, 'worker', 30_000);
  await sendStore.markSent(messageId, 'worker', { genesysMessageId, attempt: 1, source: 'send' });
  return messageId;
}

const RECEIPT_STATUSES: MessageStatus[] = ['sent', 'delivered', 'read', 'failed'];

describe('applyReceipt', () => {
  it('applies the first receipt and ignores a duplicate', async () => {
    // Prepare
    const id = genesysId();
    // Act
    const first = await store.applyReceipt(receipt(id, 'delivered', { conversationId: 'conv-1' }));
    const duplicate = await store.applyReceipt(receipt(id, 'delivered', { at: '2026-03-01T10:00:09.000Z' }));
    // Assess
    expect([first, duplicate]).toEqual(['applied', 'ignored']);
    expect(await store.getReceipts(id)).toEqual({
      genesysMessageId: id,
      status: 'delivered',
      conversationId: 'conv-1',
      final: true,
      history: [{ at: '2026-03-01T10:00:01.000Z', status: 'delivered', source: 'webhook' }],
      updatedAt: '2026-03-01T10:00:00.000Z',
    });
  });

  for (const first of RECEIPT_STATUSES) {
    for (const second of RECEIPT_STATUSES) {
      if (first === second) continue;
      const winner = statusRank(first) > statusRank(second) ? first : second;
      it(`keeps ${winner} when ${first} arrives before ${second}`, async () => {
        // Prepare
        const id = genesysId();
        await store.applyReceipt(receipt(id, first));
        // Act
        const outcome = await store.applyReceipt(receipt(id, second));
        // Assess
        expect(outcome).toBe(winner === second ? 'applied' : 'ignored');
        expect((await store.getReceipts(id))?.status).toBe(winner);
      });
    }
  }

  it('lets the highest of 50 concurrent mixed receipts win, with no duplicate history entry', async () => {
    // Prepare
    const id = genesysId();
    const statuses: MessageStatus[] = Array.from(
      { length: 50 },
      (_, i) => (['sent', 'delivered', 'read', 'delivered', 'sent'] as const)[i % 5] as MessageStatus,
    );
    // Act
    const outcomes = await Promise.all(
      statuses.map((status, i) =>
        store.applyReceipt(
          receipt(id, status, { at: new Date(Date.parse('2026-03-01T10:00:00Z') + i).toISOString() }),
        ),
      ),
    );
    // Assess
    const record = await store.getReceipts(id);
    expect(record?.status).toBe('read');
    const historyStatuses = record?.history.map((entry) => entry.status) ?? [];
    expect(new Set(historyStatuses).size).toBe(historyStatuses.length);
    expect(historyStatuses).toContain('read');
    // Each applied write moved the status forward, so at most one per status was applied.
    const applied = outcomes.filter((outcome) => outcome === 'applied').length;
    expect(applied).toBeGreaterThanOrEqual(1);
    expect(applied).toBeLessThanOrEqual(3);
    expect(historyStatuses).toHaveLength(applied);
  });

  it('lets a failed receipt win over any concurrent progress receipt', async () => {
    // Prepare
    const id = genesysId();
    const statuses: MessageStatus[] = ['read', 'delivered', 'failed', 'sent', 'read', 'delivered'];
    // Act
    await Promise.all(statuses.map((status) => store.applyReceipt(receipt(id, status, { reasons: ['X'] }))));
    // Assess
    expect((await store.getReceipts(id))?.status).toBe('failed');
  });

  it('keeps receipt reasons for the current status only', async () => {
    // Prepare
    const id = genesysId();
    await store.applyReceipt(receipt(id, 'sent', { reasons: ['Queued'] }));
    // Act
    await store.applyReceipt(receipt(id, 'failed', { reasons: ['RecipientOptedOut'], final: true }));
    // Assess
    const record = await store.getReceipts(id);
    expect(record).toMatchObject({ status: 'failed', final: true, reasons: ['RecipientOptedOut'] });
    expect(record?.history).toEqual([
      { at: '2026-03-01T10:00:01.000Z', status: 'sent', source: 'webhook', reason: 'Queued' },
      { at: '2026-03-01T10:00:01.000Z', status: 'failed', source: 'webhook', reason: 'RecipientOptedOut' },
    ]);
  });

  it('never gives the receipt item a genesysMessageId attribute (that index is for send items)', async () => {
    // Prepare
    const id = genesysId();
    // Act
    await store.applyReceipt(receipt(id, 'sent'));
    // Assess
    const item = (await dynamo.client.send(new GetCommand({ TableName: tableName, Key: receiptItemKey(id) })))
      .Item;
    expect(item).toMatchObject({ receiptFor: id, status: 'sent' });
    expect(item).not.toHaveProperty('genesysMessageId');
  });

  it('refuses a receipt for a status Genesys cannot report, naming the field', async () => {
    // Act / Assess
    await expect(store.applyReceipt(receipt(genesysId(), 'retrying'))).rejects.toThrow(StatusInputError);
    await expect(store.applyReceipt(receipt(genesysId(), 'sent', { at: 'yesterday' }))).rejects.toThrow(
      /^at must be an ISO-8601 time/,
    );
  });
});

describe('getMerged', () => {
  it('returns undefined for an unknown message (the 404 path)', async () => {
    // Act / Assess
    expect(await store.getMerged('nobody-sent-this')).toBeUndefined();
  });

  it('merges the send record with its receipts: forward-most status, both histories by time', async () => {
    // Prepare
    const id = genesysId();
    const messageId = await sentMessage(id);
    await store.applyReceipt(receipt(id, 'delivered', { at: '2026-03-01T10:00:02.000Z' }));
    await store.applyReceipt(receipt(id, 'read', { at: '2026-03-01T10:00:03.000Z' }));
    // Act
    const merged = await store.getMerged(messageId);
    // Assess
    expect(merged).toMatchObject({
      messageId,
      status: 'read',
      genesysMessageId: id,
      targetKind: 'agentless',
      target: { kind: 'agentless', messengerType: 'whatsapp', toAddress: '+15550100' },
      attempts: 1,
      metadata: { orderId: '12345' },
    });
    expect(merged?.history.map((entry) => `${entry.status}/${entry.source}`)).toEqual([
      'accepted/send',
      'sent/send',
      'delivered/webhook',
      'read/webhook',
    ]);
  });

  it('merges a receipt that arrived before the send path recorded the Genesys id', async () => {
    // Prepare
    const id = genesysId();
    const { messageId } = (await store.create(createInput())).record;
    await store.acquireLease(messageId, 'worker', 30_000);
    await store.applyReceipt(receipt(id, 'delivered', { at: '2026-03-01T10:00:00.400Z' }));
    const beforeSendRecorded = await store.getMerged(messageId);
    clock.advance(500);
    // Act
    await store.markSent(messageId, 'worker', { genesysMessageId: id, attempt: 1, source: 'send' });
    const merged = await store.getMerged(messageId);
    // Assess
    expect(beforeSendRecorded?.status).toBe('accepted');
    expect(merged?.status).toBe('delivered');
    expect(merged?.history.map((entry) => entry.status)).toEqual(['accepted', 'delivered', 'sent']);
    expect(merged?.updatedAt).toBe('2026-03-01T10:00:00.500Z');
  });

  it('shows failed when Genesys reports a failure after the send', async () => {
    // Prepare
    const id = genesysId();
    const messageId = await sentMessage(id);
    // Act
    await store.applyReceipt(receipt(id, 'failed', { reasons: ['RecipientOptedOut'] }));
    await store.applyReceipt(receipt(id, 'read'));
    // Assess
    expect((await store.getMerged(messageId))?.status).toBe('failed');
  });
});

describe('listUnsettledSent', () => {
  it('lists sent messages before the cut-off whose receipts are not settled, and drops settled ones from the index', async () => {
    // Prepare: its own table, so other tests' messages are not in the index
    const table = await dynamo.createStatusTable();
    const own = new DynamoStatusStore({ tableName: table, client: dynamo.client, now: clock.now });
    const noReceipt = await sentMessage('g-none', own);
    clock.advance(1000);
    const onlySent = await sentMessage('g-sent', own);
    await own.applyReceipt(receipt('g-sent', 'sent'));
    clock.advance(1000);
    const delivered = await sentMessage('g-delivered', own);
    await own.applyReceipt(receipt('g-delivered', 'delivered'));
    clock.advance(1000);
    const finalSent = await sentMessage('g-final', own);
    await own.applyReceipt(receipt('g-final', 'sent', { final: true }));
    clock.advance(1000);
    await sentMessage('g-recent', own);
    const cutOff = clock.iso();
    clock.advance(1000);
    await sentMessage('g-later', own);
    await own.create(createInput());
    // Act
    const first = await own.listUnsettledSent(cutOff, 10);
    const limited = await own.listUnsettledSent(cutOff, 1);
    // Assess
    expect(first.map((record) => record.messageId)).toEqual([noReceipt, onlySent]);
    expect(first[0]).toMatchObject({ status: 'sent', genesysMessageId: 'g-none' });
    expect(limited.map((record) => record.messageId)).toEqual([noReceipt]);
    for (const messageId of [delivered, finalSent]) {
      const item = (
        await dynamo.client.send(new GetCommand({ TableName: table, Key: sendItemKey(messageId) }))
      ).Item;
      expect(item?.awaiting).toBeUndefined();
    }
  });

  it('pages through the index until it has enough unsettled messages', async () => {
    // Prepare: 30 settled messages before 3 unsettled ones, more than one index page
    const table = await dynamo.createStatusTable();
    const own = new DynamoStatusStore({ tableName: table, client: dynamo.client, now: clock.now });
    for (let i = 0; i < 30; i += 1) {
      clock.advance(10);
      await sentMessage(`g-settled-${i}`, own);
      await own.applyReceipt(receipt(`g-settled-${i}`, 'read'));
    }
    const unsettled: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      clock.advance(10);
      unsettled.push(await sentMessage(`g-open-${i}`, own));
    }
    clock.advance(10);
    // Act
    const listed = await own.listUnsettledSent(clock.iso(), 2);
    // Assess
    expect(listed.map((record) => record.messageId)).toEqual(unsettled.slice(0, 2));
  });

  it('refuses a cut-off that is not a time', async () => {
    // Act / Assess
    await expect(store.listUnsettledSent('soon', 10)).rejects.toThrow(/^sentBefore must be an ISO-8601 time/);
    await expect(store.listUnsettledSent('2026-03-01T10:00:00Z', 0)).rejects.toThrow(
      /^limit must be a positive integer/,
    );
  });
});
