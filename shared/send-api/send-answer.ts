import { NoOpenBotSessionError } from '../bot/errors';
import { IdempotencyConflictError, ServiceUnavailableError } from '../delivery/errors';
import type { DeliveryResult } from '../delivery/types';
import { ValidationError } from '../messages/errors';

/**
 * The one mapping from a send's outcome to an answer, shared by every entry point (README "Answers"):
 * HTTP callers get it as status + JSON body, direct invokes as `{ ok, statusCode, ... }` per request.
 */
export interface SendAnswer {
  statusCode: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export function answerForResult(result: DeliveryResult): SendAnswer {
  const headers: Record<string, string> = { location: `/messages/${encodeURIComponent(result.messageId)}` };
  // Only the answer's own fields: internal ones (e.g. an attempt's `skipped`) never reach a caller.
  const { replayed, error, messageId, status, genesysMessageId, attempts, nextAttemptAt, sendAt } = result;
  if (replayed) headers['idempotent-replayed'] = 'true';
  const summary = {
    messageId,
    status,
    ...(genesysMessageId !== undefined && { genesysMessageId }),
    attempts,
    ...(nextAttemptAt !== undefined && { nextAttemptAt }),
    ...(sendAt !== undefined && { sendAt }),
  };
  if (result.status === 'failed') {
    // Genesys (or the retry budget) said no: the request was well-formed, so 422, with Genesys' own words.
    const { reason, ...genesys } = error ?? { message: 'the message failed' };
    return {
      statusCode: 422,
      headers,
      body: {
        ...summary,
        error: {
          code: genesys.status !== undefined ? 'genesys_rejected' : 'delivery_failed',
          message: reason ?? genesys.message,
          genesys,
        },
      },
    };
  }
  const body: Record<string, unknown> = { ...summary };
  if (result.status === 'retrying' && error !== undefined) body.lastError = error;
  return { statusCode: 202, headers, body };
}

export function answerForError(error: unknown, messageId?: string): SendAnswer {
  const id = messageId !== undefined ? { messageId } : {};
  if (error instanceof ValidationError) {
    // Nothing was recorded: a message id here would name a message that GET answers 404 for.
    return {
      statusCode: 400,
      headers: {},
      body: { error: { code: 'validation_failed', message: error.message, issues: error.issues } },
    };
  }
  if (error instanceof IdempotencyConflictError) {
    return {
      statusCode: 409,
      headers: {},
      body: { ...id, error: { code: 'idempotency_conflict', message: error.message } },
    };
  }
  if (error instanceof NoOpenBotSessionError) {
    return {
      statusCode: 409,
      headers: {},
      body: {
        ...id,
        error: {
          code: error.code,
          message: error.message,
          conversationId: error.conversationId,
          reason: error.reason,
        },
      },
    };
  }
  if (error instanceof ServiceUnavailableError) {
    return {
      statusCode: 503,
      headers: { 'retry-after': String(error.retryAfterSeconds) },
      body: { ...id, error: { code: 'service_unavailable', message: error.message } },
    };
  }
  // Our own fault (DynamoDB down, a bug): retryable, and no internals in the answer (they are in the log).
  return {
    statusCode: 500,
    headers: {},
    body: {
      ...id,
      error: {
        code: 'internal_error',
        message: 'the service could not record the request; retry with the same idempotency key',
      },
    },
  };
}
