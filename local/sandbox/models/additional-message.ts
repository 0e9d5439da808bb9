/** AdditionalMessage: a message into an existing conversation, exactly one body field per request. */
import * as z from 'zod';
import { TEXT_MAX } from '../constants';
import { sendMessagingTemplateRequestSchema } from './messaging-template';

const BODY_FIELDS = ['textBody', 'mediaIds', 'messagingTemplate'] as const;

export const additionalMessageSchema = z
  .strictObject({
    textBody: z.string().min(1).max(TEXT_MAX).optional(),
    mediaIds: z.array(z.string().min(1)).length(1).optional(),
    messagingTemplate: sendMessagingTemplateRequestSchema.optional(),
  })
  .superRefine((message, ctx) => {
    const given = BODY_FIELDS.filter((field) => message[field] !== undefined);
    if (given.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['textBody'],
        message: 'one of textBody, mediaIds or messagingTemplate is required',
      });
    }
    for (const extra of given.slice(1)) {
      ctx.addIssue({
        code: 'custom',
        path: [extra],
        message: `only one of textBody, mediaIds or messagingTemplate may be given per request (${given[0]} is already given)`,
      });
    }
  });

export type AdditionalMessageBody = z.infer<typeof additionalMessageSchema>;
