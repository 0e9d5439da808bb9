/**
 * The fault-injection engine behind test/reliability/fault-injection.test.ts and `npm run soak`.
 *
 * Drives N sends through the real pieces, wired as in production: the send handler (API Gateway REST
 * events), the delivery service, DynamoDB (dynalite), the retry queue and DLQ (fauxqs) fed to the retry
 * handler by the SQS event source, the Genesys sandbox answering at random with 429 + Retry-After, 500,
 * 503, hangs (client timeouts), connection resets and slow answers, and, after accepting a message,
 * hangs, resets, late and dripped answers and 502/504 (the service cannot know Genesys has it), and the
 * sandbox's signed receipts posted over HTTP to the webhook handler. Then it reads every message's
 * record, the DLQ and the sandbox's copies of each message, and tallies: every message must end in
 * exactly one final state, and every copy sent twice is put down to the fault that caused it
 * (duplicate-accounting.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { restApiEvent } from '../../local/api-gateway-events';
import { type LocalQueues, startLocalQueues } from '../../local/fauxqs-queues';
import type { RandomFaults } from '../../local/sandbox';
import { type SqsEventSource, startSqsEventSource } from '../../local/sqs-event-source';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import { createRetryBatchHandler } from '../../shared/delivery/retry-batch-handler';
import type { RetryPolicy } from '../../shared/delivery/retry-policy';
import { SqsRetryQueue } from '../../shared/delivery/retry-queue';
import type { HttpAnswer } from '../../shared/http/api-gateway';
import { logger } from '../../shared/observability/telemetry';
import { sweepPendingSends } from '../../shared/reconcile/sweep-pending-sends';
import { handleSendEvent } from '../../shared/send-api/handle-send-event';
import { STATUS_MARSHALL_OPTIONS } from '../../shared/status/document-client';
import { DynamoStatusStore } from '../../shared/status/dynamo-status-store';
import type { MessageStatus } from '../../shared/status/message-status';
import type { SendRecord, TargetKind } from '../../shared/status/types';
import { createWebhookHandler } from '../../shared/webhook/create-webhook-handler';
import { staticWebhookSecrets } from '../../shared/webhook/webhook-secret';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/dynalite';
import { registerSecret } from '../support/log-capture';
import {
  type DuplicateTally,
  failedAfterSpoiltAnswers,
  type MessageCopies,
  tallyDuplicates,
} from './duplicate-accounting';

/**
 * The default mix: about one send request in four meets a fault before acceptance (slow answers stay
 * under the timeout), about one in twenty after it: a hang, a reset, 502, 504, an answer later than the
 * timeout, or one dripped over a few seconds (under the timeout between bytes, over it in all).
 */
export const DEFAULT_RANDOM_FAULTS: RandomFaults = {
  throttle: 0.08,
  error500: 0.05,
  error503: 0.05,
  hang: 0.02,
  reset: 0.03,
  slow: { probability: 0.05, ms: 100 },
  afterAccept: {
    hang: 0.008,
    reset: 0.008,
    error502: 0.008,
    error504: 0.008,
    late: { probability: 0.008, ms: 1500 },
    drip: { probability: 0.008, intervalMs: 100, chunkBytes: 32 },
  },
  on: 'send',
};

export interface FaultRunOptions {
  /** Messages to send. */
  messages: number;
  /** Seed of the sandbox's random faults (the sequence of draws; request order still varies). */
  seed?: number;
  randomFaults?: RandomFaults;
  /** Permanent refusals (400/403 in Genesys' format) injected at even intervals: those end `failed`. */
  permanentRefusals?: number;
  /**
   * Per-request Genesys timeout: `hang` faults end after this. Default 1000 ms: well above the slow
   * answers (100 ms) plus the event-loop delay of one process running every piece, so that a timeout
   * means "no answer" and not "an answer we stopped waiting for" (that case is the at-least-once window,
   * shown in crash-injection.test.ts).
   */
  genesysTimeoutMs?: number;
  /** Send requests in flight at once (API callers). Default 16. */
  sendConcurrency?: number;
  /**
   * Sends started per second at most (default: as fast as the callers go). Each receipt is a fresh
   * connection from the sandbox, so a long run at full speed would use up the loopback ephemeral ports.
   */
  sendRatePerSecond?: number;
  /** Retry event source pollers (the event source's maximum concurrency). Default 4. */
  retryConcurrency?: number;
  /** Retry policy; default 4 attempts, 0.2 s base delay, 2 s cap. */
  policy?: Partial<RetryPolicy>;
  leaseMs?: number;
  /** Sandbox receipts (sent → delivered → read) posted to the webhook. Default true. */
  receipts?: boolean;
  /** Every n-th message is submitted twice (once again after its answer, once concurrently). 0: never. */
  resubmitEvery?: number;
  /** Longest wait for every message to reach a final state once all sends are answered. */
  settleTimeoutMs?: number;
  /** One line of progress now and then (the soak prints it). */
  onProgress?: (line: string) => void;
}

/** A message that did not end in exactly one final state, and why. */
export interface Problem {
  messageId: string;
  why: string;
}

export interface FaultRunReport {
  messages: number;
  seed: number;
  durationMs: number;
  /** Final states: each message is counted in exactly one. */
  final: { sent: number; delivered: number; read: number; failed: number; deadLettered: number };
  failedByReason: Record<string, number>;
  deadLetterByReason: Record<string, number>;
  /** Messages without a status record: accepted (answered 202) and then gone. */
  lost: Problem[];
  /** Messages whose record still says accepted or retrying when the settle time runs out: not lost, not done. */
  unsettled: Problem[];
  /** Messages the sandbox accepted more than once, with the cause of each extra copy. */
  sentTwice: Array<DuplicateTally['messages'][number] & { history: string }>;
  /** Copies sent twice: total (the sandbox's count), predicted by the fault accounting, by cause, by target. */
  duplicates: Omit<DuplicateTally, 'messages'>;
  /** Sandbox delivery keys (route + path + body) counted more than once, whatever the message. */
  sandboxDuplicates: number;
  /** Recorded `failed`, yet Genesys took a copy: every copy's answer was spoilt, or came after the client timeout. */
  failedButDelivered: Problem[];
  /** A record that contradicts the sandbox or the DLQ (e.g. `sent` without a delivery, `failed` but delivered). */
  inconsistent: Problem[];
  /** Answers to the first submission of each message, by HTTP status. */
  firstAnswers: Record<string, number>;
  /** Answers that a valid request must never get (4xx other than 422, or 5xx after the caller's retries). */
  unexpectedAnswers: Problem[];
  callerRetries: number;
  resubmissions: number;
  /** Event-loop delay of the process running every piece (ms): high values explain client timeouts. */
  eventLoopDelayMs: { p99: number; max: number };
  sandbox: {
    sendCalls: number;
    throttled: number;
    faultsInjected: number;
    tokensIssued: number;
    webhookPosts: { ok: number; failed: number; gaveUp: number };
    /** Faults after acceptance, by kind. */
    afterAccept: Record<string, number>;
  };
}

const FINAL_SEND_STATUSES: ReadonlySet<MessageStatus> = new Set(['sent', 'delivered', 'read', 'failed']);
const CALLER_MAX_RETRIES = 5;
const CONTEXT = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:genesys-send' };

interface FaultStack {
  harness: DeliveryHarness;
  queues: LocalQueues;
  delivery: DeliveryService;
  eventSource: SqsEventSource;
  /** What the deployed reconcile schedule does for records without a final outcome: hand them to the queue. */
  sweep(): Promise<unknown>;
  close(): Promise<void>;
}

/** The settle phase sweeps like the deployed reconcile schedule, only more often (every 15 minutes there). */
const SWEEP_EVERY_MS = 15_000;
const SWEEP_MIN_AGE_SECONDS = 30;

async function startFaultStack(options: FaultRunOptions, seed: number): Promise<FaultStack> {
  const receipts = options.receipts ?? true;
  const webhookSecret = `fault-run-webhook-${randomUUID()}`;
  registerSecret(webhookSecret);
  const harness = await startDeliveryHarness(
    {
      seed,
      randomFaults: options.randomFaults ?? DEFAULT_RANDOM_FAULTS,
      // No steady rate limit: the random 429s throttle, and N sends finish in seconds.
      rateLimit: false,
      receipts: receipts ? { deliveredAfterMs: 50, readAfterMs: 100 } : false,
    },
    // DynamoDB is a service of its own: in this process, dynalite's CPU would slow every function at load.
    { genesysTimeoutMs: options.genesysTimeoutMs ?? 1000, dynaliteProcess: true },
  );
  const queues = await startLocalQueues({ visibilityTimeoutSeconds: 30, maxReceiveCount: 5 });
  const retryQueue = new SqsRetryQueue(queues.sqs, queues.retryQueueUrl, queues.deadLetterQueueUrl);
  const delivery = harness.delivery({
    retryQueue,
    policy: { maxAttempts: 4, baseDelaySeconds: 0.2, maxDelaySeconds: 2, ...options.policy },
    leaseMs: options.leaseMs ?? 10_000,
  });
  const eventSource = startSqsEventSource({
    sqs: queues.sqs,
    queueUrl: queues.retryQueueUrl,
    queueArn: queues.retryQueueArn,
    handler: createRetryBatchHandler(() => ({ delivery, retryQueue: async () => retryQueue })),
    batchSize: 10,
    waitTimeSeconds: 1,
    concurrency: options.retryConcurrency ?? 4,
  });
  let webhook: Awaited<ReturnType<typeof startWebhookServer>> | undefined;
  if (receipts) {
    webhook = await startWebhookServer(harness, webhookSecret);
    const { port } = webhook.server.address() as AddressInfo;
    harness.sandbox.setWebhook({
      url: `http://127.0.0.1:${port}/webhooks/genesys`,
      secret: webhookSecret,
      // Well apart: on a loaded machine a post may time out while the webhook is still working on it, and
      // quick retries pile more posts on (500 ms apart, half the posts of a busy 2-core run gave up).
      retryDelayMs: 2000,
      maxRetries: 5,
      timeoutMs: 10_000,
    });
  }
  return {
    harness,
    queues,
    delivery,
    eventSource,
    sweep: () =>
      sweepPendingSends({
        store: harness.store,
        retryQueue: async () => retryQueue,
        minAgeSeconds: SWEEP_MIN_AGE_SECONDS,
        limit: 100,
      }),
    async close() {
      // Producers first (retry pollers, the sandbox's receipt posts), then what they write to.
      await eventSource.stop();
      await harness.sandbox.close();
      await webhook?.close();
      await harness.close();
      await queues.stop();
    },
  };
}

/**
 * The webhook function behind a loopback HTTP server, as API Gateway would invoke it. Like a Lambda of
 * its own it has its own DynamoDB client: sharing the send path's sockets would queue receipts behind sends.
 */
async function startWebhookServer(
  harness: DeliveryHarness,
  secret: string,
): Promise<{ server: Server; close(): Promise<void> }> {
  const raw = new DynamoDBClient({
    endpoint: harness.dynamo.endpoint,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
  });
  const store = new DynamoStatusStore({
    tableName: harness.tableName,
    client: DynamoDBDocumentClient.from(raw, { marshallOptions: STATUS_MARSHALL_OPTIONS }),
  });
  const handle = createWebhookHandler({
    logger,
    dependencies: { store, secrets: staticWebhookSecrets(secret) },
  });
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readAll(request);
      const headers = Object.fromEntries(
        Object.entries(request.headers).flatMap(([name, value]) =>
          typeof value === 'string' ? [[name, value]] : [],
        ),
      );
      const event = restApiEvent({
        method: request.method ?? 'POST',
        path: '/webhooks/genesys',
        resource: '/webhooks/genesys',
        headers,
        body,
      });
      const answer = (await handle(event)) as HttpAnswer;
      response.writeHead(answer.statusCode, answer.headers).end(answer.body);
    })().catch(() => {
      response.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      raw.destroy();
    },
  };
}

function readAll(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The marker every message carries in its text, so the sandbox's copy names the message it belongs to. */
function marker(runTag: string, index: number): string {
  return `[${runTag} #${index}]`;
}

/** Three target kinds in turn: a conversation (text), a bot session (card), agentless SMS (text). */
const TARGET_KINDS: readonly TargetKind[] = ['conversation', 'botConnector', 'agentless'];

function targetKindOf(index: number): TargetKind {
  return TARGET_KINDS[index % 3] as TargetKind;
}

function sendRequest(runTag: string, index: number): Record<string, unknown> {
  const mark = marker(runTag, index);
  switch (index % 3) {
    case 0:
      return {
        target: {
          kind: 'conversation',
          conversationId: 'c0ffee00-0000-4000-8000-00000000f001',
          communicationId: 'c0ffee00-0000-4000-8000-00000000f002',
        },
        message: { text: `Your order has shipped ${mark}` },
      };
    case 1:
      return {
        target: {
          kind: 'botConnector',
          botId: 'order-bot',
          botVersion: '1',
          botSessionId: `session-${index}`,
          languageCode: 'en-us',
        },
        message: {
          card: {
            title: `Order Confirmation ${mark}`,
            actions: [
              { type: 'postback', text: 'Yes', payload: 'confirmed_yes' },
              { type: 'postback', text: 'No', payload: 'confirmed_no' },
            ],
          },
        },
        metadata: { orderId: String(index) },
      };
    default:
      return {
        target: {
          kind: 'agentless',
          messengerType: 'sms',
          fromAddress: '+13175550100',
          toAddress: '+13175550199',
        },
        message: { text: `Your code is ready ${mark}` },
      };
  }
}

interface Answer {
  statusCode: number;
  body: { status?: string; error?: { code?: string; message?: string } };
  retryAfterSeconds: number;
}

async function post(
  delivery: DeliveryService,
  messageId: string,
  request: Record<string, unknown>,
  inBody: boolean,
): Promise<Answer> {
  const event = restApiEvent({
    method: 'POST',
    path: '/messages',
    resource: '/messages',
    headers: { 'content-type': 'application/json', ...(!inBody && { 'idempotency-key': messageId }) },
    body: JSON.stringify(inBody ? { idempotencyKey: messageId, ...request } : request),
  });
  const answer = (await handleSendEvent(event, CONTEXT, { delivery })) as HttpAnswer;
  return {
    statusCode: answer.statusCode,
    body: JSON.parse(answer.body) as Answer['body'],
    retryAfterSeconds: Number(answer.headers['retry-after'] ?? 1),
  };
}

/** A well-behaved API caller: on 5xx it waits Retry-After and sends the same request with the same key. */
async function submit(
  delivery: DeliveryService,
  messageId: string,
  request: Record<string, unknown>,
  counters: { callerRetries: number },
): Promise<Answer> {
  // Half the callers give the key in the body, half in the Idempotency-Key header.
  const inBody = Number(messageId.split('-').at(-1)) % 2 === 0;
  let answer = await post(delivery, messageId, request, inBody);
  for (let retry = 0; retry < CALLER_MAX_RETRIES && answer.statusCode >= 500; retry += 1) {
    counters.callerRetries += 1;
    await sleep(Math.min(answer.retryAfterSeconds, 1) * 1000);
    answer = await post(delivery, messageId, request, inBody);
  }
  return answer;
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

async function readRecords(
  harness: DeliveryHarness,
  ids: readonly string[],
): Promise<Map<string, SendRecord | undefined>> {
  const records = new Map<string, SendRecord | undefined>();
  await pool(ids, 16, async (id) => {
    records.set(id, await harness.store.get(id));
  });
  return records;
}

async function waitForFinalStates(
  stack: FaultStack,
  ids: readonly string[],
  deadline: number,
  progress: (line: string) => void,
): Promise<void> {
  let pending = [...ids];
  let nextSweep = Date.now() + SWEEP_EVERY_MS;
  while (pending.length > 0 && Date.now() < deadline) {
    if (Date.now() >= nextSweep) {
      // The stack's reconcile schedule, condensed: a retry message lost on the way (an enqueue that failed
      // after its record said `retrying`) is found by the sweep, as it is deployed.
      await stack.sweep();
      nextSweep = Date.now() + SWEEP_EVERY_MS;
    }
    const records = await readRecords(stack.harness, pending);
    pending = pending.filter((id) => {
      const status = records.get(id)?.status;
      return status === undefined || !FINAL_SEND_STATUSES.has(status);
    });
    if (pending.length > 0) {
      progress(`waiting for ${pending.length} message(s) still retrying`);
      await sleep(500);
    }
  }
}

/** Waits until the retry queue holds nothing (visible, in flight or delayed): no late attempt is left. */
async function waitForEmptyQueue(queues: LocalQueues, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const { Attributes = {} } = await queues.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queues.retryQueueUrl,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    const left =
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
    if (left === 0) return;
    await sleep(250);
  }
}

/** Waits until the sandbox has read every accepted message and posted every receipt. */
async function waitForReceipts(stack: FaultStack, deadline: number): Promise<void> {
  while (Date.now() < deadline && stack.harness.sandbox.messages().some((m) => m.status !== 'read')) {
    await sleep(100);
  }
  await Promise.race([stack.harness.sandbox.webhookIdle(), sleep(Math.max(0, deadline - Date.now()))]);
}

/** Every message on the DLQ (received with a long visibility timeout, then deleted). */
async function drainDeadLetters(queues: LocalQueues): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await queues.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.deadLetterQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 300,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await queues.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queues.deadLetterQueueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
}

/** Attempts the service gave up waiting for (its history says so): their answers may have come late. */
function clientTimeoutsOf(record: SendRecord | undefined): number {
  return record?.history.filter((h) => /ECONNABORTED|timeout/i.test(h.reason ?? '')).length ?? 0;
}

/** A record's life in one line, to tell why a message went wrong. */
function historyLine(record: SendRecord | undefined): string {
  if (record === undefined) return 'no record';
  return record.history
    .map(
      (h) =>
        `${h.at.slice(11, 23)} ${h.status}${h.attempt !== undefined ? `#${h.attempt}` : ''} ${h.source}${h.reason ? ` (${h.reason.slice(0, 60)})` : ''}`,
    )
    .join(' → ');
}

/** A reason as a tally key: Genesys' words without the varying parts, the budget reason with its last error kind. */
export function reasonKey(reason: string | undefined): string {
  if (reason === undefined || reason === '') return '(no reason)';
  const [head, last] = reason.split('; last error: ');
  const lastKind = last?.match(/^(HTTP \d{3}|[a-z_]+)/i)?.[1];
  const key = lastKind !== undefined ? `${head} (last: ${lastKind})` : (head ?? reason);
  return key.replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/gi, '<id>').slice(0, 100);
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Sends `options.messages` messages through the stack under random faults and tallies the outcome. */
export async function runFaultInjection(options: FaultRunOptions): Promise<FaultRunReport> {
  const seed = options.seed ?? 42;
  const progress = options.onProgress ?? (() => undefined);
  const started = Date.now();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const stack = await startFaultStack(options, seed);
  try {
    const report = await drive(stack, options, seed, started, progress);
    return {
      ...report,
      eventLoopDelayMs: { p99: Math.round(delay.percentile(99) / 1e6), max: Math.round(delay.max / 1e6) },
    };
  } finally {
    delay.disable();
    await stack.close();
  }
}

async function drive(
  stack: FaultStack,
  options: FaultRunOptions,
  seed: number,
  started: number,
  progress: (line: string) => void,
): Promise<Omit<FaultRunReport, 'eventLoopDelayMs'>> {
  const { harness, delivery, queues } = stack;
  const runTag = `fr${seed}-${randomUUID().slice(0, 8)}`;
  const indexes = Array.from({ length: options.messages }, (_, i) => i);
  const idOf = (index: number) => `${runTag}-${index}`;
  const refusals = options.permanentRefusals ?? Math.max(1, Math.round(options.messages / 100));
  const refusalEvery = refusals > 0 ? Math.max(1, Math.floor(options.messages / refusals)) : 0;
  const resubmitEvery = options.resubmitEvery ?? 25;
  const counters = { callerRetries: 0 };
  const firstAnswers: Record<string, number> = {};
  const unexpectedAnswers: Problem[] = [];
  let resubmissions = 0;
  let answered = 0;

  const check = (messageId: string, answer: Answer) => {
    // A valid request may get 202 (sent, retrying) or 422 (Genesys refused it); anything else is a fault.
    if (answer.statusCode !== 202 && answer.statusCode !== 422) {
      unexpectedAnswers.push({
        messageId,
        why: `HTTP ${answer.statusCode} ${answer.body.error?.code ?? ''} ${answer.body.error?.message ?? ''}`,
      });
    }
  };

  const sendsFrom = Date.now();
  await pool(indexes, options.sendConcurrency ?? 16, async (index) => {
    if (options.sendRatePerSecond !== undefined) {
      await sleep(sendsFrom + (index * 1000) / options.sendRatePerSecond - Date.now());
    }
    const messageId = idOf(index);
    const request = sendRequest(runTag, index);
    if (refusalEvery > 0 && index % refusalEvery === Math.floor(refusalEvery / 2)) {
      const forbidden = Math.floor(index / refusalEvery) % 2 === 1;
      harness.sandbox.injectFaults([
        forbidden
          ? { type: 'status', status: 403, code: 'not.authorized', message: 'You are not authorized' }
          : { type: 'status', status: 400, code: 'bad.request', message: 'Conversation is disconnected' },
      ]);
    }
    const duplicate = resubmitEvery > 0 && index % resubmitEvery === 1;
    const submissions = [submit(delivery, messageId, request, counters)];
    // The same request twice at once: two API calls racing on one key.
    if (duplicate) submissions.push(submit(delivery, messageId, request, counters));
    const [first, ...others] = await Promise.all(submissions);
    increment(firstAnswers, String(first!.statusCode));
    check(messageId, first!);
    for (const other of others) check(messageId, other);
    if (duplicate) {
      // And once more after the answer: a caller that lost the first answer.
      check(messageId, await submit(delivery, messageId, request, counters));
      resubmissions += 2;
    }
    answered += 1;
    if (answered % 1000 === 0) progress(`${answered}/${options.messages} sends answered`);
  });
  progress(`all ${options.messages} sends answered after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const ids = indexes.map(idOf);
  const settleDeadline = Date.now() + (options.settleTimeoutMs ?? 60_000);
  await waitForFinalStates(stack, ids, settleDeadline, progress);
  progress(`final states after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await waitForEmptyQueue(queues, Math.min(settleDeadline, Date.now() + 15_000));
  progress(`retry queue empty after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (options.receipts ?? true) await waitForReceipts(stack, Date.now() + 60_000);
  progress(`receipts posted after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await stack.eventSource.stop();

  // Read the outcome: records (merged with receipts), the DLQ, the sandbox's deliveries.
  const records = await readRecords(harness, ids);
  const merged = new Map<string, MessageStatus | undefined>();
  await pool(
    ids.filter((id) => records.get(id)?.status === 'sent'),
    16,
    async (id) => {
      merged.set(id, (await harness.store.getMerged(id))?.status);
    },
  );
  const deadLetters = await drainDeadLetters(queues);
  const deadLetterReasons = new Map<string, string | undefined>();
  const deadLetterByReason: Record<string, number> = {};
  const inconsistent: Problem[] = [];
  for (const letter of deadLetters) {
    const reason = letter.MessageAttributes?.reason?.StringValue;
    let messageId: string | undefined;
    try {
      messageId = (JSON.parse(letter.Body ?? '') as { messageId?: string }).messageId;
    } catch {
      messageId = undefined;
    }
    if (messageId === undefined || !records.has(messageId)) {
      inconsistent.push({ messageId: messageId ?? '(unreadable)', why: `unknown DLQ entry: ${letter.Body}` });
      continue;
    }
    if (deadLetterReasons.has(messageId)) inconsistent.push({ messageId, why: 'in the DLQ twice' });
    deadLetterReasons.set(messageId, reason);
  }

  // The sandbox's copies of each message, in the order it accepted them: the ground truth.
  const deliveries = new Map<string, MessageCopies['copies'][number][]>();
  const markPattern = new RegExp(`\\[${runTag} #(\\d+)\\]`);
  for (const message of harness.sandbox.messages()) {
    const index = JSON.stringify(message.body).match(markPattern)?.[1];
    if (index === undefined) continue;
    const id = idOf(Number(index));
    deliveries.set(id, [...(deliveries.get(id) ?? []), message]);
  }
  const { messages: twice, ...duplicates } = tallyDuplicates(
    indexes.map((index) => {
      const record = records.get(idOf(index));
      const recorded = record?.genesysMessageId;
      return {
        clientTimeouts:
          record?.history.filter((h) => /ECONNABORTED|timeout/i.test(h.reason ?? '')).length ?? 0,
        messageId: idOf(index),
        targetKind: targetKindOf(index),
        copies: deliveries.get(idOf(index)) ?? [],
        ...(recorded !== undefined && { recordedGenesysId: recorded }),
      };
    }),
  );
  const sentTwice = twice.map((entry) => ({ ...entry, history: historyLine(records.get(entry.messageId)) }));
  const failedButDelivered: Problem[] = [];

  const final = { sent: 0, delivered: 0, read: 0, failed: 0, deadLettered: 0 };
  const failedByReason: Record<string, number> = {};
  const lost: Problem[] = [];
  const unsettled: Problem[] = [];
  for (const id of ids) {
    const record = records.get(id);
    const copies = deliveries.get(id) ?? [];
    const genesysCopies = copies.map((copy) => copy.id);
    if (record === undefined) {
      lost.push({ messageId: id, why: 'no status record' });
      continue;
    }
    if (!FINAL_SEND_STATUSES.has(record.status)) {
      unsettled.push({ messageId: id, why: `still ${record.status} after the settle time` });
      continue;
    }
    if (record.status === 'failed') {
      const reason = record.lastError?.reason ?? record.history.at(-1)?.reason;
      if (failedAfterSpoiltAnswers(copies, clientTimeoutsOf(record))) {
        failedButDelivered.push({ messageId: id, why: `${historyLine(record)}; copies: ${copies.length}` });
      } else if (copies.length > 0) {
        inconsistent.push({ messageId: id, why: 'failed, yet Genesys has a copy it answered in time' });
      }
      if (reason === undefined) inconsistent.push({ messageId: id, why: 'failed without a reason' });
      if (deadLetterReasons.has(id)) {
        final.deadLettered += 1;
        const letterReason = deadLetterReasons.get(id);
        if (letterReason === undefined)
          inconsistent.push({ messageId: id, why: 'in the DLQ without a reason' });
        increment(deadLetterByReason, reasonKey(letterReason));
      } else {
        final.failed += 1;
        increment(failedByReason, reasonKey(reason));
        if (reason?.startsWith('retries exhausted')) {
          inconsistent.push({ messageId: id, why: 'retries exhausted but not in the DLQ' });
        }
      }
      continue;
    }
    if (deadLetterReasons.has(id))
      inconsistent.push({ messageId: id, why: `${record.status}, yet in the DLQ` });
    if (genesysCopies.length === 0)
      inconsistent.push({ messageId: id, why: `${record.status} without a delivery` });
    else if (record.genesysMessageId === undefined || !genesysCopies.includes(record.genesysMessageId)) {
      inconsistent.push({ messageId: id, why: 'recorded Genesys id is not the one Genesys gave' });
    }
    const status = merged.get(id) ?? record.status;
    if (status === 'read') final.read += 1;
    else if (status === 'delivered') final.delivered += 1;
    else final.sent += 1;
  }

  const stats = harness.sandbox.stats();
  return {
    messages: options.messages,
    seed,
    durationMs: Date.now() - started,
    final,
    failedByReason,
    deadLetterByReason,
    lost,
    unsettled,
    sentTwice,
    duplicates,
    sandboxDuplicates: harness.sandbox.duplicates().length,
    failedButDelivered,
    inconsistent,
    firstAnswers,
    unexpectedAnswers,
    callerRetries: counters.callerRetries,
    resubmissions,
    sandbox: {
      sendCalls: stats.requests.botConnector + stats.requests.conversationMessage + stats.requests.agentless,
      throttled: stats.throttled,
      faultsInjected: stats.faultsInjected,
      tokensIssued: stats.tokensIssued,
      webhookPosts: stats.webhookPosts,
      afterAccept: stats.afterAccept,
    },
  };
}

/** The tally as a table for people (the soak prints it, a failing test shows it). */
export function formatTally(report: FaultRunReport): string {
  const row = (label: string, value: number | string) => `  ${label.padEnd(60)} ${String(value).padStart(8)}`;
  const lines = [
    `Fault injection: ${report.messages} messages, seed ${report.seed}, ${(report.durationMs / 1000).toFixed(1)} s`,
    row('final: sent (no receipt yet)', report.final.sent),
    row('final: delivered', report.final.delivered),
    row('final: read', report.final.read),
    row('final: failed', report.final.failed),
    ...Object.entries(report.failedByReason).map(([reason, n]) => row(`    ${reason.slice(0, 56)}`, n)),
    row('final: in the DLQ (failed, reason attached)', report.final.deadLettered),
    ...Object.entries(report.deadLetterByReason).map(([reason, n]) => row(`    ${reason.slice(0, 56)}`, n)),
    row('LOST (no status record)', report.lost.length),
    row('UNSETTLED (still accepted or retrying at the settle bound)', report.unsettled.length),
    row("SENT TWICE: extra copies (the sandbox's count)", report.duplicates.total),
    row('    predicted by the fault accounting', report.duplicates.predicted),
    ...Object.entries(report.duplicates.byCause).map(([cause, n]) => row(`    ${cause}`, n)),
    row(
      '    by target: conversation / botConnector / agentless',
      `${report.duplicates.byTarget.conversation}/${report.duplicates.byTarget.botConnector}/${report.duplicates.byTarget.agentless}`,
    ),
    row('failed, yet Genesys has a copy (no answer came in time)', report.failedButDelivered.length),
    row('inconsistent records', report.inconsistent.length),
    row('unexpected answers to valid requests', report.unexpectedAnswers.length),
    row('Genesys send calls', report.sandbox.sendCalls),
    row('429s seen', report.sandbox.throttled),
    row('faults injected (random and queued)', report.sandbox.faultsInjected),
    row(
      '    of which after acceptance',
      Object.entries(report.sandbox.afterAccept)
        .map(([fault, n]) => `${fault}:${n}`)
        .join(' ') || '0',
    ),
    row('tokens issued', report.sandbox.tokensIssued),
    row(
      'webhook attempts ok / failed (retried) / gave up',
      `${report.sandbox.webhookPosts.ok}/${report.sandbox.webhookPosts.failed}/${report.sandbox.webhookPosts.gaveUp}`,
    ),
    row(
      'first answers',
      Object.entries(report.firstAnswers)
        .map(([status, n]) => `${status}:${n}`)
        .join(' '),
    ),
    row('caller retries after 5xx / resubmissions', `${report.callerRetries}/${report.resubmissions}`),
    row('event-loop delay p99 / max (ms)', `${report.eventLoopDelayMs.p99}/${report.eventLoopDelayMs.max}`),
    row('time (s)', (report.durationMs / 1000).toFixed(1)),
  ];
  const examples = [
    ...report.lost,
    ...report.unsettled,
    ...report.inconsistent,
    ...report.unexpectedAnswers,
  ].slice(0, 10);
  if (examples.length > 0) lines.push('  examples:', ...examples.map((p) => `    ${p.messageId}: ${p.why}`));
  if (report.sentTwice.length > 0) {
    lines.push(
      ...report.sentTwice
        .slice(0, 10)
        .map(
          (d) =>
            `    ${d.messageId} (${d.targetKind}): ${d.copies} copies [${d.causes.join(', ')}]; ${d.history}`,
        ),
    );
  }
  return lines.join('\n');
}
