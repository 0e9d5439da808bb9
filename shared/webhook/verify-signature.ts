import { createHmac, timingSafeEqual } from 'node:crypto';
import { headerValue } from '../http/api-gateway';
import { WebhookSignatureError } from './errors';

/** The header Genesys signs Open Messaging outbound webhooks with (lower case: lookups ignore case). */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** The header as Genesys spells it, for messages and for callers that sign. */
export const SIGNATURE_HEADER_DISPLAY = 'X-Hub-Signature-256';

const SCHEME = 'sha256=';
/** A SHA-256 digest is 32 bytes: 44 base64 characters with one `=` of padding (padding optional here). */
const DIGEST_BYTES = 32;
const BASE64_DIGEST = /^[A-Za-z0-9+/]{43}=?$/;

export type HeaderBag = Parameters<typeof headerValue>[0];

function digest(body: Uint8Array, secret: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/** The header value Genesys would send for `body`: `sha256=<base64 HMAC-SHA256(body, secret)>`. */
export function signWebhookBody(body: Uint8Array | string, secret: string): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return `${SCHEME}${digest(bytes, secret).toString('base64')}`;
}

/**
 * Verifies `X-Hub-Signature-256` over the raw body bytes against every accepted secret (current and,
 * during a rotation, previous). Constant time per secret; all secrets are tried so the time does not
 * tell which one matched. Throws {@link WebhookSignatureError}; returns normally when one secret matches.
 */
export function verifySignature(rawBody: Uint8Array, headers: HeaderBag, secrets: readonly string[]): void {
  const usable = secrets.filter((secret) => secret.length > 0);
  if (usable.length === 0) {
    throw new WebhookSignatureError('no-secret', 'no webhook signing secret is configured');
  }
  const header = headerValue(headers, SIGNATURE_HEADER)?.trim();
  if (header === undefined || header === '') {
    throw new WebhookSignatureError('missing-header', `header ${SIGNATURE_HEADER_DISPLAY} is missing`);
  }
  const encoded = header.startsWith(SCHEME) ? header.slice(SCHEME.length) : undefined;
  if (encoded === undefined || !BASE64_DIGEST.test(encoded)) {
    throw new WebhookSignatureError(
      'malformed-header',
      `header ${SIGNATURE_HEADER_DISPLAY} must be "sha256=" followed by the base64 HMAC-SHA256 of the body`,
    );
  }
  const received = Buffer.from(encoded, 'base64');
  if (received.length !== DIGEST_BYTES) {
    throw new WebhookSignatureError(
      'malformed-header',
      `header ${SIGNATURE_HEADER_DISPLAY} does not hold a ${DIGEST_BYTES}-byte SHA-256 digest`,
    );
  }
  let matched = false;
  for (const secret of usable) {
    // Both buffers are 32 bytes, as timingSafeEqual requires.
    matched = timingSafeEqual(digest(rawBody, secret), received) || matched;
  }
  if (!matched) {
    throw new WebhookSignatureError(
      'mismatch',
      `header ${SIGNATURE_HEADER_DISPLAY} does not match the body signed with the configured secret`,
    );
  }
}
