import { describe, expect, it } from 'vitest';
import type { GenesysRequester } from '../../shared/delivery/types';
import { reconcileMessages } from '../../shared/reconcile/reconcile-messages';
import type { ReceiptEvent, SendRecord, StatusStore } from '../../shared/status/types';

function sentRecord(i: number): SendRecord {
  return {
    messageId: `m-${i}`,
    status: 'sent',
    requestHash: 'h',
    request: {},
    targetKind: 'conversation',
    conversationId: 'conv-big',
    genesysMessageId: `g-${i}`,
    attempts: 1,
    history: [],
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

describe('reconcileMessages batching', () => {
  it('asks about at most 1000 ids per bulk call', async () => {
    // Prepare: 2500 unsettled messages in one conversation (a unit test: the store and Genesys are fakes)
    const records = Array.from({ length: 2500 }, (_, i) => sentRecord(i));
    const applied: ReceiptEvent[] = [];
    const store = {
      listUnsettledSent: async () => records,
      applyReceipt: async (event: ReceiptEvent) => {
        applied.push(event);
        return 'applied' as const;
      },
    } as unknown as StatusStore;
    const bodies: string[][] = [];
    const genesys: GenesysRequester = {
      request: async <T>(_method: string, _path: string, body?: unknown) => {
        const ids = body as string[];
        bodies.push(ids);
        return {
          kind: 'sent',
          status: 200,
          data: { entities: ids.map((id) => ({ id, status: 'read' })) } as T,
        };
      },
    };
    // Act
    const report = await reconcileMessages({ store, genesys, minAgeSeconds: 0, limit: 5000 });
    // Assess
    expect(bodies.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(new Set(bodies.flat()).size).toBe(2500);
    expect(report).toMatchObject({ checked: 2500, updated: 2500 });
    expect(applied.every((e) => e.status === 'read' && e.source === 'reconcile')).toBe(true);
  });
});
