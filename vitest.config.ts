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
    // Captures every log line of every test file, keeps it quiet, and fails the file if a secret appears.
    setupFiles: ['test/support/log-capture.setup.ts'],
    env: {
      // Node 20 here, 22 on Lambda: the SDK's notice about 2027 says nothing about our code.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // EMF metric lines would drown test output; metrics are covered by their unit tests.
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
  },
});
