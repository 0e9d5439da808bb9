import { randomUUID } from 'node:crypto';
import { FUNCTION_RESERVE_MS } from '../config/timing';
import type { DeliveryService } from '../delivery/delivery-service';
import { isScheduledSendEvent } from '../delivery/send-scheduler';
import { describeEvent, isRecordsEvent } from '../events/event-kinds';
import { isEventBridgeEvent } from '../events/eventbridge-event';
import {
  type ApiGatewayEvent,
  errorAnswer,
  type HttpAnswer,
  headerOf,
  httpMethodOf,
  isApiGatewayEvent,
  jsonAnswer,
  readJsonBody,
} from '../http/api-gateway';
import { directInvokeCaller, eventBridgeCaller, httpCallerOf } from '../http/caller';
import { parseSendRequest } from '../messages/send-request';
import { logger, messageLogger } from '../observability/telemetry';
import { messageIdProblem } from '../status/message-id';
import type { StatusSource } from '../status/types';
import { answerForError, answerForResult, type SendAnswer } from './send-answer';

/** Largest HTTP body accepted (README "Answers": 413 above it). Rich messages are a few KB. */
export const MAX_SEND_BODY_BYTES = 64 * 1024;
/** Largest direct-invoke batch: a result per request must come back well within the function timeout. */
export const MAX_DIRECT_BATCH = 50;
/** Direct-invoke batches run a few at a time: Genesys' rate limit is per token, shared by all of them. */
const BATCH_CONCURRENCY = 4;

export interface SendHandlerDependencies {
  delivery: DeliveryService;
  newId?: () => string;
  /** Kept back from the function's remaining time for the writes after an attempt. */
  reserveMs?: number;
  now?: () => number;
}

/** What the handler reads from the Lambda context. */
export interface SendContext {
  invokedFunctionArn?: string;
  getRemainingTimeInMillis?: () => number;
}

/** A direct-invoke result: the HTTP answer's body with `ok` and `statusCode`, one per request. */
export type DirectResult = { ok: boolean; statusCode: number } & Record<string, unknown>;

/** A one-time schedule fired for a message that has no record: loud, so the schedule's DLQ and alarm see it. */
export class ScheduledMessageMissingError extends Error {
  override name = 'ScheduledMessageMissingError';
  constructor(messageId: string) {
    super(
      `a one-time schedule fired for message "${messageId}", which has no status record (expired or never written)`,
    );
  }
}

/** Our own fault on an entry whose invoker only sees a thrown error (asynchronous invokes, EventBridge). */
export class SendFailedError extends Error {
  override name = 'SendFailedError';
  constructor(answer: SendAnswer) {
    const error = answer.body.error as { code?: string; message?: string } | undefined;
    super(`send failed with ${answer.statusCode} ${error?.code ?? ''}: ${error?.message ?? ''}`.trim());
  }
}

const EXPECTED_EVENTS =
  'a send request, an array of up to 50, an API Gateway request, an EventBridge event or a one-time schedule';

/**
 * Adapts every entry point of the send function to the delivery service: API Gateway (REST v1 and HTTP
 * v2), direct invoke (one request or an array), EventBridge events and rules, and our one-time schedules.
 * Our own faults (5xx) throw wherever the invoker could not see them otherwise: one-time schedules,
 * EventBridge events, and single requests (raw-input rules and schedules, `Event` invokes). HTTP callers get
 * the status code, and a direct batch gets a result per request.
 */
export async function handleSendEvent(
  event: unknown,
  context: SendContext,
  deps: SendHandlerDependencies,
): Promise<HttpAnswer | DirectResult | DirectResult[]> {
  const newId = deps.newId ?? randomUUID;
  const now = deps.now ?? Date.now;
  const remaining = context.getRemainingTimeInMillis?.();
  // Work within the function's time: what cannot start before this is handed to the retry queue.
  const deadlineAt =
    remaining === undefined ? undefined : now() + remaining - (deps.reserveMs ?? FUNCTION_RESERVE_MS);
  // The caller per entry point (docs/callers.md): the IAM principal for HTTPS, else the stack's name for it.
  const send = (value: unknown, fallbackKey: string | undefined, source: StatusSource, caller: string) =>
    sendOne(
      deps.delivery,
      value,
      fallbackKey ?? newId(),
      source,
      caller,
      context.invokedFunctionArn,
      deadlineAt,
    );

  if (isApiGatewayEvent(event)) {
    const caller = httpCallerOf(event);
    return handleHttp(event, (value, key, source) => send(value, key, source, caller));
  }

  if (isScheduledSendEvent(event)) {
    // Our own one-time schedule fired: failures throw so that EventBridge Scheduler retries the invoke.
    const { messageId } = event.scheduledSend;
    const problem = messageIdProblem(messageId);
    if (problem !== undefined) {
      // No schedule of ours carries such an id: answering (not throwing) stops pointless retries.
      return toDirect(answerForErrorMessage(400, 'invalid_request', `scheduledSend.messageId ${problem}`));
    }
    const { skipped, ...result } = await deps.delivery.attempt(messageId, {
      source: 'scheduler',
      ...(deadlineAt !== undefined && { deadlineAt }),
    });
    if (skipped === 'missing') throw new ScheduledMessageMissingError(messageId);
    return toDirect(answerForResult(result));
  }

  if (isEventBridgeEvent(event)) {
    // The event id is the default key: a redelivered event sends nothing twice.
    const answer = await send(event.detail, event.id, 'eventbridge', eventBridgeCaller());
    if (answer.statusCode >= 500) throw new SendFailedError(answer);
    if (answer.statusCode >= 400) logger.error('EventBridge send request refused', { answer: answer.body });
    return toDirect(answer);
  }

  if (Array.isArray(event)) {
    if (event.length > MAX_DIRECT_BATCH) {
      return toDirect(
        answerForErrorMessage(
          400,
          'batch_too_large',
          `a batch holds at most ${MAX_DIRECT_BATCH} requests, got ${event.length}`,
        ),
      );
    }
    const results: DirectResult[] = new Array(event.length);
    let next = 0;
    const worker = async () => {
      while (next < event.length) {
        const index = next++;
        results[index] = toDirect(await send(event[index], undefined, 'send', directInvokeCaller()));
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, event.length) }, worker));
    return results;
  }

  if (!isPlainObject(event) || isRecordsEvent(event)) {
    const answer = answerForErrorMessage(
      400,
      'invalid_event',
      `the send function takes ${EXPECTED_EVENTS}; got ${describeEvent(event)}`,
    );
    logger.error('send function invoked with an event it does not take', { answer: answer.body });
    return toDirect(answer);
  }

  // One request: a raw-input rule or schedule, or a direct invoke (often asynchronous): our faults throw.
  const answer = await send(event, undefined, 'send', directInvokeCaller());
  if (answer.statusCode >= 500) throw new SendFailedError(answer);
  return toDirect(answer);
}

async function handleHttp(
  event: ApiGatewayEvent,
  send: (value: unknown, fallbackKey: string | undefined, source: StatusSource) => Promise<SendAnswer>,
): Promise<HttpAnswer> {
  const method = httpMethodOf(event);
  if (method !== 'POST') {
    return errorAnswer(
      405,
      'method_not_allowed',
      `use POST to send a message, not ${method}`,
      {},
      { allow: 'POST' },
    );
  }
  const body = readJsonBody(event, MAX_SEND_BODY_BYTES);
  if (!body.ok) return body.answer;
  const answer = await send(body.value, headerOf(event, 'idempotency-key'), 'send');
  return jsonAnswer(answer.statusCode, answer.body, answer.headers);
}

async function sendOne(
  delivery: DeliveryService,
  value: unknown,
  fallbackKey: string,
  source: StatusSource,
  caller: string,
  scheduleTargetArn: string | undefined,
  deadlineAt: number | undefined,
): Promise<SendAnswer> {
  let messageId: string | undefined;
  try {
    // The body's key wins, then the entry point's (header, event id), then a new id that the answer returns.
    const withKey =
      isPlainObject(value) && value.idempotencyKey === undefined
        ? { ...value, idempotencyKey: fallbackKey }
        : value;
    const request = parseSendRequest(withKey);
    messageId = request.idempotencyKey ?? fallbackKey;
    const result = await delivery.accept(request, {
      messageId,
      source,
      createdBy: caller,
      ...(scheduleTargetArn !== undefined && { scheduleTargetArn }),
      ...(deadlineAt !== undefined && { deadlineAt }),
    });
    return answerForResult(result);
  } catch (error) {
    const answer = answerForError(error, messageId);
    if (answer.statusCode >= 500)
      (messageId ? messageLogger(messageId) : logger).error('send failed', { error: error as Error });
    return answer;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function answerForErrorMessage(statusCode: number, code: string, message: string): SendAnswer {
  return { statusCode, headers: {}, body: { error: { code, message } } };
}

function toDirect(answer: SendAnswer): DirectResult {
  return { ok: answer.statusCode < 300, statusCode: answer.statusCode, ...answer.body };
}
