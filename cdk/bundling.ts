import { fileURLToPath } from 'node:url';
import { type BundlingOptions, LogLevel, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

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
 * The esbuild settings for every Lambda bundle: the single source of truth, reused as-is by the benchmark
 * (`esbuild.build({ ...LAMBDA_ESBUILD_OPTIONS, entryPoints, outfile })`) and translated below for CDK.
 *
 * AWS SDK: bundled, not taken from the runtime (`external` is empty on purpose; CDK's default for Node.js 22
 * would mark `@aws-sdk/*` external). The runtime's SDK version differs between regions and changes under us;
 * our clients are pinned (3.1164.0) and tested, so bundling them makes what runs the same as what was tested.
 * Cost: a larger asset (the four clients tree-shaken and minified, a few hundred KB), but one pre-linked file
 * loads faster at cold start than resolving the runtime SDK's hundreds of CommonJS files from disk.
 */
export const LAMBDA_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  // Linked source maps (a `.map` beside the bundle) read by Node with --enable-source-maps; without the
  // sources' text, which stack traces do not need, to keep the asset small.
  sourcemap: 'linked',
  sourcesContent: false,
  // Prefer packages' ESM builds: they tree-shake better than their CommonJS `main`.
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  external: [],
  alias: BUNDLE_ALIASES,
} as const satisfies BuildOptions;

/** The same settings as CDK `NodejsFunction` bundling options (local esbuild, no Docker). */
export const LAMBDA_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: LAMBDA_ESBUILD_OPTIONS.target,
  minify: LAMBDA_ESBUILD_OPTIONS.minify,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: LAMBDA_ESBUILD_OPTIONS.sourcesContent,
  mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
  banner: LAMBDA_ESBUILD_OPTIONS.banner.js,
  externalModules: [...LAMBDA_ESBUILD_OPTIONS.external],
  esbuildArgs: Object.fromEntries(
    Object.entries(BUNDLE_ALIASES).map(([name, file]) => [`--alias:${name}`, file]),
  ),
  // Warnings and errors only: no size table per function on every synth.
  logLevel: LogLevel.WARNING,
};
