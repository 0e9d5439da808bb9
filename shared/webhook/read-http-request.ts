import { type ApiGatewayEvent, httpMethodOf, rawBodyOf } from '../http/api-gateway';

/** Largest notification body accepted, measured on the decoded raw bytes. */
export const MAX_BODY_BYTES = 256 * 1024;

/** What the webhook needs from an HTTP request, whichever API Gateway flavour delivered it. */
export interface WebhookHttpRequest {
  method: string;
  /** As API Gateway gave them: look names up case-insensitively (see `headerValue`). */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as sent: base64-decoded when API Gateway encoded it, never re-serialised. */
  rawBody: Buffer;
}

/** Adapts an API Gateway REST (v1) or HTTP API (v2) proxy event. */
export function readHttpRequest(event: ApiGatewayEvent): WebhookHttpRequest {
  return {
    method: httpMethodOf(event),
    headers: event.headers ?? {},
    rawBody: rawBodyOf(event),
  };
}
