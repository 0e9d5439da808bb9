import type { Context } from 'aws-lambda';
import type { HttpAnswer } from '../../shared/http/api-gateway';
import { logger } from '../../shared/observability/telemetry';
import { statusStoreFromEnvironment } from '../../shared/status/dynamo-status-store';
import { answerStatusRequest } from '../../shared/status/status-api';

/** status λ: GET /messages/{id} behind API Gateway (REST API or HTTP API), the merged status of one message. */
export async function handler(event: unknown, context?: Context): Promise<HttpAnswer> {
  if (context !== undefined) logger.addContext(context);
  return answerStatusRequest(event, { store: statusStoreFromEnvironment, logger });
}
