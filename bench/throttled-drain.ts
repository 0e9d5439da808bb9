import './bench-environment';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { AxiosInstance } from 'axios';
import type { AcceptedMessage } from '../local/sandbox';
import { startSqsEventSource } from '../local/sqs-event-source';
import type { DeliveryService } from '../shared/delivery/delivery-service';
import { createRetryBatchHandler } from '../shared/delivery/retry-batch-handler';
import { createGenesysHttpClient } from '../shared/genesys/http-client';
import { RatePacer } from '../shared/genesys/rate-pacer';
import { handleSendEvent } from '../shared/send-api/handle-send-event';
import { type BenchStack, startBenchStack } from './bench-stack';
import { isEntryPoint, numberFlag, parseBenchArgs } from './cli-options';
import { percentile } from './stats';

/**
 * - `unpaced`: the Genesys client without a pacer (every caller fires at will, each 429 retried alone);
 * - `paced`: the process-wide RatePacer wired as its doc comment says (rate = the token's limit, one instance);
 * - `paced-start-spacing`: as `paced`, plus a second spacing at the HTTP instance, right before each call
 *   leaves (the what-if that led the pacer to space starts; kept to compare the two places of measure).
 */
export type DrainVariant = 'unpaced' | 'paced' | 'paced-start-spacing';
export const DRAIN_VARIANTS: readonly DrainVariant[] = ['unpaced', 'paced', 'paced-start-spacing'];

export interface DrainOptions {
  /** Messages sent at once, as fast as the send workers go (a campaign blast). */
  sends: number;
  /** The sandbox's limit per access token, requests per second (window 1 s). */
  ratePerSecond: number;
  variant: DrainVariant;
  /** The pacer's rate, requests per second; default the limit (one instance holds the token). */
  paceRatePerSecond?: number;
  /** Concurrent send invocations (API callers in flight). */
  sendConcurrency: number;
  /** Retry event source pollers: the retry function's maximum concurrency. */
  retryConcurrency: number;
  /** Bound on the whole drain: what is not delivered by then is reported as not delivered. */
  timeoutSeconds: number;
}

export const DEFAULT_DRAIN: DrainOptions = {
  sends: 3000,
  ratePerSecond: 50,
  variant: 'paced',
  sendConcurrency: 20,
  retryConcurrency: 4,
  timeoutSeconds: 150,
};

export interface DrainResult {
  sends: number;
  ratePerSecond: number;
  variant: DrainVariant;
  paceRatePerSecond?: number;
  sendConcurrency: number;
  retryConcurrency: number;
  /** First send submitted → last message delivered (or the bound). */
  drainSeconds: number;
  delivered: number;
  /** Delivered messages per second of drain time, and as a share of the limit. */
  achievedRate: number;
  shareOfLimit: number;
  /** Calls that reached Genesys' send endpoints, and those answered 429. */
  genesysCalls: number;
  throttled: number;
  throttledShare: number;
  /** Messages Genesys took twice, and messages not delivered at the end (split below). */
  sentTwice: number;
  lost: number;
  notDelivered: { failed: number; pending: number; missing: number; failureReasons: string[] };
  /** How the send invocations answered: 202/200 counts by status, and by HTTP code. */
  sendAnswers: Record<string, number>;
  retryBatches: number;
  /** Submit → delivered, per message. */
  latency: { p50Seconds: number; p99Seconds: number };
  /** This process's event-loop delay during the drain: how late a timer (a pacing slot) can fire. */
  eventLoopDelayMs: { p99: number; max: number };
  timedOut: boolean;
}

export const DRAIN_TARGET = {
  kind: 'conversation',
  conversationId: '0b5e0b5e-0000-4000-8000-00000000d7a1',
  communicationId: '0b5e0b5e-0000-4000-8000-00000000c0de',
} as const;

/** Each message's text is unique: the sandbox's delivery count per body is a count per message. */
export function drainText(index: number): string {
  return `drain message ${index}`;
}

export async function retryQueueIdle(stack: BenchStack): Promise<boolean> {
  const { Attributes = {} } = await stack.queues.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.queues.retryQueueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return Object.values(Attributes).every((value) => Number(value) === 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The what-if of `paced-start-spacing`: Genesys send calls leave at least `intervalMs` after the previous one
 * really left (an axios request interceptor, so only this benchmark's instance is touched).
 */
function startSpacedHttpClient(intervalMs: number): AxiosInstance {
  const http = createGenesysHttpClient();
  let lastStart = 0;
  http.interceptors.request.use(async (config) => {
    if (!String(config.url).includes('/messages')) return config;
    for (let gap = lastStart + intervalMs - performance.now(); gap > 0; ) {
      await sleep(gap);
      gap = lastStart + intervalMs - performance.now();
    }
    lastStart = performance.now();
    return config;
  });
  return http;
}

/**
 * `sends` messages at once through the send path and the retry path (fauxqs + the SQS event source) into a
 * sandbox that admits `ratePerSecond` calls per token: how long until all are delivered, at what rate, with
 * how many 429s, and whether any is lost or sent twice.
 */
export async function runThrottledDrain(options: DrainOptions = DEFAULT_DRAIN): Promise<DrainResult> {
  const stack = await startBenchStack({ rateLimit: { limit: options.ratePerSecond, windowMs: 1000 } });
  const paceRatePerSecond = options.paceRatePerSecond ?? options.ratePerSecond;
  const paced = options.variant !== 'unpaced';
  const genesys = stack.genesysClient({
    ...(paced && { pacer: new RatePacer(paceRatePerSecond * 60) }),
    ...(options.variant === 'paced-start-spacing' && {
      http: startSpacedHttpClient(1000 / paceRatePerSecond),
    }),
  });
  // One instance: the send path and the retry path share the client, its token and its pacer.
  const delivery = stack.delivery(genesys);
  const eventSource = startSqsEventSource({
    sqs: stack.queues.sqs,
    queueUrl: stack.queues.retryQueueUrl,
    queueArn: stack.queues.retryQueueArn,
    handler: createRetryBatchHandler(() => ({ delivery, retryQueue: async () => stack.retryQueue })),
    batchSize: 10,
    waitTimeSeconds: 1,
    concurrency: options.retryConcurrency,
  });
  const submittedAt = new Array<number>(options.sends);
  const sendAnswers: Record<string, number> = {};
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const started = Date.now();
  const deadline = started + options.timeoutSeconds * 1000;
  let sendsDone = false;
  try {
    let next = 0;
    const sender = async () => {
      while (next < options.sends && Date.now() < deadline) {
        const index = next++;
        submittedAt[index] = Date.now();
        await sendDrainMessage(index, delivery, sendAnswers);
      }
    };
    const senders = Promise.all(Array.from({ length: options.sendConcurrency }, sender)).then(() => {
      sendsDone = true;
    });

    let idlePolls = 0;
    while (Date.now() < deadline) {
      await sleep(250);
      if ((await stack.sandbox.deliveredCount()) >= options.sends) break;
      // Everything is settled (delivered or failed) once the senders are done and the retry queue is empty.
      idlePolls = sendsDone && (await retryQueueIdle(stack)) ? idlePolls + 1 : 0;
      if (idlePolls >= 3) break;
    }
    const timedOut = Date.now() >= deadline;
    await senders;
    await eventSource.stop();
    loopDelay.disable();

    const deliveredAt = firstDeliveries(await stack.sandbox.messages());
    const delivered = deliveredAt.size;
    const lastDelivery = Math.max(started, ...deliveredAt.values());
    const drainSeconds = ((timedOut ? Date.now() : lastDelivery) - started) / 1000;
    const stats = await stack.sandbox.stats();
    const genesysCalls = stats.requests.conversationMessage;
    const notDelivered = await settleUndelivered(stack, options.sends, deliveredAt);
    const latencies = [...deliveredAt].map(([index, at]) => (at - (submittedAt[index] ?? at)) / 1000);
    return {
      sends: options.sends,
      ratePerSecond: options.ratePerSecond,
      variant: options.variant,
      ...(paced && { paceRatePerSecond }),
      sendConcurrency: options.sendConcurrency,
      retryConcurrency: options.retryConcurrency,
      drainSeconds,
      delivered,
      achievedRate: delivered / drainSeconds,
      shareOfLimit: delivered / drainSeconds / options.ratePerSecond,
      genesysCalls,
      throttled: stats.throttled,
      throttledShare: genesysCalls === 0 ? 0 : stats.throttled / genesysCalls,
      sentTwice: (await stack.sandbox.duplicates()).length,
      lost: options.sends - delivered,
      notDelivered,
      sendAnswers,
      retryBatches: eventSource.batches,
      latency: { p50Seconds: percentile(latencies, 50), p99Seconds: percentile(latencies, 99) },
      eventLoopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      timedOut,
    };
  } finally {
    loopDelay.disable();
    await eventSource.stop();
    await stack.close();
  }
}

/** Drain message `index` through the send function's handler; its answer counted in `answers` by status. */
export async function sendDrainMessage(
  index: number,
  delivery: DeliveryService,
  answers: Record<string, number>,
): Promise<void> {
  const answer = (await handleSendEvent(
    { idempotencyKey: `drain-${index}`, target: DRAIN_TARGET, message: { text: drainText(index) } },
    {},
    { delivery },
  )) as { statusCode?: number; status?: string };
  const key = `${answer.statusCode} ${answer.status ?? 'error'}`;
  answers[key] = (answers[key] ?? 0) + 1;
}

/** Each drain message's first acceptance time, by index (from the sandbox's accepted messages). */
export function firstDeliveries(accepted: readonly AcceptedMessage[]): Map<number, number> {
  const deliveredAt = new Map<number, number>();
  for (const message of accepted) {
    const text = (message.body as { textBody?: unknown }).textBody;
    const index = typeof text === 'string' ? Number(text.replace('drain message ', '')) : Number.NaN;
    if (Number.isInteger(index) && !deliveredAt.has(index))
      deliveredAt.set(index, Date.parse(message.receivedAt));
  }
  return deliveredAt;
}

/** The status records of the messages Genesys never took: failed (and why), still pending, or missing. */
export async function settleUndelivered(
  stack: BenchStack,
  sends: number,
  deliveredAt: ReadonlyMap<number, number>,
): Promise<DrainResult['notDelivered']> {
  const result = { failed: 0, pending: 0, missing: 0, failureReasons: [] as string[] };
  const reasons = new Map<string, number>();
  for (let index = 0; index < sends; index++) {
    if (deliveredAt.has(index)) continue;
    const record = await stack.store.get(`drain-${index}`);
    if (record === undefined) result.missing++;
    else if (record.status === 'failed') {
      result.failed++;
      const reason = (record.history.at(-1)?.reason ?? 'no reason').replace(/\d+/g, 'N').slice(0, 120);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    } else result.pending++;
  }
  result.failureReasons = [...reasons]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([reason, count]) => `${count} × ${reason}`);
  return result;
}

/** A `--variant` value, checked. */
export function drainVariant(raw: unknown): DrainVariant {
  const found = DRAIN_VARIANTS.find((variant) => variant === raw);
  if (found === undefined)
    throw new Error(`--variant must be one of ${DRAIN_VARIANTS.join(', ')}, got ${JSON.stringify(raw)}`);
  return found;
}

/** `tsx bench/throttled-drain.ts [--sends 3000] [--rate 50] [--variant paced] [--pace-rate N] …`: one drain, as JSON. */
async function main(): Promise<void> {
  const args = parseBenchArgs();
  const result = await runThrottledDrain({
    sends: numberFlag(args, 'sends', DEFAULT_DRAIN.sends),
    ratePerSecond: numberFlag(args, 'rate', DEFAULT_DRAIN.ratePerSecond),
    variant: args.values.variant === undefined ? DEFAULT_DRAIN.variant : drainVariant(args.values.variant),
    ...(args.values['pace-rate'] !== undefined && { paceRatePerSecond: numberFlag(args, 'pace-rate', 1) }),
    sendConcurrency: numberFlag(args, 'send-concurrency', DEFAULT_DRAIN.sendConcurrency),
    retryConcurrency: numberFlag(args, 'retry-concurrency', DEFAULT_DRAIN.retryConcurrency),
    timeoutSeconds: numberFlag(args, 'timeout', DEFAULT_DRAIN.timeoutSeconds),
  });
  console.log(JSON.stringify(result, null, 2));
}

if (isEntryPoint(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
