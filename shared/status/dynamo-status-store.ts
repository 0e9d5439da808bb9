import { BatchGetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConfigurationError, ENV, numberEnv, requireEnv } from '../config/environment';
import { DynamoSendRecords } from './dynamo-send-records';
import { isConditionFailure, iso, sharedDocumentClient } from './dynamo-table';
import { StatusInputError } from './errors';
import { historyEntry, receiptHistoryAttribute } from './history';
import { checkIsoTime, checkMessageId, checkPositiveInteger, checkText } from './input-checks';
import { receiptRecordFromItem, sendRecordFromItem } from './items';
import { mergeStatus } from './merge-status';
import { MESSAGE_STATUSES, type MessageStatus, SETTLED_STATUSES, statusRank } from './message-status';
import {
  AWAITING_RECEIPT,
  DEFAULT_STATUS_TTL_DAYS,
  expiresAtSeconds,
  receiptItemKey,
  STATUS_TABLE,
} from './table-keys';
import type {
  MergedStatus,
  ReceiptEvent,
  ReceiptRecord,
  SendRecord,
  StatusStore,
  UnsettledSent,
} from './types';
import { UpdateExpression } from './update-expression';

export type { DynamoStatusStoreOptions } from './dynamo-table';

/** Statuses a receipt may report: Genesys only tells what happened after it took the message. */
const RECEIPT_STATUSES: readonly MessageStatus[] = MESSAGE_STATUSES.filter(
  (status) => statusRank(status) >= statusRank('sent'),
);

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_MAX_KEYS = 100;
/** Rounds for BatchGetItem's UnprocessedKeys before the leftovers count as unsettled. */
const BATCH_GET_ROUNDS = 4;

/**
 * StatusStore on DynamoDB (docs/status.md; layout in table-keys.ts). The send records'
 * writes live in dynamo-send-records.ts; this part holds the receipts (`gmsg#<id>`), the merged view and
 * reconciliation's work list.
 *
 * Every state change is ONE conditional write, so concurrent senders, duplicate SQS deliveries and
 * out-of-order receipts need no transactions:
 * - applyReceipt: update the receipt item only when the status rank moves forward.
 * Housekeeping writes that never decide a status (trimming a long history, removing a settled message
 * from the reconciliation index) are separate, conditional and best effort.
 */
export class DynamoStatusStore extends DynamoSendRecords implements StatusStore {
  async applyReceipt(event: ReceiptEvent): Promise<'applied' | 'ignored'> {
    const genesysMessageId = checkMessageId('genesysMessageId', event.genesysMessageId);
    if (!RECEIPT_STATUSES.includes(event.status)) {
      throw new StatusInputError(
        'status',
        `of a receipt must be one of ${RECEIPT_STATUSES.join(', ')}, got "${String(event.status)}"`,
      );
    }
    checkIsoTime('at', event.at);
    if (event.conversationId !== undefined) checkText('conversationId', event.conversationId);
    const nowMs = this.now();
    const rank = statusRank(event.status);
    const reason =
      event.reason ?? (event.reasons && event.reasons.length > 0 ? event.reasons.join(', ') : undefined);
    const update = new UpdateExpression()
      .set('receiptFor', genesysMessageId)
      .set('status', event.status)
      .set('statusRank', rank)
      .set('final', event.final === true || SETTLED_STATUSES.has(event.status))
      .set('updatedAt', iso(nowMs))
      .set(STATUS_TABLE.ttlAttribute, expiresAtSeconds(nowMs, this.ttlDays))
      .set(
        receiptHistoryAttribute(event.status),
        historyEntry({ at: event.at, status: event.status, source: event.source, reason }),
      );
    if (event.conversationId !== undefined) {
      update.setExpression(
        'conversationId',
        `if_not_exists(${update.name('conversationId')}, ${update.value(event.conversationId)})`,
      );
    }
    // Reasons explain the current status only: a status without reasons clears older ones.
    if (event.reasons !== undefined && event.reasons.length > 0) update.set('reasons', [...event.reasons]);
    else update.remove('reasons');
    const condition = `attribute_not_exists(${update.name('statusRank')}) OR (${update.name('statusRank')} < ${update.value(rank)} AND ${update.name('status')} <> ${update.value('failed')})`;
    try {
      await this.send('UpdateItem', `receipt "${genesysMessageId}"`, () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: receiptItemKey(genesysMessageId),
            ...update.build(condition),
          }),
        ),
      );
      return 'applied';
    } catch (error) {
      // A duplicate, an older event or anything after `failed`: the forward-most status is already there.
      if (isConditionFailure(error)) return 'ignored';
      throw error;
    }
  }

  async getReceipts(genesysMessageId: string): Promise<ReceiptRecord | undefined> {
    checkMessageId('genesysMessageId', genesysMessageId);
    const item = await this.getItem(receiptItemKey(genesysMessageId), `receipt "${genesysMessageId}"`);
    return item === undefined ? undefined : receiptRecordFromItem(item);
  }

  async getMerged(messageId: string): Promise<MergedStatus | undefined> {
    const send = await this.get(messageId);
    if (send === undefined) return undefined;
    const receipt =
      send.genesysMessageId === undefined ? undefined : await this.getReceipts(send.genesysMessageId);
    return mergeStatus(send, receipt);
  }

  /**
   * Reconciliation's work list. The `byAwaitingReceipt` index holds send items that were `sent` with a
   * Genesys id; a settled receipt lands on the receipt item and cannot take the send item out of the index
   * (another item, one write). So each page of the index is checked against its receipt items (BatchGet):
   * unsettled ones are returned, settled ones get `awaiting` removed (best effort, conditional), which
   * shrinks the index for the next run.
   */
  async listUnsettledSent(sentBefore: string, limit: number): Promise<UnsettledSent[]> {
    checkIsoTime('sentBefore', sentBefore);
    checkPositiveInteger('limit', limit);
    // sentAt is written as toISOString(): compare in the same form.
    const before = new Date(sentBefore).toISOString();
    const index = STATUS_TABLE.indexes.byAwaitingReceipt;
    const unsettled: UnsettledSent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.queryBefore(
        index,
        AWAITING_RECEIPT,
        before,
        Math.min(Math.max(limit, 25), BATCH_GET_MAX_KEYS),
        startKey,
      );
      const records = (page.Items ?? []).map(
        (item): UnsettledSent => ({
          ...sendRecordFromItem(item),
          receiptChecks: typeof item.receiptChecks === 'number' ? item.receiptChecks : 0,
        }),
      );
      const settled = await this.settledReceipts(records);
      const cleanups: Promise<void>[] = [];
      for (const record of records) {
        if (record.genesysMessageId !== undefined && settled.has(record.genesysMessageId)) {
          cleanups.push(this.stopAwaiting(record.messageId, record.genesysMessageId));
        } else {
          unsettled.push(record);
        }
      }
      await Promise.all(cleanups);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && unsettled.length < limit);
    return unsettled.slice(0, limit);
  }

  /** The Genesys ids among `records` whose receipt is settled (final or delivered/read/failed). */
  private async settledReceipts(records: readonly SendRecord[]): Promise<Set<string>> {
    const ids = [...new Set(records.flatMap((record) => record.genesysMessageId ?? []))];
    const settled = new Set<string>();
    for (let offset = 0; offset < ids.length; offset += BATCH_GET_MAX_KEYS) {
      let keys: Record<string, unknown>[] = ids
        .slice(offset, offset + BATCH_GET_MAX_KEYS)
        .map(receiptItemKey);
      for (let round = 0; round < BATCH_GET_ROUNDS && keys.length > 0; round += 1) {
        const requestKeys = keys;
        const answer = await this.send('BatchGetItem', `${requestKeys.length} receipts`, () =>
          this.client.send(
            new BatchGetCommand({
              RequestItems: {
                [this.tableName]: {
                  Keys: requestKeys,
                  ProjectionExpression: '#receiptFor, #status, #final',
                  ExpressionAttributeNames: {
                    '#receiptFor': 'receiptFor',
                    '#status': 'status',
                    '#final': 'final',
                  },
                },
              },
            }),
          ),
        );
        for (const item of answer.Responses?.[this.tableName] ?? []) {
          const status = item.status as MessageStatus;
          if (item.final === true || SETTLED_STATUSES.has(status)) settled.add(item.receiptFor as string);
        }
        // Keys DynamoDB did not get to are asked again; after the last round they count as unsettled,
        // which only means reconciliation looks at them once more.
        keys = answer.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return settled;
  }

  async noteReceiptCheck(
    messageId: string,
    genesysMessageId: string,
    maxChecks: number,
  ): Promise<'waiting' | 'retired'> {
    checkMessageId('messageId', messageId);
    checkMessageId('genesysMessageId', genesysMessageId);
    checkPositiveInteger('maxChecks', maxChecks);
    const update = new UpdateExpression().add('receiptChecks', 1);
    let checks: unknown;
    try {
      const condition = this.awaitingCondition(update, genesysMessageId);
      const answer = await this.update(messageId, update.build(condition), 'UPDATED_NEW');
      checks = answer?.receiptChecks;
    } catch (error) {
      // No longer waiting (settled and cleaned up, failed, or already retired): nothing left to count.
      if (isConditionFailure(error)) return 'retired';
      throw error;
    }
    if (typeof checks !== 'number' || checks < maxChecks) return 'waiting';
    await this.stopAwaiting(messageId, genesysMessageId);
    return 'retired';
  }

  /** The message is still on reconciliation's work list, for this Genesys id. */
  private awaitingCondition(update: UpdateExpression, genesysMessageId: string): string {
    return `${update.name('awaiting')} = ${update.value(AWAITING_RECEIPT)} AND ${update.name('genesysMessageId')} = ${update.value(genesysMessageId)}`;
  }

  /** Takes a settled message out of the reconciliation index. Best effort: failure only costs a re-check. */
  private async stopAwaiting(messageId: string, genesysMessageId: string): Promise<void> {
    const update = new UpdateExpression().remove('awaiting');
    const condition = this.awaitingCondition(update, genesysMessageId);
    try {
      await this.update(messageId, update.build(condition), 'NONE');
    } catch {
      // Ignored on purpose: the next listUnsettledSent finds it settled again and retries.
    }
  }
}

/**
 * The store for the Lambda functions: table and TTL from the environment (STATUS_TABLE_NAME,
 * STATUS_TTL_DAYS). The DynamoDB client is created on first use and kept for warm invocations.
 */
export function statusStoreFromEnvironment(): DynamoStatusStore {
  const tableName = requireEnv('statusTableName');
  const ttlDays = numberEnv('statusTtlDays', DEFAULT_STATUS_TTL_DAYS);
  if (ttlDays <= 0) {
    throw new ConfigurationError(
      `environment variable ${ENV.statusTtlDays} must be greater than 0, got ${ttlDays}`,
    );
  }
  const key = `${tableName}\n${ttlDays}`;
  let store = storesByConfig.get(key);
  if (store === undefined) {
    store = new DynamoStatusStore({ tableName, client: sharedDocumentClient(), ttlDays });
    storesByConfig.set(key, store);
  }
  return store;
}

const storesByConfig = new Map<string, DynamoStatusStore>();
