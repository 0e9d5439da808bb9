import { type MessageStatus, statusRank } from '../shared/status/message-status';
import type { HistoryEntry, MergedStatus } from '../shared/status/types';

/**
 * Plain-text views of message statuses for the demo and the send CLI: pure functions, no colours, so the
 * output reads the same in a terminal, a CI log and the README.
 */

/** Where following a message stops: `read` waits for the read receipt, `delivered` for delivery. */
export type FollowUntil = 'sent' | 'delivered' | 'read';

/** Whether following can stop: failed, or at (or past) the status the user waits for. */
export function isFinal(status: MessageStatus, until: FollowUntil): boolean {
  return status === 'failed' || statusRank(status) >= statusRank(until);
}

/** Sources that report what Genesys did after it took the message (receipts). */
const RECEIPT_SOURCES: ReadonlySet<HistoryEntry['source']> = new Set(['webhook', 'eventbridge', 'reconcile']);

/** The statuses the receipts reported, first time each, in order. */
export function receiptsOf(history: readonly HistoryEntry[]): MessageStatus[] {
  const seen: MessageStatus[] = [];
  for (const entry of history) {
    if (RECEIPT_SOURCES.has(entry.source) && !seen.includes(entry.status)) seen.push(entry.status);
  }
  return seen;
}

/** History entries whose reason says Genesys answered 429 (not our own pacing). */
export function throttledEntries(history: readonly HistoryEntry[]): HistoryEntry[] {
  return history.filter(
    (entry) => entry.status === 'retrying' && entry.reason?.startsWith('throttled') === true,
  );
}

/** History entries where our own pacer held the call back (no Genesys call was made). */
export function pacedEntries(history: readonly HistoryEntry[]): HistoryEntry[] {
  return history.filter((entry) => entry.status === 'retrying' && entry.reason?.startsWith('paced') === true);
}

/** A stable identity for a history entry, to print each one once while polling. */
export function historyKey(entry: HistoryEntry): string {
  return [entry.at, entry.status, entry.source, entry.reason ?? '', entry.attempt ?? ''].join('|');
}

/** Seconds since `t0`, e.g. `+1.25s`. */
export function elapsed(atIso: string, t0Ms: number): string {
  const seconds = (Date.parse(atIso) - t0Ms) / 1000;
  return `${seconds >= 0 ? '+' : '-'}${Math.abs(seconds).toFixed(2)}s`;
}

const REASON_MAX = 110;

/** One history entry as a progress line: time, message, status, who, attempt and why. */
export function formatHistoryLine(
  label: string,
  entry: HistoryEntry,
  t0Ms: number,
  labelWidth: number,
): string {
  const parts = [
    elapsed(entry.at, t0Ms).padStart(7),
    label.padEnd(labelWidth),
    entry.status.padEnd(9),
    `by ${entry.source}`.padEnd(12),
  ];
  const detail: string[] = [];
  if (entry.attempt !== undefined) detail.push(`attempt ${entry.attempt}`);
  if (entry.reason !== undefined) detail.push(shorten(entry.reason, REASON_MAX));
  return `${parts.join('  ')}${detail.length > 0 ? `  ${detail.join(' · ')}` : ''}`.trimEnd();
}

export function shorten(text: string, max: number): string {
  const single = text.replace(/\s+/g, ' ');
  return single.length <= max ? single : `${single.slice(0, max - 1)}…`;
}

/** A plain-text table: columns padded to their widest cell, a rule under the header. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** One status as a short summary line (the send CLI's last line). */
export function summaryOf(status: MergedStatus): string {
  const parts = [`${status.messageId}: ${status.status}`, `${status.attempts} Genesys call(s)`];
  if (status.genesysMessageId !== undefined) parts.push(`Genesys id ${status.genesysMessageId}`);
  const receipts = receiptsOf(status.history);
  if (receipts.length > 0) parts.push(`receipts: ${receipts.join(', ')}`);
  if (status.status === 'failed' && status.lastError !== undefined) {
    parts.push(`error: ${status.lastError.reason ?? status.lastError.message}`);
  }
  return parts.join(' · ');
}
