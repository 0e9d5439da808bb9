/** Order statistics for benchmark samples (nearest-rank: every reported figure is a measured sample). */

/** The `p`-th percentile (0–100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Milliseconds since `start` (a `process.hrtime.bigint()` reading). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A figure's median and the middle half of its samples (25th to 75th percentile). */
export interface Spread {
  median: number;
  p25: number;
  p75: number;
  /** (p75 − p25) / |median|: the width of the middle half as a share of the median. */
  relativeSpread: number;
  samples: number;
}

export function spread(samples: readonly number[]): Spread {
  const median = percentile(samples, 50);
  const p25 = percentile(samples, 25);
  const p75 = percentile(samples, 75);
  return { median, p25, p75, relativeSpread: (p75 - p25) / Math.abs(median), samples: samples.length };
}
