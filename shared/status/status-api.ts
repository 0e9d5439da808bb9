import type { Logger } from '@aws-lambda-powertools/logger';
import { describeEventKind } from '../events/event-kind';
import {
  errorAnswer,
  type HttpAnswer,
  httpMethodOf,
  isApiGatewayEvent,
  jsonAnswer,
  pathParameterOf,
} from '../http/api-gateway';
import { httpCallerOf, mayRead, operatorPrincipals } from '../http/caller';
import { messageIdProblem } from './message-id';
import type { StatusStore } from './types';

export interface StatusApiDependencies {
  /** Called per request so a configuration error becomes a 500 answer rather than a crash. */
  store: () => StatusStore;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
}

/** Error codes in the JSON body, stable for clients. */
export type StatusApiErrorCode =
  | 'invalid_request'
  | 'not_found'
  | 'method_not_allowed'
  | 'unsupported_event'
  | 'internal_error';

/**
 * GET /messages/{id}: 200 with the merged status, 404 for an unknown id or another caller's message
 * (docs/callers.md), 400 for a missing or
 * malformed id, 405 for another method, 500 when the store cannot be read (logged, nothing secret).
 * An event that is not from API Gateway (another trigger, a hand-made invoke) gets 400 naming its kind.
 */
export async function answerStatusRequest(
  event: unknown,
  { store, logger }: StatusApiDependencies,
): Promise<HttpAnswer> {
  if (!isApiGatewayEvent(event)) {
    const kind = describeEventKind(event);
    logger.error('status function invoked with an unsupported event', { kind });
    return errorResponse(
      400,
      'unsupported_event',
      `the status function answers API Gateway requests (GET /messages/{id}); got ${kind}`,
    );
  }
  const method = httpMethodOf(event);
  if (method !== 'GET') {
    return errorResponse(405, 'method_not_allowed', `method ${method} is not allowed; use GET`, {
      allow: 'GET',
    });
  }
  const id = pathParameterOf(event, 'id');
  if (id === undefined || id === '') {
    logger.warn('status request without a message id');
    return errorResponse(400, 'invalid_request', 'path parameter "id" is missing: use GET /messages/{id}');
  }
  const problem = messageIdProblem(id);
  if (problem !== undefined) {
    logger.warn('status request with an invalid message id', { problem });
    return errorResponse(400, 'invalid_request', `path parameter "id" ${problem}`);
  }
  try {
    const found = await store().getMerged(id);
    // Another caller's message answers as an unknown one: its existence is not the reader's to learn.
    const merged =
      found !== undefined && mayRead(httpCallerOf(event), found.createdBy, operatorPrincipals())
        ? found
        : undefined;
    if (merged === undefined) {
      logger.info('status request for an unknown message', { messageId: id });
      return errorResponse(404, 'not_found', `no message with id "${id}"`);
    }
    logger.debug('status read', { messageId: id, status: merged.status });
    return jsonResponse(200, merged);
  } catch (error) {
    logger.error('status read failed', { messageId: id, error });
    return errorResponse(500, 'internal_error', 'the message status could not be read; try again later');
  }
}

/** A status changes over time: no cache may keep an old one. */
const NO_STORE = { 'cache-control': 'no-store' };

function errorResponse(
  statusCode: number,
  code: StatusApiErrorCode,
  message: string,
  headers: Record<string, string> = {},
): HttpAnswer {
  return errorAnswer(statusCode, code, message, {}, { ...NO_STORE, ...headers });
}

function jsonResponse(statusCode: number, body: unknown): HttpAnswer {
  return jsonAnswer(statusCode, body, NO_STORE);
}
