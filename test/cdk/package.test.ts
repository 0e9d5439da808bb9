import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESYS_FUNCTION_NAMES } from '../../cdk/constants';

// The construct as another team gets it: `npm pack` (its prepack script builds dist/), the tarball installed
// into a fresh project, and examples/construct-app synthesized there with no access to this repository's
// sources, lock file or esbuild.

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = join(ROOT, 'examples/construct-app');
const work = mkdtempSync(join(tmpdir(), 'package-test-'));
const consumer = join(work, 'consumer');
const installed = join(consumer, 'node_modules/genesys-rich-messaging');
const cdkOut = join(work, 'cdk.out');
let synthOutput: string;
let template: { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };

beforeAll(async () => {
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
  mkdirSync(consumer);
  for (const file of ['app.ts', 'tsconfig.json']) copyFileSync(join(EXAMPLE, file), join(consumer, file));
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  // Offline: the package has no dependencies to fetch, only the peers aws-cdk-lib and constructs, which a
  // consuming project has already; here they (and the example's type-checking needs) are linked from this
  // repository's node_modules instead of being downloaded (--legacy-peer-deps: npm does not fetch them).
  await run(
    'npm',
    [
      'install',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--legacy-peer-deps',
      '--ignore-scripts',
      join(work, filename),
    ],
    { cwd: consumer },
  );
  for (const name of ['aws-cdk-lib', 'constructs', '@types/node']) {
    mkdirSync(dirname(join(consumer, 'node_modules', name)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(consumer, 'node_modules', name), 'dir');
  }
  const synth = await run(process.execPath, ['--import', 'tsx', join(consumer, 'app.ts')], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', CDK_OUTDIR: cdkOut },
  });
  synthOutput = synth.stdout + synth.stderr;
  template = JSON.parse(readFileSync(join(cdkOut, 'OrdersNotifications.template.json'), 'utf8'));
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the packed construct', () => {
  it('ships the built construct, prebuilt functions and the schema, not the sources or a lock file', () => {
    // Act
    const shipped = readdirSync(installed).sort();
    // Assess
    expect(shipped).toEqual(['LICENSE', 'README.md', 'dist', 'package.json', 'shared']);
    expect(existsSync(join(installed, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist/types/cdk/index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'shared/messages/schema/send-request.schema.json'))).toBe(true);
    expect(readdirSync(join(installed, 'shared/messages'))).toEqual(['schema']);
    for (const name of GENESYS_FUNCTION_NAMES) {
      expect(existsSync(join(installed, 'dist/assets', name, 'index.mjs')), name).toBe(true);
    }
    expect(readdirSync(join(installed, 'dist/assets/send/chunks')).length).toBeGreaterThan(0);
  });

  it('synthesizes the example app from the installed package with its prebuilt functions', () => {
    // Act
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const assets = readdirSync(cdkOut).filter((name) => name.startsWith('asset.'));
    // Assess
    expect(synthOutput).not.toContain('Bundling asset');
    expect(functions).toHaveLength(GENESYS_FUNCTION_NAMES.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs22.x' });
      const asset = `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`;
      expect(assets).toContain(asset);
      expect(existsSync(join(cdkOut, asset, 'index.mjs'))).toBe(true);
    }
    expect(Object.values(template.Resources).some((r) => r.Type === 'AWS::ApiGateway::Model')).toBe(true);
  });

  it("type-checks the example against the package's declarations", async () => {
    // Act
    const tsc = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', consumer], {
      cwd: consumer,
    });
    // Assess
    await expect(tsc).resolves.toBeDefined();
  }, 120_000);
});
