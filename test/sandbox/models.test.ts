import type { Models } from 'purecloud-platform-client-v2';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import {
  type additionalMessageSchema,
  type conversationMessageContentSchema,
  outgoingMessageRequestSchema,
  type replyMessageSchema,
  sendAgentlessOutboundMessageRequestSchema,
  type sendMessagingTemplateRequestSchema,
} from '../../local/sandbox/models';
import { agentlessWhatsapp, botReply, structuredReply } from './fixtures';

type Fields<Schema extends z.ZodType> = keyof z.infer<Schema>;

describe('sandbox request models mirror the official SDK models', () => {
  it('uses exactly the SDK field names (checked by the type checker)', () => {
    // Assess
    expectTypeOf<Fields<typeof additionalMessageSchema>>().toEqualTypeOf<keyof Models.AdditionalMessage>();
    expectTypeOf<Fields<typeof sendAgentlessOutboundMessageRequestSchema>>().toEqualTypeOf<
      keyof Models.SendAgentlessOutboundMessageRequest
    >();
    expectTypeOf<Fields<typeof outgoingMessageRequestSchema>>().toEqualTypeOf<
      keyof Models.OutgoingMessageRequest
    >();
    expectTypeOf<Fields<typeof replyMessageSchema>>().toEqualTypeOf<keyof Models.ReplyMessage>();
    expectTypeOf<Fields<typeof conversationMessageContentSchema>>().toEqualTypeOf<
      keyof Models.ConversationMessageContent
    >();
    expectTypeOf<Fields<typeof sendMessagingTemplateRequestSchema>>().toEqualTypeOf<
      keyof Models.SendMessagingTemplateRequest
    >();
  });

  it('accepts SDK-typed requests unchanged', () => {
    // Act
    const agentless = sendAgentlessOutboundMessageRequestSchema.safeParse(agentlessWhatsapp);
    const bot = outgoingMessageRequestSchema.safeParse(
      botReply([structuredReply, { type: 'Text', text: 'Hi' }]),
    );
    // Assess
    expect(agentless.success).toBe(true);
    expect(bot.success).toBe(true);
  });
});
