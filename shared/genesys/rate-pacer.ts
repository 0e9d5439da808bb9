import { numberEnv } from '../config/environment';
import { DEFAULT_GENESYS_RATE_LIMITS } from '../config/timing';

/** Genesys' default limit for one client-credentials token (docs/genesys-api-facts.md, "Errors and rate limits"). */
export const DEFAULT_REQUESTS_PER_MINUTE = DEFAULT_GENESYS_RATE_LIMITS.tokenPerMinute;

/** The outcome code of a call the pacer held back: no request reached Genesys. */
export const PACED_CODE = 'paced';

/**
 * Paces this process's Genesys calls for one OAuth client. Genesys limits requests per token, so a burst
 * of sends (or a retry queue draining) that fires at will mostly earns 429s; spacing the calls evenly at
 * the configured rate keeps nearly every call useful. Two rules, shared by every caller in the process:
 * - spacing: calls *start* at least 60 000 / rate ms apart. Slots are reserved in order, and each caller
 *   checks again when it wakes, because a timer that fires late would otherwise bunch the calls after it
 *   (one call too many in Genesys' window is a 429, and a 429 holds everyone);
 * - gate: a 429's Retry-After holds every caller until it has passed, not just the message that got it,
 *   including callers already waiting for a slot.
 * The stack sets each function's rate with fleetPacing (shared/config/timing.ts), so all instances together
 * stay under the OAuth client's limit and each under its token's; the gate absorbs what a rate cannot see.
 */
/**
 * Epoch milliseconds with a fraction: spacing at 20 ms (50 calls a second) on Date.now's whole milliseconds let
 * gaps of 19.1 ms through, and at a rate equal to Genesys' limit one such gap is a 429 (bench: 6–9 per 3,000-call
 * drain, each holding the process for its Retry-After; none with this clock).
 */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

export class RatePacer {
  private nextSlotAt = 0;
  private lastStartAt = Number.NEGATIVE_INFINITY;
  private gateUntil = 0;
  private readonly intervalMs: number;

  constructor(
    readonly requestsPerMinute: number,
    private readonly now: () => number = preciseNow,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (!(requestsPerMinute > 0))
      throw new RangeError(`requestsPerMinute must be above 0, got ${requestsPerMinute}`);
    this.intervalMs = 60_000 / requestsPerMinute;
  }

  /**
   * Waits for this caller's turn and returns the time waited, or returns undefined at once, reserving
   * nothing, when the turn is further away than `maxWaitMs`. A gate that closes while the caller waits
   * is honoured as well; if it pushes the turn beyond `maxWaitMs`, the caller gets undefined then.
   */
  async acquire(maxWaitMs: number): Promise<number | undefined> {
    const started = this.now();
    const slot = Math.max(started, this.nextSlotAt, this.gateUntil);
    if (slot - started > maxWaitMs) return undefined;
    this.nextSlotAt = slot + this.intervalMs;
    for (;;) {
      const now = this.now();
      const turn = Math.max(slot, this.lastStartAt + this.intervalMs, this.gateUntil);
      if (turn <= now) {
        this.lastStartAt = now;
        this.nextSlotAt = Math.max(this.nextSlotAt, now + this.intervalMs);
        return now - started;
      }
      if (turn - started > maxWaitMs) return undefined;
      await this.sleep(turn - now);
    }
  }

  /** How long until a call could start, without reserving. */
  delayMs(): number {
    const now = this.now();
    return Math.max(0, this.nextSlotAt - now, this.gateUntil - now, this.lastStartAt + this.intervalMs - now);
  }

  /** How much longer a 429's Retry-After holds every caller (0 when it does not). */
  gateMs(): number {
    return Math.max(0, this.gateUntil - this.now());
  }

  /**
   * Genesys said "not for `ms`": nobody in this process calls it earlier. A duration, not a time: callers
   * count on Date.now, the pacer on its own finer clock, and the two need not agree to the millisecond.
   */
  holdFor(ms: number): void {
    this.gateUntil = Math.max(this.gateUntil, this.now() + ms);
  }
}

/** The process's pacer rate: GENESYS_MAX_REQUESTS_PER_MINUTE, default 300. */
export function pacerFromEnvironment(): RatePacer {
  return new RatePacer(numberEnv('genesysMaxRequestsPerMinute', DEFAULT_REQUESTS_PER_MINUTE));
}
