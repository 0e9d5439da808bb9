import { readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { LAMBDA_ESBUILD_OPTIONS } from '../../cdk/bundling';

const FUNCTIONS = readdirSync('functions', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** The zod files a function's bundle holds code from, by part of zod (core, mini, classic, locales…). */
async function zodPartsOf(name: string): Promise<Record<string, number>> {
  const result = await build({
    ...LAMBDA_ESBUILD_OPTIONS,
    entryPoints: [`functions/${name}/handler.ts`],
    outdir: 'unused',
    write: false,
    sourcemap: false,
    metafile: true,
    logLevel: 'error',
  });
  const parts: Record<string, number> = {};
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const part = /node_modules\/zod\/(?:v4\/)?([^/]+)\//.exec(input)?.[1];
      if (part !== undefined && bytesInOutput > 0) parts[part] = (parts[part] ?? 0) + bytesInOutput;
    }
  }
  return parts;
}

describe('zod in the Lambda bundles', () => {
  it.each(FUNCTIONS)('%s λ: zod/mini and its core only, never classic zod', async (name) => {
    // Act
    const parts = await zodPartsOf(name);

    // Assess: classic zod costs ~30 ms at cold start on its own (issue 16); a stray `from 'zod'` brings it back.
    expect(Object.keys(parts).filter((part) => !['core', 'mini', 'locales'].includes(part))).toEqual([]);
    // The English locale (~3 KB) only where zod's own wording reaches a reader; never every locale.
    expect(parts.locales ?? 0).toBeLessThan(4000);
  });

  it('the send λ carries zod/mini', async () => {
    // Act
    const parts = await zodPartsOf('send');

    // Assess: the test above would pass vacuously if the bundle lost zod altogether.
    expect(parts.mini).toBeGreaterThan(0);
    expect(parts.core).toBeGreaterThan(0);
  });
});
