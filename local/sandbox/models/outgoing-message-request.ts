/** OutgoingMessageRequest: a Digital Bot Connector reply, the only send that carries structured content. */
import * as z from 'zod';
import { conversationMessageContentSchema } from './conversation-message-content';

export const replyMessageSchema = z
  .strictObject({
    type: z.enum(['Text', 'Structured']),
    text: z.string().min(1).optional(),
    content: z.array(conversationMessageContentSchema).optional(),
  })
  .superRefine((reply, ctx) => {
    if (reply.type === 'Text' && reply.text === undefined) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required for a Text reply' });
    }
    if (reply.type === 'Structured' && (reply.content === undefined || reply.content.length === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['content'],
        message: 'must have at least 1 item for a Structured reply',
      });
    }
  });

export const outgoingMessageRequestSchema = z.strictObject({
  botId: z.string().min(1),
  botVersion: z.string().min(1),
  botSessionId: z.string().min(1),
  botState: z.enum(['Complete', 'Failed', 'MoreData']),
  languageCode: z.string().min(1),
  replyMessages: z.array(replyMessageSchema).optional(),
  intent: z.string().optional(),
  confidence: z.number().min(0).max(1).optional(),
  errorInfo: z.strictObject({ message: z.string().optional(), code: z.string().optional() }).optional(),
  parameters: z.record(z.string(), z.string()).optional(),
  entities: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        type: z.string().min(1),
        value: z.string().optional(),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

export type OutgoingMessageBody = z.infer<typeof outgoingMessageRequestSchema>;
export type ReplyMessageBody = z.infer<typeof replyMessageSchema>;
