import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AXIOS_REWRITES, axiosLoadTimeRewrites } from '../../cdk/axios-load-time';
import { BUNDLE_ALIASES, buildLambda, ESM_REQUIRE_BANNER, LAMBDA_ESBUILD_OPTIONS } from '../../cdk/bundling';
import { HTTP2_EXPORTS } from '../../cdk/bundling-aliases/http2';
import { DEFERRED_MODULES, deferredModules } from '../../cdk/deferred-modules';
import type { Sandbox } from '../../local/sandbox';
import { startSandbox } from '../../local/sandbox';

const run = promisify(execFile);
const outdir = mkdtempSync(join(tmpdir(), 'bundling-test-'));
const client = { clientId: 'bundle-client', clientSecret: 'bundle-secret-value' };
const PROBE_ENTRY = 'test/cdk/fixtures/bundled-genesys-probe.ts';
let sandbox: Sandbox;
let send: Metafile;

/**
 * Imports `bundle` in a fresh node process, calls its `sendOnce` (if any) against the sandbox, and reports
 * which of Node's internal modules were loaded: undici is Node's fetch / FormData / Request implementation;
 * `http2` is the module cdk/deferred-modules.ts defers, and `tty` the one https-proxy-agent's debug logger
 * loads when it runs (nothing else here does: the probe's stdout is a pipe).
 */
const PROBE_RUNNER = `
const [bundle, url, clientId, clientSecret] = process.argv.slice(2);
const watched = () => process.moduleLoadList.filter((name) => /undici|^NativeModule (http2|tty)$/.test(name));
const module = await import(bundle);
const atImport = watched();
const outcome = module.sendOnce === undefined ? undefined : await module.sendOnce(url, { clientId, clientSecret });
console.log(JSON.stringify({ atImport, afterSend: watched(), outcome }));
`;

async function probe(
  bundle: string,
): Promise<{ atImport: string[]; afterSend: string[]; outcome?: unknown }> {
  const runner = join(outdir, 'probe-runner.mjs');
  writeFileSync(runner, PROBE_RUNNER);
  const { stdout } = await run(
    process.execPath,
    [runner, pathToFileURL(bundle).href, sandbox.url, client.clientId, client.clientSecret],
    { env: { ...process.env, NODE_OPTIONS: '', AWS_REGION: 'us-east-1' } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

/** Inputs of `output` and of every output it imports statically: what loads at import. */
function loadedAtImport(metafile: Metafile, output: string, seen = new Set<string>()): string[] {
  if (seen.has(output)) return [];
  seen.add(output);
  const out = metafile.outputs[output];
  if (out === undefined) return [];
  return [
    ...Object.keys(out.inputs),
    ...out.imports
      .filter((i) => i.kind === 'import-statement' && !i.external)
      .flatMap((i) => loadedAtImport(metafile, i.path, seen)),
  ];
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clients: [client], receipts: false });
  send = await buildLambda({ entry: 'functions/send/handler.ts', outdir: join(outdir, 'send') });
}, 60_000);

afterAll(async () => {
  await sandbox.close();
  rmSync(outdir, { recursive: true, force: true });
});

describe('Lambda bundling', () => {
  it('leaves out the packages replaced by aliases', () => {
    // Act
    const inputs = Object.keys(send.inputs).join('\n');
    // Assess
    expect(Object.keys(BUNDLE_ALIASES).sort()).toEqual([
      '@aws-sdk/credential-provider-node',
      'follow-redirects',
      'form-data',
    ]);
    for (const gone of [
      'node_modules/form-data/',
      'node_modules/mime-db/',
      'node_modules/follow-redirects/',
      'node_modules/@aws-sdk/credential-provider-node/',
      'node_modules/@aws-sdk/nested-clients/',
    ]) {
      expect(inputs).not.toContain(gone);
    }
  });

  it('splits the send function: the SQS and Scheduler clients are chunks loaded on first use', () => {
    // Prepare
    const index = Object.keys(send.outputs).find((key) => key.endsWith('/send/index.mjs'));
    // Act
    const atImport = loadedAtImport(send, index ?? '').join('\n');
    const everything = Object.keys(send.inputs).join('\n');
    // Assess
    expect(readdirSync(join(outdir, 'send')).sort()).toEqual(['chunks', 'index.mjs', 'index.mjs.map']);
    for (const lazy of ['node_modules/@aws-sdk/client-sqs/', 'node_modules/@aws-sdk/client-scheduler/']) {
      expect(everything).toContain(lazy);
      expect(atImport).not.toContain(lazy);
    }
    expect(atImport).toContain('node_modules/@aws-sdk/client-dynamodb/');
  });

  it('never makes Node load undici, http2 or https-proxy-agent, at import or during a send, and the client still sends', async () => {
    // Prepare
    await buildLambda({ entry: PROBE_ENTRY, outdir: join(outdir, 'probe') });
    // Act
    const handler = await probe(join(outdir, 'send', 'index.mjs'));
    const client = await probe(join(outdir, 'probe', 'index.mjs'));
    // Assess
    expect(handler.atImport).toEqual([]);
    expect(client).toMatchObject({ atImport: [], afterSend: [], outcome: { kind: 'sent', status: 200 } });
    expect(sandbox.messages().at(-1)?.body).toEqual({ textBody: 'sent by the bundled client' });
  });

  it('the check can fail: axios as published loads undici, http2 and https-proxy-agent at import', async () => {
    // Prepare: the same settings without the rewrites, the aliases and the deferred modules.
    const file = join(outdir, 'unpatched', 'index.mjs');
    await build({
      ...LAMBDA_ESBUILD_OPTIONS,
      mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
      external: [],
      alias: {},
      splitting: false,
      entryPoints: [PROBE_ENTRY],
      outfile: file,
      outdir: undefined,
      logLevel: 'error',
    });
    // Act
    const unpatched = await probe(file);
    // Assess
    expect(unpatched.atImport).toEqual(
      expect.arrayContaining(['NativeModule http2', 'NativeModule tty', expect.stringContaining('undici')]),
    );
    expect(unpatched.outcome).toMatchObject({ kind: 'sent' });
  });

  it('fails the build when axios no longer holds the code a rewrite expects', async () => {
    // Prepare
    const [first] = AXIOS_REWRITES;
    const changed = [{ ...first!, find: `${first!.find} // a newer axios` }];
    const moved = [{ ...first!, file: 'lib/moved-elsewhere.js' }];
    const options = {
      entryPoints: [resolve('shared/genesys/http-client.ts')],
      bundle: true,
      platform: 'node' as const,
      format: 'esm' as const,
      write: false,
      logLevel: 'silent' as const,
    };
    // Act / Assess
    await expect(build({ ...options, plugins: [axiosLoadTimeRewrites(changed)] })).rejects.toThrow(
      /axios rewrite of lib\/utils\.js: expected .* once, found it 0 times/,
    );
    await expect(build({ ...options, plugins: [axiosLoadTimeRewrites(moved)] })).rejects.toThrow(
      /axios is bundled but lib\/moved-elsewhere\.js never was/,
    );
  });
});

/** Runs ES module `source` in a fresh node process and returns what it printed last, parsed. */
async function runModule(source: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', source], {
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

/** Bundles one stand-in on its own (no plugin: its own import reaches the real module) and returns its URL. */
async function buildStandIn(name: string): Promise<string> {
  const file = join(outdir, 'stand-ins', `${name}.mjs`);
  await build({
    entryPoints: [DEFERRED_MODULES[name]?.standIn ?? ''],
    bundle: true,
    platform: 'node',
    format: 'esm',
    banner: { js: ESM_REQUIRE_BANNER },
    outfile: file,
    logLevel: 'error',
  });
  return pathToFileURL(file).href;
}

describe('deferred modules (cdk/deferred-modules.ts)', () => {
  it("the http2 stand-in has every export of this Node's http2, loaded on first use", async () => {
    // Prepare
    const real = createRequire(import.meta.url)('node:http2') as Record<string, unknown>;
    const url = await buildStandIn('http2');
    // Act
    const seen = await runModule(`
      const loaded = () => process.moduleLoadList.includes('NativeModule http2');
      const { default: http2 } = await import(${JSON.stringify(url)});
      const atImport = loaded();
      const method = http2.constants.HTTP2_HEADER_METHOD;
      console.log(JSON.stringify({ atImport, method, connect: typeof http2.connect, afterUse: loaded() }));
    `);
    // Assess
    expect([...HTTP2_EXPORTS].sort()).toEqual(Object.keys(real).sort());
    expect(seen).toEqual({ atImport: false, method: ':method', connect: 'function', afterUse: true });
  });

  it('the https-proxy-agent stand-in builds and recognises the real agent, loaded on first use', async () => {
    // Prepare
    const url = await buildStandIn('https-proxy-agent');
    // Act
    const seen = await runModule(`
      const loaded = () => process.moduleLoadList.includes('NativeModule tty');
      const { default: HttpsProxyAgent } = await import(${JSON.stringify(url)});
      const atImport = loaded();
      const agent = new HttpsProxyAgent({ protocol: 'http:', host: 'proxy.example', port: 3128 });
      console.log(JSON.stringify({
        atImport,
        afterUse: loaded(),
        callback: typeof agent.callback,
        proxy: agent.proxy.host,
        isAgent: agent instanceof HttpsProxyAgent,
        otherIsAgent: {} instanceof HttpsProxyAgent,
      }));
    `);
    // Assess
    expect(seen).toEqual({
      atImport: false,
      afterUse: true,
      callback: 'function',
      proxy: 'proxy.example',
      isAgent: true,
      otherIsAgent: false,
    });
  });

  it('fails the build when a file its stand-in was not written for imports a deferred module', async () => {
    // Prepare
    const entry = join(outdir, 'new-importer.ts');
    writeFileSync(
      entry,
      "import HttpsProxyAgent from 'https-proxy-agent';\nexport default HttpsProxyAgent;\n",
    );
    // Act / Assess
    await expect(
      build({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        format: 'esm',
        write: false,
        logLevel: 'silent',
        plugins: [deferredModules()],
      }),
    ).rejects.toThrow(/new-importer\.ts imports https-proxy-agent, which cdk\/deferred-modules\.ts replaces/);
  });
});
