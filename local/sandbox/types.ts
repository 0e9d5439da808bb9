/** Public types of the Genesys sandbox (contract: /tmp/team/sandbox-api.md, mirrored in the README). */
import type { BotConnectorSide, BotIntegrationOptions } from './bot-connector-side';

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
}

export interface RateLimit {
  /** Requests admitted per window, per access token (or per OAuth client for the client limit). */
  limit: number;
  windowMs: number;
}

/** Which requests a fault applies to. `send`: the three send endpoints; `status`: message status reads. */
export type FaultTarget = 'send' | 'token' | 'status' | 'any';

/**
 * When a fault strikes. `beforeAccept` (default): instead of the route, so nothing is accepted.
 * `afterAccept`: the route runs first (a valid send is accepted and counted, its receipts start), then the
 * answer is lost or spoilt: the client cannot tell whether Genesys took the message.
 */
export type FaultPhase = 'beforeAccept' | 'afterAccept';

export type Fault =
  | {
      type: 'status';
      status: number;
      retryAfterSeconds?: number;
      code?: string;
      message?: string;
      phase?: FaultPhase;
    }
  | { type: 'latency'; ms: number; phase?: FaultPhase }
  | { type: 'reset'; phase?: FaultPhase }
  | { type: 'hang'; phase?: FaultPhase }
  /** The real answer after acceptance, its headers at once and its body `chunkBytes` at a time every `intervalMs`. */
  | { type: 'drip'; intervalMs: number; chunkBytes?: number };

/** Faults after acceptance, as probabilities (0..1) drawn per request. */
export interface RandomAfterAcceptFaults {
  hang?: number;
  reset?: number;
  error502?: number;
  error504?: number;
  drip?: { probability: number; intervalMs: number; chunkBytes?: number };
  /** The answer after `ms` (late, but whole). */
  late?: { probability: number; ms: number };
}

/** Probabilities (0..1) drawn per request from the seeded PRNG. */
export interface RandomFaults {
  throttle?: number;
  error500?: number;
  error503?: number;
  hang?: number;
  reset?: number;
  slow?: { probability: number; ms: number };
  /** Faults once the route has run (a send accepted): one more draw per request, only when given. */
  afterAccept?: RandomAfterAcceptFaults;
  /** Which requests may draw a random fault (default `send`). */
  on?: FaultTarget;
}

export interface WebhookOptions {
  url: string;
  secret: string;
  /** Delay between attempts of one post (Genesys: 5 s). */
  retryDelayMs?: number;
  /** Retries after the first attempt (Genesys: 5). */
  maxRetries?: number;
  /** Per-attempt timeout (Genesys: 10 s). */
  timeoutMs?: number;
}

export interface ReceiptTiming {
  /** sent → delivery-success, counted from the accepted send. */
  deliveredAfterMs: number;
  /** delivery-success → read, counted from the accepted send; omit for no read receipt. */
  readAfterMs?: number;
}

export interface SandboxOptions {
  /** Default 0 (any free port); the server always binds 127.0.0.1. */
  port?: number;
  clients?: SandboxClient[];
  tokenExpiresInSeconds?: number;
  rateLimit?: RateLimit | false;
  /**
   * Limit of all tokens of one OAuth client together, like Genesys' `org.app.user.rate.per.minute` (3000 per
   * minute by default there). Default off here, so tests that only mean the per-token limit meet only that.
   */
  clientRateLimit?: RateLimit | false;
  webhook?: WebhookOptions;
  receipts?: ReceiptTiming | false;
  randomFaults?: RandomFaults;
  seed?: number;
  /** Open Messaging integration id reported in webhook `channel.id` (default a fixed uuid). */
  integrationId?: string;
  /** Clock for token expiry, rate limiting and bot session expiry (default Date.now). */
  now?: () => number;
  /** Genesys' side of a Digital Bot Connector integration calling our bot (customer, sessions, 409s). */
  botConnector?: BotIntegrationOptions;
}

/** Sandbox route names, also the keys of `stats().requests`. */
export type RouteName =
  | 'token'
  | 'conversationMessage'
  | 'agentless'
  | 'botConnector'
  | 'getMessage'
  | 'getMessageDetails'
  | 'getConversation'
  | 'bulk'
  | 'customerMessage'
  | 'botSessions'
  | 'notFound';

export type SendRouteName = 'conversationMessage' | 'agentless' | 'botConnector';

/** MessageData.status values. */
export type GenesysMessageStatus =
  | 'queued'
  | 'sent'
  | 'failed'
  | 'received'
  | 'delivery-success'
  | 'delivery-failed'
  | 'read'
  | 'removed'
  | 'published';

/** Normalized receipt status values. */
export type ReceiptStatus = 'Sent' | 'Delivered' | 'Read' | 'Failed' | 'Published' | 'Removed';

export interface ReceiptReason {
  code?: string;
  message: string;
}

export interface ReceiptOptions {
  /** Default: true for Read, Failed and Removed. */
  isFinalReceipt?: boolean;
  reasons?: ReceiptReason[];
}

/** The outcome of one webhook post, after its retries. */
export interface WebhookDelivery {
  ok: boolean;
  attempts: number;
  /** HTTP status of the last attempt, absent when it failed at the network level. */
  lastStatus?: number;
  error?: string;
}

export interface AcceptedMessage {
  /** The Genesys message id (32 hex). */
  id: string;
  conversationId: string;
  route: SendRouteName;
  path: string;
  body: unknown;
  status: GenesysMessageStatus;
  receivedAt: string;
  /** First 8 hex of sha256(access token). */
  tokenFingerprint: string;
  /** The fault that spoilt the answer to this acceptance (e.g. `hang`, `status 504`), if any. */
  answerFault?: string;
}

export interface SandboxStats {
  requests: Record<RouteName, number>;
  tokensIssued: number;
  /** 429 answers, from the rate limits and from faults. */
  throttled: number;
  /** Of those, 429s from the per-OAuth-client limit. */
  clientThrottled: number;
  /** Injected and random faults applied. */
  faultsInjected: number;
  /** Faults applied after the route ran, by label (`hang`, `reset`, `drip`, `latency`, `status 502`…). */
  afterAccept: Record<string, number>;
  /** Authenticated API requests per token fingerprint. */
  perToken: Record<string, number>;
  /** Webhook attempts answered 2xx (`ok`) or not (`failed`); `gaveUp`: posts abandoned after all retries. */
  webhookPosts: { ok: number; failed: number; gaveUp: number };
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  /** The bot connector integration: `customer()` writes or taps, `list()` shows sessions. */
  readonly bot: BotConnectorSide;
  close(): Promise<void>;
  injectFaults(faults: Fault[], options?: { on?: FaultTarget }): void;
  /** Injected faults still queued. */
  pendingFaults(): number;
  setRateLimit(rateLimit: RateLimit | false): void;
  setClientRateLimit(rateLimit: RateLimit | false): void;
  setRandomFaults(randomFaults: RandomFaults | undefined): void;
  setClients(clients: SandboxClient[]): void;
  revokeTokens(): void;
  setWebhook(webhook: WebhookOptions | undefined): void;
  setMessageStatus(genesysMessageId: string, status: GenesysMessageStatus): void;
  postReceipt(
    genesysMessageId: string,
    status: ReceiptStatus,
    options?: ReceiptOptions,
  ): Promise<WebhookDelivery>;
  /** Resolves when every webhook post started so far has finished (with its retries). */
  webhookIdle(): Promise<void>;
  stats(): SandboxStats;
  messages(): AcceptedMessage[];
  deliveryCounts(): Map<string, number>;
  duplicates(): Array<{ key: string; count: number }>;
  /** Zeroes the counters and the delivery counts; accepted messages stay readable. */
  resetStats(): void;
}
