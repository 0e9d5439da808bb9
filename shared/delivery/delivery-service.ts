import { randomUUID } from 'node:crypto';
import type { BotSessionHooks } from '../bot/delivery-hooks';
import { MAX_PACING_WAIT_MS } from '../config/timing';
import { genesysMessageIdOf } from '../genesys/endpoints';
import { DEADLINE_CODE } from '../genesys/genesys-client';
import { PACED_CODE } from '../genesys/rate-pacer';
import type { GenesysErrorInfo, GenesysFailure } from '../genesys/types';
import { ValidationError } from '../messages/errors';
import { type RenderedRequest, renderForTarget } from '../messages/render';
import type { SendRequest } from '../messages/send-request';
import { countDelivery, messageLogger } from '../observability/telemetry';
import { scopedMessageId } from '../status/message-id';
import type { SendRecord, StatusSource, StatusStore } from '../status/types';
import { IdempotencyConflictError, ServiceUnavailableError } from './errors';
import { findSentMessage } from './find-sent-message';
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
  /** How long a worker may hold a message while it calls Genesys (LEASE_SECONDS). */
  leaseMs: number;
  /**
   * The hard total deadline of one attempt from taking its lease (shared/config/timing.ts): it must end
   * well inside the lease. Default: half the lease.
   */
  attemptMs?: number;
  /** Least time an attempt needs to be worth starting (one Genesys call). Default 1 s (at most half an attempt). */
  minAttemptMs?: number;
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
  /** Epoch ms by which the caller's function must be done calling Genesys (its remaining time, less a reserve). */
  deadlineAt?: number;
  /** Who sends (docs/callers.md): a key another caller holds moves to this caller's own namespace. */
  createdBy?: string;
}

export interface AttemptOptions {
  source: StatusSource;
  /** Longest wait for a pacing slot before deferring to the retry queue (default by source: timing.ts). */
  maxPacingWaitMs?: number;
  /** The attempt a retry message asks for: a message for an attempt already made is stale and dropped. */
  expectedAttempt?: number;
  /** Epoch ms by which the caller's function must be done calling Genesys. */
  deadlineAt?: number;
}

export type AttemptResult = DeliveryResult & {
  /** Set when no Genesys call was made: why. Internal: never part of an answer. */
  skipped?: 'missing' | 'done' | 'leased' | 'stale';
};

export { MAX_PACING_WAIT_MS };

/** Error code of a send that was not started because too little time was left (no attempt spent). */
export const DEFERRED_CODE = 'deferred';
/** Outcomes that made no Genesys send call: they spend no attempt. */
const NOT_CALLED_CODES = new Set([PACED_CODE, DEFERRED_CODE, DEADLINE_CODE]);

/** A send at most this far ahead is scheduled; later is refused (EventBridge Scheduler and common sense). */
export const SEND_AT_MAX_AHEAD_MS = 366 * 24 * 60 * 60 * 1000;

/** One attempt under its lease: everything the steps after taking the lease need. */
interface Attempt {
  record: SendRecord;
  owner: string;
  attempt: number;
  firstAttemptAt: string;
  source: StatusSource;
  maxPacingWaitMs: number;
  /** Epoch ms: the hard end of this attempt, well inside the lease. */
  deadlineAt: number;
  leaseUntil: number;
  startedAt: string;
  /** An earlier attempt's outcome is unknown since then (recorded ambiguous, or its holder vanished). */
  ambiguousSince: string | undefined;
  /** How an earlier ambiguous attempt was settled, for the history entry of this attempt's outcome. */
  settled?: string;
}

/**
 * The one delivery path shared by the send and retry functions (docs/data-flow.md):
 * record → lease → render → Genesys → record the outcome, queue a retry or fail.
 */
export class DeliveryService {
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly attemptMs: number;
  private readonly minAttemptMs: number;

  constructor(private readonly deps: DeliveryDependencies) {
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.attemptMs = deps.attemptMs ?? deps.leaseMs / 2;
    this.minAttemptMs = deps.minAttemptMs ?? Math.min(1_000, this.attemptMs / 2);
    if (!(this.attemptMs < deps.leaseMs)) {
      throw new RangeError(
        `an attempt (${this.attemptMs} ms) must end inside its lease (${deps.leaseMs} ms)`,
      );
    }
  }

  /**
   * A new send request, as parseSendRequest returned it (its schema runs every rendering rule, so what it
   * accepts renders, and a message Genesys could never take was refused before anything is written):
   * records it and sends it now or schedules it.
   * Throws ValidationError (400), IdempotencyConflictError (409), ServiceUnavailableError (503).
   */
  async accept(request: SendRequest, options: AcceptOptions, scopedOnce = false): Promise<DeliveryResult> {
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
      ...(options.createdBy !== undefined && { createdBy: options.createdBy }),
      source,
    });
    const owner = created.record.createdBy;
    if (!created.created && owner !== undefined && owner !== options.createdBy) {
      // Another caller's key: never its answer, nor a 409 for it. This caller's own namespace instead.
      // Held there too (someone chose that very key): a conflict, still without the other's answer.
      if (scopedOnce) throw new IdempotencyConflictError(messageId);
      const scoped = scopedMessageId(options.createdBy ?? '', messageId);
      return this.accept(request, { ...options, messageId: scoped }, true);
    }
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
    if (created.created || isDue(record, this.now())) {
      // On a replay: the first call stopped before recording an outcome (`accepted`), or a retry is due and
      // may not be queued; the lease decides who sends. If another request holds it and then dies, the
      // pending-outcome sweep picks the message up.
      const { skipped: _skipped, ...result } = await this.attempt(messageId, {
        source,
        ...(record.status === 'retrying' && { expectedAttempt: record.attempts + 1 }),
        ...(options.deadlineAt !== undefined && { deadlineAt: options.deadlineAt }),
      });
      return { ...result, replayed: !created.created };
    }
    return this.replayResult(record);
  }

  /** A replay answers the message's current status, as GET shows it: receipts may have moved it past `sent`. */
  private async replayResult(record: SendRecord): Promise<DeliveryResult> {
    const result = resultOf(record, true);
    const merged = await this.deps.store.getMerged(record.messageId);
    return merged === undefined ? result : { ...result, status: merged.status };
  }

  /** One Genesys attempt for a recorded message, under the lease. Never a second call for a message already sent. */
  async attempt(messageId: string, options: AttemptOptions): Promise<AttemptResult> {
    const owner = randomUUID();
    const lease = await this.deps.store.acquireLease(messageId, owner, this.deps.leaseMs);
    if (!lease.acquired) {
      const base: AttemptResult = lease.record
        ? resultOf(lease.record, true)
        : { messageId, status: 'failed', attempts: 0, replayed: true };
      return { ...base, skipped: lease.reason };
    }
    const takenAt = this.now();
    const record = lease.record;
    if (options.expectedAttempt !== undefined && record.attempts >= options.expectedAttempt) {
      await this.deps.store.releaseLease(messageId, owner, {
        source: options.source,
        reason: `duplicate retry message for attempt ${options.expectedAttempt} ignored`,
      });
      return { ...resultOf(record, true), skipped: 'stale' };
    }
    const ambiguousSince = earliest(record.ambiguousSince, lease.abandonedSince);
    if (lease.abandonedSince !== undefined) {
      messageLogger(messageId).warn(
        'the previous holder left without an outcome: its call may have reached Genesys',
      );
    }
    const current: Attempt = {
      record,
      owner,
      attempt: Math.max(record.attempts, (options.expectedAttempt ?? 1) - 1) + 1,
      firstAttemptAt: record.firstAttemptAt ?? new Date(takenAt).toISOString(),
      source: options.source,
      maxPacingWaitMs: options.maxPacingWaitMs ?? MAX_PACING_WAIT_MS[options.source],
      deadlineAt: Math.min(takenAt + this.attemptMs, options.deadlineAt ?? Number.POSITIVE_INFINITY),
      leaseUntil: record.leaseUntil ?? takenAt + this.deps.leaseMs,
      startedAt: new Date(takenAt).toISOString(),
      ambiguousSince,
    };
    const leftMs = current.deadlineAt - takenAt;
    if (leftMs < this.minAttemptMs) {
      // The function is almost out of time: hand the message to the queue instead of starting a call.
      const message = `not started: ${Math.max(0, Math.round(leftMs))} ms left in this function`;
      return this.scheduleRetry(current, {
        kind: 'throttled',
        retryAfterSeconds: 0,
        error: { code: DEFERRED_CODE, message },
      });
    }
    return this.callGenesys(current);
  }

  private async callGenesys(current: Attempt): Promise<AttemptResult> {
    const { record, owner, attempt, source } = current;
    const { messageId, targetKind } = record;
    let rendered: RenderedRequest;
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
      if (current.ambiguousSince !== undefined) {
        const settled = await this.settleAmbiguity(current, rendered, genesys);
        if (settled !== undefined) return settled;
      }
      outcome = await genesys.request('POST', rendered.path, rendered.body, {
        maxPacingWaitMs: current.maxPacingWaitMs,
        deadlineAt: current.deadlineAt,
        sendOnce: true,
      });
    } catch (error) {
      // Configuration or credential faults: ours, maybe fixed by an operator; the budget bounds the waiting.
      const message = error instanceof Error ? error.message : String(error);
      // The child logger only on this path: building one per attempt costs a Logger construction per send.
      messageLogger(messageId, { attempt, targetKind }).error('Genesys client could not make the call', {
        error: message,
      });
      outcome = {
        kind: 'transient',
        error: { code: (error as { kind?: string }).kind ?? 'client_error', message },
      };
    }

    if (outcome.kind === 'sent') {
      const genesysMessageId = genesysMessageIdOf(rendered.route, outcome.data);
      const result = await this.recordSent(current, genesysMessageId, conversationIdOf(outcome.data));
      await this.deps.botSessions?.onSent(current.record, rendered).catch((error: unknown) => {
        messageLogger(current.record.messageId).error('bot session not updated after the send', {
          error: (error as Error).message,
        });
      });
      return result;
    }
    if (outcome.kind === 'permanent') {
      const sessionReason = await this.deps.botSessions?.onRefused(record, rendered, outcome.error);
      return this.fail(
        current,
        attempt,
        outcome.error,
        sessionReason ?? `Genesys refused the message: ${describeGenesysError(outcome.error)}`,
      );
    }
    return this.scheduleRetry(current, outcome);
  }

  /**
   * An earlier attempt may have reached Genesys. For a text sent into a conversation, look there first
   * (docs/delivery.md): found, it is recorded as sent with the found id and not sent again; not found, the
   * caller sends it. Elsewhere there is nowhere to look and it is sent again. Returns a result when this
   * attempt ends here (found, or the look itself failed and is retried later).
   */
  private async settleAmbiguity(
    current: Attempt,
    rendered: RenderedRequest,
    genesys: GenesysRequester,
  ): Promise<AttemptResult | undefined> {
    const { record } = current;
    const textBody = (rendered.body as { textBody?: unknown }).textBody;
    if (rendered.route !== 'conversation' || typeof textBody !== 'string') {
      countDelivery('AmbiguousResentUnverified', record.targetKind);
      current.settled =
        'an earlier attempt may have reached Genesys; this target has no listing to look in: sent again';
      current.ambiguousSince = undefined;
      return undefined;
    }
    const conversationId = (record.request as { target: { conversationId: string } }).target.conversationId;
    const look = await findSentMessage(genesys, {
      conversationId,
      textBody,
      since: current.ambiguousSince!,
      deadlineAt: current.deadlineAt,
    });
    if (look.kind === 'found') {
      countDelivery('AmbiguousFound', record.targetKind);
      current.settled = 'found in the conversation after an ambiguous attempt: recorded, not sent again';
      return this.recordSent(
        { ...current, attempt: Math.max(1, record.attempts) },
        look.genesysMessageId,
        conversationId,
      );
    }
    if (look.kind === 'not-found') {
      countDelivery('AmbiguousResent', record.targetKind);
      current.settled = 'not found in the conversation after an ambiguous attempt: sent again';
      current.ambiguousSince = undefined;
      return undefined;
    }
    // Could not look: never send blind where a look is possible; try again later (the look is an attempt).
    return this.scheduleRetry(current, {
      kind: 'transient',
      error: { ...look.error, message: `could not look for an ambiguous send: ${look.error.message}` },
    });
  }

  private async recordSent(
    current: Attempt,
    genesysMessageId: string | undefined,
    conversationId: string | undefined,
  ): Promise<AttemptResult> {
    const { record, owner, attempt, source } = current;
    const { messageId, targetKind } = record;
    const log = messageLogger(messageId, { attempt, targetKind });
    const recorded = await this.deps.store.markSent(messageId, owner, {
      ...(genesysMessageId !== undefined && { genesysMessageId }),
      ...(conversationId !== undefined && { conversationId }),
      ...(current.settled !== undefined && { reason: current.settled }),
      attempt,
      source,
    });
    if (!recorded) log.warn('lease lost before the sent status was recorded: the message was sent once');
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

  private async scheduleRetry(
    current: Attempt,
    outcome: Exclude<GenesysFailure, { kind: 'permanent' }>,
  ): Promise<AttemptResult> {
    const { record, owner, attempt, firstAttemptAt, source } = current;
    const { messageId, targetKind } = record;
    const now = this.now();
    // Held back by our pacer or our own deadline: Genesys never saw it, so it spends none of the budget.
    const notCalled = outcome.kind !== 'ambiguous' && NOT_CALLED_CODES.has(outcome.error.code ?? '');
    const ambiguous = outcome.kind === 'ambiguous';
    const callsMade = notCalled ? attempt - 1 : attempt;
    const nextAttempt = callsMade + 1;
    const retryAfter = outcome.kind === 'throttled' ? outcome.retryAfterSeconds : undefined;
    let delaySeconds = retryDelaySeconds(this.deps.policy, nextAttempt, retryAfter, this.random);
    // Ambiguous: never before the lease ends (Genesys may still be working on it); +2 s so that a message
    // SQS hands over a moment early still finds the lease expired.
    if (ambiguous) delaySeconds = Math.max(delaySeconds, (current.leaseUntil + 2000 - now) / 1000);
    const summary = describeGenesysError(outcome.error);
    const budget = retryBudget(this.deps.policy, nextAttempt, firstAttemptAt, now, delaySeconds);
    countDelivery(
      notCalled
        ? outcome.error.code === DEFERRED_CODE
          ? 'Deferred'
          : 'Paced'
        : ambiguous
          ? 'Ambiguous'
          : outcome.kind === 'throttled'
            ? 'Throttled'
            : 'Retried',
      targetKind,
    );
    const ambiguousSince = ambiguous ? (current.ambiguousSince ?? current.startedAt) : current.ambiguousSince;

    if (budget.spent) {
      const unknown =
        ambiguous || ambiguousSince !== undefined ? '; Genesys may have taken an earlier attempt' : '';
      const reason = `${budget.reason}; last error: ${summary}${unknown}`;
      await this.parkInDeadLetterQueue(record, owner, source, reason, { attempt: callsMade, firstAttemptAt });
      return this.fail(current, callsMade, outcome.error, reason);
    }

    const notBefore = new Date(now + delaySeconds * 1000).toISOString();
    const reason = notCalled
      ? `${outcome.error.code === DEFERRED_CODE ? 'deferred' : 'paced'}: ${outcome.error.message}`
      : ambiguous
        ? `ambiguous: ${summary}; Genesys may have taken it: looked for or sent again once the lease ends`
        : `${outcome.kind}: ${summary}`;
    // Recorded before the retry is queued: a retry due at once must not find this worker's lease.
    await this.deps.store.markRetrying(messageId, owner, {
      attempt: callsMade,
      nextAttemptAt: notBefore,
      error: outcome.error,
      source,
      reason: current.settled === undefined ? reason : `${current.settled}; ${reason}`,
      ...(ambiguousSince !== undefined && { ambiguousSince }),
      keepLease: ambiguous,
    });
    try {
      const queue = await this.deps.retryQueue();
      await queue.enqueue(
        { messageId, attempt: nextAttempt, firstAttemptAt, notBefore, lastError: summary.slice(0, 1000) },
        sqsDelayFor(Date.parse(notBefore), now),
      );
    } catch (error) {
      // Nothing is lost: the record is `retrying` and stays in the pending-outcome index. Due at once, a
      // caller retrying with the same key makes the attempt; if nobody does, the sweep queues it.
      messageLogger(messageId).error('could not enqueue the retry', { error: (error as Error).message });
      await this.deps.store
        .note(
          messageId,
          { source, reason: `retry queue unavailable: ${(error as Error).message}` },
          { nextAttemptAt: new Date(now).toISOString() },
        )
        .catch(() => undefined);
      throw new ServiceUnavailableError(
        `Genesys did not take message "${messageId}" (${summary}) and the retry queue is unavailable; it is recorded and will be retried`,
        messageId,
        Math.max(1, Math.ceil(delaySeconds)),
        { cause: error },
      );
    }
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
    current: Attempt,
    attempt: number,
    error: GenesysErrorInfo,
    reason: string,
  ): Promise<AttemptResult> {
    const { record, owner, source } = current;
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

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

/** A replay makes the attempt itself when nobody is sure to: `accepted`, or `retrying` and past its time. */
function isDue(record: SendRecord, nowMs: number): boolean {
  if (record.status === 'accepted') return true;
  return (
    record.status === 'retrying' &&
    record.nextAttemptAt !== undefined &&
    Date.parse(record.nextAttemptAt) <= nowMs
  );
}
