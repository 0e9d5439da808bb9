/**
 * The one place that knows the status order (docs/status.md).
 * A write only moves a record forward: a status with a lower rank never replaces a higher one,
 * and `failed` is terminal, so duplicate and out-of-order events change nothing.
 */
export const MESSAGE_STATUSES = [
  'scheduled',
  'accepted',
  'retrying',
  'sent',
  'delivered',
  'read',
  'failed',
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const RANK: Record<MessageStatus, number> = {
  scheduled: 0,
  accepted: 1,
  retrying: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  // Terminal: nothing moves a failed message, and a failure outranks every progress status.
  failed: 6,
};

export function statusRank(status: MessageStatus): number {
  return RANK[status];
}

/** True when `next` may replace `current`: strictly forward, and never away from `failed`. */
export function isForward(current: MessageStatus | undefined, next: MessageStatus): boolean {
  if (current === undefined) return true;
  if (current === 'failed') return false;
  return RANK[next] > RANK[current];
}

/** Statuses after which the send path must never call Genesys again for the message. */
export const DONE_SENDING: ReadonlySet<MessageStatus> = new Set(['sent', 'delivered', 'read', 'failed']);

/** Statuses that need no further receipt: reconciliation looks only at messages still short of these. */
export const SETTLED_STATUSES: ReadonlySet<MessageStatus> = new Set(['delivered', 'read', 'failed']);
