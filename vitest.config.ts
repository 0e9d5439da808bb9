import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores in CI: forks keep the integration servers (sandbox, dynalite, fauxqs) isolated per file.
    pool: 'forks',
    maxWorkers: 2,
  },
});
