import { Duration } from 'aws-cdk-lib';
import {
  FUNCTION_TIMEOUT_SECONDS,
  GENESYS_TIMEOUT_MS,
  LEASE_SECONDS,
  RETRY_MAX_RECEIVE_COUNT as MAX_RECEIVES,
  VISIBILITY_TIMEOUT_FACTOR as VISIBILITY_FACTOR,
} from '../shared/config/timing';
import { STATUS_TABLE } from '../shared/status/table-keys';

/** The six Lambda functions, each built from `functions/<name>/handler.ts` (export `handler`). */
export const GENESYS_FUNCTION_NAMES = ['send', 'retry', 'webhook', 'status', 'reconcile', 'bot'] as const;
export type GenesysFunctionName = (typeof GENESYS_FUNCTION_NAMES)[number];

/** Genesys HTTP timeout (GENESYS_TIMEOUT_MS). Every timing rule: shared/config/timing.ts, docs/timing.md. */
export const GENESYS_TIMEOUT = Duration.millis(GENESYS_TIMEOUT_MS);

export interface FunctionSettings {
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
}

/**
 * Memory and timeout of each function. Lambda gives CPU in proportion to memory: 512 MB buys the
 * latency-sensitive functions a quicker init and TLS handshakes for little cost on arm64; the status read
 * (two GetItems) needs no more than 256 MB.
 */
export function functionSettings(): Record<GenesysFunctionName, FunctionSettings> {
  return {
    send: {
      description: 'Sends a rich message to Genesys Cloud (API, direct invoke, EventBridge, Scheduler).',
      memorySize: 512,
      // Under API Gateway's 29 s integration limit: callers get our answer, not a gateway 504.
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS.send),
    },
    retry: {
      description: 'Retries throttled or failed Genesys sends from the SQS retry queue.',
      memorySize: 512,
      // Records one after another; one that cannot start in the time left goes back to the queue at once.
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS.retry),
    },
    webhook: {
      description: 'Verifies and records Genesys delivery receipts (Open Messaging webhook, EventBridge).',
      memorySize: 512,
      // Genesys gives up on a webhook call after 10 s and tries again: running longer helps nobody.
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS.webhook),
    },
    status: {
      description: 'Answers GET /messages/{id} with the merged send status and receipts.',
      memorySize: 256,
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS.status),
    },
    reconcile: {
      description: 'Asks Genesys for the status of sent messages whose receipts never came.',
      memorySize: 512,
      // Bulk status calls (up to 1000 ids each) for many conversations, within 300 requests per minute.
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS.reconcile),
    },
    bot: {
      description: 'The Digital Bot Connector bot: bot list, customer messages recorded and published.',
      memorySize: 512,
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS.bot),
    },
  };
}

/** SQS guidance: a visibility timeout at least six times the consumer's timeout, so a slow batch is not redelivered. */
export const VISIBILITY_TIMEOUT_FACTOR = VISIBILITY_FACTOR;
/** Receives of one retry queue message before SQS moves it to the DLQ: only crashes get there this way. */
export const RETRY_MAX_RECEIVE_COUNT = MAX_RECEIVES;
/** LEASE_SECONDS: longer than every function timeout that can hold a lease (docs/timing.md). */
export const LEASE = Duration.seconds(LEASE_SECONDS);
export const MAX_QUEUE_RETENTION = Duration.days(14);

/**
 * The DynamoDB actions each function's code path uses (shared/status/dynamo-status-store.ts), and the
 * indexes it queries. A new store call in a function means a new action here.
 */
export const TABLE_ACCESS: Record<GenesysFunctionName, { actions: string[]; queries: string[] }> = {
  // create (conditional put), lease and status updates, reads after a failed condition.
  send: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], queries: [] },
  // lease and status updates on records the send path created.
  retry: { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], queries: [] },
  // applyReceipt: one conditional update per receipt, keyed by the Genesys message id.
  webhook: { actions: ['dynamodb:UpdateItem'], queries: [] },
  // getMerged: the send record, then its receipt item.
  status: { actions: ['dynamodb:GetItem'], queries: [] },
  // listUnsettledSent (index query, then the receipts in batches), applyReceipt, leaving the index;
  // listPendingOutcome (index query) for the sweep into the retry queue.
  // bot sessions (shared/bot/dynamo-session-store.ts): session, conversation and incoming items; the
  // answer on a send record; reading the answered message's metadata.
  bot: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], queries: [] },
  reconcile: {
    actions: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
    queries: [STATUS_TABLE.indexes.byAwaitingReceipt.name, STATUS_TABLE.indexes.byPendingOutcome.name],
  },
};
