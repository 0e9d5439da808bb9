import { fileURLToPath } from 'node:url';

/** The repository root (bench/ sits directly under it). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Everything the benchmark builds or writes goes here (gitignored). */
export const BENCH_OUT = fileURLToPath(new URL('../.bench-out/', import.meta.url));

export const RESULTS_FILE = `${BENCH_OUT}results.json`;
