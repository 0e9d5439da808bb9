/** SendAgentlessOutboundMessageRequest: text (SMS, Open) or an approved template (WhatsApp, Open). */
import * as z from 'zod';
import { SMS_TEXT_MAX, TEXT_MAX } from '../constants';
import { sendMessagingTemplateRequestSchema } from './messaging-template';

export const AGENTLESS_MESSENGER_TYPES = ['sms', 'whatsapp', 'open'] as const;

export const sendAgentlessOutboundMessageRequestSchema = z
  .strictObject({
    fromAddress: z.string().min(1),
    toAddress: z.string().min(1).optional(),
    externalContactId: z.string().min(1).optional(),
    toAddressMessengerType: z.enum(AGENTLESS_MESSENGER_TYPES),
    textBody: z.string().min(1).max(TEXT_MAX).optional(),
    messagingTemplate: sendMessagingTemplateRequestSchema.optional(),
    useExistingActiveConversation: z.boolean().optional(),
  })
  .superRefine((request, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (request.toAddress === undefined && request.externalContactId === undefined) {
      issue('toAddress', 'toAddress or externalContactId is required');
    }
    const type = request.toAddressMessengerType;
    if (type === 'sms') {
      if (request.textBody === undefined) issue('textBody', 'is required for toAddressMessengerType sms');
      else if (request.textBody.length > SMS_TEXT_MAX)
        issue('textBody', `must be at most ${SMS_TEXT_MAX} characters for sms`);
      if (request.messagingTemplate !== undefined)
        issue('messagingTemplate', 'is not supported for toAddressMessengerType sms');
    } else if (type === 'whatsapp') {
      if (request.messagingTemplate === undefined)
        issue('messagingTemplate', 'is required for toAddressMessengerType whatsapp');
      if (request.textBody !== undefined)
        issue('textBody', 'is not supported for toAddressMessengerType whatsapp: send a messagingTemplate');
    } else if (request.textBody === undefined && request.messagingTemplate === undefined) {
      issue('textBody', 'textBody or messagingTemplate is required');
    } else if (request.textBody !== undefined && request.messagingTemplate !== undefined) {
      issue('messagingTemplate', 'only one of textBody or messagingTemplate may be given');
    }
  });

export type AgentlessMessageBody = z.infer<typeof sendAgentlessOutboundMessageRequestSchema>;
