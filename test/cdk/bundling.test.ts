import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_ALIASES, LAMBDA_ESBUILD_OPTIONS } from '../../cdk/bundling';
import type { Sandbox } from '../../local/sandbox';
import { startSandbox } from '../../local/sandbox';

const outdir = mkdtempSync(join(tmpdir(), 'bundling-test-'));
const client = { clientId: 'bundle-client', clientSecret: 'bundle-secret-value' };
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clients: [client], receipts: false });
});

afterAll(async () => {
  await sandbox.close();
  rmSync(outdir, { recursive: true, force: true });
});

describe('Lambda bundling', () => {
  it('leaves out the packages replaced by aliases', async () => {
    // Act
    const result = await build({
      ...LAMBDA_ESBUILD_OPTIONS,
      entryPoints: ['functions/send/handler.ts'],
      outfile: join(outdir, 'send.mjs'),
      metafile: true,
      logLevel: 'error',
    });
    // Assess
    const inputs = Object.keys(result.metafile.inputs).join('\n');
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

  it('gives a Genesys client that still sends: token, JSON body, answer classified', async () => {
    // Prepare
    const outfile = join(outdir, 'probe.mjs');
    await build({
      ...LAMBDA_ESBUILD_OPTIONS,
      entryPoints: ['test/cdk/fixtures/bundled-genesys-probe.ts'],
      outfile,
      logLevel: 'error',
    });
    const { sendOnce } = await import(pathToFileURL(outfile).href);
    // Act
    const outcome = await sendOnce(sandbox.url, client);
    // Assess
    expect(outcome).toMatchObject({ kind: 'sent', status: 200 });
    expect(sandbox.messages().at(-1)?.body).toEqual({ textBody: 'sent by the bundled client' });
  });
});
