import './bench-environment';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import {
  type BuiltBundle,
  buildBundles,
  functionTargets,
  OFFICIAL_SDK_TARGET,
  SEND_LAYERS,
  SEND_WITHOUT_AXIOS,
  SEND_WITHOUT_RETRY_CLIENTS,
  writeEmptyModule,
  ZOD_IMPORT_STYLES,
} from './bundles';
import { type BenchArgs, numberFlag, parseBenchArgs } from './cli-options';
import { measureColdImports } from './cold-import';
import { BENCH_OUT, RESULTS_FILE } from './paths';
import {
  bundleSections,
  type ColdFigures,
  drainSection,
  type ReportPart,
  type SendContributor,
  section,
  type Target,
  warmSection,
} from './report';
import { formatTable, verdict } from './table';
import {
  DEFAULT_DRAIN,
  type DrainResult,
  type DrainVariant,
  drainVariant,
  runThrottledDrain,
} from './throttled-drain';
import { DEFAULT_WARM_SEND, runWarmSend, type WarmSendResult } from './warm-send';

const PARTS = ['bundles', 'cold', 'warm', 'drain'] as const;
/** `unpaced` takes about three times as long (~3 min for 3000 at 50/s): opt in with --drain unpaced,paced,…. */
const DEFAULT_DRAIN_VARIANTS: DrainVariant[] = ['paced', 'paced-start-spacing'];
type Part = (typeof PARTS)[number];

interface RunOptions {
  parts: Set<Part>;
  coldRuns: number;
  warm: typeof DEFAULT_WARM_SEND;
  drain: { sends: number; ratePerSecond: number; paceRatePerSecond?: number; variants: DrainVariant[] };
}

function runOptions(args: BenchArgs): RunOptions {
  const only = typeof args.values.only === 'string' ? args.values.only.split(',') : [...PARTS];
  const unknown = only.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`--only takes ${PARTS.join(', ')}; unknown: ${unknown.join(', ')}`);
  const coldRuns = numberFlag(args, 'cold-runs', 15);
  if (coldRuns < 10) throw new Error(`--cold-runs must be at least 10, got ${coldRuns}`);
  const paceRate = args.values['pace-rate'] === undefined ? undefined : numberFlag(args, 'pace-rate', 1);
  return {
    parts: new Set(only as Part[]),
    coldRuns: Math.round(coldRuns),
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
  };
}

interface Results {
  generatedAt: string;
  machine: { node: string; platform: string; cpus: number; cpuModel: string };
  options: Omit<RunOptions, 'parts'> & { parts: Part[] };
  bundles?: Array<Pick<BuiltBundle, 'name' | 'label' | 'kind' | 'bytes'>>;
  sendContributors?: SendContributor[];
  cold?: Omit<ColdFigures, 'raw'> & { samplesMs: Record<string, number[]> };
  warm?: WarmSendResult;
  drains?: DrainResult[];
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
  let cold: ColdFigures | undefined;
  if (options.parts.has('bundles') || options.parts.has('cold')) {
    progress('building bundles');
    built = await buildBundles([
      ...functionTargets(),
      OFFICIAL_SDK_TARGET,
      ...SEND_LAYERS,
      SEND_WITHOUT_AXIOS,
      SEND_WITHOUT_RETRY_CLIENTS,
      ...ZOD_IMPORT_STYLES,
    ]);
    results.bundles = built.map(({ name, label, kind, bytes }) => ({ name, label, kind, bytes }));
  }
  if (options.parts.has('cold')) {
    progress(`cold imports: ${built.length + 1} modules × ${options.coldRuns} fresh processes`);
    const raw = measureColdImports(
      [{ name: 'bare', file: writeEmptyModule() }, ...built.map(({ name, file }) => ({ name, file }))],
      options.coldRuns,
    );
    const bareMs = raw.find((r) => r.name === 'bare')?.medianMs ?? Number.NaN;
    cold = {
      runs: options.coldRuns,
      bareMs,
      byName: Object.fromEntries(
        raw.filter((r) => r.name !== 'bare').map((r) => [r.name, r.medianMs - bareMs]),
      ),
      raw,
    };
    results.cold = {
      runs: cold.runs,
      bareMs,
      byName: cold.byName,
      samplesMs: Object.fromEntries(raw.map((r) => [r.name, r.samplesMs])),
    };
  }
  const add = (part: ReportPart) => {
    text.push(...part.text);
    analysis.push(...part.analysis);
  };
  if (built.length > 0) {
    const part = bundleSections(built, cold, results.targets);
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
