import { describeEventKind } from '../events/event-kind';
import { isEventBridgeEvent } from '../events/eventbridge-event';
import { type HttpAnswer, isApiGatewayEvent } from '../http/api-gateway';
import { handleConversationEvent } from './handle-conversation-event';
import { errorSummary, handleWebhookRequest, internalError } from './handle-webhook-request';
import { GENESYS_PARTNER_SOURCE_PREFIX } from './parse-receipts';
import { readHttpRequest } from './read-http-request';
import type { WebhookDependencies, WebhookEventResult, WebhookLogger } from './types';

export interface WebhookHandlerOptions {
  logger: WebhookLogger;
  /** A factory is called on the first event (and again after it failed), so configuration errors surface per request. */
  dependencies: WebhookDependencies | (() => WebhookDependencies);
  now?: () => Date;
}

/** Another trigger wired to this function, or a hand-made invoke: nothing to record, and a retry would not help. */
function unsupported(event: unknown, logger: WebhookLogger): WebhookEventResult {
  const kind = describeEventKind(event);
  logger.error('webhook function invoked with an unsupported event', { kind });
  const message = `the webhook function takes API Gateway requests (POST /webhooks/genesys) and Genesys conversation message events from EventBridge (source ${GENESYS_PARTNER_SOURCE_PREFIX}…); got ${kind}`;
  return { received: 0, applied: 0, dropped: 'unsupported', error: { code: 'unsupported_event', message } };
}

export type WebhookHandler = (event: unknown) => Promise<HttpAnswer | WebhookEventResult>;

/**
 * The webhook Lambda's logic: API Gateway v1/v2 → signed HTTP path; EventBridge → conversation events.
 * HTTP answers are always responses (5xx only for our faults); the EventBridge path throws only when
 * the store (or configuration) fails, so the async invoke is retried.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const { logger } = options;
  let resolved: WebhookDependencies | undefined;
  const dependencies = (): WebhookDependencies => {
    resolved ??= typeof options.dependencies === 'function' ? options.dependencies() : options.dependencies;
    return resolved;
  };

  return async (event) => {
    if (isEventBridgeEvent(event) && event.source.startsWith(GENESYS_PARTNER_SOURCE_PREFIX)) {
      return handleConversationEvent(event, { store: dependencies().store, logger, now: options.now });
    }
    if (!isApiGatewayEvent(event)) return unsupported(event, logger);
    try {
      return await handleWebhookRequest(readHttpRequest(event), {
        ...dependencies(),
        logger,
        now: options.now,
      });
    } catch (error) {
      logger.error('webhook request failed', { error: errorSummary(error) });
      return internalError();
    }
  };
}
