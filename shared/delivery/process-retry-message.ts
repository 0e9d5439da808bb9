import { ENGLISH_MESSAGES } from '../validation/english-messages';
import type { DeliveryService } from './delivery-service';
import { type RetryMessage, RetryMessageSchema } from './retry-message';
import { sqsDelayFor } from './retry-policy';
import type { RetryQueue } from './retry-queue';

export interface RetryProcessingDependencies {
  delivery: DeliveryService;
  retryQueue: () => Promise<RetryQueue>;
  now?: () => number;
}

export type RetryProcessingOutcome =
  | { outcome: 'attempted'; status: string }
  | { outcome: 'skipped'; reason: 'done' | 'stale' | 'leased' }
  | { outcome: 'requeued'; reason: 'not-yet' | 'no-time'; delaySeconds: number }
  | { outcome: 'dead-lettered'; reason: string };

export interface RetryProcessingOptions {
  /** Epoch ms by which this function must be done calling Genesys (its remaining time, less a reserve). */
  deadlineAt?: number;
  /** Least time an attempt needs to start; with less, the record goes back to the queue untouched. */
  minAttemptMs?: number;
}

/** A little slack so a message that SQS hands over a moment early is not put back for one second. */
const EARLY_TOLERANCE_MS = 1000;

/**
 * One retry-queue record. Throws only for faults that SQS should redeliver for (DynamoDB or the queue
 * unavailable); the caller reports those as batch item failures.
 */
export async function processRetryMessage(
  body: string,
  deps: RetryProcessingDependencies,
  options: RetryProcessingOptions = {},
): Promise<RetryProcessingOutcome> {
  const now = (deps.now ?? Date.now)();
  const parsed = parseRetryMessage(body);
  if (!parsed.ok) {
    // Poison: it can never succeed, so it goes straight to the DLQ instead of cycling until maxReceiveCount.
    const reason = `unreadable retry message: ${parsed.reason}`;
    await (await deps.retryQueue()).deadLetter(body, reason);
    return { outcome: 'dead-lettered', reason };
  }
  const message = parsed.message;

  const notBefore = Date.parse(message.notBefore);
  if (notBefore - now > EARLY_TOLERANCE_MS) {
    // Waits longer than SQS's 900 s arrive early: put back for the rest of the wait, never sent early.
    const delaySeconds = sqsDelayFor(notBefore, now);
    await (await deps.retryQueue()).enqueue(message, delaySeconds);
    return { outcome: 'requeued', reason: 'not-yet', delaySeconds };
  }

  if (options.deadlineAt !== undefined && options.deadlineAt - now < (options.minAttemptMs ?? 0)) {
    // Too late in this invocation to start: back on the queue at once (not after the visibility timeout,
    // as a record left unprocessed by a timed-out batch would be), and nothing else changes.
    await (await deps.retryQueue()).enqueue(message, 0);
    return { outcome: 'requeued', reason: 'no-time', delaySeconds: 0 };
  }

  const result = await deps.delivery.attempt(message.messageId, {
    source: 'retry',
    expectedAttempt: message.attempt,
    ...(options.deadlineAt !== undefined && { deadlineAt: options.deadlineAt }),
  });
  switch (result.skipped) {
    case undefined:
      return { outcome: 'attempted', status: result.status };
    case 'done':
    case 'stale':
      return { outcome: 'skipped', reason: result.skipped };
    case 'leased':
      // Another worker holds it (an SQS duplicate, a replay): it records the outcome. Had it died, the
      // record stays in the pending-outcome index and the sweep hands it back (docs/delivery.md).
      return { outcome: 'skipped', reason: 'leased' };
    case 'missing': {
      const reason = `no status record for message "${message.messageId}" (expired or never written)`;
      await (await deps.retryQueue()).deadLetter(body, reason, { messageId: message.messageId });
      return { outcome: 'dead-lettered', reason };
    }
  }
}

function parseRetryMessage(
  body: string,
): { ok: true; message: RetryMessage } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  const parsed = RetryMessageSchema.safeParse(json, ENGLISH_MESSAGES);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, reason };
  }
  return { ok: true, message: parsed.data };
}
