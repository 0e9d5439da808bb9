import { readFileSync } from 'node:fs';
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
  DEFAULT_GENESYS_INSTANCES,
  DEFAULT_GENESYS_RATE_LIMITS,
  FleetPacingError,
  FUNCTION_RESERVE_MS,
  FUNCTION_TIMEOUT_SECONDS,
  fleetPacing,
  GENESYS_CALLERS,
  GENESYS_TIMEOUT_MS,
  LEASE_MARGIN_MS,
  LEASE_SECONDS,
  MAX_PACING_WAIT_MS,
  minimumAttemptMs,
  RETRY_VISIBILITY_TIMEOUT_SECONDS,
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

  it('keeps the whole Genesys fleet under the client limit and each instance under the token limit', () => {
    const cases: Array<
      [typeof DEFAULT_GENESYS_RATE_LIMITS, Record<(typeof GENESYS_CALLERS)[number], number>]
    > = [
      [DEFAULT_GENESYS_RATE_LIMITS, DEFAULT_GENESYS_INSTANCES],
      [DEFAULT_GENESYS_RATE_LIMITS, { send: 100, retry: 50, reconcile: 1 }],
      [DEFAULT_GENESYS_RATE_LIMITS, { send: 1, retry: 2, reconcile: 1 }],
      [
        { tokenPerMinute: 300, clientPerMinute: 300 },
        { send: 7, retry: 2, reconcile: 1 },
      ],
      [
        { tokenPerMinute: 1000, clientPerMinute: 999 },
        { send: 0, retry: 999, reconcile: 0 },
      ],
      [
        { tokenPerMinute: 50, clientPerMinute: 3000 },
        { send: 10, retry: 1000, reconcile: 1 },
      ],
    ];
    for (const [limits, instances] of cases) {
      const { pace, totalPerMinute } = fleetPacing(limits, instances);
      const sum = GENESYS_CALLERS.reduce((total, name) => total + instances[name] * pace[name], 0);
      expect(sum).toBe(totalPerMinute);
      expect(sum, JSON.stringify(instances)).toBeLessThanOrEqual(limits.clientPerMinute);
      for (const name of GENESYS_CALLERS) {
        expect(pace[name], name).toBeGreaterThanOrEqual(1);
        expect(pace[name], name).toBeLessThanOrEqual(limits.tokenPerMinute);
      }
    }
  });

  it('gives every default instance a whole token and the default fleet the whole client', () => {
    const { pace, instances, totalPerMinute } = fleetPacing(
      DEFAULT_GENESYS_RATE_LIMITS,
      DEFAULT_GENESYS_INSTANCES,
    );
    expect(pace).toEqual({ send: 300, retry: 300, reconcile: 300 });
    expect(instances).toBe(10);
    expect(totalPerMinute).toBe(3000);
    // A fleet too small to spend the client's limit is held by the token's.
    expect(fleetPacing(DEFAULT_GENESYS_RATE_LIMITS, { send: 1, retry: 2, reconcile: 1 }).totalPerMinute).toBe(
      1200,
    );
    expect(fleetPacing(DEFAULT_GENESYS_RATE_LIMITS, { send: 20, retry: 4, reconcile: 1 }).pace.send).toBe(
      120,
    );
  });

  it('is the ceiling the README and docs/timing.md print for the defaults', () => {
    const { pace, instances, totalPerMinute } = fleetPacing(
      DEFAULT_GENESYS_RATE_LIMITS,
      DEFAULT_GENESYS_INSTANCES,
    );
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const timingDoc = readFileSync(new URL('../../docs/timing.md', import.meta.url), 'utf8');
    for (const name of GENESYS_CALLERS) {
      const row = `| ${pace[name]}/min | ${DEFAULT_GENESYS_INSTANCES[name] * pace[name]}/min |`;
      expect(readme, name).toContain(`| ${DEFAULT_GENESYS_INSTANCES[name]} (`);
      expect(readme, name).toContain(row);
      expect(timingDoc, name).toContain(`| ${DEFAULT_GENESYS_INSTANCES[name]} ${row}`);
    }
    expect(readme).toContain(
      `| **fleet** | ${instances} | | **${totalPerMinute}/min = the client's limit** |`,
    );
    expect(timingDoc).toContain(`| fleet | | ${instances} | | ${totalPerMinute}/min = the client's limit |`);
  });

  it('refuses a fleet that cannot add up, naming the input', () => {
    expect(() =>
      fleetPacing({ tokenPerMinute: 300, clientPerMinute: 10 }, { send: 9, retry: 2, reconcile: 1 }),
    ).toThrow(
      /12 instances may call Genesys at once \(send 9, retry 2, reconcile 1\): more than the OAuth client's limit of 10 requests per minute/,
    );
    expect(() => fleetPacing({ tokenPerMinute: 0, clientPerMinute: 10 }, DEFAULT_GENESYS_INSTANCES)).toThrow(
      FleetPacingError,
    );
    expect(() => fleetPacing(DEFAULT_GENESYS_RATE_LIMITS, { send: 0, retry: 0, reconcile: 0 })).toThrow(
      'at least one instance',
    );
    expect(() => fleetPacing(DEFAULT_GENESYS_RATE_LIMITS, { send: 1.5, retry: 2, reconcile: 1 })).toThrow(
      'send instances must be a whole number',
    );
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
