import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { elapsedMs, median } from './stats';

export interface ColdImportTarget {
  name: string;
  /** Absolute path of the ES module to import. */
  file: string;
}

export interface ColdImportResult {
  name: string;
  samplesMs: number[];
  /** Median wall time of `node -e "import(…)"`, start-up included. */
  medianMs: number;
}

/**
 * Wall time of one fresh `node` process that imports `file` and exits (start-up included). The child gets
 * no NODE_OPTIONS: a loader the parent runs under (tsx) must not be timed with the bundle.
 */
export function timeColdImport(file: string): number {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['-e', `import(${JSON.stringify(pathToFileURL(file).href)})`], {
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const ms = elapsedMs(started);
  if (child.status !== 0) {
    throw new Error(`importing ${file} failed (exit ${child.status}): ${child.stderr.slice(0, 2000)}`);
  }
  return ms;
}

/**
 * `runs` fresh processes per target, interleaved: each round runs every target once, starting one place
 * further along the list each time, so that slow moments of a shared machine fall on all targets alike.
 * One unrecorded warm-up round first (disk cache, CPU frequency).
 */
export function measureColdImports(targets: readonly ColdImportTarget[], runs: number): ColdImportResult[] {
  for (const target of targets) timeColdImport(target.file);
  const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(round + i) % targets.length] as ColdImportTarget;
      samples.get(target.name)?.push(timeColdImport(target.file));
    }
  }
  return targets.map(({ name }) => {
    const samplesMs = samples.get(name) ?? [];
    return { name, samplesMs, medianMs: median(samplesMs) };
  });
}
