import { sortHistory } from './history';
import { isForward } from './message-status';
import type { MergedStatus, ReceiptRecord, SendRecord } from './types';

/**
 * What GET /messages/{id} shows: the send record and the receipts for its Genesys id together.
 * The status is the forward-most of the two (a failed receipt makes the message failed; a failed send
 * stays failed), the history is both histories by time.
 */
export function mergeStatus(send: SendRecord, receipt: ReceiptRecord | undefined): MergedStatus {
  const status =
    receipt !== undefined && isForward(send.status, receipt.status) ? receipt.status : send.status;
  const merged: MergedStatus = {
    messageId: send.messageId,
    status,
    targetKind: send.targetKind,
    target: targetOf(send.request),
    attempts: send.attempts,
    createdAt: send.createdAt,
    updatedAt: later(send.updatedAt, receipt?.updatedAt),
    history: sortHistory([...send.history, ...(receipt?.history ?? [])]),
  };
  if (send.genesysMessageId !== undefined) merged.genesysMessageId = send.genesysMessageId;
  // A next attempt is only news while the send path still plans one.
  if (send.nextAttemptAt !== undefined && status === 'retrying') merged.nextAttemptAt = send.nextAttemptAt;
  if (send.lastError !== undefined) merged.lastError = send.lastError;
  if (send.metadata !== undefined) merged.metadata = send.metadata;
  if (send.createdBy !== undefined) merged.createdBy = send.createdBy;
  if (send.sendAt !== undefined) merged.sendAt = send.sendAt;
  if (send.answer !== undefined) merged.answer = send.answer;
  return merged;
}

function targetOf(request: Record<string, unknown>): Record<string, unknown> {
  const target = request.target;
  return typeof target === 'object' && target !== null && !Array.isArray(target)
    ? (target as Record<string, unknown>)
    : {};
}

function later(a: string, b: string | undefined): string {
  if (b === undefined) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}
