import * as z from 'zod/mini';
import { formatPath, type ValidationIssue } from '../messages/errors';
import { ENGLISH_MESSAGES } from '../validation/english-messages';

/**
 * Genesys' IncomingMessageRequest (Digital Bot Connector spec; SDK `IncomingMessageRequest`). Loose
 * objects: Genesys adds fields (botName, integrationId, channels…) and an unknown one is no error.
 * The conversation id comes as `genesysConversationId` (spec) or `conversationId` (SDK model).
 */
const Id = z.string().check(z.minLength(1), z.maxLength(256));

const ButtonResponseSchema = z.looseObject({
  type: z.string().check(z.minLength(1), z.maxLength(64)),
  text: z.string().check(z.maxLength(2000)),
  payload: z.string().check(z.maxLength(2000)),
});

const InputContentSchema = z.looseObject({
  contentType: z.string().check(z.minLength(1), z.maxLength(64)),
  buttonResponse: z.optional(ButtonResponseSchema),
});

const InputMessageSchema = z
  .looseObject({
    type: z.enum(['Text', 'Structured']),
    text: z.optional(z.string().check(z.maxLength(10_000))),
    content: z.optional(z.array(InputContentSchema).check(z.maxLength(50))),
  })
  .check(
    z.superRefine((input, ctx) => {
      if (input.type === 'Text' && input.text === undefined)
        ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required for a Text input message' });
      if (input.type === 'Structured' && (input.content === undefined || input.content.length === 0))
        ctx.addIssue({
          code: 'custom',
          path: ['content'],
          message: 'is required for a Structured input message',
        });
    }),
  );

export const IncomingMessageSchema = z
  .looseObject({
    botId: Id,
    botVersion: Id,
    botSessionId: Id,
    messageId: Id,
    languageCode: z.string().check(z.minLength(1), z.maxLength(35)),
    botSessionTimeout: z.int().check(z.positive(), z.maximum(7 * 24 * 60)),
    genesysConversationId: z.optional(Id),
    conversationId: z.optional(Id),
    parameters: z.optional(z.record(z.string(), z.string())),
    inputMessage: InputMessageSchema,
  })
  .check(
    z.superRefine((request, ctx) => {
      if (request.genesysConversationId === undefined && request.conversationId === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['genesysConversationId'],
          message: 'is required (or conversationId)',
        });
    }),
  );

/** What the bot reads from an incoming message. */
export interface IncomingMessage {
  botId: string;
  botVersion: string;
  botSessionId: string;
  messageId: string;
  languageCode: string;
  timeoutMinutes: number;
  conversationId: string;
  parameters?: Record<string, string>;
  text?: string;
  buttonResponse?: { type: string; text: string; payload: string };
}

export class IncomingMessageError extends Error {
  override name = 'IncomingMessageError';
  constructor(readonly issues: ValidationIssue[]) {
    super(
      `invalid incoming message: ${issues.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; ')}`,
    );
  }
}

/** Parses Genesys' request, or throws {@link IncomingMessageError} naming each field (values never echoed). */
export function parseIncomingMessage(input: unknown): IncomingMessage {
  const result = IncomingMessageSchema.safeParse(input, ENGLISH_MESSAGES);
  if (!result.success) {
    throw new IncomingMessageError(
      result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issueMessage(issue) })),
    );
  }
  const request = result.data;
  const button = request.inputMessage.content?.find(
    (item) => item.buttonResponse !== undefined,
  )?.buttonResponse;
  const text = request.inputMessage.text;
  return {
    botId: request.botId,
    botVersion: request.botVersion,
    botSessionId: request.botSessionId,
    messageId: request.messageId,
    languageCode: request.languageCode,
    timeoutMinutes: request.botSessionTimeout,
    conversationId: (request.genesysConversationId ?? request.conversationId)!,
    ...(request.parameters !== undefined && { parameters: request.parameters }),
    ...(text !== undefined && { text }),
    ...(button !== undefined && {
      buttonResponse: { type: button.type, text: button.text, payload: button.payload },
    }),
  };
}

function issueMessage(issue: z.core.$ZodIssue): string {
  // zod's wording names the expected and received types, never the value.
  return issue.message;
}
