/** The three send endpoints: validate the Genesys request model, accept, answer like Genesys. */
import type { Models } from 'purecloud-platform-client-v2';
import type * as z from 'zod';
import {
  AGENTLESS_MESSAGES_PATH,
  BOT_CONNECTOR_MESSAGES_PATH,
  conversationMessagesPath,
} from '../../../shared/genesys/endpoints';
import type { BotConnectorSide } from '../bot-connector-side';
import { messageData, type NewMessage, type StoredMessage } from '../message-store';
import {
  additionalMessageSchema,
  outgoingMessageRequestSchema,
  sendAgentlessOutboundMessageRequestSchema,
  validate,
} from '../models';
import { testFailureFor } from '../test-addresses';
import { jsonBody, type RequestContext, replyError, replyJson, replyValidation } from './context';

export interface SendDeps {
  /** Genesys' side of the bot connector: the outgoing endpoint's session rules. */
  botSide?: BotConnectorSide;
  /** Stores the message, posts the outbound webhook, starts receipts when `progress`. */
  accept(message: NewMessage, progress: boolean): StoredMessage;
  /** Conversation for a bot session or an address pair (`reuse`: keep the existing one). */
  conversationFor(key: string, reuse: boolean): string;
  integrationId: string;
}

/** Answers a test address's failure (test-addresses.ts); true when it did. */
function answeredTestFailure(ctx: RequestContext, value: string | undefined): boolean {
  const failure = testFailureFor(value);
  if (failure === undefined) return false;
  const headers =
    failure.retryAfterSeconds !== undefined
      ? { 'retry-after': String(failure.retryAfterSeconds) }
      : undefined;
  replyError(ctx, { status: failure.status, code: failure.code, message: failure.message }, headers);
  return true;
}

/** Parses and validates the body; undefined once a 4xx has been answered. */
export function validBody<T>(ctx: RequestContext, schema: z.ZodType<T>, modelName: string): T | undefined {
  const body = jsonBody(ctx);
  if (!body) return undefined;
  const result = validate(schema, body.value, modelName);
  if (!result.ok) {
    replyValidation(ctx, result.issues);
    return undefined;
  }
  return result.value;
}

export function handleConversationMessage(ctx: RequestContext, deps: SendDeps): void {
  const body = validBody(ctx, additionalMessageSchema, 'AdditionalMessage');
  if (!body) return;
  const conversationId = ctx.route.params.conversationId ?? '';
  const communicationId = ctx.route.params.communicationId ?? '';
  const mediaId = body.mediaIds?.[0];
  const message = deps.accept(
    {
      route: 'conversationMessage',
      path: conversationMessagesPath(conversationId, communicationId),
      body,
      conversationId,
      tokenFingerprint: ctx.tokenFingerprint,
      messengerType: 'open',
      integrationId: deps.integrationId,
      from: deps.integrationId,
      to: communicationId,
      normalizedType: 'Text',
      ...(body.textBody !== undefined ? { text: body.textBody } : {}),
      ...(mediaId !== undefined
        ? { content: [{ contentType: 'Attachment', attachment: { id: mediaId, mediaType: 'File' } }] }
        : {}),
    },
    true,
  );
  replyJson(ctx, 200, messageData(message));
}

export function handleAgentless(ctx: RequestContext, deps: SendDeps): void {
  const body = validBody(
    ctx,
    sendAgentlessOutboundMessageRequestSchema,
    'SendAgentlessOutboundMessageRequest',
  );
  if (!body || answeredTestFailure(ctx, body.toAddress)) return;
  const to = body.toAddress ?? body.externalContactId ?? '';
  const type = body.toAddressMessengerType;
  const conversationId = deps.conversationFor(
    `agentless ${type} ${body.fromAddress} ${to}`,
    body.useExistingActiveConversation === true,
  );
  const message = deps.accept(
    {
      route: 'agentless',
      path: AGENTLESS_MESSAGES_PATH,
      body,
      conversationId,
      tokenFingerprint: ctx.tokenFingerprint,
      messengerType: type,
      fromAddress: body.fromAddress,
      toAddress: to,
      // For Open messaging the fromAddress is the integration id.
      integrationId: type === 'open' ? body.fromAddress : deps.integrationId,
      from: body.fromAddress,
      to,
      normalizedType: 'Text',
      ...(body.textBody !== undefined ? { text: body.textBody } : {}),
    },
    true,
  );
  const data = messageData(message);
  const response: Models.SendAgentlessOutboundMessageResponse = {
    id: message.id,
    conversationId,
    fromAddress: body.fromAddress,
    toAddress: to,
    messengerType: type,
    ...(body.useExistingActiveConversation !== undefined
      ? { useExistingActiveConversation: body.useExistingActiveConversation }
      : {}),
    message: data,
    timestamp: data.timestamp,
    selfUri: data.selfUri,
  };
  replyJson(ctx, 200, response);
}

export function handleBotConnector(ctx: RequestContext, deps: SendDeps): void {
  const body = validBody(ctx, outgoingMessageRequestSchema, 'OutgoingMessageRequest');
  if (!body || answeredTestFailure(ctx, body.botSessionId)) return;
  const refusal = deps.botSide?.check(body);
  if (refusal !== undefined) {
    replyError(ctx, { status: 409, code: refusal.code, message: refusal.message });
    return;
  }
  const replies = body.replyMessages ?? [];
  const texts = replies.flatMap((reply) => (reply.text !== undefined ? [reply.text] : []));
  const content = replies.flatMap((reply) => (reply.type === 'Structured' ? (reply.content ?? []) : []));
  const message = deps.accept(
    {
      route: 'botConnector',
      path: BOT_CONNECTOR_MESSAGES_PATH,
      body,
      conversationId: deps.conversationFor(`bot ${body.botId} ${body.botSessionId}`, true),
      tokenFingerprint: ctx.tokenFingerprint,
      messengerType: 'open',
      integrationId: deps.integrationId,
      from: deps.integrationId,
      to: body.botSessionId,
      normalizedType: content.length > 0 ? 'Structured' : 'Text',
      ...(texts.length > 0 ? { text: texts.join('\n') } : {}),
      ...(content.length > 0 ? { content: content as Models.ConversationMessageContent[] } : {}),
    },
    // A reply without messages (e.g. botState Failed) shows the customer nothing: no receipts.
    replies.length > 0,
  );
  deps.botSide?.accepted(body);
  replyJson(ctx, 200, { messageId: message.id });
}
