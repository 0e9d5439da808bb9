import type { AGENTLESS_MESSENGER_TYPES } from './channels';
import type { BotState } from './target-schema';

/*
 * The Genesys request bodies we send, as narrow types. They mirror the SDK models
 * (purecloud-platform-client-v2 `Models.*`, checked in test/messages/sdk-models.test.ts) without a
 * runtime or bundle dependency on the SDK.
 */

export interface GenesysCardAction {
  type: 'Postback' | 'Link';
  text: string;
  payload?: string;
  url?: string;
}

/** `ConversationContentCard`. */
export interface GenesysCard {
  title: string;
  description?: string;
  image?: string;
  defaultAction?: GenesysCardAction;
  actions: GenesysCardAction[];
}

/** `ConversationContentQuickReply`: one button per content item. */
export interface GenesysQuickReply {
  text: string;
  payload: string;
  image?: string;
  action: 'Message';
}

/** `ConversationMessageContent` with one payload key. */
export type GenesysContentItem =
  | { contentType: 'QuickReply'; quickReply: GenesysQuickReply }
  | { contentType: 'Card'; card: GenesysCard }
  | { contentType: 'Carousel'; carousel: { cards: GenesysCard[] } };

/** `ReplyMessage`. */
export type GenesysReplyMessage =
  | { type: 'Text'; text: string }
  | { type: 'Structured'; text?: string; content: GenesysContentItem[] };

/** `OutgoingMessageRequest` (Digital Bot Connector). */
export interface BotConnectorBody {
  botId: string;
  botVersion: string;
  botSessionId: string;
  botState: BotState;
  languageCode: string;
  replyMessages: [GenesysReplyMessage];
  /** With botState Complete (required there by Genesys). */
  intent?: string;
  confidence?: number;
  entities?: GenesysBotEntityValue[];
  parameters?: Record<string, string>;
  /**
   * With botState Failed. The public API's model (SDK `ErrorInfo`) is `{ code, message }`; the bot's own
   * answer in the spec writes `{ errorCode, errorMessage }` (shared/bot renders that one).
   */
  errorInfo?: { code: string; message: string };
}

/** `BotEntityValue`: `value` for simple types, `values` for collections. */
export interface GenesysBotEntityValue {
  name: string;
  type: string;
  value?: string;
  values?: string[];
}

export interface GenesysTemplateParameter {
  id: string;
  value: string;
}

/** `SendMessagingTemplateRequest`. */
export interface GenesysMessagingTemplate {
  responseId: string;
  headerParameters?: GenesysTemplateParameter[];
  bodyParameters?: GenesysTemplateParameter[];
  buttonUrlParameters?: GenesysTemplateParameter[];
}

/**
 * `AdditionalMessage`: exactly one body field, so no `textBody` beside a template or a media id. The SDK
 * typings mark `textBody` required (a generator default), but the endpoint's own description in the same
 * SDK, generated from Genesys' OpenAPI, says "Only one message body field can be accepted, per request.
 * Example: 1 textBody, 1 mediaId, or 1 messageTemplate" (docs/genesys-api-facts.md, "textBody").
 * This type is the one place that decides it.
 */
export type ConversationBody =
  | { textBody: string }
  | { mediaIds: [string] }
  | { messagingTemplate: GenesysMessagingTemplate };

interface AgentlessAddressing {
  fromAddress: string;
  toAddress: string;
  toAddressMessengerType: (typeof AGENTLESS_MESSENGER_TYPES)[number];
}

/** `SendAgentlessOutboundMessageRequest`: text (required for SMS) or a template (required for WhatsApp). */
export type AgentlessBody =
  | (AgentlessAddressing & { textBody: string })
  | (AgentlessAddressing & { messagingTemplate: GenesysMessagingTemplate });
