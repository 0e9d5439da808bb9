import { SQSClient } from '@aws-sdk/client-sqs';
import type { Sandbox, SandboxOptions } from '../../local/sandbox';
import { startSandbox } from '../../local/sandbox';
import { DeliveryService } from '../../shared/delivery/delivery-service';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../shared/delivery/retry-policy';
import type { RetryQueue } from '../../shared/delivery/retry-queue';
import { SqsRetryQueue } from '../../shared/delivery/retry-queue';
import type { SendScheduler } from '../../shared/delivery/send-scheduler';
import type { GenesysRequester } from '../../shared/delivery/types';
import { StaticCredentialsProvider } from '../../shared/genesys/credentials';
import { GenesysClient } from '../../shared/genesys/genesys-client';
import { DynamoStatusStore } from '../../shared/status/dynamo-status-store';
import { type DynaliteHandle, startDynalite, TEST_CREDENTIALS, TEST_REGION } from './dynalite';
import { secretAwareGenesysHttpClient } from './genesys-http';
import { registerSecret } from './log-capture';

export const SANDBOX_CLIENT = { clientId: 'harness-client', clientSecret: 'harness-secret-value' };
// The log check (log-capture.setup.ts) fails a test file whose output shows this value.
registerSecret(SANDBOX_CLIENT.clientSecret);

export interface DeliveryHarness {
  sandbox: Sandbox;
  dynamo: DynaliteHandle;
  store: DynamoStatusStore;
  genesys: GenesysClient;
  /** A delivery service wired to this harness, with the given queue and scheduler. */
  delivery(options: {
    retryQueue: RetryQueue;
    scheduler?: SendScheduler;
    policy?: Partial<RetryPolicy>;
    leaseMs?: number;
    random?: () => number;
    /** Another Genesys client (e.g. one that never answers, as in a send function that dies mid-call). */
    genesys?: GenesysRequester;
  }): DeliveryService;
  /** A fresh status table, so each test starts from nothing. */
  freshTable(): Promise<DynamoStatusStore>;
  /** The current status table (changes with `freshTable`), for a second store with its own client. */
  readonly tableName: string;
  close(): Promise<void>;
}

export interface DeliveryHarnessOptions {
  /** Per-request Genesys timeout; default GENESYS_TIMEOUT_MS or 10 s. Short values make `hang` faults quick. */
  genesysTimeoutMs?: number;
  /** dynalite in a child process (local/dynalite.ts): for runs at load, where one event loop saturates. */
  dynaliteProcess?: boolean;
}

/** A real sandbox over loopback, dynalite with the status table, and the real Genesys client. */
export async function startDeliveryHarness(
  sandboxOptions: SandboxOptions = {},
  options: DeliveryHarnessOptions = {},
): Promise<DeliveryHarness> {
  const sandbox = await startSandbox({
    port: 0,
    clients: [SANDBOX_CLIENT],
    receipts: false,
    ...sandboxOptions,
  });
  const dynamo = await startDynalite({ ownProcess: options.dynaliteProcess === true });
  let tableName = await dynamo.createStatusTable();
  let store = new DynamoStatusStore({ tableName, client: dynamo.client });
  const genesys = new GenesysClient({
    credentials: new StaticCredentialsProvider({ ...SANDBOX_CLIENT, region: 'us-east-1' }),
    baseUrls: { apiBaseUrl: sandbox.url, loginBaseUrl: sandbox.url },
    // Registers every access token the sandbox issues, so the log check looks for those values too.
    http: secretAwareGenesysHttpClient(options.genesysTimeoutMs),
  });
  return {
    sandbox,
    dynamo,
    get store() {
      return store;
    },
    genesys,
    delivery: (options) =>
      new DeliveryService({
        store,
        genesys: () => options.genesys ?? genesys,
        retryQueue: async () => options.retryQueue,
        scheduler: async () => {
          if (options.scheduler === undefined) throw new Error('no scheduler in this test');
          return options.scheduler;
        },
        policy: { ...DEFAULT_RETRY_POLICY, ...options.policy },
        leaseMs: options.leaseMs ?? 30_000,
        ...(options.random !== undefined && { random: options.random }),
      }),
    get tableName() {
      return tableName;
    },
    async freshTable() {
      tableName = await dynamo.createStatusTable();
      store = new DynamoStatusStore({ tableName, client: dynamo.client });
      return store;
    },
    async close() {
      await sandbox.close();
      await dynamo.close();
    },
  };
}

/** An SQS-backed retry queue pointed at a (mocked or fauxqs) endpoint. */
export function sqsRetryQueue(
  endpoint: string | undefined,
  queueUrl: string,
  deadLetterQueueUrl: string,
): SqsRetryQueue {
  const sqs = new SQSClient({
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    ...(endpoint && { endpoint }),
  });
  return new SqsRetryQueue(sqs, queueUrl, deadLetterQueueUrl);
}
