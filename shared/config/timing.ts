/**
 * Every timing rule of the delivery path in one plain-data module (docs/timing.md): the CDK construct, the
 * local stack, the bench and the functions' own defaults read it, and test/delivery/timing.test.ts asserts
 * the inequalities between its numbers. No CDK, no AWS SDK: seconds and milliseconds only.
 */

/** One Genesys HTTP call (GENESYS_TIMEOUT_MS as the stack sets it; the code's own default is below). */
export const GENESYS_TIMEOUT_MS = 5_000;
/** The code's default when GENESYS_TIMEOUT_MS is not set (local tools, tests). */
export const DEFAULT_GENESYS_TIMEOUT_MS = 10_000;

/**
 * Genesys calls one attempt may make: a token fetch, the send, and after a 401 a new token and the send
 * again. The look that settles an ambiguous outcome (list the conversation, read the bodies) replaces the
 * token renewal's share: it runs under the same hard deadline.
 */
export const CALLS_PER_ATTEMPT = 4;

/** Longest wait for a pacing slot before the message is deferred to the retry queue, by entry point. */
export const MAX_PACING_WAIT_MS = {
  send: 1_000,
  eventbridge: 1_000,
  scheduler: 2_000,
  retry: 5_000,
  webhook: 0,
  reconcile: 5_000,
} as const;

/** The longest pacing wait of any source that takes a lease. */
const LONGEST_PACING_WAIT_MS = Math.max(...Object.values(MAX_PACING_WAIT_MS));

/** Each AWS SDK request (DynamoDB, SQS, Scheduler): a hung connection is abandoned after this long. */
export const AWS_REQUEST_TIMEOUT_MS = 2_000;
/** Connecting to an AWS endpoint. */
export const AWS_CONNECT_TIMEOUT_MS = 1_000;
/** The SDK's attempts per AWS call (its default): a call ends within attempts × the request timeout. */
export const AWS_MAX_ATTEMPTS = 3;
/** Worst time of one AWS call, its own retries included. */
export const AWS_CALL_WORST_MS = AWS_REQUEST_TIMEOUT_MS * AWS_MAX_ATTEMPTS;

/**
 * The hard total deadline of one attempt, from taking the lease: the pacing wait and every Genesys call
 * (an abort signal ends whatever is still running then, a slowly dripping answer included).
 */
export function attemptDeadlineMs(genesysTimeoutMs: number): number {
  return LONGEST_PACING_WAIT_MS + CALLS_PER_ATTEMPT * genesysTimeoutMs;
}

/**
 * Lambda timeouts of the functions that hold leases. The send function answers API Gateway (29 s
 * integration limit). The retry function stops starting records when the rest of its time would not hold
 * one whole attempt and hands the rest back to the queue, so its timeout does not grow with the batch.
 */
export const FUNCTION_TIMEOUT_SECONDS = {
  send: 25,
  retry: 60,
  webhook: 10,
  status: 10,
  reconcile: 300,
  /** Genesys waits for the bot's answer within the flow's bot response timeout (default 30 s, 1 s to 60 s). */
  bot: 10,
} as const;

/** API Gateway's REST integration limit: the send function must answer before it. */
export const API_GATEWAY_TIMEOUT_SECONDS = 29;

/**
 * LEASE_SECONDS: longer than every function timeout that can hold a lease (send, retry), so a holder is
 * dead before its lease ends even if its abort failed; and a whole attempt ends well inside it.
 */
export const LEASE_SECONDS = 90;

/**
 * Time a worker keeps between the end of an attempt's hard deadline and the end of its lease, to record
 * the outcome (DynamoDB) before anyone else may take the message.
 */
export const LEASE_MARGIN_MS = 2 * AWS_CALL_WORST_MS;

/** SQS guidance for Lambda consumers: visibility timeout at least six times the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
export const RETRY_VISIBILITY_TIMEOUT_SECONDS = FUNCTION_TIMEOUT_SECONDS.retry * VISIBILITY_TIMEOUT_FACTOR;
/** Receives of one retry queue message before SQS moves it to the DLQ. */
export const RETRY_MAX_RECEIVE_COUNT = 5;

/**
 * Time an attempt needs to be worth starting: one Genesys call. A function with less time left (after its
 * reserve) hands the message to the retry queue as `retrying`, without calling Genesys or spending an attempt.
 */
export function minimumAttemptMs(genesysTimeoutMs: number): number {
  return genesysTimeoutMs;
}

/**
 * What a function keeps back from its remaining time for the writes after an attempt (the outcome, and the
 * retry message or the dead-letter message): an attempt's hard deadline ends this long before the function's.
 */
export const FUNCTION_RESERVE_MS = 2 * AWS_CALL_WORST_MS;

/** The functions that call Genesys: each instance fetches its own token and paces itself on its own. */
export const GENESYS_CALLERS = ['send', 'retry', 'reconcile'] as const;
export type GenesysCaller = (typeof GENESYS_CALLERS)[number];

/** Genesys' two request limits (docs/genesys-api-facts.md, "Errors and rate limits"). */
export interface GenesysRateLimits {
  /** `token.rate.per.minute`: one access token. */
  readonly tokenPerMinute: number;
  /** `org.app.user.rate.per.minute`: all tokens of one OAuth client together. */
  readonly clientPerMinute: number;
}

/** Genesys' defaults for both limits. */
export const DEFAULT_GENESYS_RATE_LIMITS: GenesysRateLimits = { tokenPerMinute: 300, clientPerMinute: 3000 };

/**
 * The stack's default concurrency of each Genesys caller: send's reserved concurrency, the retry event
 * source's maximum concurrency, reconcile's reserved concurrency. 7 + 2 + 1 instances at the default limits
 * give every instance a token's whole 300 per minute and the fleet exactly the client's 3000.
 */
export const DEFAULT_GENESYS_INSTANCES: Readonly<Record<GenesysCaller, number>> = {
  send: 7,
  retry: 2,
  reconcile: 1,
};

export interface FleetPacing {
  /** GENESYS_MAX_REQUESTS_PER_MINUTE of each instance, by function. */
  readonly pace: Record<GenesysCaller, number>;
  /** Instances that may call Genesys at once, all functions together. */
  readonly instances: number;
  /** Σ instances × pace: the most the whole fleet can ask of the OAuth client per minute. */
  readonly totalPerMinute: number;
}

/** Limits and concurrency that cannot add up; `field` names the input at fault. */
export class FleetPacingError extends Error {
  override name = 'FleetPacingError';
  constructor(
    readonly field: keyof GenesysRateLimits | 'instances',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Each Genesys caller's per-instance pace, so that the fleet stays under both limits by construction:
 * Σ(instances × pace) ≤ clientPerMinute and every pace ≤ tokenPerMinute. The client's budget is split
 * evenly between the instances that may run at once (whole requests per minute, rounded down); a pace
 * never exceeds a token's limit. Throws FleetPacingError when there are more instances than the client's
 * limit allows at 1 request per minute each.
 */
export function fleetPacing(
  limits: GenesysRateLimits,
  instances: Readonly<Record<GenesysCaller, number>>,
): FleetPacing {
  for (const field of ['tokenPerMinute', 'clientPerMinute'] as const) {
    const value = limits[field];
    if (!Number.isInteger(value) || value < 1) {
      throw new FleetPacingError(
        field,
        `${field} must be a whole number of requests per minute, at least 1, got ${value}`,
      );
    }
  }
  for (const caller of GENESYS_CALLERS) {
    const value = instances[caller];
    if (!Number.isInteger(value) || value < 0) {
      throw new FleetPacingError(
        'instances',
        `${caller} instances must be a whole number, at least 0, got ${value}`,
      );
    }
  }
  const count = GENESYS_CALLERS.reduce((sum, caller) => sum + instances[caller], 0);
  if (count < 1) throw new FleetPacingError('instances', 'at least one instance must call Genesys');
  const share = Math.floor(limits.clientPerMinute / count);
  if (share < 1) {
    const split = GENESYS_CALLERS.map((caller) => `${caller} ${instances[caller]}`).join(', ');
    throw new FleetPacingError(
      'instances',
      `${count} instances may call Genesys at once (${split}): more than the OAuth client's limit of ` +
        `${limits.clientPerMinute} requests per minute allows at 1 request per minute each`,
    );
  }
  const each = Math.min(limits.tokenPerMinute, share);
  return {
    pace: { send: each, retry: each, reconcile: each },
    instances: count,
    totalPerMinute: count * each,
  };
}
