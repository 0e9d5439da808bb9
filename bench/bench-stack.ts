import type { AxiosInstance } from 'axios';
import { type LocalQueues, startLocalQueues } from '../local/fauxqs-queues';
import type { RateLimit } from '../local/sandbox';
import {
  attemptDeadlineMs,
  GENESYS_TIMEOUT_MS,
  LEASE_SECONDS,
  RETRY_MAX_RECEIVE_COUNT,
  RETRY_VISIBILITY_TIMEOUT_SECONDS,
} from '../shared/config/timing';
import { DeliveryService } from '../shared/delivery/delivery-service';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../shared/delivery/retry-policy';
import { SqsRetryQueue } from '../shared/delivery/retry-queue';
import { StaticCredentialsProvider } from '../shared/genesys/credentials';
import { GenesysClient } from '../shared/genesys/genesys-client';
import type { RatePacer } from '../shared/genesys/rate-pacer';
import { DynamoStatusStore } from '../shared/status/dynamo-status-store';
import { type DynaliteHandle, startDynalite } from '../test/support/dynalite';
import { type RemoteSandbox, startSandboxProcess } from './sandbox-process';

/** The sandbox's OAuth client for the benchmark (a local value, not a secret). */
export const BENCH_CLIENT = { clientId: 'bench-client', clientSecret: 'bench-client-secret' };
export const BENCH_REGION = 'us-east-1';

export interface BenchStackOptions {
  /** The sandbox's per-token limit; false for none. */
  rateLimit: RateLimit | false;
  /** The sandbox's per-OAuth-client limit (all tokens together); default none. */
  clientRateLimit?: RateLimit | false;
  /** Retry queue visibility timeout; default the deployed one (shared/config/timing.ts). */
  visibilityTimeoutSeconds?: number;
}

/**
 * The send path's real parts on loopback, wired explicitly as test/support/delivery-harness.ts does: the
 * Genesys sandbox (in its own process, as Genesys is), dynalite with the status table, fauxqs with the retry
 * queue and its DLQ, and the production GenesysClient (its shared keep-alive axios instance, the module-level
 * token cache).
 */
export interface BenchStack {
  sandbox: RemoteSandbox;
  dynamo: DynaliteHandle;
  tableName: string;
  store: DynamoStatusStore;
  queues: LocalQueues;
  retryQueue: SqsRetryQueue;
  /**
   * A Genesys client for the sandbox; with `pacer`, the process-wide pacer getGenesysClient() adds; with
   * `http`, its own axios instance instead of the shared one.
   */
  genesysClient(options?: { pacer?: RatePacer; http?: AxiosInstance }): GenesysClient;
  /** The delivery service the send and retry functions build, on this stack and the given client. */
  delivery(genesys: GenesysClient, policy?: RetryPolicy): DeliveryService;
  close(): Promise<void>;
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const sandbox = await startSandboxProcess({
    clients: [BENCH_CLIENT],
    rateLimit: options.rateLimit,
    clientRateLimit: options.clientRateLimit ?? false,
  });
  const dynamo = await startDynalite();
  const tableName = await dynamo.createStatusTable();
  const store = new DynamoStatusStore({ tableName, client: dynamo.client });
  const queues = await startLocalQueues({
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? RETRY_VISIBILITY_TIMEOUT_SECONDS,
    maxReceiveCount: RETRY_MAX_RECEIVE_COUNT,
  });
  const retryQueue = new SqsRetryQueue(queues.sqs, queues.retryQueueUrl, queues.deadLetterQueueUrl);
  return {
    sandbox,
    dynamo,
    tableName,
    store,
    queues,
    retryQueue,
    genesysClient: (clientOptions = {}) => benchGenesysClient(sandbox.url, clientOptions),
    delivery: (genesys, policy = DEFAULT_RETRY_POLICY) =>
      benchDelivery({ store, retryQueue, genesys, policy }),
    async close() {
      await queues.stop();
      await sandbox.close();
      await dynamo.close();
    },
  };
}

/** The production GenesysClient against the sandbox at `sandboxUrl`, as the benchmark's OAuth client. */
export function benchGenesysClient(
  sandboxUrl: string,
  options: { pacer?: RatePacer; http?: AxiosInstance } = {},
): GenesysClient {
  return new GenesysClient({
    credentials: new StaticCredentialsProvider({ ...BENCH_CLIENT, region: BENCH_REGION }),
    baseUrls: { apiBaseUrl: sandboxUrl, loginBaseUrl: sandboxUrl },
    ...(options.pacer !== undefined && { pacer: options.pacer }),
    ...(options.http !== undefined && { http: options.http }),
  });
}

/** The delivery service the send and retry functions build, with the deployed timing. */
export function benchDelivery(parts: {
  store: DynamoStatusStore;
  retryQueue: SqsRetryQueue;
  genesys: GenesysClient;
  policy?: RetryPolicy;
}): DeliveryService {
  return new DeliveryService({
    store: parts.store,
    genesys: () => parts.genesys,
    retryQueue: async () => parts.retryQueue,
    scheduler: async () => {
      throw new Error('the benchmark sends no sendAt messages: no scheduler');
    },
    policy: parts.policy ?? DEFAULT_RETRY_POLICY,
    // The deployed timing (shared/config/timing.ts).
    leaseMs: LEASE_SECONDS * 1000,
    attemptMs: attemptDeadlineMs(GENESYS_TIMEOUT_MS),
  });
}
