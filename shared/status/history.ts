import type { GenesysErrorInfo } from '../genesys/types';
import { MESSAGE_STATUSES, type MessageStatus } from './message-status';
import type { HistoryEntry } from './types';

/**
 * History rules (docs/status.md: each change appends to a bounded history).
 *
 * Send items keep a list: every write appends with `list_append` and bumps `historyVersion`. When the
 * write's answer shows the list above the limit, the writer trims it to the newest `limit` entries with a
 * second, conditional write (`historyVersion` unchanged). The status itself never depends on that trim:
 * if it loses a race, a later writer (the one with the highest version) trims, and if it fails, the next
 * write trims. So the list holds at most `limit` entries once writers settle.
 *
 * Receipt items keep one attribute per status (`history_<status>`), written in the same conditional
 * update as the status: at most one entry per status, never a duplicate. A map attribute with
 * `history.#status` cannot be used: DynamoDB rejects a nested SET when the map does not exist yet,
 * and creating it in the same expression would overlap the path.
 */
export const RECEIPT_HISTORY_PREFIX = 'history_';

/** Longest error text kept in a history entry: the full error stays in `lastError`. */
const REASON_MAX_LENGTH = 300;

export function receiptHistoryAttribute(status: MessageStatus): string {
  return `${RECEIPT_HISTORY_PREFIX}${status}`;
}

/** The receipt history entries stored on a receipt item, oldest first. */
export function receiptHistoryFromItem(item: Record<string, unknown>): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const status of MESSAGE_STATUSES) {
    const entry = item[receiptHistoryAttribute(status)];
    if (isHistoryEntry(entry)) entries.push(entry);
  }
  return sortHistory(entries);
}

/** Oldest first by time; entries with the same time keep their order (Array.prototype.sort is stable). */
export function sortHistory(entries: readonly HistoryEntry[]): HistoryEntry[] {
  return [...entries].sort((a, b) => timeOf(a.at) - timeOf(b.at));
}

/** The newest `limit` entries. */
export function trimHistory(entries: readonly HistoryEntry[], limit: number): HistoryEntry[] {
  return entries.length <= limit ? [...entries] : entries.slice(entries.length - limit);
}

/** A short, secret-free summary of a Genesys error for a history entry, e.g. `429 too.many.requests: …`. */
export function describeError(error: GenesysErrorInfo): string {
  const head = [error.status, error.code].filter((part) => part !== undefined && part !== '').join(' ');
  const text = head === '' ? error.message : `${head}: ${error.message}`;
  return text.length <= REASON_MAX_LENGTH ? text : `${text.slice(0, REASON_MAX_LENGTH - 1)}…`;
}

/** A history entry without undefined fields (DynamoDB clients may refuse undefined values). */
export function historyEntry(entry: HistoryEntry): HistoryEntry {
  const result: HistoryEntry = { at: entry.at, status: entry.status, source: entry.source };
  if (entry.reason !== undefined) result.reason = entry.reason;
  if (entry.attempt !== undefined) result.attempt = entry.attempt;
  return result;
}

function timeOf(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

function isHistoryEntry(value: unknown): value is HistoryEntry {
  if (typeof value !== 'object' || value === null) return false;
  const { at, status } = value as Partial<HistoryEntry>;
  return typeof at === 'string' && typeof status === 'string';
}
