import { StatusInputError } from '../status/errors';
import type { StatusStore } from '../status/types';
import { applyReceipts } from './apply-receipts';
import { ReceiptParseError } from './errors';
import { parseConversationMessageEvent } from './parse-receipts';
import type { WebhookEventResult, WebhookLogger } from './types';

export interface HandleConversationEventOptions {
  store: Pick<StatusStore, 'applyReceipt'>;
  logger: WebhookLogger;
  now?: () => Date;
}

/**
 * A conversation message event from Genesys' EventBridge integration. An event we cannot parse is logged
 * and dropped (a retry would fail the same way); a store failure throws so the async invoke is retried.
 */
export async function handleConversationEvent(
  event: unknown,
  options: HandleConversationEventOptions,
): Promise<WebhookEventResult> {
  const { logger } = options;
  const rawId = (event as { id?: unknown }).id;
  const eventId = typeof rawId === 'string' ? rawId.slice(0, 100) : undefined;
  let parsed: ReturnType<typeof parseConversationMessageEvent>;
  try {
    parsed = parseConversationMessageEvent(event, (options.now?.() ?? new Date()).toISOString());
  } catch (error) {
    if (!(error instanceof ReceiptParseError)) throw error;
    logger.error('EventBridge event not understood: dropped', {
      eventId,
      detailType: String((event as { 'detail-type'?: unknown })['detail-type']).slice(0, 200),
      issues: error.issues,
    });
    return { received: 0, applied: 0, dropped: 'unparseable' };
  }
  for (const notice of parsed.skipped) {
    if (notice.unknownStatus) logger.warn('unknown message status skipped', { eventId, ...notice });
    else logger.debug('message status has nothing to record', { ...notice });
  }
  let applied: number;
  try {
    applied = await applyReceipts(options.store, parsed.events);
  } catch (error) {
    if (!(error instanceof StatusInputError)) throw error;
    // The store refused a value it cannot key or write: a retry would fail the same way.
    logger.error('EventBridge event refused by the status store: dropped', {
      eventId,
      reason: error.message,
    });
    return { received: parsed.events.length, applied: 0, dropped: 'refused' };
  }
  logger.info('receipts recorded', {
    eventId,
    received: parsed.events.length,
    applied,
    receipts: parsed.events.map((receipt) => ({
      genesysMessageId: receipt.genesysMessageId,
      status: receipt.status,
    })),
  });
  return { received: parsed.events.length, applied };
}
