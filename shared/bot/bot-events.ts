import type { IncomingMessage } from './incoming-message';

/** EventBridge `source` of every bot event (README "Bot connector: events"). */
export const BOT_EVENT_SOURCE = 'genesys-messaging.bot';
export const CUSTOMER_MESSAGE_DETAIL_TYPE = 'Genesys Customer Message';
export const BUTTON_RESPONSE_DETAIL_TYPE = 'Genesys Button Response';

/** The `detail` of a bot event. `eventId` is the same on every publish of one customer message: dedupe on it. */
export interface BotEventDetail {
  eventId: string;
  conversationId: string;
  botSessionId: string;
  botId: string;
  botVersion: string;
  languageCode: string;
  genesysMessageId: string;
  receivedAt: string;
  text?: string;
  buttonResponse?: { type: string; text: string; payload: string };
  /** For a click: our message that offered the button (absent when no message in the session did). */
  inReplyTo?: { messageId: string; metadata?: Record<string, string> };
  parameters?: Record<string, string>;
}

export interface BotEvent {
  detailType: typeof CUSTOMER_MESSAGE_DETAIL_TYPE | typeof BUTTON_RESPONSE_DETAIL_TYPE;
  detail: BotEventDetail;
}

/** Derived from Genesys' message id only, so Genesys' retries of one message publish the same id. */
export function botEventId(genesysMessageId: string): string {
  return `genesys-bot-message:${genesysMessageId}`;
}

/** Pure: the event for a customer message, as received at `receivedAt`. */
export function botEventFor(
  message: IncomingMessage,
  receivedAt: string,
  inReplyTo?: BotEventDetail['inReplyTo'],
): BotEvent {
  const detail: BotEventDetail = {
    eventId: botEventId(message.messageId),
    conversationId: message.conversationId,
    botSessionId: message.botSessionId,
    botId: message.botId,
    botVersion: message.botVersion,
    languageCode: message.languageCode,
    genesysMessageId: message.messageId,
    receivedAt,
    ...(message.text !== undefined && { text: message.text }),
    ...(message.buttonResponse !== undefined && { buttonResponse: message.buttonResponse }),
    ...(inReplyTo !== undefined && { inReplyTo }),
    ...(message.parameters !== undefined && { parameters: message.parameters }),
  };
  return {
    detailType:
      message.buttonResponse !== undefined ? BUTTON_RESPONSE_DETAIL_TYPE : CUSTOMER_MESSAGE_DETAIL_TYPE,
    detail,
  };
}

export interface BotEventPublisher {
  /** Resolves once EventBridge took the event; throws otherwise (the caller answers Genesys 5xx). */
  publish(event: BotEvent): Promise<void>;
}
