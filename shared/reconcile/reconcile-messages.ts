import type { GenesysRequester } from '../delivery/types';
import { describeGenesysError } from '../delivery/types';
import {
  BULK_STATUS_MAX_IDS,
  bulkMessagesPath,
  messageDetailsPath,
  UnsafePathSegmentError,
} from '../genesys/endpoints';
import type { StatusStore } from '../status/types';
import { EVENT_MESSAGE_STATUSES, type EventMessageStatus, mapGenesysStatus } from '../webhook/receipt-status';

export interface ReconcileOptions {
  store: StatusStore;
  genesys: GenesysRequester;
  /** Messages sent longer ago than this and still without a settled receipt are asked about. */
  minAgeSeconds: number;
  /** Records looked at per run: a run stays well within the function timeout. */
  limit: number;
  now?: () => number;
  /** Waits for a short Retry-After; longer throttling ends the run (the next scheduled run goes on). */
  sleep?: (ms: number) => Promise<void>;
  maxWaitSeconds?: number;
}

export interface ReconcileReport {
  checked: number;
  updated: number;
  /** Genesys knew nothing of the id, or answered no status we record. */
  unchanged: number;
  /** Calls answered 429 (each waited for, or the run stopped). */
  throttled: number;
  errors: string[];
  stoppedEarly: boolean;
}

interface MessageDataLike {
  id?: unknown;
  status?: unknown;
  conversationId?: unknown;
}

/**
 * Asks Genesys about messages that were sent but never got a settled receipt (a lost webhook, a missed
 * event), grouped by conversation so one bulk call answers up to 1000 of them, and writes each answer
 * through the same forward-only receipt writer as the webhook.
 */
export async function reconcileMessages(options: ReconcileOptions): Promise<ReconcileReport> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const maxWait = options.maxWaitSeconds ?? 10;
  const report: ReconcileReport = {
    checked: 0,
    updated: 0,
    unchanged: 0,
    throttled: 0,
    errors: [],
    stoppedEarly: false,
  };

  const sentBefore = new Date(now() - options.minAgeSeconds * 1000).toISOString();
  const records = await options.store.listUnsettledSent(sentBefore, options.limit);
  const byConversation = new Map<string, string[]>();
  const alone: string[] = [];
  for (const record of records) {
    if (record.genesysMessageId === undefined) continue;
    report.checked++;
    if (record.conversationId === undefined) alone.push(record.genesysMessageId);
    else {
      const ids = byConversation.get(record.conversationId);
      if (ids === undefined) byConversation.set(record.conversationId, [record.genesysMessageId]);
      else ids.push(record.genesysMessageId);
    }
  }

  /** One Genesys call, waiting out short throttling; false when the run must stop. */
  const call = async <T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T | undefined | false> => {
    for (;;) {
      const outcome = await options.genesys.request<T>(method, path, body);
      if (outcome.kind === 'sent') return outcome.data;
      if (outcome.kind === 'throttled') {
        report.throttled++;
        const wait = outcome.retryAfterSeconds ?? 1;
        if (wait > maxWait) {
          report.stoppedEarly = true;
          return false;
        }
        await sleep(wait * 1000);
        continue;
      }
      if (outcome.error.status !== 404)
        report.errors.push(`${method} ${path}: ${describeGenesysError(outcome.error)}`);
      return undefined;
    }
  };

  const apply = async (data: MessageDataLike, conversationId: string | undefined) => {
    if (typeof data.id !== 'string' || !isEventStatus(data.status)) {
      report.unchanged++;
      return;
    }
    const mapping = mapGenesysStatus(data.status);
    if (!('status' in mapping)) {
      report.unchanged++;
      return;
    }
    const applied = await options.store.applyReceipt({
      genesysMessageId: data.id,
      status: mapping.status,
      source: 'reconcile',
      at: new Date(now()).toISOString(),
      ...(conversationId !== undefined && { conversationId }),
      ...(mapping.status === 'failed' && { reason: 'Genesys reports the message failed' }),
    });
    if (applied === 'applied') report.updated++;
    else report.unchanged++;
  };

  for (const [conversationId, ids] of byConversation) {
    for (let i = 0; i < ids.length; i += BULK_STATUS_MAX_IDS) {
      const chunk = ids.slice(i, i + BULK_STATUS_MAX_IDS);
      const path = pathOrReport(() => bulkMessagesPath(conversationId), report, chunk.length);
      if (path === undefined) break;
      const listing = await call<{ entities?: MessageDataLike[] }>('POST', path, chunk);
      if (listing === false) return report;
      const entities = listing?.entities ?? [];
      for (const entity of entities) await apply(entity, conversationId);
      report.unchanged += Math.max(0, chunk.length - entities.length);
    }
  }
  for (const id of alone) {
    const path = pathOrReport(() => messageDetailsPath(id), report, 1);
    if (path === undefined) continue;
    const data = await call<MessageDataLike>('GET', path);
    if (data === false) return report;
    if (data === undefined) report.unchanged++;
    else await apply(data, typeof data.conversationId === 'string' ? data.conversationId : undefined);
  }
  return report;
}

/** A stored id no path can hold (a dot segment) is reported and skipped, never sent. */
function pathOrReport(
  build: () => string,
  report: { unchanged: number; errors: string[] },
  ids: number,
): string | undefined {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof UnsafePathSegmentError)) throw error;
    report.errors.push(error.message);
    report.unchanged += ids;
    return undefined;
  }
}

function isEventStatus(value: unknown): value is EventMessageStatus {
  return typeof value === 'string' && (EVENT_MESSAGE_STATUSES as readonly string[]).includes(value);
}
