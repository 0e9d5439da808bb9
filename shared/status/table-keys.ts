/**
 * The status table's layout (docs/status.md, "Items"): the store, the CDK stack and the
 * test helper all read it from here, so the key schema is written down once.
 *
 * One table, partition key `pk` only:
 * - send record  `msg#<messageId>`: owned by the send path (create, lease, mark*).
 * - receipt item `gmsg#<genesysMessageId>`: owned by the webhook / EventBridge / reconciliation.
 * Keeping the two apart is what makes correlation race-free without transactions: a receipt that
 * arrives before the send path knows the Genesys id has an item of its own and is merged on read.
 */
export const STATUS_TABLE = {
  partitionKey: 'pk',
  /** Epoch SECONDS, refreshed on every write (STATUS_TTL_DAYS after the last change). */
  ttlAttribute: 'expiresAt',
  indexes: {
    /** Send items only, once the Genesys id is known (receipt items name theirs `receiptFor`). KEYS_ONLY. */
    byGenesysMessageId: {
      name: 'byGenesysMessageId',
      partitionKey: 'genesysMessageId',
      projection: 'KEYS_ONLY',
    },
    /**
     * Sparse: send items that are `sent` and wait for a receipt (`awaiting = 'receipt'`), ordered by
     * `sentAt`. Projection ALL so reconciliation reads the records from the index alone.
     */
    byAwaitingReceipt: {
      name: 'byAwaitingReceipt',
      partitionKey: 'awaiting',
      sortKey: 'sentAt',
      projection: 'ALL',
    },
    /**
     * Sparse: send items without a final outcome (`accepted`, `scheduled` or `retrying`,
     * `pendingOutcome = 'send'`), ordered by `pendingSince`: when they are due (creation, `sendAt`, or the
     * next attempt). `sent` and `failed` take them out; reconciliation sweeps what stays overdue into the
     * retry queue: the one recovery path for a worker that died mid-call, a schedule that never fired and a
     * retry message that was lost (docs/delivery.md).
     */
    byPendingOutcome: {
      name: 'byPendingOutcome',
      partitionKey: 'pendingOutcome',
      sortKey: 'pendingSince',
      projection: 'ALL',
    },
  },
} as const;

/** The only value of `pendingOutcome`: the send item is in the `byPendingOutcome` index while it has it. */
export const PENDING_OUTCOME = 'send';

/** The only value of `awaiting`: the send item is in the `byAwaitingReceipt` index while it has it. */
export const AWAITING_RECEIPT = 'receipt';

export const DEFAULT_STATUS_TTL_DAYS = 90;
export const DEFAULT_HISTORY_LIMIT = 50;

export function sendItemKey(messageId: string): { pk: string } {
  return { pk: `msg#${messageId}` };
}

export function receiptItemKey(genesysMessageId: string): { pk: string } {
  return { pk: `gmsg#${genesysMessageId}` };
}

/** TTL value for an item written at `nowMs`: epoch seconds, as DynamoDB TTL requires. */
export function expiresAtSeconds(nowMs: number, ttlDays: number): number {
  return Math.floor(nowMs / 1000) + Math.round(ttlDays * 86_400);
}
