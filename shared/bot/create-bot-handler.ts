import { optionalEnv } from '../config/environment';
import { errorAnswer, type HttpAnswer, isApiGatewayEvent } from '../http/api-gateway';
import { statusStoreFromEnvironment } from '../status/dynamo-status-store';
import { errorSummary } from '../webhook/handle-webhook-request';
import type { WebhookLogger } from '../webhook/types';
import { type BotDefinition, checkedBotList, renderGreeting } from './bot-config';
import { connectionSecretsFromEnvironment, secretHeaderFromEnvironment } from './connection-secret';
import { botSessionStoreFromEnvironment } from './dynamo-session-store';
import { botEventPublisherFromEnvironment } from './eventbridge-publisher';
import { type BotConnectorDependencies, greetingKey, handleBotRequest } from './handle-bot-request';

export type BotHandler = (event: unknown) => Promise<HttpAnswer>;

/**
 * The bot function's logic. Dependencies are built on the first request (and again after a failed build),
 * so a configuration fault answers 500 per request, in our logs, never in the answer.
 */
export function createBotHandler(options: {
  logger: WebhookLogger;
  dependencies: () => BotConnectorDependencies;
}): BotHandler {
  let resolved: BotConnectorDependencies | undefined;
  return async (event) => {
    if (!isApiGatewayEvent(event)) {
      options.logger.error('unsupported event: not API Gateway');
      return errorAnswer(400, 'unsupported_event', 'the bot function answers API Gateway requests only');
    }
    try {
      resolved ??= options.dependencies();
      return await handleBotRequest(event, resolved);
    } catch (error) {
      options.logger.error('bot connector request failed', { error: errorSummary(error) });
      // Genesys retries a 5xx: the message is recorded again and its event published on that retry.
      return errorAnswer(500, 'internal_error', 'the message could not be processed; please retry');
    }
  };
}

/** Greetings rendered once: a bad one fails the first request (and synth refused it already). */
export function greetingsOf(bots: readonly BotDefinition[]): Map<string, ReturnType<typeof renderGreeting>> {
  const greetings = new Map<string, ReturnType<typeof renderGreeting>>();
  for (const bot of bots) {
    for (const version of bot.versions) {
      if (version.greeting !== undefined)
        greetings.set(greetingKey(bot.id, version.version), renderGreeting(version.greeting));
    }
  }
  return greetings;
}

/** Bots from BOT_CONNECTOR_BOTS (JSON), checked against the spec's rules. */
export function botsFromEnvironment(): BotDefinition[] {
  const raw = optionalEnv('botConnectorBots');
  if (raw === undefined) return [];
  return checkedBotList(JSON.parse(raw));
}

export function botDependenciesFromEnvironment(logger: WebhookLogger): BotConnectorDependencies {
  const bots = botsFromEnvironment();
  return {
    bots,
    greetings: greetingsOf(bots),
    secretHeader: secretHeaderFromEnvironment(),
    secrets: connectionSecretsFromEnvironment(),
    sessions: botSessionStoreFromEnvironment(),
    store: statusStoreFromEnvironment(),
    publisher: botEventPublisherFromEnvironment(),
    logger,
  };
}
