import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';

const TSX = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
const MAIN = new URL('../../local/sandbox/main.ts', import.meta.url).pathname;

/** Starts `npm run sandbox`'s entry point and waits for the URL it prints. */
async function runMain(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(TSX, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  for (let i = 0; i < 300 && !/Press Ctrl\+C/.test(output) && child.exitCode === null; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  if (!url) throw new Error(`sandbox did not start:\n${output}`);
  return { child, url, output: () => output };
}

describe('npm run sandbox (local/sandbox/main.ts)', () => {
  let running: ChildProcess | undefined;
  afterEach(() => {
    if (running && running.exitCode === null) running.kill('SIGKILL');
  });

  it('prints the URL and credentials, serves tokens with the given lifetime, and stops on SIGTERM', async () => {
    // Prepare
    const { child, url, output } = await runMain(['--expires-in', '600', '--rate-limit', '10/1s']);
    running = child;
    // Act
    const response = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    // Assess
    expect(output()).toContain(`GENESYS_API_BASE_URL=${url}`);
    expect(output()).toContain('GENESYS_CLIENT_ID=sandbox-client');
    expect(output()).toContain('10 requests per 1000 ms per token');
    expect(((await response.json()) as { expires_in: number }).expires_in).toBe(600);
    expect(code).toBe(0);
  });

  it('exits 2 with the usage on a bad option', async () => {
    // Act
    const child = spawn(TSX, [MAIN, '--rate-limit', 'fast'], { stdio: ['ignore', 'pipe', 'pipe'] });
    running = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const [code] = await once(child, 'exit');
    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('--rate-limit must look like');
    expect(stderr).toContain('Usage: npm run sandbox');
  });
});
