import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConfigurationError, ENV, numberEnv, requireEnv } from '../config/environment';
import type { GenesysErrorInfo } from '../genesys/types';
import { MessageNotFoundError, StatusInputError, StatusStoreError } from './errors';
import { describeError, historyEntry, receiptHistoryAttribute, trimHistory } from './history';
import {
  checkIsoTime,
  checkMessageId,
  checkNonNegativeInteger,
  checkPositiveInteger,
  checkPositiveNumber,
  checkText,
} from './input-checks';
import { receiptRecordFromItem, sendRecordFromItem } from './items';
import { mergeStatus } from './merge-status';
import {
  DONE_SENDING,
  MESSAGE_STATUSES,
  type MessageStatus,
  SETTLED_STATUSES,
  statusRank,
} from './message-status';
import {
  AWAITING_RECEIPT,
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_STATUS_TTL_DAYS,
  expiresAtSeconds,
  PENDING_OUTCOME,
  receiptItemKey,
  STATUS_TABLE,
  sendItemKey,
} from './table-keys';

/** Attributes an outcome write removes: the record leaves the byPendingOutcome index. */
const OUTCOME_RECORDED = ['pendingOutcome', 'pendingSince'] as const;

import type {
  CreateResult,
  HistoryEntry,
  LeaseResult,
  MarkFailedInput,
  MarkRetryingInput,
  MarkSentInput,
  MergedStatus,
  ReceiptEvent,
  ReceiptRecord,
  SendRecord,
  StatusSource,
  StatusStore,
  TargetKind,
} from './types';
import { UpdateExpression } from './update-expression';

export interface DynamoStatusStoreOptions {
  tableName: string;
  /** Defaults to a client built from the standard AWS environment (region, AWS_ENDPOINT_URL_DYNAMODB). */
  client?: DynamoDBDocumentClient;
  /** Epoch ms; tests move time with it. */
  now?: () => number;
  /** Days after the last write until DynamoDB's TTL deletes an item. Default 90. */
  ttlDays?: number;
  /** Entries kept in a send record's history (newest). Default 50. */
  historyLimit?: number;
}

/** Statuses a receipt may report: Genesys only tells what happened after it took the message. */
const RECEIPT_STATUSES: readonly MessageStatus[] = MESSAGE_STATUSES.filter(
  (status) => statusRank(status) >= statusRank('sent'),
);

const TARGET_KINDS: readonly TargetKind[] = ['botConnector', 'botSession', 'conversation', 'agentless'];

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_MAX_KEYS = 100;
/** Rounds for BatchGetItem's UnprocessedKeys before the leftovers count as unsettled. */
const BATCH_GET_ROUNDS = 4;

/**
 * StatusStore on DynamoDB (architecture.md, "Status store"; layout in table-keys.ts).
 *
 * Every state change is ONE conditional write, so concurrent senders, duplicate SQS deliveries and
 * out-of-order receipts need no transactions:
 * - create: put if absent;
 * - acquireLease: update if not done and not leased by another live owner;
 * - markSent / markRetrying / markFailed(owner): update only while `leaseOwner` is the caller;
 * - applyReceipt: update the receipt item only when the status rank moves forward.
 * Housekeeping writes that never decide a status (trimming a long history, removing a settled message
 * from the reconciliation index) are separate, conditional and best effort.
 */
export class DynamoStatusStore implements StatusStore {
  private readonly tableName: string;
  private readonly client: DynamoDBDocumentClient;
  private readonly now: () => number;
  private readonly ttlDays: number;
  private readonly historyLimit: number;

  constructor(options: DynamoStatusStoreOptions) {
    this.tableName = checkText('tableName', options.tableName);
    this.client = options.client ?? createDocumentClient();
    this.now = options.now ?? Date.now;
    this.ttlDays = checkPositiveNumber('ttlDays', options.ttlDays ?? DEFAULT_STATUS_TTL_DAYS);
    this.historyLimit = checkPositiveInteger('historyLimit', options.historyLimit ?? DEFAULT_HISTORY_LIMIT);
  }

  async create(input: Parameters<StatusStore['create']>[0]): Promise<CreateResult> {
    const messageId = checkMessageId('messageId', input.messageId);
    checkText('requestHash', input.requestHash);
    if (typeof input.request !== 'object' || input.request === null || Array.isArray(input.request)) {
      throw new StatusInputError('request', 'must be the validated send request (a JSON object)');
    }
    if (!TARGET_KINDS.includes(input.targetKind)) {
      throw new StatusInputError(
        'targetKind',
        `must be one of ${TARGET_KINDS.join(', ')}, got "${String(input.targetKind)}"`,
      );
    }
    if (input.status !== 'accepted' && input.status !== 'scheduled') {
      throw new StatusInputError(
        'status',
        `must be "accepted" or "scheduled", got "${String(input.status)}"`,
      );
    }
    if (input.sendAt !== undefined) checkIsoTime('sendAt', input.sendAt);
    const nowMs = this.now();
    const at = iso(nowMs);
    const record: SendRecord = {
      messageId,
      status: input.status,
      requestHash: input.requestHash,
      // JSON round trip: the stored request is plain JSON (no undefined, no class instances).
      request: JSON.parse(JSON.stringify(input.request)) as Record<string, unknown>,
      targetKind: input.targetKind,
      attempts: 0,
      history: [
        historyEntry({
          at,
          status: input.status,
          source: input.source,
          reason: input.sendAt === undefined ? undefined : `scheduled for ${input.sendAt}`,
        }),
      ],
      createdAt: at,
      updatedAt: at,
    };
    if (input.conversationId !== undefined) record.conversationId = input.conversationId;
    if (input.metadata !== undefined) record.metadata = { ...input.metadata };
    if (input.sendAt !== undefined) record.sendAt = input.sendAt;
    if (input.scheduleName !== undefined) record.scheduleName = input.scheduleName;

    try {
      await this.send('PutItem', messageId, () =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...record,
              ...sendItemKey(messageId),
              historyVersion: 1,
              pendingOutcome: PENDING_OUTCOME,
              pendingSince: input.sendAt === undefined ? at : new Date(input.sendAt).toISOString(),
              [STATUS_TABLE.ttlAttribute]: expiresAtSeconds(nowMs, this.ttlDays),
            },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': STATUS_TABLE.partitionKey },
          }),
        ),
      );
      return { created: true, record };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const existing = await this.get(messageId);
    if (existing === undefined) {
      // The record existed a moment ago: only a delete in between (TTL) gets here. Retrying is safe.
      throw new StatusStoreError(
        'PutItem',
        `message "${messageId}"`,
        new Error('record vanished during create'),
      );
    }
    return { created: false, record: existing };
  }

  async get(messageId: string): Promise<SendRecord | undefined> {
    checkMessageId('messageId', messageId);
    const item = await this.getItem(sendItemKey(messageId), `message "${messageId}"`);
    return item === undefined ? undefined : sendRecordFromItem(item);
  }

  async acquireLease(messageId: string, owner: string, leaseMs: number): Promise<LeaseResult> {
    checkMessageId('messageId', messageId);
    checkText('owner', owner);
    checkPositiveNumber('leaseMs', leaseMs);
    const nowMs = this.now();
    const update = new UpdateExpression()
      .set('leaseOwner', owner)
      .set('leaseUntil', nowMs + leaseMs)
      .set(STATUS_TABLE.ttlAttribute, expiresAtSeconds(nowMs, this.ttlDays));
    const condition = [
      `attribute_exists(${update.name(STATUS_TABLE.partitionKey)})`,
      update.notIn('status', DONE_SENDING),
      `(attribute_not_exists(${update.name('leaseUntil')}) OR ${update.name('leaseUntil')} < ${update.value(nowMs)} OR ${update.name('leaseOwner')} = ${update.value(owner)})`,
    ].join(' AND ');
    try {
      const result = await this.update(messageId, update.build(condition), 'ALL_NEW');
      return { acquired: true, record: sendRecordFromItem(result ?? {}) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const record = await this.get(messageId);
    if (record === undefined) return { acquired: false, reason: 'missing' };
    if (DONE_SENDING.has(record.status)) return { acquired: false, reason: 'done', record };
    return { acquired: false, reason: 'leased', record };
  }

  async markSent(messageId: string, owner: string, input: MarkSentInput): Promise<boolean> {
    checkMessageId('messageId', messageId);
    checkText('owner', owner);
    checkNonNegativeInteger('attempt', input.attempt);
    if (input.genesysMessageId !== undefined) checkMessageId('genesysMessageId', input.genesysMessageId);
    if (input.conversationId !== undefined) checkText('conversationId', input.conversationId);
    const nowMs = this.now();
    const at = iso(nowMs);
    const update = this.statusUpdate(nowMs, 'sent', {
      at,
      status: 'sent',
      source: input.source,
      attempt: input.attempt,
    })
      .set('attempts', input.attempt)
      .setIfDefined('genesysMessageId', input.genesysMessageId)
      .setIfDefined('conversationId', input.conversationId)
      .set('sentAt', at)
      .remove('leaseOwner', 'leaseUntil', 'nextAttemptAt', 'lastError', ...OUTCOME_RECORDED);
    update.setExpression(
      'firstAttemptAt',
      `if_not_exists(${update.name('firstAttemptAt')}, ${update.value(at)})`,
    );
    // Only a message with a Genesys id can get receipts, so only it waits in the reconciliation index.
    if (input.genesysMessageId !== undefined) update.set('awaiting', AWAITING_RECEIPT);
    return this.leaseHolderWrite(messageId, update, this.leaseHolderCondition(update, owner));
  }

  async markRetrying(messageId: string, owner: string, input: MarkRetryingInput): Promise<boolean> {
    checkMessageId('messageId', messageId);
    checkText('owner', owner);
    checkNonNegativeInteger('attempt', input.attempt);
    checkIsoTime('nextAttemptAt', input.nextAttemptAt);
    checkGenesysError('error', input.error);
    const nowMs = this.now();
    const at = iso(nowMs);
    const reason = input.reason ?? describeError(input.error);
    const update = this.statusUpdate(nowMs, 'retrying', {
      at,
      status: 'retrying',
      source: input.source,
      reason,
      attempt: input.attempt,
    })
      .set('attempts', input.attempt)
      .set('nextAttemptAt', input.nextAttemptAt)
      .set('lastError', lastError(input.error, input.reason))
      // Its retry is on the queue (enqueued before this write): the queue owns it now.
      .remove('leaseOwner', 'leaseUntil', ...OUTCOME_RECORDED);
    update.setExpression(
      'firstAttemptAt',
      `if_not_exists(${update.name('firstAttemptAt')}, ${update.value(at)})`,
    );
    return this.leaseHolderWrite(messageId, update, this.leaseHolderCondition(update, owner));
  }

  async markFailed(messageId: string, owner: string | undefined, input: MarkFailedInput): Promise<boolean> {
    checkMessageId('messageId', messageId);
    if (owner !== undefined) checkText('owner', owner);
    checkText('reason', input.reason);
    if (input.error !== undefined) checkGenesysError('error', input.error);
    if (input.attempt !== undefined) checkNonNegativeInteger('attempt', input.attempt);
    const nowMs = this.now();
    const at = iso(nowMs);
    const reason =
      input.error === undefined ? input.reason : `${input.reason} (${describeError(input.error)})`;
    const update = this.statusUpdate(nowMs, 'failed', {
      at,
      status: 'failed',
      source: input.source,
      reason,
      attempt: input.attempt,
    })
      .setIfDefined('attempts', input.attempt)
      .set(
        'lastError',
        input.error === undefined
          ? { message: input.reason, reason: input.reason }
          : lastError(input.error, input.reason),
      )
      .remove('leaseOwner', 'leaseUntil', 'nextAttemptAt', 'awaiting', ...OUTCOME_RECORDED);
    // Without an owner: any record not done sending, unless someone holds a live lease (their result wins).
    const condition =
      owner !== undefined
        ? this.leaseHolderCondition(update, owner)
        : [
            `attribute_exists(${update.name(STATUS_TABLE.partitionKey)})`,
            update.notIn('status', DONE_SENDING),
            `(attribute_not_exists(${update.name('leaseUntil')}) OR ${update.name('leaseUntil')} < ${update.value(nowMs)})`,
          ].join(' AND ');
    return this.leaseHolderWrite(messageId, update, condition);
  }

  async releaseLease(
    messageId: string,
    owner: string,
    note: Omit<HistoryEntry, 'at' | 'status'>,
  ): Promise<boolean> {
    checkMessageId('messageId', messageId);
    checkText('owner', owner);
    // The note records the status it was written under; the condition makes sure that is still the status.
    const nowMs = this.now();
    const record = await this.get(messageId);
    if (record === undefined || record.leaseOwner !== owner) return false;
    const update = new UpdateExpression()
      .set(STATUS_TABLE.ttlAttribute, expiresAtSeconds(nowMs, this.ttlDays))
      .remove('leaseOwner', 'leaseUntil');
    this.appendHistory(update, historyEntry({ ...note, at: iso(nowMs), status: record.status }));
    const condition = `${update.name('leaseOwner')} = ${update.value(owner)} AND ${update.name('status')} = ${update.value(record.status)}`;
    return this.leaseHolderWrite(messageId, update, condition);
  }

  async note(messageId: string, entry: Omit<HistoryEntry, 'at' | 'status'>): Promise<void> {
    checkMessageId('messageId', messageId);
    // The time is taken before the read, so the entry's status is the one the record had at that time.
    const nowMs = this.now();
    const record = await this.get(messageId);
    if (record === undefined) throw new MessageNotFoundError(messageId);
    const update = new UpdateExpression().set(
      STATUS_TABLE.ttlAttribute,
      expiresAtSeconds(nowMs, this.ttlDays),
    );
    this.appendHistory(update, historyEntry({ ...entry, at: iso(nowMs), status: record.status }));
    const condition = `attribute_exists(${update.name(STATUS_TABLE.partitionKey)})`;
    try {
      const attributes = await this.update(messageId, update.build(condition), 'UPDATED_NEW');
      await this.trimIfLong(messageId, attributes);
    } catch (error) {
      if (isConditionFailure(error)) throw new MessageNotFoundError(messageId);
      throw error;
    }
  }

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

  /** One page of a sparse index: the items under `key` whose sort key is before `before`, oldest first. */
  private queryBefore(
    index: { name: string; partitionKey: string; sortKey: string },
    key: string,
    before: string,
    limit: number,
    startKey: Record<string, unknown> | undefined,
  ) {
    return this.send('Query', `index ${index.name}`, () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.name,
          KeyConditionExpression: '#key = :key AND #sort < :before',
          ExpressionAttributeNames: { '#key': index.partitionKey, '#sort': index.sortKey },
          ExpressionAttributeValues: { ':key': key, ':before': before },
          Limit: limit,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      ),
    );
  }

  /** Send records still waiting for an outcome since before `before` (oldest first), from the sparse index. */
  async listPendingOutcome(before: string, limit: number): Promise<SendRecord[]> {
    checkIsoTime('before', before);
    checkPositiveInteger('limit', limit);
    const index = STATUS_TABLE.indexes.byPendingOutcome;
    const records: SendRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.queryBefore(
        index,
        PENDING_OUTCOME,
        new Date(before).toISOString(),
        limit - records.length,
        startKey,
      );
      records.push(...(page.Items ?? []).map(sendRecordFromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && records.length < limit);
    return records;
  }

  /**
   * Reconciliation's work list. The `byAwaitingReceipt` index holds send items that were `sent` with a
   * Genesys id; a settled receipt lands on the receipt item and cannot take the send item out of the index
   * (another item, one write). So each page of the index is checked against its receipt items (BatchGet):
   * unsettled ones are returned, settled ones get `awaiting` removed (best effort, conditional), which
   * shrinks the index for the next run.
   */
  async listUnsettledSent(sentBefore: string, limit: number): Promise<SendRecord[]> {
    checkIsoTime('sentBefore', sentBefore);
    checkPositiveInteger('limit', limit);
    // sentAt is written as toISOString(): compare in the same form.
    const before = new Date(sentBefore).toISOString();
    const index = STATUS_TABLE.indexes.byAwaitingReceipt;
    const unsettled: SendRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.queryBefore(
        index,
        AWAITING_RECEIPT,
        before,
        Math.min(Math.max(limit, 25), BATCH_GET_MAX_KEYS),
        startKey,
      );
      const records = (page.Items ?? []).map(sendRecordFromItem);
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

  /** Takes a settled message out of the reconciliation index. Best effort: failure only costs a re-check. */
  private async stopAwaiting(messageId: string, genesysMessageId: string): Promise<void> {
    const update = new UpdateExpression().remove('awaiting');
    const condition = `${update.name('awaiting')} = ${update.value(AWAITING_RECEIPT)} AND ${update.name('genesysMessageId')} = ${update.value(genesysMessageId)}`;
    try {
      await this.update(messageId, update.build(condition), 'NONE');
    } catch {
      // Ignored on purpose: the next listUnsettledSent finds it settled again and retries.
    }
  }

  /** The common part of a status change on a send item: status, times, TTL and the history entry. */
  private statusUpdate(nowMs: number, status: MessageStatus, entry: HistoryEntry): UpdateExpression {
    const update = new UpdateExpression()
      .set('status', status)
      .set('updatedAt', iso(nowMs))
      .set(STATUS_TABLE.ttlAttribute, expiresAtSeconds(nowMs, this.ttlDays));
    this.appendHistory(update, historyEntry(entry));
    return update;
  }

  private appendHistory(update: UpdateExpression, entry: HistoryEntry): void {
    const history = update.name('history');
    const version = update.name('historyVersion');
    update.setExpression(
      'history',
      `list_append(if_not_exists(${history}, ${update.value([])}), ${update.value([entry])})`,
    );
    update.setExpression(
      'historyVersion',
      `if_not_exists(${version}, ${update.value(0)}) + ${update.value(1)}`,
    );
  }

  /** The lease holder's condition: still the owner, and the record is not done sending. */
  private leaseHolderCondition(update: UpdateExpression, owner: string): string {
    return `${update.name('leaseOwner')} = ${update.value(owner)} AND ${update.notIn('status', DONE_SENDING)}`;
  }

  /** A status write guarded by `condition`: false when the condition fails (lease lost, already done). */
  private async leaseHolderWrite(
    messageId: string,
    update: UpdateExpression,
    condition: string,
  ): Promise<boolean> {
    try {
      const attributes = await this.update(messageId, update.build(condition), 'UPDATED_NEW');
      await this.trimIfLong(messageId, attributes);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Keeps a send item's history at `historyLimit` (see history.ts): only when this write's answer shows
   * the list too long, and only if nobody wrote the history since (`historyVersion` unchanged).
   */
  private async trimIfLong(
    messageId: string,
    attributes: Record<string, unknown> | undefined,
  ): Promise<void> {
    const history = attributes?.history;
    const version = attributes?.historyVersion;
    if (!Array.isArray(history) || history.length <= this.historyLimit || typeof version !== 'number') return;
    const update = new UpdateExpression().set(
      'history',
      trimHistory(history as HistoryEntry[], this.historyLimit),
    );
    const condition = `${update.name('historyVersion')} = ${update.value(version)}`;
    try {
      await this.update(messageId, update.build(condition), 'NONE');
    } catch {
      // Ignored on purpose: a later writer (higher version) trims, or the next write on this record does.
    }
  }

  private async update(
    messageId: string,
    expression: ReturnType<UpdateExpression['build']>,
    returnValues: 'ALL_NEW' | 'UPDATED_NEW' | 'NONE',
  ): Promise<Record<string, unknown> | undefined> {
    const answer = await this.send('UpdateItem', `message "${messageId}"`, () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sendItemKey(messageId),
          ...expression,
          ReturnValues: returnValues,
        }),
      ),
    );
    return answer.Attributes;
  }

  private async getItem(key: { pk: string }, subject: string): Promise<Record<string, unknown> | undefined> {
    const answer = await this.send('GetItem', subject, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return answer.Item;
  }

  /** Runs one DynamoDB call; a failed condition passes through untouched, anything else gets context. */
  private async send<T>(operation: string, subject: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isConditionFailure(error)) throw error;
      throw new StatusStoreError(operation, subject, error);
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
    sharedClient ??= createDocumentClient();
    store = new DynamoStatusStore({ tableName, client: sharedClient, ttlDays });
    storesByConfig.set(key, store);
  }
  return store;
}

let sharedClient: DynamoDBDocumentClient | undefined;
const storesByConfig = new Map<string, DynamoStatusStore>();

function createDocumentClient(): DynamoDBDocumentClient {
  // Region, credentials and AWS_ENDPOINT_URL_DYNAMODB come from the SDK's own environment handling.
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function lastError(error: GenesysErrorInfo, reason: string | undefined): SendRecord['lastError'] {
  const result: NonNullable<SendRecord['lastError']> = { message: error.message };
  if (error.status !== undefined) result.status = error.status;
  if (error.code !== undefined) result.code = error.code;
  if (error.contextId !== undefined) result.contextId = error.contextId;
  if (error.correlationId !== undefined) result.correlationId = error.correlationId;
  if (reason !== undefined) result.reason = reason;
  return result;
}

function checkGenesysError(field: string, error: GenesysErrorInfo): void {
  if (typeof error !== 'object' || error === null || typeof error.message !== 'string') {
    throw new StatusInputError(field, 'must be a Genesys error with a message');
  }
}
