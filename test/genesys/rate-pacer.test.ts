import { describe, expect, it } from 'vitest';
import { RatePacer } from '../../shared/genesys/rate-pacer';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RatePacer', () => {
  it('spaces reservations evenly at the configured rate', () => {
    // Prepare: 120 per minute = one slot every 500 ms
    const time = clock();
    const pacer = new RatePacer(120, time.now);
    // Act
    const waits = [pacer.reserve(10_000), pacer.reserve(10_000), pacer.reserve(10_000)];
    // Assess
    expect(waits).toEqual([0, 500, 1000]);
  });

  it('refuses, reserving nothing, when the next slot is further away than the caller can wait', () => {
    // Prepare
    const time = clock();
    const pacer = new RatePacer(60, time.now);
    pacer.reserve(0);
    // Act
    const refused = pacer.reserve(250);
    const delay = pacer.delayMs();
    time.advance(1000);
    const afterwards = pacer.reserve(0);
    // Assess
    expect(refused).toBeUndefined();
    expect(delay).toBe(1000);
    expect(afterwards).toBe(0);
  });

  it('holds every caller until a Retry-After gate has passed', () => {
    // Prepare
    const time = clock();
    const pacer = new RatePacer(6000, time.now);
    // Act
    pacer.holdUntil(time.now() + 3000);
    const early = pacer.reserve(1000);
    const patient = pacer.reserve(5000);
    // Assess
    expect(early).toBeUndefined();
    expect(patient).toBe(3000);
  });

  it('does not bank unused time as a burst', () => {
    // Prepare
    const time = clock();
    const pacer = new RatePacer(60, time.now);
    pacer.reserve(0);
    time.advance(60_000);
    // Act
    const waits = [pacer.reserve(10_000), pacer.reserve(10_000)];
    // Assess
    expect(waits).toEqual([0, 1000]);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => new RatePacer(0)).toThrow(/requestsPerMinute must be above 0, got 0/);
  });
});
