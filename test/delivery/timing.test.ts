import { describe, expect, it } from 'vitest';
import {
  functionSettings,
  LEASE,
  RETRY_MAX_RECEIVE_COUNT,
  VISIBILITY_TIMEOUT_FACTOR,
} from '../../cdk/constants';
import { LOCAL_FUNCTIONS } from '../../local/local-stack';
import {
  API_GATEWAY_TIMEOUT_SECONDS,
  AWS_CALL_WORST_MS,
  attemptDeadlineMs,
  FUNCTION_RESERVE_MS,
  FUNCTION_TIMEOUT_SECONDS,
  GENESYS_TIMEOUT_MS,
  LEASE_MARGIN_MS,
  LEASE_SECONDS,
  MAX_PACING_WAIT_MS,
  minimumAttemptMs,
  RETRY_VISIBILITY_TIMEOUT_SECONDS,
  retryPacingShare,
} from '../../shared/config/timing';

const leaseMs = LEASE_SECONDS * 1000;

describe('timing rules (docs/timing.md)', () => {
  it('ends every attempt, and the writes after it, well inside the lease', () => {
    expect(attemptDeadlineMs(GENESYS_TIMEOUT_MS)).toBeGreaterThanOrEqual(4 * GENESYS_TIMEOUT_MS);
    expect(attemptDeadlineMs(GENESYS_TIMEOUT_MS) + LEASE_MARGIN_MS).toBeLessThan(leaseMs);
    expect(LEASE_MARGIN_MS).toBeGreaterThanOrEqual(2 * AWS_CALL_WORST_MS);
  });

  it('sizes the lease above every function timeout that can hold one', () => {
    expect(FUNCTION_TIMEOUT_SECONDS.send).toBeLessThan(LEASE_SECONDS);
    expect(FUNCTION_TIMEOUT_SECONDS.retry).toBeLessThan(LEASE_SECONDS);
  });

  it('lets each lease-holding function start at least one attempt after recording the message', () => {
    for (const name of ['send', 'retry'] as const) {
      const usable = FUNCTION_TIMEOUT_SECONDS[name] * 1000 - FUNCTION_RESERVE_MS - AWS_CALL_WORST_MS;
      expect(usable, name).toBeGreaterThanOrEqual(
        minimumAttemptMs(GENESYS_TIMEOUT_MS) + MAX_PACING_WAIT_MS[name],
      );
    }
  });

  it('answers API callers before API Gateway gives up, and keeps slow batches from being redelivered', () => {
    expect(FUNCTION_TIMEOUT_SECONDS.send).toBeLessThan(API_GATEWAY_TIMEOUT_SECONDS);
    expect(RETRY_VISIBILITY_TIMEOUT_SECONDS).toBeGreaterThanOrEqual(6 * FUNCTION_TIMEOUT_SECONDS.retry);
  });

  it('gives the retry pollers together no more than the OAuth client allows', () => {
    for (const [perMinute, pollers] of [
      [300, 2],
      [300, 7],
      [50, 1000],
    ] as const) {
      const share = retryPacingShare(perMinute, pollers);
      expect(share).toBeGreaterThanOrEqual(1);
      if (perMinute >= pollers) expect(share * pollers).toBeLessThanOrEqual(perMinute);
    }
  });

  it('is the one source for the construct and the local stack (no copies that drift)', () => {
    const deployed = functionSettings();
    for (const name of ['send', 'retry', 'webhook', 'status'] as const) {
      expect(LOCAL_FUNCTIONS[name].timeoutSeconds, name).toBe(deployed[name].timeout.toSeconds());
      expect(deployed[name].timeout.toSeconds(), name).toBe(FUNCTION_TIMEOUT_SECONDS[name]);
    }
    expect(LEASE.toSeconds()).toBe(LEASE_SECONDS);
    expect(VISIBILITY_TIMEOUT_FACTOR * deployed.retry.timeout.toSeconds()).toBe(
      RETRY_VISIBILITY_TIMEOUT_SECONDS,
    );
    expect(RETRY_MAX_RECEIVE_COUNT).toBeGreaterThan(1);
  });
});
