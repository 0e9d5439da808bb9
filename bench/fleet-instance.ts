import './bench-environment';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_AWS } from '../local/fauxqs-queues';
import { startSqsEventSource } from '../local/sqs-event-source';
import { createRetryBatchHandler } from '../shared/delivery/retry-batch-handler';
import { SqsRetryQueue } from '../shared/delivery/retry-queue';
import { RatePacer } from '../shared/genesys/rate-pacer';
import { STATUS_MARSHALL_OPTIONS } from '../shared/status/document-client';
import { DynamoStatusStore } from '../shared/status/dynamo-status-store';
import { benchDelivery, benchGenesysClient } from './bench-stack';
import { isEntryPoint } from './cli-options';
import { sendDrainMessage } from './throttled-drain';

/**
 * One instance of the fleet benchmark (bench/fleet-drain.ts), in its own process as a Lambda instance is: its
 * own module-level token cache (so its own access token), its own RatePacer at its function's pace, its own
 * AWS clients. The parent owns the sandbox, dynalite and fauxqs and tells it when to start and stop.
 */
export interface FleetInstanceConfig {
  role: 'send' | 'retry';
  /** GENESYS_MAX_REQUESTS_PER_MINUTE of this instance (fleetPacing). */
  pacePerMinute: number;
  sandboxUrl: string;
  dynamoEndpoint: string;
  tableName: string;
  sqsEndpoint: string;
  retryQueueUrl: string;
  retryQueueArn: string;
  deadLetterQueueUrl: string;
  /** send: the message indices this instance is asked to send. */
  messages: number[];
  /** send: invocations in flight at once, all behind this instance's one pacer. */
  invocationsInFlight: number;
  /** retry: records per batch (the event source's batch size). */
  retryBatchSize: number;
}

/** Parent → instance. */
export type FleetCommand = { type: 'start' } | { type: 'stop' };
/** Instance → parent. */
export type FleetReport =
  | { type: 'ready' }
  | { type: 'sendsDone' }
  | { type: 'done'; answers: Record<string, number>; batches: number; errors: string[] }
  | { type: 'failed'; error: string };

/** Resolves once the message is handed to the channel: an instance may exit right after. */
function report(message: FleetReport): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });
}

async function run(config: FleetInstanceConfig): Promise<void> {
  const raw = new DynamoDBClient({ ...LOCAL_AWS, endpoint: config.dynamoEndpoint });
  const store = new DynamoStatusStore({
    tableName: config.tableName,
    client: DynamoDBDocumentClient.from(raw, { marshallOptions: STATUS_MARSHALL_OPTIONS }),
  });
  const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: config.sqsEndpoint });
  const retryQueue = new SqsRetryQueue(sqs, config.retryQueueUrl, config.deadLetterQueueUrl);
  const genesys = benchGenesysClient(config.sandboxUrl, { pacer: new RatePacer(config.pacePerMinute) });
  const delivery = benchDelivery({ store, retryQueue, genesys });
  const answers: Record<string, number> = {};
  const errors: string[] = [];
  let stopping = false;

  const started = new Promise<void>((resolve) => {
    process.on('message', (command: FleetCommand) => {
      if (command.type === 'start') resolve();
      else stopping = true;
    });
  });
  const stopped = new Promise<void>((resolve) => {
    process.on('message', (command: FleetCommand) => {
      if (command.type === 'stop') resolve();
    });
  });
  await report({ type: 'ready' });
  await started;

  let batches = 0;
  if (config.role === 'send') {
    let next = 0;
    const invoke = async () => {
      while (!stopping && next < config.messages.length) {
        await sendDrainMessage(config.messages[next++] as number, delivery, answers);
      }
    };
    await Promise.all(Array.from({ length: config.invocationsInFlight }, invoke));
    await report({ type: 'sendsDone' });
    await stopped;
  } else {
    const eventSource = startSqsEventSource({
      sqs,
      queueUrl: config.retryQueueUrl,
      queueArn: config.retryQueueArn,
      handler: createRetryBatchHandler(() => ({ delivery, retryQueue: async () => retryQueue })),
      batchSize: config.retryBatchSize,
      waitTimeSeconds: 1,
      // One Lambda instance handles one batch at a time.
      concurrency: 1,
      onError: (error) => {
        if (errors.length < 5) errors.push(String(error));
      },
    });
    await stopped;
    await eventSource.stop();
    batches = eventSource.batches;
  }
  await report({ type: 'done', answers, batches, errors });
  raw.destroy();
  sqs.destroy();
}

if (isEntryPoint(import.meta.url)) {
  run(JSON.parse(process.argv[2] ?? '{}') as FleetInstanceConfig).then(
    () => process.exit(0),
    async (error: unknown) => {
      await report({ type: 'failed', error: String(error) });
      process.exit(1);
    },
  );
  // The parent gone: nothing left to do.
  process.once('disconnect', () => process.exit(0));
}
