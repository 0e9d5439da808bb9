import type { RetryQueue } from '../delivery/retry-queue';
import type { StatusStore } from '../status/types';

export interface SweepOptions {
  store: StatusStore;
  retryQueue: () => Promise<RetryQueue>;
  /** A record overdue longer than this (since creation, its `sendAt` or its next attempt) is swept. */
  minAgeSeconds: number;
  limit: number;
  /** The pass's time left, in ms: it stops when this reaches 0 (the next run goes on). */
  remainingMs?: () => number;
  now?: () => number;
}

export interface SweepReport {
  /** Pending records found older than the minimum age. */
  found: number;
  /** Handed to the retry queue. */
  requeued: number;
  /** Left alone: a worker holds a live lease on them (it will record the outcome). */
  leased: number;
  /** The pass ran out of time before its list was done. */
  stoppedEarly?: boolean;
}

/**
 * The one recovery path for a message without a final outcome (docs/delivery.md): a send function that died
 * mid-call while nobody called again, a schedule that never fired, a retry message that was lost or moved to
 * the DLQ by SQS. Each overdue record is handed to the retry queue; the retry path then takes the lease and
 * checks the attempt number, so a message that got its outcome meanwhile is not sent again, and one whose
 * last attempt was ambiguous is looked for before it is sent.
 */
export async function sweepPendingSends(options: SweepOptions): Promise<SweepReport> {
  const nowMs = (options.now ?? Date.now)();
  const before = new Date(nowMs - options.minAgeSeconds * 1000).toISOString();
  const pending = await options.store.listPendingOutcome(before, options.limit);
  const report: SweepReport = { found: pending.length, requeued: 0, leased: 0 };
  if (pending.length === 0) return report;
  const queue = await options.retryQueue();
  const now = new Date(nowMs).toISOString();
  for (const record of pending) {
    if (options.remainingMs !== undefined && options.remainingMs() <= 0) {
      report.stoppedEarly = true;
      break;
    }
    if (record.leaseUntil !== undefined && record.leaseUntil > nowMs) {
      report.leased++;
      continue;
    }
    await queue.enqueue(
      {
        messageId: record.messageId,
        attempt: record.attempts + 1,
        firstAttemptAt: record.firstAttemptAt ?? record.createdAt,
        notBefore: now,
        lastError: 'no outcome recorded: picked up by reconciliation',
      },
      0,
    );
    report.requeued++;
  }
  return report;
}
