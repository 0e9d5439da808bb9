import {
  type ApiGatewayEvent,
  errorAnswer,
  type HttpAnswer,
  httpMethodOf,
  jsonAnswer,
  pathParameterOf,
  readJsonBody,
} from '../http/api-gateway';
import type { GenesysReplyMessage } from '../messages/genesys-bodies';
import type { StatusStore } from '../status/types';
import { MAX_BODY_BYTES } from '../webhook/read-http-request';
import type { WebhookLogger } from '../webhook/types';
import type { WebhookSecretSource } from '../webhook/webhook-secret';
import { type BotDefinition, publicBot } from './bot-config';
import { type BotEventPublisher, botEventFor } from './bot-events';
import { hasConnectionSecret } from './connection-secret';
import { type IncomingMessage, IncomingMessageError, parseIncomingMessage } from './incoming-message';
import { answeredMessageId } from './offers';
import type { BotSession, BotSessionStore } from './session-types';

export interface BotConnectorDependencies {
  bots: readonly BotDefinition[];
  /** Greeting reply messages by `botId\u0000version`, rendered once at start. */
  greetings: ReadonlyMap<string, GenesysReplyMessage[]>;
  secretHeader: string;
  secrets: WebhookSecretSource;
  sessions: BotSessionStore;
  store: Pick<StatusStore, 'get'>;
  publisher: BotEventPublisher;
  logger: WebhookLogger;
}

export const greetingKey = (botId: string, version: string) => `${botId}\u0000${version}`;

type Route = { name: 'bots' } | { name: 'bot'; botId: string } | { name: 'messages' } | undefined;

function routeOf(event: ApiGatewayEvent): Route {
  const path = ('rawPath' in event ? event.rawPath : event.path) ?? '';
  if (/\/botconnector\/bots\/?$/.test(path)) return { name: 'bots' };
  if (/\/botconnector\/messages\/?$/.test(path)) return { name: 'messages' };
  const match = /\/botconnector\/bots\/([^/]+)\/?$/.exec(path);
  if (match === null) return undefined;
  return { name: 'bot', botId: pathParameterOf(event, 'botId') ?? safeDecode(match[1]!) };
}

/**
 * The Digital Bot Connector endpoints Genesys calls (README "Bot connector"): GET /botconnector/bots,
 * GET /botconnector/bots/{botId}, POST /botconnector/messages. Every call must carry the connection
 * secret (403, nothing written, otherwise). 5xx only for our faults: Genesys retries those.
 */
export async function handleBotRequest(
  event: ApiGatewayEvent,
  deps: BotConnectorDependencies,
): Promise<HttpAnswer> {
  const route = routeOf(event);
  const method = httpMethodOf(event);
  if (route === undefined) return errorAnswer(404, 'not_found', 'no bot connector route for this path');
  const wanted = route.name === 'messages' ? 'POST' : 'GET';
  if (method !== wanted)
    return errorAnswer(405, 'method_not_allowed', `use ${wanted}`, {}, { allow: wanted });

  if (!(await authorized(event, deps))) {
    deps.logger.warn('bot connector call refused: connection secret missing or wrong', { route: route.name });
    return errorAnswer(
      403,
      'forbidden',
      `the connection secret (header ${deps.secretHeader}) is missing or wrong`,
    );
  }
  if (route.name === 'bots') return jsonAnswer(200, { entities: deps.bots.map(publicBot) });
  if (route.name === 'bot') {
    const bot = deps.bots.find((candidate) => candidate.id === route.botId);
    return bot === undefined
      ? errorAnswer(404, 'bot_not_found', `no bot with id "${route.botId}" (ids are case-sensitive)`)
      : jsonAnswer(200, publicBot(bot));
  }
  return handleIncoming(event, deps);
}

async function authorized(event: ApiGatewayEvent, deps: BotConnectorDependencies): Promise<boolean> {
  const secrets = await deps.secrets.secrets();
  if (hasConnectionSecret(event.headers, deps.secretHeader, secrets)) return true;
  // Rotated since it was cached? Reload (rate-limited by the source) and look once more.
  const reloaded = await deps.secrets.secrets({ reload: true });
  return reloaded !== secrets && hasConnectionSecret(event.headers, deps.secretHeader, reloaded);
}

async function handleIncoming(event: ApiGatewayEvent, deps: BotConnectorDependencies): Promise<HttpAnswer> {
  const body = readJsonBody(event, MAX_BODY_BYTES);
  if (!body.ok) return body.answer;
  let message: IncomingMessage;
  try {
    message = parseIncomingMessage(body.value);
  } catch (error) {
    if (!(error instanceof IncomingMessageError)) throw error;
    deps.logger.warn('incoming bot message refused', { issues: error.issues });
    return errorAnswer(400, 'invalid_incoming_message', error.message, { issues: error.issues });
  }
  const bot = deps.bots.find((candidate) => candidate.id === message.botId);
  if (bot === undefined) {
    return errorAnswer(404, 'bot_not_found', `no bot with id "${message.botId}" (ids are case-sensitive)`);
  }
  if (!bot.versions.some((version) => version.version === message.botVersion)) {
    return errorAnswer(
      404,
      'bot_version_not_found',
      `bot "${message.botId}" has no version "${message.botVersion}": republish the flow with a listed version`,
    );
  }

  const { session, first } = await deps.sessions.recordIncoming({
    botSessionId: message.botSessionId,
    botId: message.botId,
    botVersion: message.botVersion,
    languageCode: message.languageCode,
    conversationId: message.conversationId,
    timeoutMinutes: message.timeoutMinutes,
    messageId: message.messageId,
    ...(message.parameters !== undefined && { parameters: message.parameters }),
  });
  const claim = await deps.sessions.claimIncoming(message.messageId, message.botSessionId);
  const log = { botSessionId: message.botSessionId, genesysMessageId: message.messageId };
  if (claim.state !== 'published') {
    const inReplyTo = await correlate(message, session, claim.receivedAt, deps);
    await deps.publisher.publish(botEventFor(message, claim.receivedAt, inReplyTo));
    await deps.sessions.markPublished(message.messageId);
    deps.logger.info('customer message published', { ...log, answers: inReplyTo?.messageId });
  } else {
    deps.logger.info('duplicate customer message: already published', log);
  }
  const greeting = first ? deps.greetings.get(greetingKey(message.botId, message.botVersion)) : undefined;
  // MoreData: the session stays open for the business to answer through the outgoing endpoint.
  return jsonAnswer(200, {
    botState: 'MoreData',
    ...(greeting !== undefined && { replyMessages: greeting }),
  });
}

/** For a click: our message that offered the button (newest first), its answer recorded, its metadata. */
async function correlate(
  message: IncomingMessage,
  session: BotSession,
  receivedAt: string,
  deps: BotConnectorDependencies,
): Promise<{ messageId: string; metadata?: Record<string, string> } | undefined> {
  const click = message.buttonResponse;
  if (click === undefined) return undefined;
  const messageId = answeredMessageId(session, click.text, click.payload);
  if (messageId === undefined) return undefined;
  await deps.sessions.recordAnswer(messageId, { ...click, at: receivedAt });
  const record = await deps.store.get(messageId);
  return { messageId, ...(record?.metadata !== undefined && { metadata: record.metadata }) };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
