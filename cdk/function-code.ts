import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, type ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { GenesysFunctionName } from './constants';
import { GenesysMessagingPropsError } from './errors';
import { REPO_ROOT } from './send-request-schema';

/**
 * Where the package keeps its prebuilt functions: `dist/assets/<name>/` beside the bundled construct
 * (`dist/index.js`), written by `npm pack` (scripts/build-package.ts). A checkout has none (`cdk/assets/`
 * does not exist) and builds from source at synth.
 */
export const PREBUILT_ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

/** Each function's entry file in its asset (cdk/bundling.ts `entryNames`), and so its handler. */
export const LAMBDA_ENTRY_NAME = 'index';
export const LAMBDA_HANDLER = `${LAMBDA_ENTRY_NAME}.handler`;

const BUILD_CLI = resolve(REPO_ROOT, 'cdk/build-lambda-cli.ts');

/**
 * Builds one function at synth with the local esbuild (cdk/bundling.ts: code splitting, the verified axios
 * rewrites), no Docker and no lock file: a child process, since constructs are synchronous. The `entry`
 * field is part of CDK's asset cache key, so each entry is built once per app.
 */
class LocalLambdaBuild implements ILocalBundling {
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    const child = spawnSync(process.execPath, ['--import', 'tsx', BUILD_CLI, this.entry, outputDir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'pipe'],
      encoding: 'utf8',
    });
    if (child.status !== 0) {
      throw new Error(
        `building ${this.entry} failed (${child.error?.message ?? `exit ${child.status}`}): ${child.stderr}`,
      );
    }
    return true;
  }
}

/**
 * The code of one function: the package's prebuilt assets when there are some and no entry was given,
 * otherwise built at synth from `entry` (default `functions/<name>/handler.ts` of the checkout). Either way
 * the handler is `index.handler` (LAMBDA_HANDLER).
 */
export function functionCode(name: GenesysFunctionName, entry?: string): lambda.Code {
  const prebuilt = join(PREBUILT_ASSETS_DIR, name);
  if (entry === undefined && existsSync(join(prebuilt, 'index.mjs'))) return lambda.Code.fromAsset(prebuilt);
  const source = entry ?? resolve(REPO_ROOT, 'functions', name, 'handler.ts');
  if (!existsSync(source)) {
    throw new GenesysMessagingPropsError(
      entry === undefined ? 'functions' : `handlerEntries.${name}`,
      `cannot be built: ${source} does not exist${
        entry === undefined
          ? ` and there are no prebuilt assets in ${PREBUILT_ASSETS_DIR} (a package built by \`npm pack\` has them)`
          : ''
      }`,
    );
  }
  if (!existsSync(BUILD_CLI)) {
    throw new GenesysMessagingPropsError(
      `handlerEntries.${name}`,
      `needs the repository checkout to build ${source}: the installed package ships prebuilt functions only`,
    );
  }
  return lambda.Code.fromAsset(dirname(source), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: the local build either succeeds or throws (no Docker fallback).
      image: lambda.Runtime.NODEJS_22_X.bundlingImage,
      local: new LocalLambdaBuild(source),
    },
  });
}
