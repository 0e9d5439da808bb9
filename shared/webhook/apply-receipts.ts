import type { ReceiptEvent, StatusStore } from '../status/types';

/** Small, bounded parallelism: one notification usually carries one event, a conversation event a few. */
export const APPLY_CONCURRENCY = 4;

/**
 * One `store.applyReceipt` per event, at most `concurrency` at a time. Returns how many changed a record.
 * The first store failure stops new writes and is rethrown once the writes in flight have settled,
 * so the caller can answer 5xx / throw and the sender retries (the store ignores repeats).
 */
export async function applyReceipts(
  store: Pick<StatusStore, 'applyReceipt'>,
  events: readonly ReceiptEvent[],
  concurrency: number = APPLY_CONCURRENCY,
): Promise<number> {
  let next = 0;
  let applied = 0;
  let failure: { error: unknown } | undefined;
  async function worker(): Promise<void> {
    while (failure === undefined && next < events.length) {
      const event = events[next++] as ReceiptEvent;
      try {
        if ((await store.applyReceipt(event)) === 'applied') applied += 1;
      } catch (error) {
        failure ??= { error };
      }
    }
  }
  const workers = Math.max(1, Math.min(concurrency, events.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== undefined) throw failure.error;
  return applied;
}
