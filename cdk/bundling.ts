import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type LogLevel, type Metafile, type Plugin } from 'esbuild';
import { axiosLoadTimeRewrites } from './axios-load-time';
import { deferredModules } from './deferred-modules';
import { LAMBDA_ENTRY_NAME } from './function-code';

const aliasFile = (name: string) => fileURLToPath(new URL(`./bundling-aliases/${name}.ts`, import.meta.url));

/**
 * Packages replaced in Lambda bundles by smaller equivalents that behave the same there (each file says
 * why): the cuts found by `npm run bench`'s bundle report.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  'form-data': aliasFile('form-data'),
  'follow-redirects': aliasFile('follow-redirects'),
  '@aws-sdk/credential-provider-node': aliasFile('lambda-credentials'),
};

/**
 * ESM output has no `require`; a few dependencies still call it (esbuild turns those calls into a
 * `__require` shim that throws "Dynamic require is not supported" without one). The alias keeps the
 * banner from clashing with a bundled module's own `createRequire` import.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __bannerCreateRequire } from 'node:module'; const require = __bannerCreateRequire(import.meta.url);";

/**
 * The esbuild settings for every Lambda function: the single source of truth, used through `buildLambda`
 * by the stack (cdk/function-code.ts), the package's prebuilt assets, the tests and the benchmark.
 *
 * Code splitting (ESM only): what the code imports with `await import()` (the SQS and Scheduler clients,
 * needed for throttled or scheduled sends only) becomes a chunk loaded on first use instead of being parsed
 * at every cold start. Each function is one directory: `index.mjs` (handler `index.handler`) and `chunks/`.
 *
 * AWS SDK: bundled, not taken from the runtime (`external` is empty on purpose). The runtime's SDK version
 * differs between regions and changes under us; our clients are pinned (3.1164.0) and tested, so bundling
 * them makes what runs the same as what was tested. Cost: a larger asset (the four clients tree-shaken and
 * minified, a few hundred KB), but pre-linked files load faster at cold start than resolving the runtime
 * SDK's hundreds of CommonJS files from disk.
 */
export const LAMBDA_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  splitting: true,
  entryNames: LAMBDA_ENTRY_NAME,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  minify: true,
  // Linked source maps (a `.map` beside each file) read by Node with --enable-source-maps; without the
  // sources' text, which stack traces do not need, to keep the asset small.
  sourcemap: 'linked',
  sourcesContent: false,
  // Prefer packages' ESM builds: they tree-shake better than their CommonJS `main`.
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  external: [],
  alias: BUNDLE_ALIASES,
} as const satisfies BuildOptions;

export interface LambdaBuild {
  /** The entry module: a handler (`export const handler`), or any module for the benchmark. */
  entry: string;
  /** Emptied and filled with `index.mjs`, `chunks/` and source maps. */
  outdir: string;
  /** Benchmark what-ifs only: module substitutions that measure what a change would save. */
  plugins?: Plugin[];
  logLevel?: LogLevel;
}

/**
 * Builds one function with LAMBDA_ESBUILD_OPTIONS, the verified axios rewrites and the deferred modules;
 * returns esbuild's metafile.
 */
export async function buildLambda(options: LambdaBuild): Promise<Metafile> {
  rmSync(options.outdir, { recursive: true, force: true });
  const result = await build({
    ...LAMBDA_ESBUILD_OPTIONS,
    mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
    external: [...LAMBDA_ESBUILD_OPTIONS.external],
    entryPoints: [options.entry],
    outdir: options.outdir,
    plugins: [axiosLoadTimeRewrites(), deferredModules(), ...(options.plugins ?? [])],
    metafile: true,
    logLevel: options.logLevel ?? 'warning',
  });
  return result.metafile;
}
