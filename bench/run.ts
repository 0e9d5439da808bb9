import './bench-environment';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import {
  type BuiltBundle,
  buildBundles,
  EMPTY_HANDLER_TARGET,
  functionTargets,
  OFFICIAL_SDK_AXIOS_AS_PUBLISHED_TARGET,
  OFFICIAL_SDK_PLAIN_TARGET,
  OFFICIAL_SDK_TARGET,
  SEND_AXIOS_AS_PUBLISHED,
  SEND_EAGER_MODULES,
  SEND_LAYERS,
  SEND_WITHOUT_AXIOS,
  writeEmptyModule,
  ZOD_IMPORT_STYLES,
} from './bundles';
import { type BenchArgs, numberFlag, parseBenchArgs } from './cli-options';
import { startFirstAnswerEnvironment } from './first-answer';
import { type FleetDrainResult, fleetOptions, runFleetDrain } from './fleet-drain';
import { fleetSection } from './fleet-report';
import { BENCH_OUT, RESULTS_FILE } from './paths';
import {
  BARE,
  coldSections,
  decisiveFigures,
  drainSection,
  firstAnswerName,
  type ReportPart,
  type SendContributor,
  section,
  type Target,
  warmSection,
} from './report';
import { measureRounds, type ProcessTarget, type RoundsOptions, type RoundsResult } from './rounds';
import { formatTable, verdict } from './table';
import {
  DEFAULT_DRAIN,
  type DrainResult,
  type DrainVariant,
  drainVariant,
  runThrottledDrain,
} from './throttled-drain';
import { DEFAULT_WARM_SEND, runWarmSend, type WarmSendResult } from './warm-send';

const PARTS = ['bundles', 'cold', 'warm', 'drain', 'fleet'] as const;
/** `unpaced` takes about three times as long (~3 min for 3000 at 50/s): opt in with --drain unpaced,paced,…. */
const DEFAULT_DRAIN_VARIANTS: DrainVariant[] = ['paced', 'paced-start-spacing'];
type Part = (typeof PARTS)[number];

interface RunOptions {
  parts: Set<Part>;
  cold: Pick<RoundsOptions, 'minRounds' | 'maxRounds' | 'budgetSeconds' | 'spreadGoal'>;
  warm: typeof DEFAULT_WARM_SEND;
  drain: { sends: number; ratePerSecond: number; paceRatePerSecond?: number; variants: DrainVariant[] };
  fleet: ReturnType<typeof fleetOptions>;
}

function runOptions(args: BenchArgs): RunOptions {
  const only = typeof args.values.only === 'string' ? args.values.only.split(',') : [...PARTS];
  const unknown = only.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`--only takes ${PARTS.join(', ')}; unknown: ${unknown.join(', ')}`);
  const minRounds = Math.round(numberFlag(args, 'cold-min-rounds', 10));
  const maxRounds = Math.round(numberFlag(args, 'cold-max-rounds', 40));
  if (minRounds < 5) throw new Error(`--cold-min-rounds must be at least 5, got ${minRounds}`);
  if (maxRounds < minRounds) {
    throw new Error(`--cold-max-rounds (${maxRounds}) must be at least --cold-min-rounds (${minRounds})`);
  }
  const paceRate = args.values['pace-rate'] === undefined ? undefined : numberFlag(args, 'pace-rate', 1);
  return {
    parts: new Set(only as Part[]),
    cold: {
      minRounds,
      maxRounds,
      // Stop starting rounds after this long: `npm run bench` stays bounded on a busy machine.
      budgetSeconds: numberFlag(args, 'cold-seconds', 150),
      spreadGoal: numberFlag(args, 'cold-spread', 0.1),
    },
    warm: {
      ...DEFAULT_WARM_SEND,
      requests: Math.round(numberFlag(args, 'warm-requests', DEFAULT_WARM_SEND.requests)),
    },
    drain: {
      sends: Math.round(numberFlag(args, 'sends', DEFAULT_DRAIN.sends)),
      ratePerSecond: numberFlag(args, 'rate', DEFAULT_DRAIN.ratePerSecond),
      ...(paceRate !== undefined && { paceRatePerSecond: paceRate }),
      variants: (typeof args.values.drain === 'string'
        ? args.values.drain.split(',')
        : DEFAULT_DRAIN_VARIANTS
      ).map(drainVariant),
    },
    // Its own flags: --fleet-sends, --send-instances, --retry-instances, --token-limit, --client-limit, --window.
    fleet: fleetOptions(args, 'fleet-sends'),
  };
}

interface Results {
  generatedAt: string;
  machine: { node: string; platform: string; cpus: number; cpuModel: string };
  options: Omit<RunOptions, 'parts'> & { parts: Part[] };
  bundles?: Array<Pick<BuiltBundle, 'name' | 'label' | 'kind' | 'bytes' | 'importBytes'>>;
  sendContributors?: SendContributor[];
  cold?: RoundsResult;
  warm?: WarmSendResult;
  drains?: DrainResult[];
  fleet?: FleetDrainResult;
  targets: Target[];
}

async function main(): Promise<void> {
  const options = runOptions(parseBenchArgs());
  mkdirSync(BENCH_OUT, { recursive: true });
  const results: Results = {
    generatedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
    },
    options: { ...options, parts: [...options.parts] },
    targets: [],
  };
  const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
  const text: string[] = [];
  const analysis: string[] = [];

  let built: BuiltBundle[] = [];
  let cold: RoundsResult | undefined;
  if (options.parts.has('bundles') || options.parts.has('cold')) {
    progress('building bundles');
    built = await buildBundles([
      ...functionTargets(),
      OFFICIAL_SDK_TARGET,
      OFFICIAL_SDK_AXIOS_AS_PUBLISHED_TARGET,
      OFFICIAL_SDK_PLAIN_TARGET,
      EMPTY_HANDLER_TARGET,
      ...SEND_LAYERS,
      SEND_WITHOUT_AXIOS,
      SEND_AXIOS_AS_PUBLISHED,
      SEND_EAGER_MODULES,
      ...ZOD_IMPORT_STYLES,
    ]);
    results.bundles = built.map(({ name, label, kind, bytes, importBytes }) => ({
      name,
      label,
      kind,
      bytes,
      importBytes,
    }));
  }
  if (options.parts.has('cold')) {
    const answering = new Set([
      'send',
      OFFICIAL_SDK_TARGET.name,
      OFFICIAL_SDK_AXIOS_AS_PUBLISHED_TARGET.name,
      OFFICIAL_SDK_PLAIN_TARGET.name,
      SEND_AXIOS_AS_PUBLISHED.name,
      SEND_EAGER_MODULES.name,
      EMPTY_HANDLER_TARGET.name,
    ]);
    const targets: ProcessTarget[] = [
      { name: BARE, kind: 'import', file: writeEmptyModule() },
      // The empty handler's import is the bare-node import again: it is run for its first answer only.
      ...built
        .filter(({ name }) => name !== EMPTY_HANDLER_TARGET.name)
        .map(({ name, file }) => ({ name, kind: 'import' as const, file })),
      ...built
        .filter(({ name }) => answering.has(name))
        .map(({ name, file }) => ({ name: firstAnswerName(name), kind: 'first-answer' as const, file })),
    ];
    progress(
      `cold imports and first answers: ${targets.length} fresh processes per round, ${options.cold.minRounds}–${options.cold.maxRounds} rounds, until the ratios' middle half is within ±${(options.cold.spreadGoal * 50).toFixed(0)} % or ${options.cold.budgetSeconds} s`,
    );
    const firstAnswer = await startFirstAnswerEnvironment();
    try {
      cold = await measureRounds(targets, {
        ...options.cold,
        decisive: decisiveFigures(),
        firstAnswer,
        progress,
      });
    } finally {
      await firstAnswer.close();
    }
    results.cold = cold;
  }
  const add = (part: ReportPart) => {
    text.push(...part.text);
    analysis.push(...part.analysis);
  };
  if (built.length > 0) {
    const part = coldSections(built, cold, results.targets);
    if (part.sendContributors !== undefined) results.sendContributors = part.sendContributors;
    add(part);
  }
  if (options.parts.has('warm')) {
    progress(`warm send: ${options.warm.requests} calls per side`);
    results.warm = await runWarmSend(options.warm);
    add(warmSection(results.warm, results.targets));
  }
  if (options.parts.has('drain')) {
    results.drains = [];
    for (const variant of options.drain.variants) {
      progress(
        `throttled drain (${variant}): ${options.drain.sends} sends at ${options.drain.ratePerSecond}/s`,
      );
      results.drains.push(
        await runThrottledDrain({
          ...DEFAULT_DRAIN,
          sends: options.drain.sends,
          ratePerSecond: options.drain.ratePerSecond,
          variant,
          ...(options.drain.paceRatePerSecond !== undefined && {
            paceRatePerSecond: options.drain.paceRatePerSecond,
          }),
          // Four times the ideal drain: enough for the unpaced client, a bound for anything stuck.
          timeoutSeconds: Math.max(
            DEFAULT_DRAIN.timeoutSeconds,
            (4 * options.drain.sends) / options.drain.ratePerSecond,
          ),
        }),
      );
    }
    add(drainSection(results.drains, results.targets));
  }
  if (options.parts.has('fleet')) {
    const { fleet } = options;
    progress(
      `fleet drain: ${fleet.sends} sends, ${fleet.instances.send} send + ${fleet.instances.retry} retry instance processes`,
    );
    results.fleet = await runFleetDrain(fleet);
    add(fleetSection(results.fleet, results.targets));
  }

  const { machine } = results;
  console.log(
    `Performance (${results.generatedAt}; node ${machine.node}, ${machine.platform}, ${machine.cpus} × ${machine.cpuModel})\n`,
  );
  console.log(text.join('\n'));
  if (results.targets.length > 0) {
    console.log(
      section(
        'Targets',
        formatTable(
          ['target', 'measured', 'goal', ''],
          results.targets.map((t) => [t.target, t.value, t.goal, verdict(t.met)]),
        ),
      ),
    );
  }
  if (analysis.length > 0) console.log(`Analysis\n${analysis.map((line) => `- ${line}`).join('\n')}\n`);
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Figures: ${RESULTS_FILE}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
