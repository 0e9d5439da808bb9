import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { LAMBDA_ESBUILD_OPTIONS } from '../cdk/bundling';
import { BENCH_OUT, REPO_ROOT } from './paths';

/** What a bundle stands for in the report. */
export type BundleKind = 'function' | 'fixture' | 'layer' | 'what-if';

export interface BundleTarget {
  name: string;
  label: string;
  kind: BundleKind;
  /** A file under the repository root, or module source (its imports resolve from the repository root). */
  entry: { file: string } | { contents: string };
  /** Only for `what-if` bundles: module substitutions that measure what a change would save. */
  plugins?: Plugin[];
}

export interface BuiltBundle {
  name: string;
  label: string;
  kind: BundleKind;
  /** Absolute path of the bundle (`index.mjs`). */
  file: string;
  bytes: number;
  metafile: Metafile;
  /** The bundle's key in `metafile.outputs`. */
  output: string;
}

export const BUNDLES_DIR = join(BENCH_OUT, 'bundles');

/**
 * The CDK stack's esbuild settings for one bundle: LAMBDA_ESBUILD_OPTIONS as they are, plus what every build
 * needs (entry, output file) and the metafile the bundle report reads. The readonly arrays are copied only
 * because esbuild's types ask for mutable ones.
 */
export function lambdaBuildOptions(outfile: string): BuildOptions {
  return {
    ...LAMBDA_ESBUILD_OPTIONS,
    mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
    external: [...LAMBDA_ESBUILD_OPTIONS.external],
    outfile,
    metafile: true,
    logLevel: 'warning',
  };
}

/** Every Lambda function of the stack: functions/<name>/handler.ts. */
export function functionTargets(): BundleTarget[] {
  return readdirSync(join(REPO_ROOT, 'functions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      name,
      label: `${name} λ`,
      kind: 'function' as const,
      entry: { file: `functions/${name}/handler.ts` },
    }));
}

export const OFFICIAL_SDK_TARGET: BundleTarget = {
  name: 'official-sdk-send',
  label: 'send λ on the official SDK',
  kind: 'fixture',
  entry: { file: 'bench/fixtures/official-sdk-send-handler.ts' },
};

/**
 * The send function's dependencies added one layer at a time (each bundle holds the ones before it): the
 * difference between two neighbours is what that layer costs at cold start, measured side by side.
 */
export const SEND_LAYERS: BundleTarget[] = (
  [
    {
      name: 'layer-1-messages',
      label: 'zod + message schemas and rendering',
      modules: ['shared/messages/send-request', 'shared/messages/render'],
    },
    {
      name: 'layer-2-telemetry',
      label: '+ Powertools logger and metrics',
      modules: ['shared/observability/telemetry'],
    },
    {
      name: 'layer-3-dynamodb',
      label: '+ DynamoDB status store',
      modules: ['shared/status/dynamo-status-store'],
    },
    {
      name: 'layer-4-delivery',
      label: '+ delivery core and send API',
      modules: [
        'shared/delivery/delivery-service',
        'shared/delivery/retry-queue',
        'shared/send-api/handle-send-event',
      ],
    },
    {
      name: 'layer-5-credentials',
      label: '+ credentials (Secrets Manager)',
      modules: ['shared/genesys/credentials'],
    },
    {
      name: 'layer-6-axios',
      label: '+ axios (Genesys HTTP client)',
      modules: ['shared/genesys/http-client'],
    },
  ] as const
).map(({ name, label }, index, all) => {
  const included = all.slice(0, index + 1).flatMap((layer) => [...layer.modules]);
  const imports = included.map((module, i) => `import * as m${i} from './${module}';`).join('\n');
  const keep = `export const modules = [${included.map((_, i) => `m${i}`).join(', ')}];`;
  return { name, label, kind: 'layer' as const, entry: { contents: `${imports}\n${keep}\n` } };
});

/** Replaces bare imports of `modules` with `contents` (what-if bundles only: they are imported, never run). */
export function substitute(modules: Record<string, string>): Plugin {
  const names = Object.keys(modules).map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return {
    name: 'bench-substitute',
    setup(builder) {
      builder.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
        path: args.path,
        namespace: 'bench-substitute',
      }));
      builder.onLoad({ filter: /.*/, namespace: 'bench-substitute' }, (args) => ({
        contents: modules[args.path],
        loader: 'js',
        resolveDir: REPO_ROOT,
      }));
    },
  };
}

/**
 * The send function with axios swapped for the Node modules a node:http-based client would load: what the
 * proposed replacement of axios in shared/genesys/http-client.ts saves (bytes and cold-import time).
 */
export const SEND_WITHOUT_AXIOS: BundleTarget = {
  name: 'what-if-send-node-http',
  label: 'send λ, axios → node:http (what-if)',
  kind: 'what-if',
  entry: { file: 'functions/send/handler.ts' },
  plugins: [
    substitute({
      axios:
        "import 'node:http'; import 'node:https';\n" +
        "export default { create() { throw new Error('what-if bundle: axios left out to measure its cost'); } };",
    }),
  ],
};

/**
 * The send function without the clients only the retry path needs (SQS to requeue, EventBridge Scheduler
 * for sendAt): the code imports them lazily, but one-file bundles still carry and parse them.
 */
export const SEND_WITHOUT_RETRY_CLIENTS: BundleTarget = {
  name: 'what-if-send-no-retry-clients',
  label: 'send λ, SQS + Scheduler clients left out (what-if)',
  kind: 'what-if',
  entry: { file: 'functions/send/handler.ts' },
  plugins: [
    substitute({
      '@aws-sdk/client-sqs': 'export class SQSClient {}\nexport class SendMessageCommand {}',
      '@aws-sdk/client-scheduler':
        'export class SchedulerClient {}\nexport class CreateScheduleCommand {}\nexport class ConflictException {}',
    }),
  ],
};

/**
 * The same one-schema module with zod imported three ways: `zod/mini` (ours) builds on zod's core alone;
 * classic `import * as z` with member access tree-shakes but still loads classic's methods and its locale;
 * `import { z }` takes zod's namespace object as a value, which keeps every export (locales included).
 */
export const ZOD_IMPORT_STYLES: BundleTarget[] = [
  {
    name: 'zod-mini-import-star',
    label: "import * as z from 'zod/mini' (ours)",
    kind: 'what-if',
    entry: {
      contents:
        "import * as z from 'zod/mini';\nexport const schema = z.object({ id: z.string().check(z.minLength(1)) });\n",
    },
  },
  {
    name: 'zod-import-star',
    label: "import * as z from 'zod'",
    kind: 'what-if',
    entry: {
      contents: "import * as z from 'zod';\nexport const schema = z.object({ id: z.string().min(1) });\n",
    },
  },
  {
    name: 'zod-import-named',
    label: "import { z } from 'zod'",
    kind: 'what-if',
    entry: {
      contents: "import { z } from 'zod';\nexport const schema = z.object({ id: z.string().min(1) });\n",
    },
  },
];

/** Builds every target into .bench-out/bundles/<name>/index.mjs with the stack's esbuild settings. */
export async function buildBundles(targets: readonly BundleTarget[]): Promise<BuiltBundle[]> {
  const built: BuiltBundle[] = [];
  for (const target of targets) {
    const dir = join(BUNDLES_DIR, target.name);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'index.mjs');
    const entry: BuildOptions =
      'file' in target.entry
        ? { entryPoints: [join(REPO_ROOT, target.entry.file)] }
        : {
            stdin: {
              contents: target.entry.contents,
              resolveDir: REPO_ROOT,
              sourcefile: `${target.name}.ts`,
              loader: 'ts',
            },
          };
    const result = await build({
      ...lambdaBuildOptions(file),
      ...entry,
      ...(target.plugins !== undefined && { plugins: target.plugins }),
    });
    const metafile = result.metafile;
    if (metafile === undefined) throw new Error(`esbuild gave no metafile for ${target.name}`);
    const output = Object.keys(metafile.outputs).find((key) => key.endsWith('index.mjs'));
    const bytes = output === undefined ? undefined : metafile.outputs[output]?.bytes;
    if (output === undefined || bytes === undefined)
      throw new Error(`no index.mjs among ${target.name}'s outputs`);
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(metafile));
    built.push({ name: target.name, label: target.label, kind: target.kind, file, bytes, metafile, output });
  }
  return built;
}

/** An empty ES module: importing it is node's start-up plus its ES module loader, the cold-import baseline. */
export function writeEmptyModule(): string {
  mkdirSync(BUNDLES_DIR, { recursive: true });
  const file = join(BUNDLES_DIR, 'empty.mjs');
  writeFileSync(file, 'export {};\n');
  return file;
}
