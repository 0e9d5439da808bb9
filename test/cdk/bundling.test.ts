import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AXIOS_REWRITES, axiosLoadTimeRewrites } from '../../cdk/axios-load-time';
import { BUNDLE_ALIASES, buildLambda, LAMBDA_ESBUILD_OPTIONS } from '../../cdk/bundling';
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
 * which of Node's internal modules were loaded: undici is Node's fetch / FormData / Request implementation.
 */
const PROBE_RUNNER = `
const [bundle, url, clientId, clientSecret] = process.argv.slice(2);
const undici = () => process.moduleLoadList.filter((name) => name.includes('undici'));
const module = await import(bundle);
const atImport = undici();
const outcome = module.sendOnce === undefined ? undefined : await module.sendOnce(url, { clientId, clientSecret });
console.log(JSON.stringify({ atImport, afterSend: undici(), outcome }));
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

  it('never makes Node load undici, at import or during a send, and the client still sends', async () => {
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

  it('the undici check can fail: axios as published loads undici at import', async () => {
    // Prepare: the same settings without the rewrites and without the aliases.
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
    expect(unpatched.atImport.length).toBeGreaterThan(0);
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
