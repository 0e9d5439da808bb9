import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { deliveryFromEnvironment } from '../../shared/delivery/delivery-from-environment';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import { processRetryMessage } from '../../shared/delivery/process-retry-message';
import { retryQueueFromEnvironment } from '../../shared/delivery/retry-queue';
import { logger } from '../../shared/observability/telemetry';

let delivery: DeliveryService | undefined;

/**
 * Sequential on purpose: Genesys' rate limit is per token and every record in the batch shares it;
 * concurrency comes from the event source's maximum concurrency instead (README "Retry").
 */
const processor = new BatchProcessor(EventType.SQS);

async function processRecord(record: SQSRecord): Promise<void> {
  delivery ??= deliveryFromEnvironment();
  const outcome = await processRetryMessage(record.body, { delivery, retryQueue: retryQueueFromEnvironment });
  logger.info('retry record processed', { sqsMessageId: record.messageId, ...outcome });
}

/** retry λ: SQS retry queue → delivery, reporting only the records that must come back (batchItemFailures). */
export const handler = async (event: SQSEvent, context: Context) => {
  logger.addContext(context);
  return processPartialResponse(event, processRecord, processor, { context, processInParallel: false });
};
