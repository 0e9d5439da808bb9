import * as z from 'zod';
import { AGENTLESS_MESSENGER_TYPES } from './channels';
import { ADDRESS_MAX, ID_MAX, LANGUAGE_CODE_MAX } from './constants';
import { nonBlank } from './content-schema';

/** `OutgoingMessageRequest.botState`: MoreData keeps the bot session waiting for the customer. */
export const BOT_STATES = ['Complete', 'Failed', 'MoreData'] as const;
export const BotStateSchema = z.enum(BOT_STATES);
export type BotState = z.infer<typeof BotStateSchema>;

const IdSchema = nonBlank(ID_MAX);
const AddressSchema = nonBlank(ADDRESS_MAX);

/** A reply inside a bot session that Genesys opened (Digital Bot Connector): the only target for structured content. */
export const BotConnectorTargetSchema = z.strictObject({
  kind: z.literal('botConnector'),
  botId: IdSchema,
  botVersion: IdSchema,
  botSessionId: IdSchema,
  languageCode: z
    .string()
    .max(LANGUAGE_CODE_MAX)
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, { error: 'must be a language code such as en-us' }),
  botState: BotStateSchema.optional().describe(
    'Default: MoreData when the message offers choices (quick replies, postback buttons), else Complete.',
  ),
  conversationId: IdSchema.optional().describe('For correlation only (status, logs); not sent to Genesys.'),
});

/**
 * A reply into the bot session Genesys opened for this conversation (the service is the Digital Bot
 * Connector bot): resolved to its open session's bot id, version, session id and language when accepted.
 */
export const BotSessionTargetSchema = z.strictObject({
  kind: z.literal('botSession'),
  conversationId: IdSchema.describe('The Genesys conversation id the bot session belongs to.'),
});

/** A message into an existing conversation, on one communication: text, one media id or a template. */
export const ConversationTargetSchema = z.strictObject({
  kind: z.literal('conversation'),
  conversationId: IdSchema,
  communicationId: IdSchema,
});

/** Start (or continue) a conversation without an agent: text, or a template (required for WhatsApp). */
export const AgentlessTargetSchema = z.strictObject({
  kind: z.literal('agentless'),
  messengerType: z.enum(AGENTLESS_MESSENGER_TYPES),
  fromAddress: AddressSchema.describe('SMS number, or the WhatsApp / Open Messaging integration id.'),
  toAddress: AddressSchema,
});

export const TargetSchema = z.discriminatedUnion('kind', [
  BotConnectorTargetSchema,
  BotSessionTargetSchema,
  ConversationTargetSchema,
  AgentlessTargetSchema,
]);

export type Target = z.infer<typeof TargetSchema>;
export type BotConnectorTarget = z.infer<typeof BotConnectorTargetSchema>;
export type BotSessionTarget = z.infer<typeof BotSessionTargetSchema>;
export type ConversationTarget = z.infer<typeof ConversationTargetSchema>;
export type AgentlessTarget = z.infer<typeof AgentlessTargetSchema>;
