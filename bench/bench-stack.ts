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
  const sandbox = await startSandboxProcess({ clients: [BENCH_CLIENT], rateLimit: options.rateLimit });
  const dynamo = await startDynalite();
  const store = new DynamoStatusStore({ tableName: await dynamo.createStatusTable(), client: dynamo.client });
  const queues = await startLocalQueues({
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? RETRY_VISIBILITY_TIMEOUT_SECONDS,
    maxReceiveCount: RETRY_MAX_RECEIVE_COUNT,
  });
  const retryQueue = new SqsRetryQueue(queues.sqs, queues.retryQueueUrl, queues.deadLetterQueueUrl);
  const credentials = new StaticCredentialsProvider({ ...BENCH_CLIENT, region: BENCH_REGION });
  const baseUrls = { apiBaseUrl: sandbox.url, loginBaseUrl: sandbox.url };
  return {
    sandbox,
    dynamo,
    store,
    queues,
    retryQueue,
    genesysClient: (clientOptions = {}) =>
      new GenesysClient({
        credentials,
        baseUrls,
        ...(clientOptions.pacer !== undefined && { pacer: clientOptions.pacer }),
        ...(clientOptions.http !== undefined && { http: clientOptions.http }),
      }),
    delivery: (genesys, policy = DEFAULT_RETRY_POLICY) =>
      new DeliveryService({
        store,
        genesys: () => genesys,
        retryQueue: async () => retryQueue,
        scheduler: async () => {
          throw new Error('the benchmark sends no sendAt messages: no scheduler');
        },
        policy,
        // The deployed timing (shared/config/timing.ts).
        leaseMs: LEASE_SECONDS * 1000,
        attemptMs: attemptDeadlineMs(GENESYS_TIMEOUT_MS),
      }),
    async close() {
      await queues.stop();
      await sandbox.close();
      await dynamo.close();
    },
  };
}
