import { numberEnv, optionalEnv } from '../config/environment';
import { type HttpAnswer, jsonAnswer } from '../http/api-gateway';
import type { WebhookHttpRequest } from './read-http-request';

/**
 * Forwarding mode (README "Delivery status webhook"): an org whose Open Messaging integration already points
 * its Outbound Notification Webhook at its own middleware keeps it there, through us. Each verified post goes
 * on unchanged — the raw bytes, the signature header, the content type — and Genesys gets the middleware's
 * answer, so Genesys' retries and the middleware's delivery work exactly as before.
 */
export interface WebhookForwarder {
  readonly url: string;
  forward(request: WebhookHttpRequest): Promise<HttpAnswer>;
}

/** Genesys gives up on a webhook call after 10 s; verifying and recording need a little of that. */
export const DEFAULT_FORWARD_TIMEOUT_MS = 6_000;
/** A middleware answer body is passed back only if it is this small and text or JSON. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** Headers of the hop, not of the post: API Gateway's and the transport's own, set again by the next hop. */
const HOP_HEADERS =
  /^(host|content-length|connection|keep-alive|transfer-encoding|te|trailer|upgrade|expect|via|forwarded|proxy-.*|x-forwarded-.*|x-amzn-.*|x-amz-.*|cloudfront-.*)$/i;

export class ForwardUrlError extends Error {
  override readonly name = 'ForwardUrlError';
}

/** https only, except plain http to a loopback address (the local stack, tests). */
export function parseForwardUrl(value: string, name = 'WEBHOOK_FORWARD_URL'): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ForwardUrlError(`${name} is not a URL: "${value}"`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ForwardUrlError(
      `${name} must be an https URL (plain http only to a loopback address), got "${url.protocol}//${url.host}"`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new ForwardUrlError(`${name} must not carry credentials`);
  }
  return url;
}

export function createWebhookForwarder(
  url: string,
  timeoutMs = DEFAULT_FORWARD_TIMEOUT_MS,
  fetchImpl: typeof fetch = fetch,
): WebhookForwarder {
  const target = parseForwardUrl(url);
  return {
    url: target.toString(),
    async forward(request) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined && !HOP_HEADERS.test(name)) headers.set(name, value);
      }
      let response: Response;
      try {
        response = await fetchImpl(target, {
          method: 'POST',
          headers,
          body: new Uint8Array(request.rawBody),
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        // No answer: a 5xx, so that Genesys retries the post (the receipts are recorded once either way).
        const timedOut = (error as Error).name === 'TimeoutError';
        return jsonAnswer(timedOut ? 504 : 502, {
          error: timedOut
            ? { code: 'middleware_timeout', message: `the middleware did not answer within ${timeoutMs} ms` }
            : { code: 'middleware_unreachable', message: 'the middleware could not be reached' },
        });
      }
      return answerOf(response);
    },
  };
}

async function answerOf(response: Response): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter !== null) headers['retry-after'] = retryAfter;
  const type = response.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await response.arrayBuffer());
  const textual = /^(application\/([\w.+-]*\+)?json|text\/)/i.test(type);
  if (bytes.length === 0 || !textual || bytes.length > MAX_ANSWER_BYTES) {
    return { statusCode: response.status, headers, body: '' };
  }
  return {
    statusCode: response.status,
    headers: { ...headers, 'content-type': type },
    body: bytes.toString('utf8'),
  };
}

/** `WEBHOOK_FORWARD_URL` (and `WEBHOOK_FORWARD_TIMEOUT_MS`), or no forwarding when it is not set. */
export function webhookForwarderFromEnvironment(): WebhookForwarder | undefined {
  const url = optionalEnv('webhookForwardUrl');
  if (url === undefined) return undefined;
  return createWebhookForwarder(url, numberEnv('webhookForwardTimeoutMs', DEFAULT_FORWARD_TIMEOUT_MS));
}
