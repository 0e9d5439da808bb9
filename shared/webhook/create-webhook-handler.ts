import { isEventBridgeEvent } from '../events/eventbridge-event';
import { type HttpAnswer, isApiGatewayEvent } from '../http/api-gateway';
import { handleConversationEvent } from './handle-conversation-event';
import { errorSummary, handleWebhookRequest, internalError } from './handle-webhook-request';
import { readHttpRequest } from './read-http-request';
import type { WebhookDependencies, WebhookEventResult, WebhookLogger } from './types';

export interface WebhookHandlerOptions {
  logger: WebhookLogger;
  /** A factory is called on the first event (and again after it failed), so configuration errors surface per request. */
  dependencies: WebhookDependencies | (() => WebhookDependencies);
  now?: () => Date;
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
    if (isEventBridgeEvent(event)) {
      return handleConversationEvent(event, { store: dependencies().store, logger, now: options.now });
    }
    if (!isApiGatewayEvent(event)) {
      logger.error('unsupported event: neither API Gateway nor EventBridge');
      return { received: 0, applied: 0, dropped: 'unsupported' };
    }
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
