import { createHmac } from 'node:crypto';

/** `X-Hub-Signature-256` value: `sha256=` + base64 HMAC-SHA256 of the raw body (docs/genesys-api-facts.md, "Receipts and webhooks"). */
export function hubSignature(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('base64')}`;
}
