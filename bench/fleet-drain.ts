import './bench-environment';
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_GENESYS_INSTANCES,
  DEFAULT_GENESYS_RATE_LIMITS,
  fleetPacing,
  type GenesysCaller,
  type GenesysRateLimits,
} from '../shared/config/timing';
import { startBenchStack } from './bench-stack';
import { isEntryPoint, numberFlag, parseBenchArgs } from './cli-options';
import type { FleetCommand, FleetInstanceConfig, FleetReport } from './fleet-instance';
import { firstDeliveries, retryQueueIdle, settleUndelivered } from './throttled-drain';

/**
 * The drain at fleet scale: the deployed fleet's instances (send's reserved concurrency, the retry event
 * source's maximum concurrency) each in its own process, with its own token and its own pacer at the pace
 * fleetPacing gives its function, against a sandbox that enforces both Genesys limits: per token and per OAuth
 * client. The sandbox's windows are shorter than Genesys' minute (same rates, limits scaled to the window),
 * which only makes bunching count sooner. Reconcile's share is reserved by fleetPacing but it has nothing to
 * do in a drain: it does not run.
 */
export interface FleetDrainOptions {
  sends: number;
  /** Genesys' limits, requests per minute. */
  limits: GenesysRateLimits;
  /** Instances that may call Genesys at once, by function (the stack's concurrency). */
  instances: Record<GenesysCaller, number>;
  /** The sandbox's window; both limits are scaled to it (per-minute × window / 60, whole numbers). */
  windowSeconds: number;
  /**
   * Send invocations in flight per send process, behind its one token and pacer. A Lambda instance runs one
   * at a time; here more demand than a pacer can place within send's 1 s pacing wait, so the surplus defers
   * to the retry queue and the retry instances share the drain, as in a campaign blast.
   */
  invocationsInFlight: number;
  /** Records per retry batch (the stack's default batch size). */
  retryBatchSize: number;
  /** Bound on the whole drain, start-up excluded. */
  timeoutSeconds: number;
  /**
   * What-if: every instance at this pace instead of fleetPacing's, e.g. the token's limit each (per-instance
   * pacing that ignores the client's limit).
   */
  pacePerInstance?: number;
}

export const DEFAULT_FLEET_DRAIN: FleetDrainOptions = {
  sends: 1500,
  limits: DEFAULT_GENESYS_RATE_LIMITS,
  instances: { ...DEFAULT_GENESYS_INSTANCES },
  windowSeconds: 6,
  invocationsInFlight: 8,
  retryBatchSize: 5,
  timeoutSeconds: 150,
};

export interface FleetDrainResult {
  sends: number;
  limits: GenesysRateLimits;
  windowSeconds: number;
  instances: Record<GenesysCaller, number>;
  /** Each instance's pace, requests per minute (fleetPacing, or the what-if's). */
  pace: Record<GenesysCaller, number>;
  /** Whether `pace` is the what-if's instead of fleetPacing's. */
  paceOverridden: boolean;
  /** Σ instances × pace, reconcile's idle share included: ≤ the client's limit by construction. */
  fleetPerMinute: number;
  /** The instances that ran (send and retry) and their summed pace. */
  runningInstances: number;
  runningPerMinute: number;
  /** Start-up of the instance processes (not part of the drain). */
  startupSeconds: number;
  drainSeconds: number;
  delivered: number;
  /** Delivered per minute over the drain, and as a share of the client's limit. */
  achievedPerMinute: number;
  shareOfClientLimit: number;
  /** Requests the sandbox admitted in the busiest window, against the client's limit per window. */
  busiestWindow: { admitted: number; clientLimit: number };
  /** Send calls that reached Genesys; 429s (all, and from the client limit); distinct tokens seen. */
  genesysCalls: number;
  throttled: number;
  clientThrottled: number;
  tokensUsed: number;
  sentTwice: number;
  /** Neither delivered nor still on its way at the end: failed, or no status record. */
  lost: number;
  /** Not delivered when the drain ended (the bound), split: pending ones are still being retried. */
  notDelivered: { failed: number; pending: number; missing: number; failureReasons: string[] };
  sendAnswers: Record<string, number>;
  retryBatches: number;
  instanceErrors: string[];
  timedOut: boolean;
}

const INSTANCE_FILE = fileURLToPath(new URL('./fleet-instance.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A limit per minute as a whole number per window, or a clear error. */
function perWindow(name: string, perMinute: number, windowSeconds: number): number {
  const value = (perMinute * windowSeconds) / 60;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `--window ${windowSeconds} s: ${name} ${perMinute}/min is not a whole number of requests per window (${value})`,
    );
  }
  return value;
}

interface Instance {
  child: ChildProcess;
  role: 'send' | 'retry';
  reports: FleetReport[];
  next(type: FleetReport['type'], timeoutMs: number): Promise<FleetReport>;
  tell(command: FleetCommand): void;
}

function startInstance(config: FleetInstanceConfig): Instance {
  const child = fork(INSTANCE_FILE, [JSON.stringify(config)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reports: FleetReport[] = [];
  const waiters: Array<() => void> = [];
  child.on('message', (report: FleetReport) => {
    reports.push(report);
    for (const wake of waiters.splice(0)) wake();
  });
  child.on('exit', () => {
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    child,
    role: config.role,
    reports,
    async next(type, timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = reports.find((r) => r.type === type || r.type === 'failed');
        if (found?.type === 'failed') throw new Error(`fleet instance (${config.role}): ${found.error}`);
        if (found !== undefined) return found;
        if (child.exitCode !== null)
          throw new Error(`fleet instance (${config.role}) exited with ${child.exitCode}`);
        if (Date.now() >= until)
          throw new Error(`fleet instance (${config.role}): no "${type}" within ${timeoutMs} ms`);
        await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), sleep(1000)]);
      }
    },
    tell(command) {
      if (child.connected) child.send(command);
    },
  };
}

/** The most timestamps within any `windowMs` (a sliding window, as the sandbox counts). */
function busiest(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

export async function runFleetDrain(
  options: FleetDrainOptions = DEFAULT_FLEET_DRAIN,
): Promise<FleetDrainResult> {
  const computed = fleetPacing(options.limits, options.instances);
  const override = options.pacePerInstance;
  const pacing =
    override === undefined
      ? computed
      : {
          pace: { send: override, retry: override, reconcile: override },
          totalPerMinute: computed.instances * override,
        };
  const windowMs = options.windowSeconds * 1000;
  const tokenPerWindow = perWindow('token limit', options.limits.tokenPerMinute, options.windowSeconds);
  const clientPerWindow = perWindow('client limit', options.limits.clientPerMinute, options.windowSeconds);
  const stack = await startBenchStack({
    rateLimit: { limit: tokenPerWindow, windowMs },
    clientRateLimit: { limit: clientPerWindow, windowMs },
  });
  const instances: Instance[] = [];
  try {
    const common = {
      sandboxUrl: stack.sandbox.url,
      dynamoEndpoint: stack.dynamo.endpoint,
      tableName: stack.tableName,
      sqsEndpoint: stack.queues.endpoint,
      retryQueueUrl: stack.queues.retryQueueUrl,
      retryQueueArn: stack.queues.retryQueueArn,
      deadLetterQueueUrl: stack.queues.deadLetterQueueUrl,
      invocationsInFlight: options.invocationsInFlight,
      retryBatchSize: options.retryBatchSize,
    };
    const senders = options.instances.send;
    for (let i = 0; i < senders; i++) {
      const messages = [];
      for (let index = i; index < options.sends; index += senders) messages.push(index);
      instances.push(startInstance({ ...common, role: 'send', pacePerMinute: pacing.pace.send, messages }));
    }
    for (let i = 0; i < options.instances.retry; i++) {
      instances.push(
        startInstance({ ...common, role: 'retry', pacePerMinute: pacing.pace.retry, messages: [] }),
      );
    }
    const startupBegan = Date.now();
    await Promise.all(instances.map((instance) => instance.next('ready', 180_000)));
    const startupSeconds = (Date.now() - startupBegan) / 1000;

    const started = Date.now();
    const deadline = started + options.timeoutSeconds * 1000;
    for (const instance of instances) instance.tell({ type: 'start' });
    const sendsDone = () =>
      instances.filter((i) => i.role === 'send').every((i) => i.reports.some((r) => r.type === 'sendsDone'));
    let idlePolls = 0;
    while (Date.now() < deadline) {
      await sleep(500);
      if ((await stack.sandbox.deliveredCount()) >= options.sends) break;
      idlePolls = sendsDone() && (await retryQueueIdle(stack)) ? idlePolls + 1 : 0;
      if (idlePolls >= 3) break;
    }
    const timedOut = Date.now() >= deadline;
    for (const instance of instances) instance.tell({ type: 'stop' });
    const done = await Promise.all(instances.map((instance) => instance.next('done', 60_000)));

    const accepted = await stack.sandbox.messages();
    const deliveredAt = firstDeliveries(accepted);
    const delivered = deliveredAt.size;
    const lastDelivery = Math.max(started, ...deliveredAt.values());
    const drainSeconds = ((timedOut ? Date.now() : lastDelivery) - started) / 1000;
    const stats = await stack.sandbox.stats();
    const notDelivered = await settleUndelivered(stack, options.sends, deliveredAt);
    const sendAnswers: Record<string, number> = {};
    let retryBatches = 0;
    const instanceErrors: string[] = [];
    for (const report of done) {
      if (report.type !== 'done') continue;
      for (const [key, count] of Object.entries(report.answers))
        sendAnswers[key] = (sendAnswers[key] ?? 0) + count;
      retryBatches += report.batches;
      instanceErrors.push(...report.errors);
    }
    const achievedPerMinute = (delivered / drainSeconds) * 60;
    const runningInstances = options.instances.send + options.instances.retry;
    return {
      sends: options.sends,
      limits: options.limits,
      windowSeconds: options.windowSeconds,
      instances: options.instances,
      pace: pacing.pace,
      paceOverridden: override !== undefined,
      fleetPerMinute: pacing.totalPerMinute,
      runningInstances,
      runningPerMinute:
        options.instances.send * pacing.pace.send + options.instances.retry * pacing.pace.retry,
      startupSeconds,
      drainSeconds,
      delivered,
      achievedPerMinute,
      shareOfClientLimit: achievedPerMinute / options.limits.clientPerMinute,
      busiestWindow: {
        admitted: busiest(
          accepted.map((m) => Date.parse(m.receivedAt)),
          windowMs,
        ),
        clientLimit: clientPerWindow,
      },
      genesysCalls: stats.requests.conversationMessage,
      throttled: stats.throttled,
      clientThrottled: stats.clientThrottled,
      tokensUsed: Object.keys(stats.perToken).length,
      sentTwice: (await stack.sandbox.duplicates()).length,
      lost: notDelivered.failed + notDelivered.missing,
      notDelivered,
      sendAnswers,
      retryBatches,
      instanceErrors,
      timedOut,
    };
  } finally {
    for (const instance of instances) {
      if (instance.child.exitCode === null && instance.child.signalCode === null)
        instance.child.kill('SIGTERM');
    }
    await stack.close();
  }
}

/** `tsx bench/fleet-drain.ts [--sends 1500] [--send-instances 7] [--retry-instances 2] [--token-limit 300] [--client-limit 3000] [--window 6]`. */
async function main(): Promise<void> {
  const args = parseBenchArgs();
  const result = await runFleetDrain(fleetOptions(args));
  console.log(JSON.stringify(result, null, 2));
}

/** The fleet drain's options from `--sends`, `--send-instances`, `--retry-instances`, `--token-limit`, `--client-limit`, `--window`, `--fleet-timeout`. */
export function fleetOptions(
  args: ReturnType<typeof parseBenchArgs>,
  sendsFlag = 'sends',
): FleetDrainOptions {
  const whole = (name: string, fallback: number) => {
    const value = numberFlag(args, name, fallback);
    if (!Number.isInteger(value)) throw new Error(`--${name} must be a whole number, got ${value}`);
    return value;
  };
  const d = DEFAULT_FLEET_DRAIN;
  return {
    ...d,
    sends: whole(sendsFlag, d.sends),
    limits: {
      tokenPerMinute: whole('token-limit', d.limits.tokenPerMinute),
      clientPerMinute: whole('client-limit', d.limits.clientPerMinute),
    },
    instances: {
      send: whole('send-instances', d.instances.send),
      retry: whole('retry-instances', d.instances.retry),
      reconcile: d.instances.reconcile,
    },
    windowSeconds: whole('window', d.windowSeconds),
    timeoutSeconds: numberFlag(args, 'fleet-timeout', d.timeoutSeconds),
    ...(args.values['pace-per-instance'] !== undefined && {
      pacePerInstance: whole('pace-per-instance', 1),
    }),
  };
}

if (isEntryPoint(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
