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
  | { outcome: 'skipped'; reason: 'done' | 'stale' }
  | { outcome: 'requeued'; reason: 'not-yet' | 'leased'; delaySeconds: number }
  | { outcome: 'dead-lettered'; reason: string };

/** A little slack so a message that SQS hands over a moment early is not put back for one second. */
const EARLY_TOLERANCE_MS = 1000;

/**
 * One retry-queue record. Throws only for faults that SQS should redeliver for (DynamoDB or the queue
 * unavailable); the caller reports those as batch item failures.
 */
export async function processRetryMessage(
  body: string,
  deps: RetryProcessingDependencies,
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

  const result = await deps.delivery.attempt(message.messageId, {
    source: 'retry',
    expectedAttempt: message.attempt,
  });
  switch (result.skipped) {
    case undefined:
      return { outcome: 'attempted', status: result.status };
    case 'done':
    case 'stale':
      return { outcome: 'skipped', reason: result.skipped };
    case 'leased': {
      // Another worker holds it (an SQS duplicate, or a worker that died): look again when its lease ends,
      // so a crashed worker's message is picked up, and a live one's finished work makes this a no-op.
      const delaySeconds = Math.max(1, sqsDelayFor((result.leaseUntil ?? now) + EARLY_TOLERANCE_MS, now));
      await (await deps.retryQueue()).enqueue(message, delaySeconds);
      return { outcome: 'requeued', reason: 'leased', delaySeconds };
    }
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
