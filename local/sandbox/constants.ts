/** Sandbox defaults: Genesys' own values where Genesys has one (docs/genesys-api-facts.md). */
import type { ReceiptTiming, SandboxClient } from './types';

export const DEFAULT_CLIENTS: readonly SandboxClient[] = [
  { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' },
];
/** Genesys' default OAuth client token lifetime: 24 h. */
export const DEFAULT_TOKEN_EXPIRES_IN_SECONDS = 86_400;
/** Genesys' default: 300 requests per minute per client-credentials token. */
export const DEFAULT_RATE_LIMIT = { limit: 300, windowMs: 60_000 } as const;
export const DEFAULT_RECEIPTS: ReceiptTiming = { deliveredAfterMs: 50, readAfterMs: 100 };
export const DEFAULT_SEED = 42;
export const DEFAULT_INTEGRATION_ID = '5e1a7d2c-0000-4000-8000-5a4db0c0ffee';

/** Genesys retries a webhook up to 5 times, 5 s apart, 10 s timeout each. */
export const WEBHOOK_MAX_RETRIES = 5;
export const WEBHOOK_RETRY_DELAY_MS = 5_000;
export const WEBHOOK_TIMEOUT_MS = 10_000;
export const SIGNATURE_HEADER = 'x-hub-signature-256';

export const CORRELATION_HEADER = 'ININ-Correlation-Id';
/** Request bodies above this size are refused with 413 (Genesys refuses large bodies too). */
export const MAX_BODY_BYTES = 1_048_576;

/** Message text limits (docs/genesys-api-facts.md: SMS 765, other channels 2000). */
export const SMS_TEXT_MAX = 765;
export const TEXT_MAX = 2000;
export const CAROUSEL_MAX_CARDS = 10;
