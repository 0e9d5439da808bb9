import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

const standIn = (name: string) => fileURLToPath(new URL(`./bundling-aliases/${name}.ts`, import.meta.url));

/**
 * Modules a bundled dependency imports at load but a send uses only on a path we never take, each replaced
 * by a stand-in that loads the real module on first use (bundling-aliases/<name>.ts says why for each).
 * Measured with `npm run bench` (first answer, side by side): 1.2 MiB less peak memory at a cold start.
 *
 * A stand-in with `importers` copies only what those files use: another importer (a dependency upgrade)
 * fails the build until someone checks it against the stand-in. The `http2` stand-in has every export of
 * the real module as its default export, so any default import gets the same module (and a named import
 * fails the build: the stand-in has none).
 */
export const DEFERRED_MODULES: Readonly<Record<string, { standIn: string; importers?: readonly RegExp[] }>> =
  {
    http2: { standIn: standIn('http2') },
    'https-proxy-agent': {
      standIn: standIn('https-proxy-agent'),
      importers: [/node_modules\/axios\/lib\/adapters\/http\.js$/],
    },
  };

const SPECIFIER = /^(?:node:)?(http2|https-proxy-agent)$/;

/**
 * Sends the imports of DEFERRED_MODULES to their stand-ins; the stand-ins' own imports reach the real
 * modules. For a stand-in with `importers`, an importer not listed fails the build.
 */
export function deferredModules(modules = DEFERRED_MODULES): Plugin {
  const standIns = new Set(Object.values(modules).map((m) => m.standIn));
  return {
    name: 'deferred-modules',
    setup(build) {
      build.onResolve({ filter: SPECIFIER }, (args) => {
        const name = SPECIFIER.exec(args.path)?.[1] as string;
        const deferred = modules[name];
        if (deferred === undefined || standIns.has(args.importer)) return undefined;
        const importer = args.importer.replaceAll('\\', '/');
        if (
          deferred.importers !== undefined &&
          !deferred.importers.some((pattern) => pattern.test(importer))
        ) {
          return {
            errors: [
              {
                text: `${importer} imports ${args.path}, which cdk/deferred-modules.ts replaces by a stand-in written for its known importers only: check what the new importer uses against bundling-aliases/${name}.ts, then list it there.`,
              },
            ],
          };
        }
        return { path: deferred.standIn };
      });
    },
  };
}
