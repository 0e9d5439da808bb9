import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { elapsedMs, type Spread, spread } from './stats';

/** One fresh node process per sample: a cold import of `file`, or a first answer of the send handler in it. */
export interface ProcessTarget {
  name: string;
  kind: 'import' | 'first-answer';
  /** Absolute path of the module to import. */
  file: string;
}

export interface RoundsOptions {
  minRounds: number;
  maxRounds: number;
  /** Stop starting rounds after this long (the last one finishes). */
  budgetSeconds: number;
  /** "Tight": the middle half of every `decisive` figure's per-round samples within this share of its median. */
  spreadGoal: number;
  /**
   * The figures that decide when to stop, each a function of one round's samples (e.g. a ratio of two
   * targets, or a target minus the empty-module import): paired, so a slow moment hits both sides.
   */
  decisive: Record<string, (round: Round) => number>;
  /** For first-answer targets: `node <runner> <bundle URL>` in this environment. */
  firstAnswer?: { runner: string; env: NodeJS.ProcessEnv };
  progress?: (message: string) => void;
}

/** One round: every target's wall time (ms), and the peak memory (MiB) of the first-answer processes. */
export interface Round {
  ms: Record<string, number>;
  peakMiB: Record<string, number>;
}

export interface RoundsResult {
  rounds: Round[];
  spreadGoal: number;
  /** Whether every decisive figure's spread reached the goal. */
  tight: boolean;
  stoppedBy: 'spread' | 'max-rounds' | 'time budget';
  decisive: Record<string, Spread>;
}

interface Sample {
  ms: number;
  peakMiB?: number;
}

/**
 * How Lambda's Node.js runtime loads a handler file: `require` for CommonJS (`.cjs`, the plain build),
 * `import()` for ES modules (importing CommonJS would add a named-exports scan Lambda does not do).
 */
export function loadExpression(file: string): string {
  return file.endsWith('.cjs')
    ? `require(${JSON.stringify(file)})`
    : `import(${JSON.stringify(pathToFileURL(file).href)})`;
}

/** Wall time from spawn to exit; no NODE_OPTIONS, so a loader the parent runs under (tsx) is not timed. */
function runProcess(target: ProcessTarget, firstAnswer: RoundsOptions['firstAnswer']): Promise<Sample> {
  const url = pathToFileURL(target.file).href;
  const [args, env] =
    target.kind === 'import'
      ? [['-e', loadExpression(target.file)], { ...process.env, NODE_OPTIONS: '' }]
      : [[firstAnswer?.runner ?? '', url], firstAnswer?.env];
  if (target.kind === 'first-answer' && firstAnswer === undefined) {
    return Promise.reject(new Error(`${target.name}: first-answer targets need a first-answer environment`));
  }
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = elapsedMs(started);
      if (code !== 0) {
        reject(new Error(`${target.name} (${target.file}) exited with ${code}: ${stderr.slice(0, 2000)}`));
        return;
      }
      if (target.kind === 'import') return resolve({ ms });
      const last = stdout.trim().split('\n').at(-1) ?? '';
      const { maxRssKb } = JSON.parse(last) as { maxRssKb: number };
      resolve({ ms, peakMiB: maxRssKb / 1024 });
    });
  });
}

/**
 * Rounds of fresh processes, each round running every target once, starting one place further along the list
 * each time (a slow moment of a shared machine falls on all targets alike, and every figure can be paired
 * within its round). One unrecorded warm-up round first (disk cache, CPU frequency). Rounds go on until the
 * decisive figures' middle halves are tight, or the round or time bound is reached; the result says which.
 */
export async function measureRounds(
  targets: readonly ProcessTarget[],
  options: RoundsOptions,
): Promise<RoundsResult> {
  for (const target of targets) await runProcess(target, options.firstAnswer);
  const started = process.hrtime.bigint();
  const rounds: Round[] = [];
  const figures = () =>
    Object.fromEntries(
      Object.entries(options.decisive).map(([name, figure]) => [name, spread(rounds.map(figure))]),
    );
  for (;;) {
    const round: Round = { ms: {}, peakMiB: {} };
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(rounds.length + i) % targets.length] as ProcessTarget;
      const sample = await runProcess(target, options.firstAnswer);
      round.ms[target.name] = sample.ms;
      if (sample.peakMiB !== undefined) round.peakMiB[target.name] = sample.peakMiB;
    }
    rounds.push(round);
    const decisive = figures();
    const tight = Object.values(decisive).every((s) => s.relativeSpread <= options.spreadGoal);
    const seconds = elapsedMs(started) / 1000;
    options.progress?.(
      `round ${rounds.length}: ${Object.entries(decisive)
        .map(([name, s]) => `${name} ${s.median.toFixed(2)} ±${(s.relativeSpread * 50).toFixed(1)} %`)
        .join(', ')} (${seconds.toFixed(0)} s)`,
    );
    if (rounds.length < options.minRounds) continue;
    if (tight) return { rounds, spreadGoal: options.spreadGoal, tight, stoppedBy: 'spread', decisive };
    if (rounds.length >= options.maxRounds)
      return { rounds, spreadGoal: options.spreadGoal, tight, stoppedBy: 'max-rounds', decisive };
    if (seconds >= options.budgetSeconds)
      return { rounds, spreadGoal: options.spreadGoal, tight, stoppedBy: 'time budget', decisive };
  }
}
