import { parseArgs } from 'node:util';
import type { RandomFaults, RateLimit } from './sandbox';
import { CliUsageError, integer, parseRandomFaults, parseRateLimit } from './sandbox/cli-options';
import { TEST_ADDRESSES } from './sandbox/test-addresses';

/** Command-line options of `npm start` / `npm run demo`, parsed with clear errors. */

export const DEFAULT_PORT = 3000;

/** The sandbox listens next to the API (`--port 0`: any free port), so the customer CLI can find it. */
export function sandboxPortFor(apiPort: number): number {
  return apiPort === 0 || apiPort >= 65_535 ? 0 : apiPort + 1;
}

export const START_USAGE = `Usage: npm start -- [options]        (npm run demo = npm start -- --demo)

Starts the service on 127.0.0.1 (Genesys sandbox, dynalite, fauxqs, the Lambda handlers behind a local
API Gateway, the retry queue's event source and an EventBridge Scheduler stand-in), runs the demo, and
stays up for your own requests until Ctrl+C.

  --demo                       exit after the demo (exit code 1 if a message did not end read)
  --no-demo                    skip the demo
  --port <n>                   port of the local API (default ${DEFAULT_PORT}, the sandbox on the next; 0 = any free)
  --rate-limit <n/window>      sandbox limit per token, e.g. 3/2s (default), 300/60s (Genesys' own), off
  --faults <spec>              random sandbox faults on sends, e.g. throttle=0.2,error503=0.1,reset=0.05,
                               hang=0.02,slow=0.3:800 (probabilities per request)
  --seed <n>                   seed of the random faults (default 42)
  --forward-webhook <url>      forwarding mode: pass each verified webhook post on to your middleware
  --sandbox                    use the sandbox even when GENESYS_CLIENT_ID/SECRET/REGION are set
  --genesys-secret-file <path> a real Genesys org: JSON {"clientId", "clientSecret", "region"}
  --verbose                    handler logs at INFO, one line per API request and schedule
  --help                       show this help

A real Genesys org is used when GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and GENESYS_REGION are set (or
--genesys-secret-file is given); WEBHOOK_SECRET then sets the webhook signing secret (default: random).

Test addresses: the sandbox always fails sends to these agentless toAddress values (or bot connector
botSessionId values), like a payment provider's test cards. RETRY_MAX_ATTEMPTS=3 npm start makes the
dead letter quick.
${TEST_ADDRESSES.map((t) => `  ${t.toAddress}  ${t.botSessionId.padEnd(17)} Genesys ${t.status}: ${t.shows}`).join('\n')}`;

export interface StartOptions {
  demo: 'run-and-exit' | 'run-and-stay' | 'skip';
  port: number;
  rateLimit?: RateLimit | false;
  sandbox: boolean;
  secretFile?: string;
  verbose: boolean;
  randomFaults?: RandomFaults;
  seed?: number;
  webhookForwardUrl?: string;
}

export { CliUsageError };

export function parseStartOptions(argv: string[]): { help: true } | { help: false; options: StartOptions } {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };
  if (values.demo && values['no-demo']) throw new CliUsageError('--demo and --no-demo exclude each other');
  const options: StartOptions = {
    demo: values.demo ? 'run-and-exit' : values['no-demo'] ? 'skip' : 'run-and-stay',
    port: values.port === undefined ? DEFAULT_PORT : port(values.port),
    sandbox: values.sandbox === true,
    verbose: values.verbose === true,
  };
  if (values['rate-limit'] !== undefined) options.rateLimit = parseRateLimit(values['rate-limit']);
  if (values['genesys-secret-file'] !== undefined) options.secretFile = values['genesys-secret-file'];
  if (values.faults !== undefined) options.randomFaults = parseRandomFaults(values.faults);
  if (values.seed !== undefined) options.seed = integer('seed', values.seed, 0, 0xffff_ffff);
  const forward = values['forward-webhook'];
  if (forward !== undefined) {
    if (!URL.canParse(forward)) throw new CliUsageError(`--forward-webhook must be a URL, got "${forward}"`);
    options.webhookForwardUrl = forward;
  }
  return { help: false, options };
}

function port(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value > 65_535) {
    throw new CliUsageError(`--port must be a whole number from 0 to 65535, got "${raw}"`);
  }
  return value;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      demo: { type: 'boolean' },
      'no-demo': { type: 'boolean' },
      port: { type: 'string' },
      'rate-limit': { type: 'string' },
      sandbox: { type: 'boolean' },
      'genesys-secret-file': { type: 'string' },
      faults: { type: 'string' },
      seed: { type: 'string' },
      'forward-webhook': { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
}
