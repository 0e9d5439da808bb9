import { numberEnv } from '../config/environment';

/** Genesys' default limit for one client-credentials token (contract sheet, "Errors and rate limits"). */
export const DEFAULT_REQUESTS_PER_MINUTE = 300;

/** The outcome code of a call the pacer held back: no request reached Genesys. */
export const PACED_CODE = 'paced';

/**
 * Paces this process's Genesys calls for one OAuth client. Genesys limits requests per token, so a burst
 * of sends (or a retry queue draining) that fires at will mostly earns 429s; spacing the calls evenly at
 * the configured rate keeps nearly every call useful. Two rules, shared by every caller in the process:
 * - slots: calls start at least 60 000 / rate ms apart (a reservation schedule, no timers);
 * - gate: a 429's Retry-After holds every caller until it has passed, not just the message that got it.
 * Set the rate to the token's limit divided by the function instances that call Genesys at once
 * (README "Performance"); the gate absorbs what a per-instance rate cannot see.
 */
export class RatePacer {
  private nextSlotAt = 0;
  private gateUntil = 0;
  private readonly intervalMs: number;

  constructor(
    readonly requestsPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(requestsPerMinute > 0))
      throw new RangeError(`requestsPerMinute must be above 0, got ${requestsPerMinute}`);
    this.intervalMs = 60_000 / requestsPerMinute;
  }

  /**
   * Reserves the next free slot if it starts within `maxWaitMs` and returns the wait until it;
   * returns undefined, reserving nothing, when the caller would have to wait longer.
   */
  reserve(maxWaitMs: number): number | undefined {
    const now = this.now();
    const start = Math.max(now, this.nextSlotAt, this.gateUntil);
    if (start - now > maxWaitMs) return undefined;
    this.nextSlotAt = start + this.intervalMs;
    return start - now;
  }

  /** How long until a call could start, without reserving. */
  delayMs(): number {
    return Math.max(0, this.nextSlotAt - this.now(), this.gateUntil - this.now());
  }

  /** Genesys said "not before": nobody in this process calls it earlier. */
  holdUntil(epochMs: number): void {
    this.gateUntil = Math.max(this.gateUntil, epochMs);
  }
}

/** The process's pacer rate: GENESYS_MAX_REQUESTS_PER_MINUTE, default 300. */
export function pacerFromEnvironment(): RatePacer {
  return new RatePacer(numberEnv('genesysMaxRequestsPerMinute', DEFAULT_REQUESTS_PER_MINUTE));
}
