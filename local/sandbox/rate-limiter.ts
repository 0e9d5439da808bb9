/**
 * Sliding-window rate limit per key: per access token like Genesys' `token.rate.per.minute`, or per OAuth
 * client like its `org.app.user.rate.per.minute` (all the client's tokens together).
 */
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
    const decision = this.check(key);
    if (decision.admitted) this.record(key);
    return decision;
  }

  /** Whether a request would be admitted now, recording nothing (a request must pass every limit to count). */
  check(key: string): RateDecision {
    if (this.limit === false) return { admitted: true };
    const { limit, windowMs } = this.limit;
    const now = this.now();
    const times = (this.windows.get(key) ?? []).filter((time) => time > now - windowMs);
    this.windows.set(key, times);
    if (times.length < limit) return { admitted: true };
    const oldest = times[0] ?? now;
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
  }

  /** Counts an admitted request. */
  record(key: string): void {
    if (this.limit === false) return;
    const times = this.windows.get(key) ?? [];
    times.push(this.now());
    this.windows.set(key, times);
  }
}
