import { BULK_STATUS_MAX_IDS, bulkMessagesPath, conversationPath } from '../genesys/endpoints';
import type { GenesysErrorInfo } from '../genesys/types';
import type { GenesysRequester } from './types';

/**
 * Genesys' clock and ours may differ a little: messages this much older than the ambiguous attempt's start
 * are read too (the body comparison does the rest).
 */
export const CLOCK_SLACK_MS = 60_000;

export type LookResult =
  | { kind: 'found'; genesysMessageId: string }
  | { kind: 'not-found' }
  | { kind: 'failed'; error: GenesysErrorInfo };

interface ListedConversation {
  participants?: Array<{ messages?: Array<{ messageId?: unknown; messageTime?: unknown }> }>;
}

interface BulkAnswer {
  entities?: Array<{ id?: unknown; textBody?: unknown; direction?: unknown }>;
}

/**
 * After an ambiguous send into a conversation (docs/delivery.md): did Genesys take it? Lists the
 * conversation's messages since the attempt started, reads their bodies in bulk, and looks for an outbound
 * message with exactly the text we sent. Only text bodies can be compared; the caller decides what to do
 * with other bodies.
 */
export async function findSentMessage(
  genesys: GenesysRequester,
  input: { conversationId: string; textBody: string; since: string; deadlineAt?: number },
): Promise<LookResult> {
  const options = input.deadlineAt === undefined ? {} : { deadlineAt: input.deadlineAt };
  const listed = await genesys.request<ListedConversation>(
    'GET',
    conversationPath(input.conversationId),
    undefined,
    options,
  );
  if (listed.kind !== 'sent') {
    // An unknown conversation cannot hold our message (and a new send to it will be refused on its own).
    if (listed.kind === 'permanent' && listed.error.status === 404) return { kind: 'not-found' };
    return { kind: 'failed', error: listed.error };
  }
  const since = Date.parse(input.since) - CLOCK_SLACK_MS;
  const ids = (listed.data?.participants ?? [])
    .flatMap((participant) => participant.messages ?? [])
    .filter((message) => typeof message.messageId === 'string')
    .filter((message) => typeof message.messageTime !== 'string' || Date.parse(message.messageTime) >= since)
    .map((message) => message.messageId as string);
  // Newest first, in bulk reads of at most 1000 ids: a busy conversation can hold more since the attempt began.
  for (let end = ids.length; end > 0; end -= BULK_STATUS_MAX_IDS) {
    const bulk = await genesys.request<BulkAnswer>(
      'POST',
      bulkMessagesPath(input.conversationId),
      ids.slice(Math.max(0, end - BULK_STATUS_MAX_IDS), end),
      options,
    );
    if (bulk.kind !== 'sent') return { kind: 'failed', error: bulk.error };
    const match = (bulk.data?.entities ?? []).find(
      (entity) =>
        typeof entity.id === 'string' && entity.direction !== 'inbound' && entity.textBody === input.textBody,
    );
    if (match !== undefined) return { kind: 'found', genesysMessageId: match.id as string };
  }
  return { kind: 'not-found' };
}
