import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { FUNCTION_RESERVE_MS } from '../config/timing';
import { InvalidEventError, isSqsEvent } from '../events/event-kinds';
import { logger } from '../observability/telemetry';
import { processRetryMessage, type RetryProcessingDependencies } from './process-retry-message';

/**
 * The retry function's SQS handler: every record goes through the shared delivery code; only records that
 * hit our own fault (DynamoDB, SQS unavailable) are reported in `batchItemFailures` and come back.
 * Records are processed one after another on purpose: Genesys' rate limit is per token and every record
 * shares it; concurrency comes from the event source's maximum concurrency instead.
 */
export function createRetryBatchHandler(
  deps: () => RetryProcessingDependencies,
  timing: { reserveMs: number; minAttemptMs: number } = { reserveMs: FUNCTION_RESERVE_MS, minAttemptMs: 0 },
): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event, context) => {
    if (!isSqsEvent(event)) throw new InvalidEventError('the retry function', 'SQS events', event);
    // Work within the invocation's time: a record that cannot start in time goes back to the queue at once.
    const deadlineAt =
      context?.getRemainingTimeInMillis === undefined
        ? undefined
        : Date.now() + context.getRemainingTimeInMillis() - timing.reserveMs;
    const processRecord = async (record: SQSRecord): Promise<void> => {
      const outcome = await processRetryMessage(record.body, deps(), {
        ...(deadlineAt !== undefined && { deadlineAt }),
        minAttemptMs: timing.minAttemptMs,
      });
      logger.info('retry record processed', { sqsMessageId: record.messageId, ...outcome });
    };
    return processPartialResponse(event, processRecord, processor, { context, processInParallel: false });
  };
}
