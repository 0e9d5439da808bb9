import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// One supported Node.js range, stated in package.json and the README, that every installed package accepts:
// `npm ci` then prints no engine warning on any Node.js version of the range.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const range: string = pkg.engines.node;

describe('supported Node.js range', () => {
  it('is accepted by every package of the lock file, optional platform builds included', () => {
    // Act
    const refusing = Object.entries(lock.packages as Record<string, { engines?: { node?: string } }>)
      .filter(([path, entry]) => path !== '' && entry.engines?.node !== undefined)
      .filter(([, entry]) => !semver.subset(range, entry.engines!.node!))
      .map(([path, entry]) => `${path} wants ${entry.engines!.node}`);
    // Assess
    expect(refusing).toEqual([]);
  });

  it('is the one the README states, and the lock file records', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`Node.js \`${range}\``);
    expect(lock.packages[''].engines.node).toBe(range);
  });

  it('includes the Node.js running this test', () => {
    expect(semver.satisfies(process.version, range)).toBe(true);
  });
});
