/** The Genesys API paths this service calls (docs/genesys-api-facts.md): one place for each. */

/** Digital Bot Connector outgoing messages: the only endpoint that carries structured content. */
export const BOT_CONNECTOR_MESSAGES_PATH = '/api/v2/integrations/botconnectors/outgoing/messages';

/** Agentless outbound message (SMS, WhatsApp, Open): text or template only. */
export const AGENTLESS_MESSAGES_PATH = '/api/v2/conversations/messages/agentless';

/** Token endpoint on the login host. */
export const OAUTH_TOKEN_PATH = '/oauth/token';

/** An id that cannot be one path segment: `.`, `..`, or empty. */
export class UnsafePathSegmentError extends Error {
  constructor(readonly segment: string) {
    super(`"${segment}" cannot be a Genesys id in a URL path: it is empty or a dot segment`);
    this.name = 'UnsafePathSegmentError';
  }
}

/**
 * One path segment. encodeURIComponent escapes `/`, `?`, `#` and `%` but keeps dots, and HTTP clients
 * resolve `.` and `..` (an id of `..` would climb to another endpoint): refuse those, whatever the caller
 * checked before.
 */
function seg(id: string): string {
  if (id === '' || id === '.' || id === '..') throw new UnsafePathSegmentError(id);
  return encodeURIComponent(id);
}

/** A message into an existing conversation, on one communication: text, one media id or a template. */
export function conversationMessagesPath(conversationId: string, communicationId: string): string {
  return `/api/v2/conversations/messages/${seg(conversationId)}/communications/${seg(communicationId)}/messages`;
}

export function conversationMessagePath(conversationId: string, messageId: string): string {
  return `/api/v2/conversations/messages/${seg(conversationId)}/messages/${seg(messageId)}`;
}

/** A messaging conversation with its participants' messages (ids, times and statuses, no text). */
export function conversationPath(conversationId: string): string {
  return `/api/v2/conversations/messages/${seg(conversationId)}`;
}

export function messageDetailsPath(messageId: string): string {
  return `/api/v2/conversations/messages/${seg(messageId)}/details`;
}

/** Bulk status read: body is an array of at most {@link BULK_STATUS_MAX_IDS} message ids. */
export function bulkMessagesPath(conversationId: string): string {
  return `/api/v2/conversations/messages/${seg(conversationId)}/messages/bulk`;
}

export const BULK_STATUS_MAX_IDS = 1000;

/** Which send endpoint a rendered request goes to. */
export type SendRoute = 'botConnector' | 'conversation' | 'agentless';

/**
 * The Genesys message id in a send response: `{ messageId }` (bot connector), `MessageData.id`
 * (conversation), or `SendAgentlessOutboundMessageResponse.message.id` falling back to its `id`.
 */
export function genesysMessageIdOf(route: SendRoute, data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const body = data as { messageId?: unknown; id?: unknown; message?: { id?: unknown } };
  const candidate =
    route === 'botConnector'
      ? body.messageId
      : route === 'agentless'
        ? (body.message?.id ?? body.id)
        : body.id;
  return typeof candidate === 'string' && candidate.length > 0 ? candidate : undefined;
}
