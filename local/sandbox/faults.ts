/** Faults: a queue of injected faults applied in order, and random faults drawn from a seeded PRNG. */
import { mulberry32 } from './prng';
import type { Fault, FaultTarget, RandomFaults } from './types';

/** The kind of request a fault may hit (`any` matches all of them). */
export type RequestCategory = Exclude<FaultTarget, 'any'>;

function matches(target: FaultTarget, category: RequestCategory): boolean {
  return target === 'any' || target === category;
}

export class FaultQueue {
  private readonly queue: Array<{ fault: Fault; on: FaultTarget }> = [];

  inject(faults: readonly Fault[], on: FaultTarget): void {
    for (const fault of faults) this.queue.push({ fault: validateFault(fault), on });
  }

  /** Takes the oldest queued fault that applies to this kind of request. */
  take(category: RequestCategory): Fault | undefined {
    const index = this.queue.findIndex((entry) => matches(entry.on, category));
    if (index < 0) return undefined;
    return this.queue.splice(index, 1)[0]?.fault;
  }

  get size(): number {
    return this.queue.length;
  }
}

export class RandomFaultSource {
  private readonly random: () => number;

  constructor(
    private config: RandomFaults | undefined,
    seed: number,
  ) {
    this.random = mulberry32(seed);
  }

  set(config: RandomFaults | undefined): void {
    this.config = config;
  }

  /**
   * The faults this request gets, in order: maybe a delay, then maybe one failure.
   * One draw for the delay and one for the failure per request, so a seed gives the same sequence.
   */
  draw(category: RequestCategory): Fault[] {
    const config = this.config;
    if (!config || !matches(config.on ?? 'send', category)) return [];
    const faults: Fault[] = [];
    if (config.slow && this.random() < config.slow.probability)
      faults.push({ type: 'latency', ms: config.slow.ms });
    const failures: Array<[number | undefined, Fault]> = [
      [config.throttle, { type: 'status', status: 429, retryAfterSeconds: 1 }],
      [config.error500, { type: 'status', status: 500 }],
      [config.error503, { type: 'status', status: 503 }],
      [config.hang, { type: 'hang' }],
      [config.reset, { type: 'reset' }],
    ];
    let roll = this.random();
    for (const [probability, fault] of failures) {
      if (probability === undefined || probability <= 0) continue;
      if (roll < probability) {
        faults.push(fault);
        break;
      }
      roll -= probability;
    }
    return faults;
  }
}

/** Refuses nonsense faults at injection time, where the mistake is made, not at request time. */
function validateFault(fault: Fault): Fault {
  if (
    fault.type === 'status' &&
    (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599)
  ) {
    throw new RangeError(`fault status must be an HTTP error status 400..599, got ${fault.status}`);
  }
  if (fault.type === 'latency' && !(fault.ms >= 0)) {
    throw new RangeError(`fault latency ms must be >= 0, got ${fault.ms}`);
  }
  return { ...fault };
}
