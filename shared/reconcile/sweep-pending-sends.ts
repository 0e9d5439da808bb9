import type { RetryQueue } from '../delivery/retry-queue';
import type { StatusStore } from '../status/types';

export interface SweepOptions {
  store: StatusStore;
  retryQueue: () => Promise<RetryQueue>;
  /** A record pending longer than this (since creation, or since its `sendAt`) is swept. */
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
 * The last safety net of "nothing lost": a message that nobody recorded an outcome for (a send function
 * that died mid-call while nobody called again, a schedule that never fired) is handed to the retry queue.
 * The retry path then takes the lease, so a message that did get its outcome meanwhile is not sent again.
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
