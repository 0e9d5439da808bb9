import type { BotAnswer } from '../bot/session-types';
import type { GenesysErrorInfo } from '../genesys/types';
import type { MessageStatus } from './message-status';

/** Who caused a status change: kept in the history so an operator can follow a message's life. */
export type StatusSource = 'send' | 'retry' | 'scheduler' | 'webhook' | 'eventbridge' | 'reconcile';

export type TargetKind = 'botConnector' | 'botSession' | 'conversation' | 'agentless';

export interface HistoryEntry {
  /** ISO-8601 time of the change. */
  at: string;
  status: MessageStatus;
  source: StatusSource;
  /** Why: an error summary, "retries exhausted", a receipt reason code… */
  reason?: string;
  attempt?: number;
}

/** The send path's record, keyed by our message id (the idempotency key or a generated id). */
export interface SendRecord {
  messageId: string;
  status: MessageStatus;
  /** sha-256 of the canonical request (without `sendAt`): same key + other body → 409. */
  requestHash: string;
  /** The validated send request, as JSON. The retry path re-renders from it. */
  request: Record<string, unknown>;
  targetKind: TargetKind;
  /** Genesys conversation id when known (conversation target, agentless and bot answers). */
  conversationId?: string;
  genesysMessageId?: string;
  /** Genesys calls made so far. */
  attempts: number;
  firstAttemptAt?: string;
  nextAttemptAt?: string;
  lastError?: GenesysErrorInfo & { reason?: string };
  metadata?: Record<string, string>;
  /** The caller that created it (docs/callers.md); absent on records from before callers were kept. */
  createdBy?: string;
  /** Oldest first, bounded. */
  history: HistoryEntry[];
  /** Epoch ms until which `leaseOwner` may call Genesys for this message. */
  leaseUntil?: number;
  leaseOwner?: string;
  /** When the current lease was taken (the start of its attempt). */
  leaseTakenAt?: string;
  /**
   * Set while an earlier attempt's outcome is unknown (it may have reached Genesys): the start of the
   * first such attempt. The next attempt looks in the conversation first (docs/delivery.md).
   */
  ambiguousSince?: string;
  /** EventBridge Scheduler schedule name for a `scheduled` message. */
  scheduleName?: string;
  sendAt?: string;
  /** A bot session customer's click on a button this message offered (shared/bot). */
  answer?: BotAnswer;
  createdAt: string;
  updatedAt: string;
}

/** Receipts for one Genesys message id, written by the webhook / EventBridge / reconciliation. */
export interface ReceiptRecord {
  genesysMessageId: string;
  status: MessageStatus;
  conversationId?: string;
  /** True once Genesys said the receipt is final (isFinalReceipt) or the status is settled. */
  final: boolean;
  history: HistoryEntry[];
  /** Receipt reason codes, e.g. `RecipientOptedOut`. */
  reasons?: string[];
  updatedAt: string;
}

/** A receipt event, as the webhook, the EventBridge handler and reconciliation report it. */
export interface ReceiptEvent {
  genesysMessageId: string;
  status: MessageStatus;
  source: StatusSource;
  at: string;
  conversationId?: string;
  final?: boolean;
  reasons?: string[];
  reason?: string;
}

/** What GET /messages/{id} shows: the send record merged with the receipts for its Genesys id. */
export interface MergedStatus {
  messageId: string;
  status: MessageStatus;
  genesysMessageId?: string;
  targetKind: TargetKind;
  target: Record<string, unknown>;
  attempts: number;
  nextAttemptAt?: string;
  lastError?: SendRecord['lastError'];
  /** The caller that created the message (docs/callers.md). */
  createdBy?: string;
  metadata?: Record<string, string>;
  sendAt?: string;
  answer?: BotAnswer;
  createdAt: string;
  updatedAt: string;
  /** Send history and receipt history together, oldest first. */
  history: HistoryEntry[];
}

/** What `markSent` records. */
export interface MarkSentInput {
  /** Why, when it is not the plain answer to our call (e.g. found in the conversation after an ambiguous attempt). */
  reason?: string;
  genesysMessageId?: string;
  conversationId?: string;
  attempt: number;
  source: StatusSource;
}

/** What `markRetrying` records. */
export interface MarkRetryingInput {
  attempt: number;
  nextAttemptAt: string;
  error: GenesysErrorInfo;
  source: StatusSource;
  reason?: string;
  /** An attempt's outcome is still unknown since this time (kept if already set); absent: settled. */
  ambiguousSince?: string;
  /** Keep the lease until it expires (this attempt was ambiguous): nobody tries again before. */
  keepLease?: boolean;
}

/** What `markFailed` records. */
export interface MarkFailedInput {
  reason: string;
  error?: GenesysErrorInfo;
  attempt?: number;
  source: StatusSource;
}

export type CreateResult = { created: true; record: SendRecord } | { created: false; record: SendRecord };

export type LeaseResult =
  /** `abandonedSince`: a previous holder's lease (taken then) ended without an outcome: its call may have reached Genesys. */
  | { acquired: true; record: SendRecord; abandonedSince?: string }
  | { acquired: false; reason: 'missing' | 'done' | 'leased'; record?: SendRecord };

/**
 * The status store. Every write is one conditional DynamoDB write (no transactions: dynalite has none),
 * so concurrent senders, duplicate SQS deliveries and out-of-order receipts are safe.
 */
export interface StatusStore {
  /** Conditional put (`attribute_not_exists`): the first caller creates, later callers get the existing record. */
  create(input: {
    messageId: string;
    status: 'accepted' | 'scheduled';
    requestHash: string;
    request: Record<string, unknown>;
    targetKind: TargetKind;
    conversationId?: string;
    metadata?: Record<string, string>;
    sendAt?: string;
    scheduleName?: string;
    /** Who created it (docs/callers.md): reads and idempotency keys are scoped to it. */
    createdBy?: string;
    source: StatusSource;
  }): Promise<CreateResult>;

  get(messageId: string): Promise<SendRecord | undefined>;

  /**
   * Takes the lease before a Genesys call. Refused when the record is missing, is done sending
   * (sent, delivered, read, failed), or is leased by another owner whose lease has not expired.
   */
  acquireLease(messageId: string, owner: string, leaseMs: number): Promise<LeaseResult>;

  /** Lease holder only: status `sent`, the Genesys message id, lease released. False when the lease was lost. */
  markSent(messageId: string, owner: string, input: MarkSentInput): Promise<boolean>;

  /**
   * Lease holder only: status `retrying`, next attempt time and last error, lease released (kept with
   * `keepLease`). The record stays in the pending-outcome index, due at `nextAttemptAt`.
   */
  markRetrying(messageId: string, owner: string, input: MarkRetryingInput): Promise<boolean>;

  /** Status `failed` (terminal). With an owner, only while holding the lease; without, from any non-final status. */
  markFailed(messageId: string, owner: string | undefined, input: MarkFailedInput): Promise<boolean>;

  /**
   * Lease holder only: gives the lease back without changing the status, with a history note saying why
   * (e.g. "retry queue unavailable"), so that a later attempt (the caller's retry, an SQS redelivery) can
   * take it at once. False when the lease was already lost.
   */
  releaseLease(messageId: string, owner: string, note: Omit<HistoryEntry, 'at' | 'status'>): Promise<boolean>;

  /** Adds a history note (e.g. "retry queue unavailable") without changing the status. */
  note(
    messageId: string,
    entry: Omit<HistoryEntry, 'at' | 'status'>,
    /** A `retrying` record's next attempt moved (e.g. to now, when its retry could not be queued). */
    changes?: { nextAttemptAt?: string },
  ): Promise<void>;

  /** One conditional write keyed by the Genesys message id: applied only when it moves the status forward. */
  applyReceipt(event: ReceiptEvent): Promise<'applied' | 'ignored'>;

  getReceipts(genesysMessageId: string): Promise<ReceiptRecord | undefined>;

  /** The send record merged with its receipts; undefined for an unknown message id. */
  getMerged(messageId: string): Promise<MergedStatus | undefined>;

  /**
   * Reconciliation: records without a final outcome that were due before `before`: `accepted` (a worker
   * died mid-call and nobody called again), `scheduled` (a schedule never fired), or `retrying` past its
   * next attempt (its retry message was lost or moved to the DLQ by SQS).
   */
  listPendingOutcome(before: string, limit: number): Promise<SendRecord[]>;

  /** Reconciliation: records `sent` before `sentBefore` whose receipts are not settled yet. */
  listUnsettledSent(sentBefore: string, limit: number): Promise<UnsettledSent[]>;

  /**
   * Reconciliation asked Genesys about a sent message and learnt nothing that settles it. After `maxChecks`
   * such checks the message leaves reconciliation's work list (`retired`): it will never settle (e.g. SMS
   * without delivery reports) and must not hold the head of the oldest-first list. A receipt that still
   * comes through the webhook or EventBridge is recorded as usual.
   */
  noteReceiptCheck(
    messageId: string,
    genesysMessageId: string,
    maxChecks: number,
  ): Promise<'waiting' | 'retired'>;
}

/** A sent message on reconciliation's work list, with how often reconciliation has asked about it. */
export type UnsettledSent = SendRecord & { receiptChecks: number };
