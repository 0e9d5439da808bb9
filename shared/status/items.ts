import { receiptHistoryFromItem } from './history';
import type { MessageStatus } from './message-status';
import type { HistoryEntry, ReceiptRecord, SendRecord, TargetKind } from './types';

/**
 * Item ➜ record. Items are written only by the store, so this picks the record's fields and leaves
 * the table's own attributes (pk, expiresAt, awaiting, sentAt, historyVersion, statusRank) behind.
 */
export function sendRecordFromItem(item: Record<string, unknown>): SendRecord {
  const record: SendRecord = {
    messageId: item.messageId as string,
    status: item.status as MessageStatus,
    requestHash: item.requestHash as string,
    request: (item.request ?? {}) as Record<string, unknown>,
    targetKind: item.targetKind as TargetKind,
    attempts: typeof item.attempts === 'number' ? item.attempts : 0,
    history: Array.isArray(item.history) ? (item.history as HistoryEntry[]) : [],
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
  copyDefined(item, record, [
    'conversationId',
    'genesysMessageId',
    'firstAttemptAt',
    'nextAttemptAt',
    'lastError',
    'metadata',
    'createdBy',
    'leaseUntil',
    'leaseOwner',
    'leaseTakenAt',
    'ambiguousSince',
    'scheduleName',
    'sendAt',
    'answer',
  ]);
  return record;
}

export function receiptRecordFromItem(item: Record<string, unknown>): ReceiptRecord {
  const record: ReceiptRecord = {
    genesysMessageId: item.receiptFor as string,
    status: item.status as MessageStatus,
    final: item.final === true,
    history: receiptHistoryFromItem(item),
    updatedAt: item.updatedAt as string,
  };
  copyDefined(item, record, ['conversationId', 'reasons']);
  return record;
}

function copyDefined<T extends object>(item: Record<string, unknown>, record: T, keys: readonly (keyof T)[]) {
  for (const key of keys) {
    const value = item[key as string];
    if (value !== undefined && value !== null) (record as Record<string, unknown>)[key as string] = value;
  }
}
