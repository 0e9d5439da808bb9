import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { buildLambda } from './bundling';
import { GENESYS_FUNCTION_NAMES } from './constants';
import { REPO_ROOT } from './send-request-schema';

/**
 * `npm pack`'s prepack script (also run when the repository is installed from git): builds what the package
 * ships, so that a stack using it needs neither this repository's sources, nor its lock file, nor esbuild:
 *
 * - dist/assets/<function>/: each function built by `buildLambda` (the settings the checkout's synth uses);
 * - dist/index.js: the construct (cdk/index.ts) as one ES module with zod bundled; aws-cdk-lib and constructs stay imports
 *   (peer dependencies: the consumer's own copies, so that its constructs and ours are the same classes);
 * - dist/types/: the declarations.
 */
const DIST = resolve(REPO_ROOT, 'dist');
/** The only imports dist/index.js may keep: anything else would have to be installed by the consumer. */
const ALLOWED_IMPORTS = /^(node:|aws-cdk-lib(\/|$)|constructs$)/;
/** Function-side packages: the construct bundling one of them means a synth-time import reached runtime code. */
const BUNDLED_TOO_MUCH = /node_modules\/(@aws-sdk|@smithy|@aws-lambda-powertools|axios)\//;

async function main(): Promise<void> {
  rmSync(DIST, { recursive: true, force: true });
  for (const name of GENESYS_FUNCTION_NAMES) {
    await buildLambda({
      entry: join(REPO_ROOT, 'functions', name, 'handler.ts'),
      outdir: join(DIST, 'assets', name),
    });
  }
  const construct = await build({
    entryPoints: [join(REPO_ROOT, 'cdk/index.ts')],
    outfile: join(DIST, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The peers stay imports; zod (the bot list's greetings are checked at synth) is bundled in.
    external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'],
    metafile: true,
    logLevel: 'warning',
  });
  const bundled = Object.keys(construct.metafile.inputs).filter((input) => BUNDLED_TOO_MUCH.test(input));
  if (bundled.length > 0) {
    throw new Error(`dist/index.js bundles runtime code the construct must not need: ${bundled.join(', ')}`);
  }
  const imports = Object.values(construct.metafile.outputs).flatMap((output) => output.imports);
  const foreign = imports.filter((i) => i.external && !ALLOWED_IMPORTS.test(i.path)).map((i) => i.path);
  if (foreign.length > 0) {
    throw new Error(
      `dist/index.js imports ${[...new Set(foreign)].join(', ')}: not installed with the package`,
    );
  }
  const types = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(REPO_ROOT, 'tsconfig.package.json')],
    { stdio: 'inherit' },
  );
  if (types.status !== 0) throw new Error(`tsc (declarations) failed with exit ${types.status}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
