import { parseArgs } from 'node:util';

export interface BenchArgs {
  /** `--name value` as a string, a bare `--flag` as true. */
  values: Record<string, string | boolean | undefined>;
  /** The other words, in order. */
  positionals: string[];
}

/** The options of a benchmark command, unchecked: each reader checks its own. */
export function parseBenchArgs(argv: readonly string[] = process.argv.slice(2)): BenchArgs {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=')[0] as string;
    const next = argv[i + 1];
    options[name] = {
      type: arg.includes('=') || (next !== undefined && !next.startsWith('--')) ? 'string' : 'boolean',
    };
  }
  const { values, positionals } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
  });
  return { values, positionals };
}

/** A positive number option, or `fallback` when absent; anything else is an error naming the option. */
export function numberFlag(args: BenchArgs, name: string, fallback: number): number {
  const raw = args.values[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`--${name} must be a positive number, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function flag(args: BenchArgs, name: string): boolean {
  return args.values[name] === true || args.values[name] === 'true';
}

/** Whether this module is the process's entry point (`tsx bench/x.ts`), not an import. */
export function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && new URL(moduleUrl).pathname === new URL(`file://${entry}`).pathname;
}
