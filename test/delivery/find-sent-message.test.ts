import { describe, expect, it } from 'vitest';
import { findSentMessage } from '../../shared/delivery/find-sent-message';
import type { GenesysRequester } from '../../shared/delivery/types';

const CONVERSATION = 'c0ffee00-0000-4000-8000-00000000fa11';
const SINCE = '2026-11-30T10:00:00.000Z';

/** A conversation with `count` outbound messages after SINCE, each `text <n>`; the requester counts bulk reads. */
function busyConversation(count: number) {
  const bulkReads: number[] = [];
  const messages = Array.from({ length: count }, (_, n) => ({
    messageId: `m-${n}`,
    messageTime: new Date(Date.parse(SINCE) + n).toISOString(),
  }));
  const genesys: GenesysRequester = {
    request: async <T>(method: 'GET' | 'POST', _path: string, body?: unknown) => {
      if (method === 'GET') return { kind: 'sent', status: 200, data: { participants: [{ messages }] } as T };
      const ids = body as string[];
      bulkReads.push(ids.length);
      const entities = ids.map((id) => ({ id, direction: 'outbound', textBody: `text ${id.slice(2)}` }));
      return { kind: 'sent', status: 200, data: { entities } as T };
    },
  };
  return { genesys, bulkReads };
}

describe('findSentMessage', () => {
  it('finds our text among more messages than one bulk read takes, reading newest first', async () => {
    // Prepare: 2,500 messages since the attempt began; ours is the oldest of them
    const { genesys, bulkReads } = busyConversation(2_500);
    // Act
    const found = await findSentMessage(genesys, {
      conversationId: CONVERSATION,
      textBody: 'text 0',
      since: SINCE,
    });
    // Assess
    expect(found).toEqual({ kind: 'found', genesysMessageId: 'm-0' });
    expect(bulkReads).toEqual([1_000, 1_000, 500]);
  });

  it('stops at the first bulk read that holds it', async () => {
    // Prepare
    const { genesys, bulkReads } = busyConversation(2_500);
    // Act
    const found = await findSentMessage(genesys, {
      conversationId: CONVERSATION,
      textBody: 'text 2400',
      since: SINCE,
    });
    // Assess
    expect(found).toEqual({ kind: 'found', genesysMessageId: 'm-2400' });
    expect(bulkReads).toEqual([1_000]);
  });

  it('says not found when no outbound message has our text', async () => {
    // Prepare
    const { genesys } = busyConversation(10);
    // Act
    const found = await findSentMessage(genesys, {
      conversationId: CONVERSATION,
      textBody: 'other',
      since: SINCE,
    });
    // Assess
    expect(found).toEqual({ kind: 'not-found' });
  });
});
