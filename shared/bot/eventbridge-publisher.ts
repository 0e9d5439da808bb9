import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { AWS_CLIENT_CONFIG } from '../config/aws-clients';
import { requireEnv } from '../config/environment';
import { BOT_EVENT_SOURCE, type BotEventPublisher } from './bot-events';

export class BotEventPublishError extends Error {
  override name = 'BotEventPublishError';
}

/** PutEvents on one bus. Only the bot function loads this (the send function's bundle stays without it). */
export function eventBridgePublisher(busName: string, client: () => EventBridgeClient): BotEventPublisher {
  return {
    async publish(event) {
      const answer = await client().send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: busName,
              Source: BOT_EVENT_SOURCE,
              DetailType: event.detailType,
              Detail: JSON.stringify(event.detail),
              Time: new Date(event.detail.receivedAt),
            },
          ],
        }),
      );
      const failed = answer.Entries?.[0];
      if ((answer.FailedEntryCount ?? 0) > 0 || failed?.ErrorCode !== undefined) {
        throw new BotEventPublishError(
          `EventBridge refused the event: ${failed?.ErrorCode ?? 'unknown'} ${failed?.ErrorMessage ?? ''}`.trim(),
        );
      }
    },
  };
}

let sharedClient: EventBridgeClient | undefined;

/** The bus named by BOT_EVENT_BUS_NAME; the client honours AWS_ENDPOINT_URL_EVENTBRIDGE (local stand-in). */
export function botEventPublisherFromEnvironment(): BotEventPublisher {
  return eventBridgePublisher(requireEnv('botEventBusName'), () => {
    sharedClient ??= new EventBridgeClient(AWS_CLIENT_CONFIG);
    return sharedClient;
  });
}
