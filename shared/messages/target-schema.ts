import * as z from 'zod/mini';
import { AGENTLESS_MESSENGER_TYPES } from './channels';
import { ADDRESS_MAX, LANGUAGE_CODE_MAX } from './constants';
import { nonBlank } from './content-schema';
import { E164_PATTERN, SAFE_NAME_PATTERN, UUID_PATTERN, WHATSAPP_ADDRESS_PATTERN } from './field-rules';

/** `OutgoingMessageRequest.botState`: MoreData keeps the bot session waiting for the customer. */
export const BOT_STATES = ['Complete', 'Failed', 'MoreData'] as const;
export const BotStateSchema = z.enum(BOT_STATES);
export type BotState = z.infer<typeof BotStateSchema>;

/**
 * Ids go into Genesys URL paths or bodies: each has its real shape (docs/genesys-api-facts.md, "Ids"),
 * so none can be `.`/`..` or carry `/`. Plain patterns, so the JSON Schema (API Gateway) says the same.
 */
const UuidSchema = z.string().check(z.regex(UUID_PATTERN, { error: 'must be a Genesys id (a UUID)' }));
const NameIdSchema = z.string().check(
  z.regex(SAFE_NAME_PATTERN, {
    error: 'must be 1-100 characters of A-Z a-z 0-9 . _ : @ + = ~ - (not . or ..)',
  }),
);
const AddressSchema = nonBlank(ADDRESS_MAX);

/** A reply inside a bot session that Genesys opened (Digital Bot Connector): the only target for structured content. */
export const BotConnectorTargetSchema = z.strictObject({
  kind: z.literal('botConnector'),
  botId: NameIdSchema,
  botVersion: NameIdSchema,
  botSessionId: NameIdSchema,
  languageCode: z
    .string()
    .check(
      z.maxLength(LANGUAGE_CODE_MAX),
      z.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, { error: 'must be a language code such as en-us' }),
    ),
  botState: z
    .optional(BotStateSchema)
    .check(
      z.describe(
        'Default: MoreData when the message offers choices (quick replies, postback buttons), else Complete.',
      ),
    ),
  conversationId: z
    .optional(UuidSchema)
    .check(z.describe('For correlation only (status, logs); not sent to Genesys.')),
});

/**
 * A reply into the bot session Genesys opened for this conversation (the service is the Digital Bot
 * Connector bot): resolved to its open session's bot id, version, session id and language when accepted.
 */
export const BotSessionTargetSchema = z.strictObject({
  kind: z.literal('botSession'),
  conversationId: UuidSchema.check(z.describe('The Genesys conversation id the bot session belongs to.')),
});

/** A message into an existing conversation, on one communication: text, one media id or a template. */
export const ConversationTargetSchema = z.strictObject({
  kind: z.literal('conversation'),
  conversationId: UuidSchema,
  communicationId: UuidSchema,
});

/**
 * The address rules per messenger type (Genesys answers 422 otherwise): SMS numbers in E.164 on both
 * sides; WhatsApp and Open send from the integration's id (a UUID); WhatsApp's `toAddress` is the number's
 * digits without `+`; an Open `toAddress` is the recipient's id in the Open Messaging platform (free form).
 */
const AGENTLESS_ADDRESS_RULES = {
  sms: {
    fromAddress: [E164_PATTERN, 'an E.164 number such as +13175550100'],
    toAddress: [E164_PATTERN, 'an E.164 number such as +13175550199'],
  },
  whatsapp: {
    fromAddress: [UUID_PATTERN, "the WhatsApp integration's id (a UUID)"],
    toAddress: [WHATSAPP_ADDRESS_PATTERN, 'the number in E.164 digits without "+", such as 13175550199'],
  },
  open: { fromAddress: [UUID_PATTERN, "the Open Messaging integration's id (a UUID)"] },
} as const satisfies Record<
  (typeof AGENTLESS_MESSENGER_TYPES)[number],
  Partial<Record<'fromAddress' | 'toAddress', readonly [RegExp, string]>>
>;

/** Start (or continue) a conversation without an agent: text, or a template (required for WhatsApp). */
export const AgentlessTargetSchema = z
  .strictObject({
    kind: z.literal('agentless'),
    messengerType: z.enum(AGENTLESS_MESSENGER_TYPES),
    fromAddress: AddressSchema.check(
      z.describe('SMS number (E.164), or the WhatsApp / Open Messaging integration id.'),
    ),
    toAddress: AddressSchema.check(
      z.describe('SMS: E.164; WhatsApp: E.164 digits without "+"; Open: the recipient id.'),
    ),
  })
  .check(
    z.superRefine((target, ctx) => {
      const rules: Partial<Record<'fromAddress' | 'toAddress', readonly [RegExp, string]>> =
        AGENTLESS_ADDRESS_RULES[target.messengerType];
      for (const field of ['fromAddress', 'toAddress'] as const) {
        const rule = rules[field];
        if (rule !== undefined && !rule[0].test(target[field])) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `must be ${rule[1]} for ${target.messengerType}`,
          });
        }
      }
    }),
  );

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
