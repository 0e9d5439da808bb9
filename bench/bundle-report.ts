import './bench-environment';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { BUNDLES_DIR, buildBundles, functionTargets } from './bundles';
import { flag, isEntryPoint, numberFlag, parseBenchArgs } from './cli-options';

/** One package (or one folder of ours) and the bytes it puts into a bundle. */
export interface Contributor {
  /** `axios`, `@smithy/core`, or our folder such as `shared/genesys`. */
  name: string;
  bytes: number;
  /** Share of the bundle's bytes (0–1). */
  share: number;
  /** How the bundle reaches it: entry → … → the first module of it (shortest import path). */
  via: string[];
}

/** `node_modules/<pkg>` (scoped or not, nested or not) or the first two folders of our own sources. */
export function contributorOf(input: string): string {
  const packages = [...input.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
  const last = packages.at(-1);
  if (last?.[1] !== undefined) return last[1];
  return input.split('/').slice(0, 2).join('/');
}

/** `output` and the outputs (chunks) it imports statically: the files Node reads when it imports `output`. */
export function outputsAtImport(metafile: Metafile, output: string, seen = new Set<string>()): string[] {
  const out = metafile.outputs[output];
  if (out === undefined || seen.has(output)) return [];
  seen.add(output);
  for (const i of out.imports) {
    if (i.kind === 'import-statement' && !i.external) outputsAtImport(metafile, i.path, seen);
  }
  return [...seen];
}

/**
 * The bytes each package or folder of ours contributes to what loads when `output` is imported (the output and
 * the chunks it imports statically; chunks loaded on first use are left out), largest first.
 */
export function topContributors(metafile: Metafile, output: string, limit = 12): Contributor[] {
  const out = metafile.outputs[output];
  if (out === undefined) throw new Error(`no output ${output} in the metafile`);
  const loaded = outputsAtImport(metafile, output);
  const bytes = new Map<string, number>();
  let total = 0;
  for (const key of loaded) {
    const chunk = metafile.outputs[key];
    total += chunk?.bytes ?? 0;
    for (const [input, { bytesInOutput }] of Object.entries(chunk?.inputs ?? {})) {
      const name = contributorOf(input);
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  const entry = out.entryPoint;
  return [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, size]) => ({
      name,
      bytes: size,
      share: size / total,
      via: entry === undefined ? [] : importPath(metafile, entry, (input) => contributorOf(input) === name),
    }));
}

/** Shortest chain of static and dynamic imports from `entry` to the first input matching `target`. */
export function importPath(metafile: Metafile, entry: string, target: (input: string) => boolean): string[] {
  const previous = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    if (target(current)) {
      const chain: string[] = [];
      for (let at: string | undefined = current; at !== undefined; at = previous.get(at)) chain.unshift(at);
      return chain;
    }
    for (const { path } of metafile.inputs[current]?.imports ?? []) {
      if (previous.has(path) || metafile.inputs[path] === undefined) continue;
      previous.set(path, current);
      queue.push(path);
    }
  }
  return [];
}

/** `node_modules/.pnpm/x/node_modules/axios/lib/axios.js` → `axios`; our files keep their path. */
export function shortModuleName(input: string): string {
  const name = contributorOf(input);
  return input.includes('node_modules/') ? name : input.replace(/\.ts$/, '');
}

/** The chain as one line, one step per package or source file, entry first. */
export function describeChain(chain: readonly string[]): string {
  const steps: string[] = [];
  for (const input of chain) {
    const step = shortModuleName(input);
    if (steps.at(-1) !== step) steps.push(step);
  }
  return steps.join(' → ');
}

/** The report as printed: one line per contributor with its size, share and import path. */
export function formatReport(name: string, bytes: number, contributors: readonly Contributor[]): string {
  const lines = [`${name}: ${(bytes / 1024).toFixed(0)} KB, top contributors`];
  for (const c of contributors) {
    lines.push(
      `  ${(c.bytes / 1024).toFixed(1).padStart(7)} KB ${(c.share * 100).toFixed(1).padStart(5)} %  ${c.name.padEnd(34)} ${describeChain(c.via)}`,
    );
  }
  return lines.join('\n');
}

/** `tsx bench/bundle-report.ts [function] [--top N] [--no-build]`: where the bytes of a bundle go. */
async function main(): Promise<void> {
  const args = parseBenchArgs();
  const name = args.positionals[0] ?? 'send';
  const limit = Math.round(numberFlag(args, 'top', 15));
  let metafile: Metafile;
  let output: string;
  if (flag(args, 'no-build')) {
    metafile = JSON.parse(readFileSync(join(BUNDLES_DIR, name, 'meta.json'), 'utf8')) as Metafile;
    output = Object.keys(metafile.outputs).find((key) => key.endsWith('index.mjs')) ?? '';
  } else {
    const target = functionTargets().find((t) => t.name === name);
    if (target === undefined) throw new Error(`no function "${name}" under functions/`);
    const [built] = await buildBundles([target]);
    if (built === undefined) throw new Error(`building ${name} gave nothing`);
    ({ metafile, output } = built);
  }
  const bytes = outputsAtImport(metafile, output).reduce(
    (sum, key) => sum + (metafile.outputs[key]?.bytes ?? 0),
    0,
  );
  console.log(formatReport(`${name} (loaded at import)`, bytes, topContributors(metafile, output, limit)));
}

if (isEntryPoint(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
