import { errorAnswer, type HttpAnswer, jsonAnswer } from '../http/api-gateway';
import { StatusInputError } from '../status/errors';
import { applyReceipts } from './apply-receipts';
import { ReceiptParseError, WebhookSignatureError } from './errors';
import { parseOpenMessagingNotification } from './parse-receipts';
import { MAX_BODY_BYTES, type WebhookHttpRequest } from './read-http-request';
import type { WebhookDependencies, WebhookLogger } from './types';
import { verifySignature } from './verify-signature';

export interface HandleWebhookOptions extends WebhookDependencies {
  logger: WebhookLogger;
  now?: () => Date;
}

/** The same words for every fault of ours: Genesys retries on 5xx, and internals stay in our logs. */
export function internalError(): HttpAnswer {
  return errorAnswer(500, 'internal_error', 'the notification could not be recorded; please retry');
}

/** Safe to log: error names and messages, never headers, secrets or body text. */
export function errorSummary(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error };
}

async function verify(request: WebhookHttpRequest, options: HandleWebhookOptions): Promise<void> {
  const secrets = await options.secrets.secrets();
  try {
    verifySignature(request.rawBody, request.headers, secrets);
  } catch (error) {
    if (!(error instanceof WebhookSignatureError) || error.reason !== 'mismatch') throw error;
    // The secret may have been rotated since it was cached: reload (rate-limited) and try once more.
    const reloaded = await options.secrets.secrets({ reload: true });
    if (reloaded === secrets) throw error;
    verifySignature(request.rawBody, request.headers, reloaded);
  }
}

function decodeJson(rawBody: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (rawBody.length === 0) return { ok: false, reason: 'body is empty; a JSON object is required' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
  } catch {
    return { ok: false, reason: 'body is not valid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'body is not valid JSON' };
  }
}

/**
 * POST /webhooks/genesys: verify the signature over the raw bytes, parse the Open Messaging notification,
 * apply one receipt per event. 401 writes nothing; 400 names the field and the reason; 5xx only for our faults.
 * In forwarding mode, a verified post then goes to the org's middleware and Genesys gets the middleware's answer.
 */
export async function handleWebhookRequest(
  request: WebhookHttpRequest,
  options: HandleWebhookOptions,
): Promise<HttpAnswer> {
  const { logger, forwarder } = options;
  const bytes = request.rawBody.length;
  if (request.method !== 'POST') {
    return errorAnswer(405, 'method_not_allowed', 'use POST', {}, { allow: 'POST' });
  }
  if (bytes > MAX_BODY_BYTES && forwarder === undefined) {
    logger.warn('webhook body too large', { bytes });
    return errorAnswer(
      413,
      'payload_too_large',
      `body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES} bytes`,
    );
  }

  const refused = await verifyOrRefuse(request, options);
  if (refused !== undefined) return refused;
  if (forwarder === undefined) return recordReceipts(request, options);

  // Forwarding: our receipts are recorded first (idempotent, so Genesys' retry of a post the middleware
  // failed records nothing twice), but the middleware's answer is what Genesys gets: its delivery is the org's,
  // and a fault of ours must not take it away (reconciliation fills in receipts we could not record).
  const recorded =
    bytes > MAX_BODY_BYTES
      ? errorAnswer(413, 'payload_too_large', `body is ${bytes} bytes; not recorded`)
      : await recordReceipts(request, options).catch((error: unknown) => {
          logger.error('webhook request failed', { error: errorSummary(error) });
          return internalError();
        });
  if (recorded.statusCode !== 200) {
    logger.warn('post forwarded without its receipts recorded', { status: recorded.statusCode, bytes });
  }
  const answer = await forwarder.forward(request);
  const log = answer.statusCode >= 500 ? logger.warn.bind(logger) : logger.info.bind(logger);
  log('post forwarded to the middleware', { status: answer.statusCode, recorded: recorded.statusCode });
  return answer;
}

/** undefined when the post is signed with the current or previous secret, else the answer (401, or 500). */
async function verifyOrRefuse(
  request: WebhookHttpRequest,
  options: HandleWebhookOptions,
): Promise<HttpAnswer | undefined> {
  try {
    await verify(request, options);
    return undefined;
  } catch (error) {
    if (error instanceof WebhookSignatureError && error.reason !== 'no-secret') {
      options.logger.warn('webhook signature refused', {
        reason: error.reason,
        bytes: request.rawBody.length,
      });
      return errorAnswer(401, 'invalid_signature', error.message);
    }
    options.logger.error('webhook signing secret unavailable', { error: errorSummary(error) });
    return internalError();
  }
}

/** A verified post: parse it and apply its receipts (forward-only). */
async function recordReceipts(
  request: WebhookHttpRequest,
  options: HandleWebhookOptions,
): Promise<HttpAnswer> {
  const { logger } = options;
  const bytes = request.rawBody.length;
  const decoded = decodeJson(request.rawBody);
  if (!decoded.ok) {
    logger.warn('webhook body refused', { bytes, reason: decoded.reason });
    return errorAnswer(400, 'invalid_json', decoded.reason);
  }

  let parsed: ReturnType<typeof parseOpenMessagingNotification>;
  try {
    parsed = parseOpenMessagingNotification(decoded.value, (options.now?.() ?? new Date()).toISOString());
  } catch (error) {
    if (!(error instanceof ReceiptParseError)) throw error;
    logger.warn('webhook body not understood', { bytes, issues: error.issues });
    return errorAnswer(400, 'invalid_notification', error.message, { issues: error.issues });
  }
  for (const notice of parsed.skipped) logger.info('notification has nothing to record', { ...notice });

  try {
    const applied = await applyReceipts(options.store, parsed.events);
    logger.info('receipts recorded', {
      received: parsed.events.length,
      applied,
      receipts: parsed.events.map((event) => ({
        genesysMessageId: event.genesysMessageId,
        status: event.status,
      })),
    });
    return jsonAnswer(200, { received: parsed.events.length, applied });
  } catch (error) {
    if (error instanceof StatusInputError) {
      // The store refused a value it cannot key or write: retrying would fail the same way.
      logger.warn('receipt refused by the status store', { field: error.field, reason: error.message });
      return errorAnswer(400, 'invalid_notification', error.message, {
        issues: [{ path: error.field, message: error.message }],
      });
    }
    logger.error('status store write failed', { error: errorSummary(error), received: parsed.events.length });
    return internalError();
  }
}
