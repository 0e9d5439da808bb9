import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { ApiGatewayProxyEvent } from '../../shared/status/api-gateway-event';
import { statusStoreFromEnvironment } from '../../shared/status/dynamo-status-store';
import { answerStatusRequest, type StatusApiResponse } from '../../shared/status/status-api';

const logger = new Logger({ serviceName: 'status' });

/** GET /messages/{id} behind API Gateway (REST API or HTTP API): the merged status of one message. */
export async function handler(event: ApiGatewayProxyEvent, context?: Context): Promise<StatusApiResponse> {
  if (context !== undefined) logger.addContext(context);
  return answerStatusRequest(event, { store: statusStoreFromEnvironment, logger });
}
