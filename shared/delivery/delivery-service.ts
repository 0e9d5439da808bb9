import { randomUUID } from 'node:crypto';
import type { BotSessionHooks } from '../bot/delivery-hooks';
import { genesysMessageIdOf } from '../genesys/endpoints';
import { PACED_CODE } from '../genesys/rate-pacer';
import type { GenesysErrorInfo, GenesysFailure } from '../genesys/types';
import { ValidationError } from '../messages/errors';
import { renderForTarget } from '../messages/render';
import type { SendRequest } from '../messages/send-request';
import { countDelivery, messageLogger } from '../observability/telemetry';
import type { SendRecord, StatusSource, StatusStore } from '../status/types';
import { IdempotencyConflictError, ServiceUnavailableError } from './errors';
import { requestHash } from './request-hash';
import { type RetryPolicy, retryBudget, retryDelaySeconds, sqsDelayFor } from './retry-policy';
import type { RetryQueue } from './retry-queue';
import { type SendScheduler, scheduleNameFor } from './send-scheduler';
import { type DeliveryResult, describeGenesysError, type GenesysRequester, resultOf } from './types';

export interface DeliveryDependencies {
  store: StatusStore;
  genesys: () => Promise<GenesysRequester> | GenesysRequester;
  /** Lazy: only throttled and failing sends need SQS (its client stays unloaded otherwise). */
  retryQueue: () => Promise<RetryQueue>;
  scheduler: () => Promise<SendScheduler>;
  policy: RetryPolicy;
  /** How long a worker may hold a message while it calls Genesys; longer than a whole Genesys call. */
  leaseMs: number;
  now?: () => number;
  random?: () => number;
  /** Bot sessions (shared/bot): resolves botSession targets, closes sessions, records offered buttons. */
  botSessions?: BotSessionHooks;
}

/** How a send enters: the entry point's own idempotency key and, for `sendAt`, the ARN to schedule. */
export interface AcceptOptions {
  messageId: string;
  source: StatusSource;
  /** The send function's own ARN (Lambda context), the target of one-time schedules. */
  scheduleTargetArn?: string;
}

export interface AttemptOptions {
  source: StatusSource;
  /** Longest wait for a pacing slot before deferring to the retry queue (default by source, below). */
  maxPacingWaitMs?: number;
  /** The attempt a retry message asks for: a message for an attempt already made is stale and dropped. */
  expectedAttempt?: number;
}

export type AttemptResult = DeliveryResult & {
  /** Set when no Genesys call was made: why. */
  skipped?: 'missing' | 'done' | 'leased' | 'stale';
  /** For `leased`: when the other worker's lease ends, so the caller can look again then. */
  leaseUntil?: number;
};

/**
 * How long a call may wait for a pacing slot before the message is deferred to the retry queue instead:
 * an API caller is waiting for the answer, a queue worker is not.
 */
export const MAX_PACING_WAIT_MS: Record<StatusSource, number> = {
  send: 1_000,
  eventbridge: 1_000,
  scheduler: 2_000,
  retry: 5_000,
  webhook: 0,
  reconcile: 5_000,
};

/** A send at most this far ahead is scheduled; later is refused (EventBridge Scheduler and common sense). */
export const SEND_AT_MAX_AHEAD_MS = 366 * 24 * 60 * 60 * 1000;

/**
 * The one delivery path shared by the send and retry functions (architecture.md, "Data flow"):
 * record → lease → render → Genesys → record the outcome, queue a retry or fail.
 */
export class DeliveryService {
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly deps: DeliveryDependencies) {
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
  }

  /**
   * A new send request, as parseSendRequest returned it (its schema runs every rendering rule, so what it
   * accepts renders, and a message Genesys could never take was refused before anything is written):
   * records it and sends it now or schedules it.
   * Throws ValidationError (400), IdempotencyConflictError (409), ServiceUnavailableError (503).
   */
  async accept(request: SendRequest, options: AcceptOptions): Promise<DeliveryResult> {
    const { messageId, source } = options;
    const hash = requestHash(request);
    const sendAtMs = request.sendAt === undefined ? undefined : Date.parse(request.sendAt);
    if (sendAtMs !== undefined && sendAtMs > this.now() + SEND_AT_MAX_AHEAD_MS) {
      throw new ValidationError([{ path: 'sendAt', message: 'must be at most one year ahead' }]);
    }
    // A time already past sends now: the caller's clock, or a queue in front of us, may lag a little.
    const scheduled = sendAtMs !== undefined && sendAtMs > this.now();
    // Stored resolved, so the retry path renders it without a session lookup.
    const resolved = (await this.deps.botSessions?.resolve(request, messageId)) ?? request;
    const created = await this.deps.store.create({
      messageId,
      status: scheduled ? 'scheduled' : 'accepted',
      requestHash: hash,
      request: { ...resolved, idempotencyKey: messageId },
      targetKind: request.target.kind,
      ...('conversationId' in resolved.target &&
        resolved.target.conversationId !== undefined && { conversationId: resolved.target.conversationId }),
      ...(request.metadata !== undefined && { metadata: request.metadata }),
      ...(request.sendAt !== undefined && { sendAt: request.sendAt }),
      ...(scheduled && { scheduleName: scheduleNameFor(messageId) }),
      source,
    });
    const record = created.record;
    if (!created.created && record.requestHash !== hash) {
      throw new IdempotencyConflictError(messageId);
    }
    if (record.status === 'scheduled') {
      // New or replayed: (re)creating the schedule is idempotent, so a caller retrying after a 503 heals it.
      await this.ensureSchedule(record, options.scheduleTargetArn);
      if (created.created) countDelivery('Scheduled', record.targetKind);
      return resultOf(record, !created.created);
    }
    if (created.created || record.status === 'accepted') {
      // `accepted` on a replay: the first call stopped before recording an outcome; the lease decides who sends.
      const result = await this.attempt(messageId, { source });
      if (result.skipped === 'leased') await this.lookAgainAfterLease(record, result);
      return { ...result, replayed: !created.created };
    }
    return resultOf(record, true);
  }

  /** One Genesys attempt for a recorded message, under the lease. Never a second call for a message already sent. */
  async attempt(messageId: string, options: AttemptOptions): Promise<AttemptResult> {
    const owner = randomUUID();
    const lease = await this.deps.store.acquireLease(messageId, owner, this.deps.leaseMs);
    if (!lease.acquired) {
      const base: AttemptResult = lease.record
        ? resultOf(lease.record, true)
        : { messageId, status: 'failed', attempts: 0, replayed: true };
      return {
        ...base,
        skipped: lease.reason,
        ...(lease.reason === 'leased' &&
          lease.record?.leaseUntil !== undefined && { leaseUntil: lease.record.leaseUntil }),
      };
    }
    const record = lease.record;
    if (options.expectedAttempt !== undefined && record.attempts >= options.expectedAttempt) {
      await this.deps.store.releaseLease(messageId, owner, {
        source: options.source,
        reason: `duplicate retry message for attempt ${options.expectedAttempt} ignored`,
      });
      return { ...resultOf(record, true), skipped: 'stale' };
    }
    const attempt = Math.max(record.attempts, (options.expectedAttempt ?? 1) - 1) + 1;
    const firstAttemptAt = record.firstAttemptAt ?? new Date(this.now()).toISOString();
    const maxPacingWaitMs = options.maxPacingWaitMs ?? MAX_PACING_WAIT_MS[options.source];
    return this.callGenesys(record, owner, attempt, firstAttemptAt, options.source, maxPacingWaitMs);
  }

  /**
   * Another worker holds the lease of a message nobody has recorded an outcome for. It may be at work, or
   * dead (a send function that timed out mid-call): queue a look at the lease's end, so the message is sent
   * even if nobody calls again. If the holder finishes, that look finds the message done (or its attempt
   * made) and does nothing.
   */
  private async lookAgainAfterLease(record: SendRecord, result: AttemptResult): Promise<void> {
    const now = this.now();
    const notBefore = new Date(Math.max(now, result.leaseUntil ?? now) + 1000).toISOString();
    try {
      const queue = await this.deps.retryQueue();
      await queue.enqueue(
        {
          messageId: record.messageId,
          attempt: result.attempts + 1,
          firstAttemptAt: record.firstAttemptAt ?? record.createdAt,
          notBefore,
        },
        sqsDelayFor(Date.parse(notBefore), now),
      );
    } catch (error) {
      throw new ServiceUnavailableError(
        `message "${record.messageId}" is being sent by another request and the retry queue is unavailable; retry with the same idempotency key`,
        record.messageId,
        Math.max(1, Math.ceil((Date.parse(notBefore) - now) / 1000)),
        { cause: error },
      );
    }
  }

  private async callGenesys(
    record: SendRecord,
    owner: string,
    attempt: number,
    firstAttemptAt: string,
    source: StatusSource,
    maxPacingWaitMs: number,
  ): Promise<AttemptResult> {
    const { messageId, targetKind } = record;
    const log = messageLogger(messageId, { attempt, targetKind });
    let rendered: ReturnType<typeof renderForTarget>;
    try {
      rendered = renderForTarget(record.request as SendRequest);
    } catch (error) {
      const reason = `the stored request no longer renders: ${(error as Error).message}`;
      await this.deps.store.markFailed(messageId, owner, { reason, attempt, source });
      countDelivery('Failed', targetKind);
      return { ...resultOf(record, false), status: 'failed', error: { message: reason, reason } };
    }

    let outcome: Awaited<ReturnType<GenesysRequester['request']>>;
    try {
      const genesys = await this.deps.genesys();
      outcome = await genesys.request('POST', rendered.path, rendered.body, { maxPacingWaitMs });
    } catch (error) {
      // Configuration or credential faults: ours, maybe fixed by an operator; the budget bounds the waiting.
      const message = error instanceof Error ? error.message : String(error);
      log.error('Genesys client could not make the call', { error: message });
      outcome = {
        kind: 'transient',
        error: { code: (error as { kind?: string }).kind ?? 'client_error', message },
      };
    }

    if (outcome.kind === 'sent') {
      const genesysMessageId = genesysMessageIdOf(rendered.route, outcome.data);
      const conversationId = conversationIdOf(outcome.data);
      const recorded = await this.deps.store.markSent(messageId, owner, {
        ...(genesysMessageId !== undefined && { genesysMessageId }),
        ...(conversationId !== undefined && { conversationId }),
        attempt,
        source,
      });
      if (!recorded) log.warn('lease lost before the sent status was recorded: the message was sent once');
      await this.deps.botSessions?.onSent(record, rendered).catch((error: unknown) => {
        log.error('bot session not updated after the send', { error: (error as Error).message });
      });
      countDelivery('Sent', targetKind);
      log.info('sent to Genesys', { genesysMessageId });
      return {
        messageId,
        status: 'sent',
        ...(genesysMessageId !== undefined && { genesysMessageId }),
        attempts: attempt,
        replayed: false,
      };
    }
    if (outcome.kind === 'permanent') {
      const sessionReason = await this.deps.botSessions?.onRefused(record, rendered, outcome.error);
      return this.fail(
        record,
        owner,
        attempt,
        source,
        outcome.error,
        sessionReason ?? `Genesys refused the message: ${describeGenesysError(outcome.error)}`,
      );
    }
    return this.scheduleRetry(record, owner, attempt, firstAttemptAt, source, outcome);
  }

  private async scheduleRetry(
    record: SendRecord,
    owner: string,
    attempt: number,
    firstAttemptAt: string,
    source: StatusSource,
    outcome: Exclude<GenesysFailure, { kind: 'permanent' }>,
  ): Promise<AttemptResult> {
    const { messageId, targetKind } = record;
    const now = this.now();
    // Held back by our own pacer: Genesys never saw it, so it is no attempt and spends none of the budget.
    const paced = outcome.kind === 'throttled' && outcome.error.code === PACED_CODE;
    const callsMade = paced ? attempt - 1 : attempt;
    const nextAttempt = callsMade + 1;
    const retryAfter = outcome.kind === 'throttled' ? outcome.retryAfterSeconds : undefined;
    const delaySeconds = retryDelaySeconds(this.deps.policy, nextAttempt, retryAfter, this.random);
    const summary = describeGenesysError(outcome.error);
    const budget = retryBudget(this.deps.policy, nextAttempt, firstAttemptAt, now, delaySeconds);
    countDelivery(paced ? 'Paced' : outcome.kind === 'throttled' ? 'Throttled' : 'Retried', targetKind);

    if (budget.spent) {
      const reason = `${budget.reason}; last error: ${summary}`;
      await this.parkInDeadLetterQueue(record, owner, source, reason, { attempt: callsMade, firstAttemptAt });
      return this.fail(record, owner, callsMade, source, outcome.error, reason);
    }

    const notBefore = new Date(now + delaySeconds * 1000).toISOString();
    try {
      const queue = await this.deps.retryQueue();
      await queue.enqueue(
        { messageId, attempt: nextAttempt, firstAttemptAt, notBefore, lastError: summary.slice(0, 1000) },
        sqsDelayFor(Date.parse(notBefore), now),
      );
    } catch (error) {
      // Nothing is lost: the record stays un-sent and unleased, and the caller is told to retry (503).
      const reason = `retry queue unavailable: ${(error as Error).message}`;
      await this.deps.store.releaseLease(messageId, owner, { source, reason, attempt });
      messageLogger(messageId).error('could not enqueue the retry', { error: (error as Error).message });
      throw new ServiceUnavailableError(
        `Genesys did not take message "${messageId}" (${summary}) and the retry queue is unavailable; retry with the same idempotency key`,
        messageId,
        Math.max(1, Math.ceil(delaySeconds)),
        { cause: error },
      );
    }
    await this.deps.store.markRetrying(messageId, owner, {
      attempt: callsMade,
      nextAttemptAt: notBefore,
      error: outcome.error,
      source,
      reason: paced ? `paced: ${outcome.error.message}` : `${outcome.kind}: ${summary}`,
    });
    return {
      ...resultOf(record, false),
      status: 'retrying',
      attempts: callsMade,
      nextAttemptAt: notBefore,
      error: outcome.error,
    };
  }

  private async parkInDeadLetterQueue(
    record: SendRecord,
    owner: string,
    source: StatusSource,
    reason: string,
    detail: { attempt: number; firstAttemptAt: string },
  ): Promise<void> {
    try {
      const queue = await this.deps.retryQueue();
      await queue.deadLetter(JSON.stringify({ messageId: record.messageId, ...detail, reason }), reason, {
        messageId: record.messageId,
        attempt: String(detail.attempt),
      });
      countDelivery('DeadLettered', record.targetKind);
    } catch (error) {
      await this.deps.store.releaseLease(record.messageId, owner, {
        source,
        reason: `dead-letter queue unavailable: ${(error as Error).message}`,
      });
      throw new ServiceUnavailableError(
        `message "${record.messageId}" spent its retries and the dead-letter queue is unavailable`,
        record.messageId,
        5,
        { cause: error },
      );
    }
  }

  private async fail(
    record: SendRecord,
    owner: string,
    attempt: number,
    source: StatusSource,
    error: GenesysErrorInfo,
    reason: string,
  ): Promise<AttemptResult> {
    await this.deps.store.markFailed(record.messageId, owner, { reason, error, attempt, source });
    countDelivery('Failed', record.targetKind);
    messageLogger(record.messageId).warn('message failed', { reason });
    return { ...resultOf(record, false), status: 'failed', attempts: attempt, error: { ...error, reason } };
  }

  private async ensureSchedule(record: SendRecord, targetArn: string | undefined): Promise<void> {
    try {
      if (targetArn === undefined) throw new Error('no schedule target: the send function ARN is unknown');
      const scheduler = await this.deps.scheduler();
      await scheduler.schedule({ messageId: record.messageId, sendAt: record.sendAt!, targetArn });
    } catch (error) {
      const reason = `could not create the schedule: ${(error as Error).message}`;
      await this.deps.store.note(record.messageId, { source: 'scheduler', reason });
      throw new ServiceUnavailableError(
        `message "${record.messageId}" is recorded but its schedule could not be created; retry with the same idempotency key`,
        record.messageId,
        5,
        { cause: error },
      );
    }
  }
}

function conversationIdOf(data: unknown): string | undefined {
  const id = (data as { conversationId?: unknown } | null)?.conversationId;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}
