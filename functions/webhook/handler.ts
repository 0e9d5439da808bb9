import type { Context } from 'aws-lambda';
import { logger } from '../../shared/observability/telemetry';
import { statusStoreFromEnvironment } from '../../shared/status/dynamo-status-store';
import { createWebhookHandler } from '../../shared/webhook/create-webhook-handler';
import { webhookForwarderFromEnvironment } from '../../shared/webhook/forward-to-middleware';
import { webhookSecretsFromEnvironment } from '../../shared/webhook/webhook-secret';

// Dependencies are built on the first event and kept for warm invocations (clients, secret cache).
const handleEvent = createWebhookHandler({
  logger,
  dependencies: () => ({
    store: statusStoreFromEnvironment(),
    secrets: webhookSecretsFromEnvironment(),
    forwarder: webhookForwarderFromEnvironment(),
  }),
});

/**
 * webhook λ: POST /webhooks/genesys (API Gateway v1 or v2, signed by Genesys) and conversation message
 * events from Genesys' EventBridge integration (README "Delivery status").
 */
export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  return handleEvent(event);
};
