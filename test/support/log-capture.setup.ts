/**
 * vitest setup file (setupFiles): captures everything each test file writes (stdout, stderr, console,
 * Powertools' JSON logs) and, after the file, fails it if any line holds a test secret, an access token,
 * an Authorization value, `Bearer …`, `Basic …` credentials or a `clientSecret` value.
 * Output stays quiet unless the check fails (then the offending lines are printed, masked) or
 * TEST_LOG_ECHO=1 is set (everything passes through, e.g. while debugging a test).
 */
import { afterAll } from 'vitest';
import { DEFAULT_CLIENTS } from '../../local/sandbox/constants';
import { ENV } from '../../shared/config/environment';
import { CLIENT as SANDBOX_SUITE_CLIENT } from '../sandbox/helpers';
import { PREVIOUS_SECRET as WEBHOOK_PREVIOUS_SECRET, SECRET as WEBHOOK_SECRET } from '../webhook/support';
import { captureOutput, findLeaks, registerSecret } from './log-capture';

/** Test-only switch: let captured output through as well. */
export const ECHO_ENV = 'TEST_LOG_ECHO';

/**
 * Secrets that test files keep in module-local constants (not importable): listed here so a leak of
 * one of them is caught even though no harness registers it.
 */
const MODULE_LOCAL_TEST_SECRETS = [
  'super-secret-value-9a8b7c', // test/genesys/secrets-manager-credentials.test.ts
  'rotated-secret-1234', // test/genesys/secrets-manager-credentials.test.ts
  'local-secret-value', // test/genesys/credentials.test.ts
  'first-secret-value', // test/genesys/credentials.test.ts
  'second-secret-value', // test/genesys/credentials.test.ts
  'partial-secret-value', // test/genesys/credentials.test.ts
  'whsec-test', // test/sandbox/receipts.test.ts
];

for (const client of DEFAULT_CLIENTS) registerSecret(client.clientSecret);
registerSecret(SANDBOX_SUITE_CLIENT.clientSecret);
registerSecret(WEBHOOK_SECRET);
registerSecret(WEBHOOK_PREVIOUS_SECRET);
for (const secret of MODULE_LOCAL_TEST_SECRETS) registerSecret(secret);

const capture = captureOutput({ echo: process.env[ECHO_ENV] === '1' });

afterAll(() => {
  capture.stop();
  // Secrets a test put in the environment (local credentials, the local webhook secret) count as well.
  registerSecret(process.env[ENV.genesysClientSecret]);
  registerSecret(process.env[ENV.webhookSecret]);
  const leaks = findLeaks(capture.text());
  if (leaks.length === 0) return;
  const shown = leaks.slice(0, 20).map((leak) => `  [${leak.why}] ${leak.line.slice(0, 500)}`);
  const more = leaks.length > shown.length ? `\n  … and ${leaks.length - shown.length} more` : '';
  const report = `${leaks.length} captured log line(s) hold a secret or credential (masked below):\n${shown.join('\n')}${more}`;
  capture.writeThrough(`${report}\n`);
  throw new Error(report);
});
