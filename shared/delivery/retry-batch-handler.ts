import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
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
): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  const processRecord = async (record: SQSRecord): Promise<void> => {
    const outcome = await processRetryMessage(record.body, deps());
    logger.info('retry record processed', { sqsMessageId: record.messageId, ...outcome });
  };
  return (event, context) =>
    processPartialResponse(event, processRecord, processor, { context, processInParallel: false });
}
