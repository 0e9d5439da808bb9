/** One request as the route handlers see it, and the ways to answer it. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ErrorBodyInput, errorBody, type FieldIssue, validationErrorBody } from '../error-body';
import { mediaType, sendJson } from '../http-io';
import type { MatchedRoute } from '../router';

export interface RequestContext {
  request: IncomingMessage;
  response: ServerResponse;
  contextId: string;
  route: MatchedRoute;
  rawBody: Buffer;
  /** Fingerprint of the bearer token (API routes, after authentication). */
  tokenFingerprint: string;
  /** Set when faults strike after the route: the route's answer goes here instead of to the client. */
  deliver?: (status: number, body: unknown, headers: Record<string, string>) => void;
}

export function replyJson(
  ctx: RequestContext,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): void {
  if (ctx.deliver) ctx.deliver(status, body, headers ?? {});
  else sendJson(ctx.response, status, body, ctx.contextId, headers);
}

export function replyError(
  ctx: RequestContext,
  input: Omit<ErrorBodyInput, 'contextId'>,
  headers?: Record<string, string>,
): void {
  replyJson(ctx, input.status, errorBody({ ...input, contextId: ctx.contextId }), headers);
}

export function replyValidation(ctx: RequestContext, issues: FieldIssue[]): void {
  replyJson(ctx, 400, validationErrorBody(issues, ctx.contextId));
}

/** The JSON body, or undefined after answering 415 (not JSON) or 400 (empty or malformed). */
export function jsonBody(ctx: RequestContext): { value: unknown } | undefined {
  const type = mediaType(ctx.request);
  if (type !== 'application/json') {
    replyError(ctx, {
      status: 415,
      message: `Content-Type must be application/json, got ${type === '' ? 'none' : type}`,
    });
    return undefined;
  }
  const text = ctx.rawBody.toString('utf8');
  if (text.trim() === '') {
    replyValidation(ctx, [{ fieldName: 'body', reason: 'is required', errorCode: 'field.required' }]);
    return undefined;
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    replyValidation(ctx, [
      {
        fieldName: 'body',
        reason: `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
        errorCode: 'body.malformed',
      },
    ]);
    return undefined;
  }
}
