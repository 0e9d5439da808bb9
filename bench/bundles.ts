import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { axiosLoadTimeRewrites } from '../cdk/axios-load-time';
import { BUNDLE_ALIASES, buildLambda, LAMBDA_ESBUILD_OPTIONS } from '../cdk/bundling';
import { outputsAtImport } from './bundle-report';
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
  /** Built with PLAIN_ESBUILD_OPTIONS instead of the stack's `buildLambda`. */
  plain?: boolean;
  /** Built with the stack's settings but axios as published: no load-time rewrites, the eager form-data alias. */
  axiosAsPublished?: boolean;
  /** Built with the stack's settings but without cdk/deferred-modules.ts: what deferring those modules saves. */
  eagerModules?: boolean;
}

export interface BuiltBundle {
  name: string;
  label: string;
  kind: BundleKind;
  /** Absolute path of the entry file (`index.mjs`, or `index.cjs` for plain builds). */
  file: string;
  /** Every output file but source maps (lazily loaded chunks included). */
  bytes: number;
  /** The entry file and the chunks it imports statically: what Node reads at import. */
  importBytes: number;
  metafile: Metafile;
  /** The entry's key in `metafile.outputs`. */
  output: string;
}

export const BUNDLES_DIR = join(BENCH_OUT, 'bundles');

/**
 * What a team gets building the official-SDK handler by hand, with esbuild's usual flags: one minified
 * CommonJS file, no aliases, no module-field preference, no splitting.
 */
export const PLAIN_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
} as const;

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
  label: 'send λ on the official SDK, same build settings',
  kind: 'fixture',
  entry: { file: 'bench/fixtures/official-sdk-send-handler.ts' },
};

/**
 * The official-SDK handler with our build settings but axios as published: our axios load-time rewrites are
 * this project's own work on its dependency, so this is the baseline a team gets without them.
 */
export const OFFICIAL_SDK_AXIOS_AS_PUBLISHED_TARGET: BundleTarget = {
  name: 'official-sdk-send-axios-as-published',
  label: 'send λ on the official SDK, same build settings, axios as published',
  kind: 'fixture',
  entry: { file: 'bench/fixtures/official-sdk-send-handler.ts' },
  axiosAsPublished: true,
};

/** A handler that answers 202 and does nothing else: the first answer and peak memory of Node itself. */
export const EMPTY_HANDLER_TARGET: BundleTarget = {
  name: 'empty-handler',
  label: 'a handler answering 202 at once (Node alone)',
  kind: 'fixture',
  entry: { file: 'bench/fixtures/empty-handler.ts' },
};

export const OFFICIAL_SDK_PLAIN_TARGET: BundleTarget = {
  name: 'official-sdk-send-plain',
  label: 'send λ on the official SDK, plain esbuild flags',
  kind: 'fixture',
  entry: { file: 'bench/fixtures/official-sdk-send-handler.ts' },
  plain: true,
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
 * The send function with axios touching undici at import as published (cdk/axios-load-time.ts and the lazy
 * form-data alias undone): what those two changes save.
 */
export const SEND_AXIOS_AS_PUBLISHED: BundleTarget = {
  name: 'what-if-send-axios-as-published',
  label: 'send λ, axios loading undici at import (as published)',
  kind: 'what-if',
  entry: { file: 'functions/send/handler.ts' },
  axiosAsPublished: true,
};

/** The send function with http2 and https-proxy-agent loaded at import, as axios imports them. */
export const SEND_EAGER_MODULES: BundleTarget = {
  name: 'what-if-send-eager-modules',
  label: 'send λ, http2 and https-proxy-agent loaded at import (no deferred modules)',
  kind: 'what-if',
  entry: { file: 'functions/send/handler.ts' },
  eagerModules: true,
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

/**
 * Builds every target into .bench-out/bundles/<name>/ with the stack's `buildLambda` (index.mjs and chunks),
 * or PLAIN_ESBUILD_OPTIONS (index.cjs). Module-source entries are written to .bench-out/entries/ first.
 */
export async function buildBundles(targets: readonly BundleTarget[]): Promise<BuiltBundle[]> {
  const built: BuiltBundle[] = [];
  const entries = join(BENCH_OUT, 'entries');
  mkdirSync(entries, { recursive: true });
  for (const target of targets) {
    const dir = join(BUNDLES_DIR, target.name);
    let entry: string;
    if ('file' in target.entry) entry = join(REPO_ROOT, target.entry.file);
    else {
      // Imports are written relative to the repository root; the entry sits two folders below it.
      entry = join(entries, `${target.name}.ts`);
      writeFileSync(entry, target.entry.contents.replaceAll("from './", "from '../../"));
    }
    let metafile: Metafile;
    if (target.eagerModules) {
      metafile = await buildWithStackOptions(entry, dir, { plugins: [axiosLoadTimeRewrites()] });
    } else if (target.axiosAsPublished) {
      metafile = await buildWithStackOptions(entry, dir, {
        alias: { ...BUNDLE_ALIASES, 'form-data': join(REPO_ROOT, 'bench/fixtures/form-data-eager.ts') },
      });
    } else if (target.plain) {
      rmSync(dir, { recursive: true, force: true });
      const result = await build({
        ...PLAIN_ESBUILD_OPTIONS,
        entryPoints: [entry],
        outfile: join(dir, 'index.cjs'),
        metafile: true,
        logLevel: 'warning',
      });
      metafile = result.metafile;
    } else {
      metafile = await buildLambda({
        entry,
        outdir: dir,
        logLevel: 'warning',
        ...(target.plugins !== undefined && { plugins: target.plugins }),
      });
    }
    const output = Object.keys(metafile.outputs).find((key) => /(^|\/)index\.(mjs|cjs)$/.test(key));
    if (output === undefined) throw new Error(`no index file among ${target.name}'s outputs`);
    const bytes = Object.entries(metafile.outputs)
      .filter(([key]) => !key.endsWith('.map'))
      .reduce((sum, [, out]) => sum + out.bytes, 0);
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(metafile));
    built.push({
      name: target.name,
      label: target.label,
      kind: target.kind,
      file: join(dir, output.split('/').at(-1) as string),
      bytes,
      importBytes: outputsAtImport(metafile, output).reduce(
        (sum, key) => sum + (metafile.outputs[key]?.bytes ?? 0),
        0,
      ),
      metafile,
      output,
    });
  }
  return built;
}

/** LAMBDA_ESBUILD_OPTIONS without `buildLambda`'s plugins, plus `overrides`: the what-ifs that undo one of them. */
async function buildWithStackOptions(
  entry: string,
  outdir: string,
  overrides: Pick<BuildOptions, 'alias' | 'plugins'>,
): Promise<Metafile> {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    ...LAMBDA_ESBUILD_OPTIONS,
    mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
    external: [],
    ...overrides,
    entryPoints: [entry],
    outdir,
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

/** An empty ES module: importing it is node's start-up plus its ES module loader, the cold-import baseline. */
export function writeEmptyModule(): string {
  mkdirSync(BUNDLES_DIR, { recursive: true });
  const file = join(BUNDLES_DIR, 'empty.mjs');
  writeFileSync(file, 'export {};\n');
  return file;
}
