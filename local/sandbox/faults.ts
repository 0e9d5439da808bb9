/** Faults: a queue of injected faults applied in order, and random faults drawn from a seeded PRNG. */
import { mulberry32 } from './prng';
import type { Fault, FaultTarget, RandomAfterAcceptFaults, RandomFaults } from './types';

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
   * The faults this request gets, in order: maybe a delay, then maybe one failure, then (when configured)
   * maybe one fault after acceptance. One draw each per request, so a seed gives the same sequence.
   */
  draw(category: RequestCategory): Fault[] {
    const config = this.config;
    if (!config || !matches(config.on ?? 'send', category)) return [];
    const faults: Fault[] = [];
    if (config.slow && this.random() < config.slow.probability)
      faults.push({ type: 'latency', ms: config.slow.ms });
    const failure = this.pick([
      [config.throttle, { type: 'status', status: 429, retryAfterSeconds: 1 }],
      [config.error500, { type: 'status', status: 500 }],
      [config.error503, { type: 'status', status: 503 }],
      [config.hang, { type: 'hang' }],
      [config.reset, { type: 'reset' }],
    ]);
    if (failure) faults.push(failure);
    if (config.afterAccept) {
      const after = this.pick(afterAcceptChoices(config.afterAccept));
      if (after) faults.push(after);
    }
    return faults;
  }

  /** One draw: the first fault whose share of [0, 1) the roll falls in, or none. */
  private pick(choices: Array<[number | undefined, Fault]>): Fault | undefined {
    let roll = this.random();
    for (const [probability, fault] of choices) {
      if (probability === undefined || probability <= 0) continue;
      if (roll < probability) return fault;
      roll -= probability;
    }
    return undefined;
  }
}

function afterAcceptChoices(config: RandomAfterAcceptFaults): Array<[number | undefined, Fault]> {
  const phase = 'afterAccept';
  return [
    [config.hang, { type: 'hang', phase }],
    [config.reset, { type: 'reset', phase }],
    [config.error502, { type: 'status', status: 502, phase }],
    [config.error504, { type: 'status', status: 504, phase }],
    [
      config.drip?.probability,
      {
        type: 'drip',
        intervalMs: config.drip?.intervalMs ?? 0,
        ...(config.drip?.chunkBytes !== undefined && { chunkBytes: config.drip.chunkBytes }),
      },
    ],
    [config.late?.probability, { type: 'latency', ms: config.late?.ms ?? 0, phase }],
  ];
}

/** Whether a fault strikes once the route has run (a drip always does: it is a way of answering). */
export function isAfterAccept(fault: Fault): boolean {
  return fault.type === 'drip' || fault.phase === 'afterAccept';
}

/** A short name for a fault, for stats and for the accepted message it spoilt (`hang`, `status 504`…). */
export function faultLabel(fault: Fault): string {
  return fault.type === 'status' ? `status ${fault.status}` : fault.type;
}

const PHASES: readonly string[] = ['beforeAccept', 'afterAccept'];

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
  if (fault.type === 'drip') {
    if (!(fault.intervalMs >= 0)) {
      throw new RangeError(`fault drip intervalMs must be >= 0, got ${fault.intervalMs}`);
    }
    if (fault.chunkBytes !== undefined && !(Number.isInteger(fault.chunkBytes) && fault.chunkBytes > 0)) {
      throw new RangeError(`fault drip chunkBytes must be a positive integer, got ${fault.chunkBytes}`);
    }
  }
  if (fault.type !== 'drip' && fault.phase !== undefined && !PHASES.includes(fault.phase)) {
    throw new RangeError(`fault phase must be ${PHASES.join(' or ')}, got ${String(fault.phase)}`);
  }
  return { ...fault };
}
