import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  retryBudget,
  retryDelaySeconds,
  retryPolicyFromEnvironment,
  SQS_MAX_DELAY_SECONDS,
  sqsDelayFor,
} from '../../shared/delivery/retry-policy';

const policy: RetryPolicy = {
  maxAttempts: 5,
  maxAgeSeconds: 3600,
  baseDelaySeconds: 2,
  maxDelaySeconds: 900,
};

describe('retryDelaySeconds', () => {
  it('honours Retry-After as a floor even when the jittered backoff is smaller', () => {
    // Prepare
    const lowestJitter = () => 0;
    // Act
    const delay = retryDelaySeconds(policy, 2, 7, lowestJitter);
    // Assess
    expect(delay).toBe(7);
  });

  it('uses full jitter below base·2^(retry-1) without Retry-After', () => {
    // Prepare
    const draws = [0, 0.5, 0.999];
    // Act
    const delays = draws.map((d) => retryDelaySeconds(policy, 4, undefined, () => d));
    // Assess: third attempt's ceiling is 2·2² = 8 s
    expect(delays[0]).toBe(0);
    expect(delays[1]).toBe(4);
    expect(delays[2]).toBeCloseTo(7.992);
  });

  it('grows the ceiling exponentially and caps it', () => {
    // Act
    const ceilings = [2, 3, 4, 5, 20].map((attempt) =>
      retryDelaySeconds(policy, attempt, undefined, () => 1),
    );
    // Assess
    expect(ceilings).toEqual([2, 4, 8, 16, 900]);
  });

  it('honours a Retry-After above the cap: no retry (and no nextAttemptAt) before Genesys accepts', () => {
    // Act
    const delay = retryDelaySeconds({ ...policy, maxDelaySeconds: 5 }, 2, 7, () => 1);
    const long = retryDelaySeconds(policy, 2, 100_000, () => 0);
    // Assess
    expect(delay).toBe(7);
    expect(long).toBe(100_000);
  });
});

describe('retryBudget', () => {
  const first = '2026-01-01T00:00:00.000Z';
  const start = Date.parse(first);

  it('allows attempts up to maxAttempts and refuses the next with a reason', () => {
    // Act
    const last = retryBudget(policy, 5, first, start, 1);
    const beyond = retryBudget(policy, 6, first, start, 1);
    // Assess
    expect(last).toEqual({ spent: false });
    expect(beyond).toEqual({ spent: true, reason: 'retries exhausted: 5 attempts made' });
  });

  it('refuses an attempt that would start after maxAge, counting the wait', () => {
    // Prepare: 59 minutes in, a 2-minute wait crosses the hour
    const now = start + 59 * 60 * 1000;
    // Act
    const verdict = retryBudget(policy, 2, first, now, 120);
    // Assess
    expect(verdict).toEqual({ spent: true, reason: 'retries exhausted: older than 3600 s' });
  });
});

describe('sqsDelayFor', () => {
  it('rounds up and clamps to 0..900', () => {
    // Prepare
    const now = 1_000_000;
    // Act & Assess
    expect(sqsDelayFor(now + 1500, now)).toBe(2);
    expect(sqsDelayFor(now - 5000, now)).toBe(0);
    expect(sqsDelayFor(now + 3600_000, now)).toBe(SQS_MAX_DELAY_SECONDS);
  });
});

describe('retryPolicyFromEnvironment', () => {
  afterEach(() => {
    delete process.env.RETRY_MAX_ATTEMPTS;
    delete process.env.RETRY_BASE_DELAY_SECONDS;
  });

  it('uses the defaults when nothing is set', () => {
    expect(retryPolicyFromEnvironment()).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('reads overrides and names the variable of a bad value', () => {
    // Prepare
    process.env.RETRY_MAX_ATTEMPTS = '3';
    // Act & Assess
    expect(retryPolicyFromEnvironment().maxAttempts).toBe(3);
    process.env.RETRY_BASE_DELAY_SECONDS = 'soon';
    expect(() => retryPolicyFromEnvironment()).toThrow(
      /RETRY_BASE_DELAY_SECONDS must be a non-negative number, got "soon"/,
    );
  });
});
