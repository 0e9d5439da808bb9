import type { Context } from 'aws-lambda';
import { botDependenciesFromEnvironment, createBotHandler } from '../../shared/bot/create-bot-handler';
import { logger } from '../../shared/observability/telemetry';

const handleEvent = createBotHandler({ logger, dependencies: () => botDependenciesFromEnvironment(logger) });

/**
 * bot λ: the Digital Bot Connector endpoints Genesys calls (README "Bot connector"): the bot list, and
 * each customer message of a bot session, recorded and published on EventBridge.
 */
export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  return handleEvent(event);
};
