import type { Context, SQSEvent } from 'aws-lambda';
import { deliveryFromEnvironment } from '../../shared/delivery/delivery-from-environment';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import { createRetryBatchHandler } from '../../shared/delivery/retry-batch-handler';
import { retryQueueFromEnvironment } from '../../shared/delivery/retry-queue';
import { logger } from '../../shared/observability/telemetry';

// Built on first use and kept for warm invocations (clients, token cache, keep-alive sockets).
let delivery: DeliveryService | undefined;

const handleBatch = createRetryBatchHandler(() => {
  delivery ??= deliveryFromEnvironment();
  return { delivery, retryQueue: retryQueueFromEnvironment };
});

/** retry λ: SQS retry queue → delivery, reporting only the records that must come back (batchItemFailures). */
export const handler = async (event: SQSEvent, context: Context) => {
  logger.addContext(context);
  return handleBatch(event, context);
};
