import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/**
 * A source rewrite of one axios file, applied at build time only if the file still holds `find` exactly
 * once: a new axios that moved or changed the code fails the build instead of shipping an unchecked patch.
 */
export interface AxiosRewrite {
  /** The file inside the axios package, e.g. `lib/utils.js`. */
  file: string;
  find: string;
  replace: string;
  why: string;
}

/**
 * axios 1.21.1 (pinned in package.json) touches Node's lazily loaded web globals at import, which makes Node
 * load its bundled undici (fetch, FormData, Request, Response: about +25 ms and +5 MiB at cold start) that our
 * `http`-adapter client never uses. Each rewrite keeps axios's behaviour for a Node process that sends JSON
 * over the `http` adapter; the form-data alias (bundling-aliases/form-data.ts) is the third load-time touch.
 */
export const AXIOS_REWRITES: readonly AxiosRewrite[] = [
  {
    file: 'lib/utils.js',
    find: "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;",
    replace: 'const FormDataCtor = undefined;',
    why:
      'reading globalThis.FormData loads undici. isFormData() keeps recognising FormData instances without ' +
      'the instanceof shortcut: its next test (a non-plain object with append() whose tag is FormData) ' +
      'matches both spec FormData and the form-data package.',
  },
  {
    file: 'lib/adapters/fetch.js',
    find: 'const adapter = getFetch();',
    replace: 'const adapter = undefined;',
    why:
      "getFetch() at load reads fetch, Request and Response and constructs both. axios's adapter list reaches " +
      'the fetch adapter only through getFetch() at request time (adapters.js: `fetch: { get: getFetch }`), ' +
      "and only when the adapter is 'fetch' or the ones before it are unavailable: never with the http adapter.",
  },
];

const AXIOS_FILE = /[\\/]node_modules[\\/]axios[\\/](.+)$/;

/**
 * Applies AXIOS_REWRITES to the bundle. The build fails when a rewrite's text is not found exactly once, or
 * when axios is bundled but one of the rewritten files never was (axios reorganised).
 */
export function axiosLoadTimeRewrites(rewrites: readonly AxiosRewrite[] = AXIOS_REWRITES): Plugin {
  return {
    name: 'axios-load-time-rewrites',
    setup(build) {
      let axiosBundled = false;
      const applied = new Set<string>();
      build.onStart(() => {
        axiosBundled = false;
        applied.clear();
      });
      build.onLoad({ filter: /[\\/]node_modules[\\/]axios[\\/].*\.js$/ }, async (args) => {
        axiosBundled = true;
        const inside = AXIOS_FILE.exec(args.path)?.[1]?.replaceAll('\\', '/');
        const rewrite = rewrites.find((r) => r.file === inside);
        if (rewrite === undefined) return undefined;
        const source = await readFile(args.path, 'utf8');
        const found = source.split(rewrite.find).length - 1;
        if (found !== 1) {
          return {
            errors: [
              {
                text: `axios rewrite of ${rewrite.file}: expected ${JSON.stringify(rewrite.find)} once, found it ${found} times. axios changed: check cdk/axios-load-time.ts against the new code (and test/cdk/bundling.test.ts) before upgrading.`,
              },
            ],
          };
        }
        applied.add(rewrite.file);
        return { contents: source.replace(rewrite.find, rewrite.replace), loader: 'js' };
      });
      build.onEnd((result) => {
        if (!axiosBundled || result.errors.length > 0) return undefined;
        const missing = rewrites.filter((r) => !applied.has(r.file)).map((r) => r.file);
        if (missing.length === 0) return undefined;
        return {
          errors: [
            {
              text: `axios is bundled but ${missing.join(', ')} never was: axios reorganised its files; check cdk/axios-load-time.ts.`,
            },
          ],
        };
      });
    },
  };
}
