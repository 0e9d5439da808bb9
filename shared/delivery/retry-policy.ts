import { ENV, numberEnv } from '../config/environment';

/**
 * The retry policy (docs/timing.md): the one place for its numbers and rules.
 * Pure functions: the random source and the clock are parameters.
 */
export interface RetryPolicy {
  /** Genesys calls allowed in all, the first one included. */
  maxAttempts: number;
  /** Time from the first attempt after which no new attempt starts. */
  maxAgeSeconds: number;
  /** Backoff base: attempt n waits up to base·2^(n-1) seconds (full jitter). */
  baseDelaySeconds: number;
  /** Cap of one backoff wait. A longer Retry-After is honoured (Genesys takes nothing earlier). */
  maxDelaySeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  maxAgeSeconds: 24 * 60 * 60,
  baseDelaySeconds: 2,
  maxDelaySeconds: 15 * 60,
};

/** SQS's own ceiling for DelaySeconds: longer waits re-enqueue with a not-before time. */
export const SQS_MAX_DELAY_SECONDS = 900;

export function retryPolicyFromEnvironment(): RetryPolicy {
  return {
    maxAttempts: Math.max(1, Math.floor(numberEnv('retryMaxAttempts', DEFAULT_RETRY_POLICY.maxAttempts))),
    maxAgeSeconds: numberEnv('retryMaxAgeSeconds', DEFAULT_RETRY_POLICY.maxAgeSeconds),
    baseDelaySeconds: numberEnv('retryBaseDelaySeconds', DEFAULT_RETRY_POLICY.baseDelaySeconds),
    maxDelaySeconds: numberEnv('retryMaxDelaySeconds', DEFAULT_RETRY_POLICY.maxDelaySeconds),
  };
}

/** Names the variables behind a policy, for error messages and the README. */
export const RETRY_POLICY_ENV = [
  ENV.retryMaxAttempts,
  ENV.retryMaxAgeSeconds,
  ENV.retryBaseDelaySeconds,
  ENV.retryMaxDelaySeconds,
] as const;

/**
 * Seconds to wait before attempt `nextAttempt` (2 for the first retry):
 * max(Retry-After, full-jitter backoff capped at maxDelay). Full jitter spreads a throttled burst over the
 * window instead of re-sending it in lock-step. Retry-After is a floor the cap does not cut: Genesys said
 * when it will accept, and the pacer holds every call until then, so an earlier retry (and the answer's
 * `nextAttemptAt`) would only promise a call that cannot happen. The age budget bounds a long one.
 */
export function retryDelaySeconds(
  policy: RetryPolicy,
  nextAttempt: number,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, nextAttempt - 2);
  const ceiling = Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** exponent);
  const backoff = random() * ceiling;
  return Math.max(retryAfterSeconds ?? 0, Math.min(policy.maxDelaySeconds, backoff));
}

export type BudgetVerdict = { spent: false } | { spent: true; reason: string };

/** Whether another attempt may start: both the attempt count and the age since the first attempt. */
export function retryBudget(
  policy: RetryPolicy,
  nextAttempt: number,
  firstAttemptAt: string,
  nowMs: number,
  delaySeconds: number,
): BudgetVerdict {
  if (nextAttempt > policy.maxAttempts) {
    return { spent: true, reason: `retries exhausted: ${policy.maxAttempts} attempts made` };
  }
  const ageAtNextAttempt = (nowMs + delaySeconds * 1000 - Date.parse(firstAttemptAt)) / 1000;
  if (ageAtNextAttempt > policy.maxAgeSeconds) {
    return { spent: true, reason: `retries exhausted: older than ${policy.maxAgeSeconds} s` };
  }
  return { spent: false };
}

/** SQS DelaySeconds for a not-before time: whole seconds, rounded up, within SQS's 0–900. */
export function sqsDelayFor(notBeforeMs: number, nowMs: number): number {
  const seconds = Math.ceil((notBeforeMs - nowMs) / 1000);
  return Math.min(SQS_MAX_DELAY_SECONDS, Math.max(0, seconds));
}
