import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { GenesysErrorInfo } from '../genesys/types';
import { DynamoTable, isConditionFailure, iso } from './dynamo-table';
import { MessageNotFoundError, StatusInputError, StatusStoreError } from './errors';
import { describeError, historyEntry } from './history';
import {
  checkIsoTime,
  checkMessageId,
  checkNonNegativeInteger,
  checkPositiveInteger,
  checkPositiveNumber,
  checkText,
} from './input-checks';
import { sendRecordFromItem } from './items';
import { DONE_SENDING, type MessageStatus } from './message-status';
import { AWAITING_RECEIPT, expiresAtSeconds, PENDING_OUTCOME, STATUS_TABLE, sendItemKey } from './table-keys';
import type {
  CreateResult,
  HistoryEntry,
  LeaseResult,
  MarkFailedInput,
  MarkRetryingInput,
  MarkSentInput,
  SendRecord,
  StatusStore,
  TargetKind,
} from './types';
import { UpdateExpression } from './update-expression';

/**
 * Attributes a final outcome (sent, failed) removes: the record leaves the byPendingOutcome index, and an
 * ambiguous earlier attempt is settled.
 */
const OUTCOME_RECORDED = ['pendingOutcome', 'pendingSince', 'ambiguousSince', 'leaseTakenAt'] as const;

const TARGET_KINDS: readonly TargetKind[] = ['botConnector', 'botSession', 'conversation', 'agentless'];

/**
 * The send path's half of the status store: one item per message (`msg#<id>`), changed only by its
 * creator and its lease holder. Every state change is ONE conditional write:
 * - create: put if absent;
 * - acquireLease: update if not done and not leased by another live owner;
 * - markSent / markRetrying / markFailed(owner): update only while `leaseOwner` is the caller.
 */
export abstract class DynamoSendRecords extends DynamoTable {
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
    if (input.createdBy !== undefined) record.createdBy = checkText('createdBy', input.createdBy);

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
              // A scheduled record lives until its send plus the TTL, however far ahead that is.
              [STATUS_TABLE.ttlAttribute]: this.expiresAt(nowMs, input.sendAt),
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
      .set('leaseTakenAt', iso(nowMs))
      .set(STATUS_TABLE.ttlAttribute, expiresAtSeconds(nowMs, this.ttlDays));
    const condition = [
      `attribute_exists(${update.name(STATUS_TABLE.partitionKey)})`,
      update.notIn('status', DONE_SENDING),
      `(attribute_not_exists(${update.name('leaseUntil')}) OR ${update.name('leaseUntil')} < ${update.value(nowMs)} OR ${update.name('leaseOwner')} = ${update.value(owner)})`,
    ].join(' AND ');
    try {
      // The old item tells whether a previous holder left without recording an outcome (its lease is still
      // there): that attempt may have reached Genesys.
      const old = sendRecordFromItem(
        (await this.update(messageId, update.build(condition), 'ALL_OLD')) ?? {},
      );
      const abandonedSince =
        old.leaseOwner !== undefined && old.leaseOwner !== owner
          ? (old.leaseTakenAt ?? old.updatedAt)
          : undefined;
      const record: SendRecord = {
        ...old,
        leaseOwner: owner,
        leaseUntil: nowMs + leaseMs,
        leaseTakenAt: iso(nowMs),
      };
      return { acquired: true, record, ...(abandonedSince !== undefined && { abandonedSince }) };
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
      reason: input.reason,
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
      // Still without an outcome: it stays in the byPendingOutcome index, due at its next attempt, so the
      // sweep hands it back to the queue if its retry message is lost (docs/delivery.md).
      .set('pendingOutcome', PENDING_OUTCOME)
      .set('pendingSince', new Date(input.nextAttemptAt).toISOString());
    if (input.ambiguousSince !== undefined) {
      update.setExpression(
        'ambiguousSince',
        `if_not_exists(${update.name('ambiguousSince')}, ${update.value(input.ambiguousSince)})`,
      );
    } else {
      update.remove('ambiguousSince');
    }
    // An ambiguous attempt keeps its lease to the end: nobody may try again while Genesys may still answer.
    if (input.keepLease !== true) update.remove('leaseOwner', 'leaseUntil', 'leaseTakenAt');
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
      .set(STATUS_TABLE.ttlAttribute, this.expiresAt(nowMs, record.sendAt))
      .remove('leaseOwner', 'leaseUntil', 'leaseTakenAt');
    this.appendHistory(update, historyEntry({ ...note, at: iso(nowMs), status: record.status }));
    const condition = `${update.name('leaseOwner')} = ${update.value(owner)} AND ${update.name('status')} = ${update.value(record.status)}`;
    return this.leaseHolderWrite(messageId, update, condition);
  }

  async note(
    messageId: string,
    entry: Omit<HistoryEntry, 'at' | 'status'>,
    changes: { nextAttemptAt?: string } = {},
  ): Promise<void> {
    checkMessageId('messageId', messageId);
    // The time is taken before the read, so the entry's status is the one the record had at that time.
    const nowMs = this.now();
    const record = await this.get(messageId);
    if (record === undefined) throw new MessageNotFoundError(messageId);
    const update = new UpdateExpression().set(
      STATUS_TABLE.ttlAttribute,
      this.expiresAt(nowMs, record.sendAt),
    );
    this.appendHistory(update, historyEntry({ ...entry, at: iso(nowMs), status: record.status }));
    if (changes.nextAttemptAt !== undefined && record.status === 'retrying') {
      checkIsoTime('nextAttemptAt', changes.nextAttemptAt);
      update.set('nextAttemptAt', changes.nextAttemptAt).set('pendingSince', changes.nextAttemptAt);
    }
    const condition = `attribute_exists(${update.name(STATUS_TABLE.partitionKey)})`;
    try {
      const attributes = await this.update(messageId, update.build(condition), 'UPDATED_NEW');
      await this.trimIfLong(messageId, attributes);
    } catch (error) {
      if (isConditionFailure(error)) throw new MessageNotFoundError(messageId);
      throw error;
    }
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

  /** TTL of a send item written at `nowMs`: never before its `sendAt` plus the TTL. */
  protected expiresAt(nowMs: number, sendAt: string | undefined): number {
    const sendAtMs = sendAt === undefined ? Number.NaN : Date.parse(sendAt);
    return expiresAtSeconds(Number.isNaN(sendAtMs) ? nowMs : Math.max(nowMs, sendAtMs), this.ttlDays);
  }

  /** The common part of a status change on a send item: status, times, TTL and the history entry. */
  protected statusUpdate(nowMs: number, status: MessageStatus, entry: HistoryEntry): UpdateExpression {
    const update = new UpdateExpression()
      .set('status', status)
      .set('updatedAt', iso(nowMs))
      .set(STATUS_TABLE.ttlAttribute, expiresAtSeconds(nowMs, this.ttlDays));
    this.appendHistory(update, historyEntry(entry));
    return update;
  }

  /** The lease holder's condition: still the owner, and the record is not done sending. */
  protected leaseHolderCondition(update: UpdateExpression, owner: string): string {
    return `${update.name('leaseOwner')} = ${update.value(owner)} AND ${update.notIn('status', DONE_SENDING)}`;
  }

  /** A status write guarded by `condition`: false when the condition fails (lease lost, already done). */
  protected async leaseHolderWrite(
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
