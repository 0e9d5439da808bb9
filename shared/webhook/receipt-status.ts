import type { MessageStatus } from '../status/message-status';

/** `Receipt.status` in Open Messaging normalized messages. */
export const OPEN_RECEIPT_STATUSES = ['Sent', 'Delivered', 'Read', 'Failed', 'Published', 'Removed'] as const;
export type OpenReceiptStatus = (typeof OPEN_RECEIPT_STATUSES)[number];

/** `messageStatus` in conversation message events (same enum as `MessageData.status`). */
export const EVENT_MESSAGE_STATUSES = [
  'queued',
  'sent',
  'failed',
  'received',
  'delivery-success',
  'delivery-failed',
  'read',
  'removed',
  'published',
] as const;
export type EventMessageStatus = (typeof EVENT_MESSAGE_STATUSES)[number];

export function isEventMessageStatus(value: unknown): value is EventMessageStatus {
  return typeof value === 'string' && (EVENT_MESSAGE_STATUSES as readonly string[]).includes(value);
}

/** What a Genesys status means for our record: a status to apply, or nothing to record (and why). */
export type StatusMapping = { status: MessageStatus } | { skip: string };

const QUEUED = 'queued at Genesys: not yet sent, the send path already recorded the message';
const RECEIVED = 'an inbound (customer) message: not one of ours';
/**
 * Removed: the message was withdrawn on the channel after it was sent (a deleted post or message).
 * It says nothing about delivery, and `failed` would wrongly overrule a `delivered`/`read` record,
 * so both sources record nothing for it.
 */
const REMOVED = 'removed from the channel after sending: not a delivery state';

/** The one table from Genesys' two status vocabularies to ours. */
export const STATUS_MAPPINGS: Readonly<Record<OpenReceiptStatus | EventMessageStatus, StatusMapping>> = {
  // Open Messaging receipts
  Sent: { status: 'sent' },
  Published: { status: 'sent' },
  Delivered: { status: 'delivered' },
  Read: { status: 'read' },
  Failed: { status: 'failed' },
  Removed: { skip: REMOVED },
  // Conversation message events
  queued: { skip: QUEUED },
  sent: { status: 'sent' },
  published: { status: 'sent' },
  'delivery-success': { status: 'delivered' },
  read: { status: 'read' },
  failed: { status: 'failed' },
  'delivery-failed': { status: 'failed' },
  removed: { skip: REMOVED },
  received: { skip: RECEIVED },
};

export function mapGenesysStatus(status: OpenReceiptStatus | EventMessageStatus): StatusMapping {
  return STATUS_MAPPINGS[status];
}
