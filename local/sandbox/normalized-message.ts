/** Open Messaging normalized messages the sandbox posts to the webhook: the outbound message and its receipts. */
import type { Models } from 'purecloud-platform-client-v2';
import type { GenesysMessageStatus, ReceiptOptions, ReceiptStatus } from './types';

/** What the webhook payloads need to know about a message. */
export interface MessageChannelInfo {
  id: string;
  conversationId: string;
  providerMessageId: string;
  /** Open Messaging integration id (channel.id). */
  integrationId: string;
  from: string;
  to: string;
  sentAt: string;
  /** `Structured` for bot connector replies with content items, else `Text`. */
  normalizedType: 'Text' | 'Structured';
  text?: string;
  content?: Models.ConversationMessageContent[];
}

export type NormalizedMessage = Models.ConversationNormalizedMessage & { conversationId: string };

function channelOf(message: MessageChannelInfo, time: string): Models.ConversationMessagingChannel {
  return {
    id: message.integrationId,
    platform: 'Open',
    type: 'Private',
    messageId: message.providerMessageId,
    to: { id: message.to },
    from: { id: message.from },
    time,
  };
}

/** The outbound message as Genesys dispatched it. */
export function outboundMessage(message: MessageChannelInfo): NormalizedMessage {
  return {
    id: message.id,
    channel: channelOf(message, message.sentAt),
    type: message.normalizedType,
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.content !== undefined && message.content.length > 0 ? { content: message.content } : {}),
    direction: 'Outbound',
    conversationId: message.conversationId,
  };
}

const FINAL_BY_DEFAULT: ReadonlySet<ReceiptStatus> = new Set(['Read', 'Failed', 'Removed']);
const DEFAULT_FAILURE = { code: 'GeneralError', message: 'The message could not be delivered.' };

export function receiptMessage(
  message: MessageChannelInfo,
  status: ReceiptStatus,
  options: ReceiptOptions = {},
  time = new Date().toISOString(),
): NormalizedMessage {
  const reasons = options.reasons ?? (status === 'Failed' ? [DEFAULT_FAILURE] : undefined);
  return {
    id: message.id,
    channel: channelOf(message, time),
    type: 'Receipt',
    status,
    ...(reasons ? { reasons } : {}),
    isFinalReceipt: options.isFinalReceipt ?? FINAL_BY_DEFAULT.has(status),
    direction: 'Outbound',
    conversationId: message.conversationId,
  };
}

const RECEIPT_BY_STATUS: Partial<Record<GenesysMessageStatus, ReceiptStatus>> = {
  sent: 'Sent',
  'delivery-success': 'Delivered',
  read: 'Read',
  'delivery-failed': 'Failed',
  failed: 'Failed',
  removed: 'Removed',
  published: 'Published',
};

/** The receipt that announces a MessageData status, if any (`queued` and `received` have none). */
export function receiptStatusFor(status: GenesysMessageStatus): ReceiptStatus | undefined {
  return RECEIPT_BY_STATUS[status];
}
