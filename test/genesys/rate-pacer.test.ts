import { describe, expect, it, vi } from 'vitest';
import { RatePacer } from '../../shared/genesys/rate-pacer';

/** A clock whose sleeps advance time by what was asked plus an optional lateness (a busy event loop). */
function simulatedTime(start = 1_000_000) {
  let now = start;
  let lateness = 0;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    lateBy: (ms: number) => {
      lateness = ms;
    },
    sleep: async (ms: number) => {
      now += ms + lateness;
    },
  };
}

function pacer(requestsPerMinute: number, time: ReturnType<typeof simulatedTime>) {
  return new RatePacer(requestsPerMinute, time.now, time.sleep);
}

/** Start times of calls made one after another, each as soon as the pacer lets it. */
async function startTimes(p: RatePacer, time: ReturnType<typeof simulatedTime>, count: number) {
  const starts: number[] = [];
  for (let i = 0; i < count; i++) {
    await p.acquire(60_000);
    starts.push(time.now());
  }
  return starts;
}

describe('RatePacer', () => {
  it('starts calls evenly at the configured rate', async () => {
    // Prepare: 120 per minute = one call every 500 ms
    const time = simulatedTime();
    const p = pacer(120, time);
    // Act
    const starts = await startTimes(p, time, 3);
    // Assess
    expect(starts.map((t) => t - starts[0]!)).toEqual([0, 500, 1000]);
  });

  it('keeps real starts at least one interval apart when timers fire late', async () => {
    // Prepare: real timer semantics (fake timers), five concurrent callers; the first timer fires 150 ms late
    // (a busy event loop), the others on time, which would bunch the calls right after it
    vi.useFakeTimers({ now: 1_000_000 });
    const lateness = [150, 0, 0, 0, 0, 0, 0, 0];
    const late = (ms: number) =>
      new Promise<void>((resolve) => setTimeout(resolve, ms + (lateness.shift() ?? 0)));
    const p = new RatePacer(600, Date.now, late);
    const starts: number[] = [];
    // Act
    const all = Promise.all(
      Array.from({ length: 5 }, async () => {
        await p.acquire(60_000);
        starts.push(Date.now());
      }),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    await all;
    vi.useRealTimers();
    // Assess: 100 ms apart at least, never bunched after a late timer
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(starts).toHaveLength(5);
    expect(Math.min(...gaps), JSON.stringify(gaps)).toBeGreaterThanOrEqual(100);
  });

  it('refuses at once, reserving nothing, when the turn is further away than the caller can wait', async () => {
    // Prepare
    const time = simulatedTime();
    const p = pacer(60, time);
    await p.acquire(0);
    // Act
    const refused = await p.acquire(250);
    const delay = p.delayMs();
    time.advance(1000);
    const afterwards = await p.acquire(0);
    // Assess
    expect(refused).toBeUndefined();
    expect(delay).toBe(1000);
    expect(afterwards).toBe(0);
  });

  it('holds every caller until a Retry-After gate has passed, including callers already waiting', async () => {
    // Prepare
    const time = simulatedTime();
    const p = pacer(6000, time);
    // Act
    p.holdFor(3000);
    const early = await p.acquire(1000);
    const patient = await p.acquire(5000);
    // Assess
    expect(early).toBeUndefined();
    expect(patient).toBe(3000);
  });

  it('makes a waiting caller honour a gate that closes while it sleeps', async () => {
    // Prepare: the caller reserves the slot 1 s ahead; a 429 elsewhere then holds everyone for 5 s
    const time = simulatedTime();
    const p = new RatePacer(60, time.now, async (ms) => {
      p.holdFor(5000);
      time.advance(ms);
    });
    await p.acquire(0);
    // Act
    const tooLong = await p.acquire(2000);
    // Assess: the gate pushed its turn past what it could wait
    expect(tooLong).toBeUndefined();
  });

  it('does not bank unused time as a burst', async () => {
    // Prepare
    const time = simulatedTime();
    const p = pacer(60, time);
    await p.acquire(0);
    time.advance(60_000);
    // Act
    const starts = await startTimes(p, time, 2);
    // Assess
    expect(starts[1]! - starts[0]!).toBe(1000);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => new RatePacer(0)).toThrow(/requestsPerMinute must be above 0, got 0/);
  });

  it('spaces calls a full interval apart only on a clock finer than its timers: whole milliseconds let 19.x ms through', async () => {
    // Prepare: 20 ms apart, on timers as Node's: due on a whole millisecond of the loop's clock, run a little
    // after it, sometimes 0.05 ms, sometimes 0.9 ms late. One pacer reads the time in whole milliseconds (as
    // Date.now does), the other to the fraction (as the default, preciseNow, does).
    const gapsWith = async (read: (t: number) => number) => {
      let t = 1_000_000;
      let wakes = 0;
      const p = new RatePacer(
        3000,
        () => read(t),
        async (ms) => {
          t = Math.floor(t) + Math.ceil(ms) + (wakes++ % 2 === 0 ? 0.9 : 0.05);
        },
      );
      const starts: number[] = [];
      for (let i = 0; i < 50; i++) {
        await p.acquire(60_000);
        starts.push(t);
      }
      return starts.slice(1).map((at, i) => at - (starts[i] as number));
    };
    // Act
    const coarse = await gapsWith(Math.floor);
    const fine = await gapsWith((t) => t);
    // Assess
    expect(Math.min(...coarse)).toBeLessThan(19.5);
    expect(Math.min(...fine)).toBeGreaterThanOrEqual(20);
  });

  it('reads the time to a fraction of a millisecond by default', async () => {
    // Prepare
    const precise = vi.spyOn(performance, 'now');
    const coarse = vi.spyOn(Date, 'now');
    try {
      // Act
      await new RatePacer(3000).acquire(0);
      // Assess
      expect(precise).toHaveBeenCalled();
      expect(coarse).not.toHaveBeenCalled();
    } finally {
      precise.mockRestore();
      coarse.mockRestore();
    }
  });
});
