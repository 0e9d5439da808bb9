import type { RetryQueue } from '../delivery/retry-queue';
import type { GenesysRequester } from '../delivery/types';
import { describeEventKind } from '../events/event-kind';
import { isApiGatewayEvent } from '../http/api-gateway';
import type { StatusStore } from '../status/types';
import { type ReconcileReport, reconcileMessages } from './reconcile-messages';
import { type SweepReport, sweepPendingSends } from './sweep-pending-sends';

/** Records each pass looks at per run, at most: 5 bulk calls' worth in the common case. */
export const RECORDS_PER_PASS = 5000;
/** Time kept back at the end of a run: the report, the log line, the return. */
export const RESERVE_MS = 3000;
/**
 * The sweep's share of a run's time. It goes first (a message without an outcome is one that could be
 * lost; a missing receipt only makes a status late) but cannot take the whole run: what it leaves goes
 * to the receipt pass.
 */
export const SWEEP_SHARE = 1 / 3;

export interface ReconciliationDependencies {
  store: StatusStore;
  genesys: GenesysRequester;
  retryQueue: () => Promise<RetryQueue>;
  minAgeSeconds: number;
  /** The function's time left (Lambda: `context.getRemainingTimeInMillis`). */
  remainingMs: () => number;
  /** Longest one Genesys call can take: no call starts unless it fits. */
  callMs: number;
  maxChecks?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type ReconciliationReport = ReconcileReport & { pending: SweepReport };

/**
 * The time left for a pass that may use `share` of what is left now (minus the reserve): the pass
 * stops when this reaches 0. A pass that ends early leaves its time to the passes after it.
 */
export function passBudget(remainingMs: () => number, share: number, reserveMs: number): () => number {
  const atStart = remainingMs();
  const stopAt = atStart - Math.max(0, atStart - reserveMs) * share;
  return () => remainingMs() - stopAt;
}

/**
 * One reconciliation run: the sweep of messages without an outcome, then the receipt pass, each within
 * its own time budget, so a backlog in one cannot starve the other or outlive the function.
 */
export async function runReconciliation(deps: ReconciliationDependencies): Promise<ReconciliationReport> {
  const pending = await sweepPendingSends({
    store: deps.store,
    retryQueue: deps.retryQueue,
    minAgeSeconds: deps.minAgeSeconds,
    limit: RECORDS_PER_PASS,
    remainingMs: passBudget(deps.remainingMs, SWEEP_SHARE, RESERVE_MS),
    ...(deps.now !== undefined && { now: deps.now }),
  });
  const receipts = await reconcileMessages({
    store: deps.store,
    genesys: deps.genesys,
    minAgeSeconds: deps.minAgeSeconds,
    limit: RECORDS_PER_PASS,
    remainingMs: passBudget(deps.remainingMs, 1, RESERVE_MS),
    callMs: deps.callMs,
    ...(deps.maxChecks !== undefined && { maxChecks: deps.maxChecks }),
    ...(deps.now !== undefined && { now: deps.now }),
    ...(deps.sleep !== undefined && { sleep: deps.sleep }),
  });
  return { ...receipts, pending };
}

/**
 * Why an event cannot be a reconciliation trigger, or undefined when it can. The schedule invokes the
 * function with `{}` (EventBridge Scheduler) or a "Scheduled Event" (an EventBridge rule); an operator may
 * invoke it by hand with `{}`. An API Gateway request, an SQS record batch or a value that is not an
 * object is someone else's event: it must not start a full run.
 */
export function reconcileEventProblem(event: unknown): string | undefined {
  const e = event as Record<string, unknown> | null;
  const foreign =
    typeof event !== 'object' ||
    e === null ||
    Array.isArray(event) ||
    isApiGatewayEvent(event) ||
    'Records' in (e as object) ||
    (typeof e['detail-type'] === 'string' && e['detail-type'] !== 'Scheduled Event');
  if (!foreign) return undefined;
  return `the reconcile function runs on its schedule (a schedule invoke, or {} by hand); got ${describeEventKind(event)}`;
}
