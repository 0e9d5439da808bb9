import type { GenesysRequester } from '../delivery/types';
import { describeGenesysError } from '../delivery/types';
import {
  BULK_STATUS_MAX_IDS,
  bulkMessagesPath,
  messageDetailsPath,
  UnsafePathSegmentError,
} from '../genesys/endpoints';
import { SETTLED_STATUSES } from '../status/message-status';
import type { StatusStore, UnsettledSent } from '../status/types';
import { isEventMessageStatus, mapGenesysStatus } from '../webhook/receipt-status';

/** Checks of a message that never settles (e.g. SMS without delivery reports) before reconciliation stops asking. */
export const DEFAULT_MAX_RECEIPT_CHECKS = 8;
/** Retry-After waits in a row for one call before the pass stops (the next run goes on). */
export const MAX_THROTTLE_WAITS_PER_CALL = 3;

export interface ReconcileOptions {
  store: Pick<StatusStore, 'listUnsettledSent' | 'applyReceipt' | 'noteReceiptCheck'>;
  genesys: GenesysRequester;
  /** Messages sent longer ago than this and still without a settled receipt are asked about. */
  minAgeSeconds: number;
  /** Records looked at per run. */
  limit: number;
  /**
   * This pass's time left, in ms: a Genesys call starts only when `callMs` still fits, a Retry-After
   * wait only when the wait and a call fit. Default: no limit (tests of other parts).
   */
  remainingMs?: () => number;
  /** Longest one Genesys call can take (the client's timeout). */
  callMs?: number;
  /** Checks that learn nothing settling before a message leaves the work list (default 8). */
  maxChecks?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** A Retry-After longer than this ends the pass at once. */
  maxWaitSeconds?: number;
}

export interface ReconcileReport {
  checked: number;
  updated: number;
  /** Genesys knew nothing of the id, or answered no status we record (`sent` included: it is on record). */
  unchanged: number;
  /** Left the work list after `maxChecks` checks without a settled status. */
  retired: number;
  /** Calls answered 429 (each waited for, or the pass stopped). */
  throttled: number;
  errors: string[];
  stoppedEarly: boolean;
  /** Why the pass stopped before its list was done. */
  stopReason?: 'time' | 'throttled';
}

interface MessageDataLike {
  id?: unknown;
  status?: unknown;
  conversationId?: unknown;
}

/** Why a call did not happen: the pass must stop. */
class StopPass {
  constructor(readonly reason: 'time' | 'throttled') {}
}

/**
 * Asks Genesys about messages that were sent but never got a settled receipt (a lost webhook, a missed
 * event), grouped by conversation so one bulk call answers up to 1000 of them, and writes each answer
 * through the same forward-only receipt writer as the webhook. The least-checked messages go first, each
 * check is counted, and a message that never settles leaves the list after `maxChecks` checks, so the
 * oldest messages cannot hold the head of the list for the whole retention time.
 */
export async function reconcileMessages(options: ReconcileOptions): Promise<ReconcileReport> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const remainingMs = options.remainingMs ?? (() => Number.POSITIVE_INFINITY);
  const callMs = options.callMs ?? 0;
  const maxWait = options.maxWaitSeconds ?? 10;
  const maxChecks = options.maxChecks ?? DEFAULT_MAX_RECEIPT_CHECKS;
  const report: ReconcileReport = {
    checked: 0,
    updated: 0,
    unchanged: 0,
    retired: 0,
    throttled: 0,
    errors: [],
    stoppedEarly: false,
  };

  const sentBefore = new Date(now() - options.minAgeSeconds * 1000).toISOString();
  const records = await options.store.listUnsettledSent(sentBefore, options.limit);
  // Fewest checks first (the list comes oldest first and the sort is stable): new messages get their turn.
  const ordered = [...records].sort((a, b) => (a.receiptChecks ?? 0) - (b.receiptChecks ?? 0));
  const byConversation = new Map<string, UnsettledSent[]>();
  const alone: UnsettledSent[] = [];
  for (const record of ordered) {
    if (record.genesysMessageId === undefined) continue;
    if (record.conversationId === undefined) alone.push(record);
    else {
      const group = byConversation.get(record.conversationId);
      if (group === undefined) byConversation.set(record.conversationId, [record]);
      else group.push(record);
    }
  }

  /**
   * One Genesys call; short throttling is waited out a bounded number of times within the budget.
   * `unknown`: Genesys answered 404 (it knows nothing of it: an answer all the same); `failed`: try next run.
   */
  const call = async <T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ data: T } | 'unknown' | 'failed'> => {
    for (let waits = 0; ; waits++) {
      if (remainingMs() < callMs) throw new StopPass('time');
      const outcome = await options.genesys.request<T>(method, path, body);
      if (outcome.kind === 'sent') return { data: outcome.data };
      if (outcome.kind === 'throttled') {
        report.throttled++;
        const waitMs = (outcome.retryAfterSeconds ?? 1) * 1000;
        if (waitMs > maxWait * 1000 || waits >= MAX_THROTTLE_WAITS_PER_CALL) throw new StopPass('throttled');
        if (remainingMs() < waitMs + callMs) throw new StopPass('time');
        await sleep(waitMs);
        continue;
      }
      if (outcome.error.status === 404) return 'unknown';
      report.errors.push(`${method} ${path}: ${describeGenesysError(outcome.error)}`);
      return 'failed';
    }
  };

  /** Records what Genesys said about one message (nothing when it said nothing) and counts the check. */
  const settle = async (record: UnsettledSent, data: MessageDataLike | undefined) => {
    const genesysMessageId = record.genesysMessageId as string;
    report.checked++;
    const mapping = isEventMessageStatus(data?.status) ? mapGenesysStatus(data.status) : undefined;
    // `sent` is what the send record already says: writing it again would only add a second `sent`.
    if (mapping !== undefined && 'status' in mapping && mapping.status !== 'sent') {
      const applied = await options.store.applyReceipt({
        genesysMessageId,
        status: mapping.status,
        source: 'reconcile',
        at: new Date(now()).toISOString(),
        ...(record.conversationId !== undefined && { conversationId: record.conversationId }),
        ...(mapping.status === 'failed' && { reason: 'Genesys reports the message failed' }),
      });
      if (applied === 'applied') report.updated++;
      else report.unchanged++;
      if (SETTLED_STATUSES.has(mapping.status)) return;
    } else {
      report.unchanged++;
    }
    const check = await options.store.noteReceiptCheck(record.messageId, genesysMessageId, maxChecks);
    if (check === 'retired') report.retired++;
  };

  try {
    for (const [conversationId, group] of byConversation) {
      for (let i = 0; i < group.length; i += BULK_STATUS_MAX_IDS) {
        const chunk = group.slice(i, i + BULK_STATUS_MAX_IDS);
        const path = pathOrReport(() => bulkMessagesPath(conversationId), report, chunk.length);
        if (path === undefined) break;
        const listing = await call<{ entities?: MessageDataLike[] }>(
          'POST',
          path,
          chunk.map((record) => record.genesysMessageId),
        );
        if (listing === 'failed') continue;
        const answers = new Map<unknown, MessageDataLike>();
        for (const entity of listing === 'unknown' ? [] : (listing.data.entities ?? [])) {
          answers.set(entity.id, entity);
        }
        for (const record of chunk) await settle(record, answers.get(record.genesysMessageId));
      }
    }
    for (const record of alone) {
      const path = pathOrReport(() => messageDetailsPath(record.genesysMessageId as string), report, 1);
      if (path === undefined) continue;
      const answer = await call<MessageDataLike>('GET', path);
      if (answer === 'failed') continue;
      const data = answer === 'unknown' ? undefined : answer.data;
      const conversationId = typeof data?.conversationId === 'string' ? data.conversationId : undefined;
      await settle({ ...record, ...(conversationId !== undefined && { conversationId }) }, data);
    }
  } catch (error) {
    if (!(error instanceof StopPass)) throw error;
    report.stoppedEarly = true;
    report.stopReason = error.reason;
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
