/** Per-token sliding-window rate limit, like Genesys' per-token request limit. */
import type { RateLimit } from './types';

export type RateDecision = { admitted: true } | { admitted: false; retryAfterSeconds: number };

export class RateLimiter {
  /** token → times (ms) of the requests admitted within the current window, oldest first. */
  private readonly windows = new Map<string, number[]>();

  constructor(
    private limit: RateLimit | false,
    private readonly now: () => number,
  ) {}

  get current(): RateLimit | false {
    return this.limit;
  }

  set(limit: RateLimit | false): void {
    this.limit = limit;
    this.windows.clear();
  }

  /** Admits and records the request, or says how many whole seconds until a slot frees (at least 1). */
  take(key: string): RateDecision {
    if (this.limit === false) return { admitted: true };
    const { limit, windowMs } = this.limit;
    const now = this.now();
    const times = (this.windows.get(key) ?? []).filter((time) => time > now - windowMs);
    if (times.length >= limit) {
      this.windows.set(key, times);
      const oldest = times[0] ?? now;
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
    }
    times.push(now);
    this.windows.set(key, times);
    return { admitted: true };
  }
}
