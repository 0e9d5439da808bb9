/** `npm run sandbox`: runs the Genesys sandbox until SIGINT/SIGTERM and prints how to point the service at it. */

import { CliUsageError, parseCliOptions, USAGE } from './cli-options';
import { DEFAULT_CLIENTS, DEFAULT_RATE_LIMIT } from './constants';
import { startSandbox } from './server';
import type { RateLimit } from './types';

async function main(): Promise<void> {
  const parsed = parseCliOptions(process.argv.slice(2));
  if (parsed.help) {
    console.log(USAGE);
    return;
  }
  const { options } = parsed;
  const sandbox = await startSandbox(options);
  const client = options.clients?.[0] ?? DEFAULT_CLIENTS[0]!;
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const clientRateLimit = options.clientRateLimit ?? false;
  const describe = (limit: RateLimit | false, per: string) =>
    limit === false ? 'off' : `${limit.limit} requests per ${limit.windowMs} ms per ${per}`;
  console.log(`Genesys sandbox listening on ${sandbox.url}
  rate limit: ${describe(rateLimit, 'token')}; ${describe(clientRateLimit, 'OAuth client')}
  webhook:    ${options.webhook ? options.webhook.url : 'none (no receipts posted)'}

Point the service at it (sandbox credentials, not secrets):
  GENESYS_API_BASE_URL=${sandbox.url}
  GENESYS_LOGIN_BASE_URL=${sandbox.url}
  GENESYS_CLIENT_ID=${client.clientId}
  GENESYS_CLIENT_SECRET=${client.clientSecret}

Press Ctrl+C to stop.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('sandbox did not close cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof CliUsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error('sandbox failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
