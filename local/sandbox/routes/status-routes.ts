/** Message status reads: one message (by conversation or by id alone) and up to 1000 in bulk. */
import { type MessageStore, messageData } from '../message-store';
import { bulkMessageIdsSchema, validate } from '../models';
import { jsonBody, type RequestContext, replyError, replyJson, replyValidation } from './context';

function notFound(ctx: RequestContext, messageId: string): void {
  replyError(ctx, { status: 404, message: `Message ${messageId} was not found.` });
}

export function handleGetMessage(ctx: RequestContext, store: MessageStore): void {
  const { conversationId = '', messageId = '' } = ctx.route.params;
  const message = store.get(messageId);
  if (!message || message.conversationId !== conversationId) {
    notFound(ctx, messageId);
    return;
  }
  replyJson(ctx, 200, messageData(message));
}

export function handleGetMessageDetails(ctx: RequestContext, store: MessageStore): void {
  const { messageId = '' } = ctx.route.params;
  const message = store.get(messageId);
  if (!message) {
    notFound(ctx, messageId);
    return;
  }
  replyJson(ctx, 200, messageData(message));
}

/**
 * `GET /api/v2/conversations/messages/{conversationId}`: the conversation with its participants' messages
 * (`messageId`, `messageTime`, `messageStatus`, no text), as Genesys lists them. The sandbox knows only the
 * outbound side, so it answers one agent participant; an unknown conversation is a 404.
 */
export function handleGetConversation(ctx: RequestContext, store: MessageStore): void {
  const { conversationId = '' } = ctx.route.params;
  const messages = store.inConversation(conversationId);
  if (messages.length === 0) {
    replyError(ctx, { status: 404, message: `Conversation ${conversationId} was not found.` });
    return;
  }
  replyJson(ctx, 200, {
    id: conversationId,
    participants: [
      {
        id: `agent-${conversationId}`,
        purpose: 'agent',
        messages: messages.map((message) => ({
          messageId: message.id,
          messageTime: message.sentAt,
          messageStatus: message.status,
        })),
      },
    ],
    selfUri: `/api/v2/conversations/messages/${conversationId}`,
  });
}

export function handleBulk(ctx: RequestContext, store: MessageStore): void {
  const body = jsonBody(ctx);
  if (!body) return;
  const result = validate(bulkMessageIdsSchema, body.value, 'message id list');
  if (!result.ok) {
    replyValidation(ctx, result.issues);
    return;
  }
  const { conversationId = '' } = ctx.route.params;
  // Like Genesys, ids that are unknown or belong to another conversation are left out.
  const entities = [...new Set(result.value)].flatMap((id) => {
    const message = store.get(id);
    return message && message.conversationId === conversationId ? [messageData(message)] : [];
  });
  replyJson(ctx, 200, { entities, pageSize: entities.length, pageNumber: 1, total: entities.length });
}
