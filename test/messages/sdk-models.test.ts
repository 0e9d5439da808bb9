/**
 * Our rendered bodies against the official SDK models (purecloud-platform-client-v2, types only).
 * The assignments and expectTypeOf checks fail `npm run typecheck`; the runtime checks fail vitest.
 */
import type { Models } from 'purecloud-platform-client-v2';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type AgentlessBody,
  type BotConnectorBody,
  type ConversationBody,
  type GenesysCard,
  type GenesysCardAction,
  type GenesysContentItem,
  type GenesysMessagingTemplate,
  type GenesysQuickReply,
  type GenesysReplyMessage,
  parseSendRequest,
  type RenderedRequest,
  renderForTarget,
  ValidationError,
} from '../../shared/messages';
import { MESSAGES, type MessageName, request, TARGETS, type TargetName } from './fixtures';

/**
 * `AdditionalMessage` as the endpoint takes it: the typings mark `textBody` required, the endpoint
 * accepts exactly one of textBody, mediaIds, messagingTemplate (docs/genesys-api-facts.md, "textBody").
 */
type AdditionalMessageAsSent = Omit<Models.AdditionalMessage, 'textBody'> &
  Partial<Pick<Models.AdditionalMessage, 'textBody'>>;

/** Keys we send that the SDK model does not know: must be none. */
type ExtraKeys<Ours, Theirs> = Exclude<Ours extends unknown ? keyof Ours : never, keyof Theirs>;

describe('rendered bodies and the SDK models', () => {
  it('uses only fields the SDK models define, with compatible types', () => {
    expectTypeOf<BotConnectorBody>().toExtend<Models.OutgoingMessageRequest>();
    expectTypeOf<GenesysReplyMessage>().toExtend<Models.ReplyMessage>();
    expectTypeOf<GenesysContentItem>().toExtend<Models.ConversationMessageContent>();
    expectTypeOf<GenesysCard>().toExtend<Models.ConversationContentCard>();
    expectTypeOf<GenesysCardAction>().toExtend<Models.ConversationContentCardAction>();
    expectTypeOf<GenesysQuickReply>().toExtend<Models.ConversationContentQuickReply>();
    expectTypeOf<GenesysMessagingTemplate>().toExtend<Models.SendMessagingTemplateRequest>();
    expectTypeOf<ConversationBody>().toExtend<AdditionalMessageAsSent>();
    expectTypeOf<Extract<ConversationBody, { textBody: string }>>().toExtend<Models.AdditionalMessage>();
    expectTypeOf<AgentlessBody>().toExtend<Models.SendAgentlessOutboundMessageRequest>();

    expectTypeOf<ExtraKeys<BotConnectorBody, Models.OutgoingMessageRequest>>().toBeNever();
    expectTypeOf<ExtraKeys<GenesysReplyMessage, Models.ReplyMessage>>().toBeNever();
    expectTypeOf<ExtraKeys<GenesysContentItem, Models.ConversationMessageContent>>().toBeNever();
    expectTypeOf<ExtraKeys<GenesysCard, Models.ConversationContentCard>>().toBeNever();
    expectTypeOf<ExtraKeys<GenesysCardAction, Models.ConversationContentCardAction>>().toBeNever();
    expectTypeOf<ExtraKeys<GenesysQuickReply, Models.ConversationContentQuickReply>>().toBeNever();
    expectTypeOf<ExtraKeys<GenesysMessagingTemplate, Models.SendMessagingTemplateRequest>>().toBeNever();
    expectTypeOf<ExtraKeys<ConversationBody, Models.AdditionalMessage>>().toBeNever();
    expectTypeOf<ExtraKeys<AgentlessBody, Models.SendAgentlessOutboundMessageRequest>>().toBeNever();
  });

  it('gives every route a body of its SDK model, with exactly one AdditionalMessage body field', () => {
    for (const targetName of Object.keys(TARGETS) as TargetName[]) {
      for (const messageName of Object.keys(MESSAGES) as MessageName[]) {
        // Prepare
        let rendered: RenderedRequest;
        try {
          rendered = renderForTarget(parseSendRequest(request(targetName, messageName)));
        } catch (error) {
          if (error instanceof ValidationError) continue;
          throw error;
        }

        // Act and Assess: the body is typed by the SDK model of its route
        switch (rendered.route) {
          case 'botConnector': {
            const body: Models.OutgoingMessageRequest = rendered.body;
            expect(body.replyMessages).toHaveLength(1);
            expect(['Complete', 'MoreData', 'Failed']).toContain(body.botState);
            break;
          }
          case 'conversation': {
            const body: AdditionalMessageAsSent = rendered.body;
            const fields = (['textBody', 'mediaIds', 'messagingTemplate'] as const).filter(
              (key) => key in body,
            );
            expect(fields, `${targetName} × ${messageName}`).toHaveLength(1);
            break;
          }
          case 'agentless': {
            const body: Models.SendAgentlessOutboundMessageRequest = rendered.body;
            expect(['sms', 'whatsapp', 'open']).toContain(body.toAddressMessengerType);
            expect(('textBody' in body ? 1 : 0) + ('messagingTemplate' in body ? 1 : 0)).toBe(1);
            break;
          }
        }
      }
    }
  });
});
