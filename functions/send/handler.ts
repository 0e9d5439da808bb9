import type { Context } from 'aws-lambda';
import { deliveryFromEnvironment } from '../../shared/delivery/delivery-from-environment';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import { logger } from '../../shared/observability/telemetry';
import { handleSendEvent } from '../../shared/send-api/handle-send-event';

// Built on first use and kept for warm invocations (clients, token cache, keep-alive sockets).
let delivery: DeliveryService | undefined;

/** send λ: API Gateway, direct invoke, EventBridge and one-time schedules (README "Sending"). */
export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  delivery ??= deliveryFromEnvironment();
  return handleSendEvent(event, context, { delivery });
};
