import { describe, expect, it } from 'vitest';
import type { ReceiptEvent } from '../../shared/status/types';
import { applyReceipts } from '../../shared/webhook/apply-receipts';

function events(count: number): ReceiptEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    genesysMessageId: `gm-${index}`,
    status: 'delivered',
    source: 'eventbridge',
    at: '2026-11-25T10:00:00.000Z',
  }));
}

describe('applyReceipts', () => {
  it('applies every event, at most `concurrency` at a time, and counts the changes', async () => {
    // Prepare
    let inFlight = 0;
    let peak = 0;
    const seen: string[] = [];
    const store = {
      applyReceipt: async (event: ReceiptEvent) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        seen.push(event.genesysMessageId);
        return event.genesysMessageId.endsWith('3') ? ('ignored' as const) : ('applied' as const);
      },
    };

    // Act
    const applied = await applyReceipts(store, events(10), 3);

    // Assess
    expect(applied).toBe(9);
    expect(seen.sort()).toEqual(
      events(10)
        .map((event) => event.genesysMessageId)
        .sort(),
    );
    expect(peak).toBe(3);
  });

  it('stops starting writes after a failure and rethrows it', async () => {
    // Prepare
    const attempted: string[] = [];
    const store = {
      applyReceipt: async (event: ReceiptEvent) => {
        attempted.push(event.genesysMessageId);
        if (event.genesysMessageId === 'gm-1') throw new Error('store down');
        return 'applied' as const;
      },
    };

    // Act
    const outcome = applyReceipts(store, events(10), 1);

    // Assess
    await expect(outcome).rejects.toThrow('store down');
    expect(attempted).toEqual(['gm-0', 'gm-1']);
  });

  it('does nothing for no events', async () => {
    // Act / Assess
    expect(await applyReceipts({ applyReceipt: async () => 'applied' }, [])).toBe(0);
  });
});
