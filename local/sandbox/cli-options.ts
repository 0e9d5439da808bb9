/** Command-line options of `npm run sandbox`, parsed into SandboxOptions with clear errors. */
import { parseArgs } from 'node:util';
import type { RandomFaults, RateLimit, SandboxOptions } from './types';

export const USAGE = `Usage: npm run sandbox -- [options]

  --port <n>                 port on 127.0.0.1 (default 0: any free port)
  --rate-limit <n/window>    requests per window per token, e.g. 300/60s, 50/500ms, 1000/1m; "off" to disable
                             (default 300/60s, the Genesys default)
  --client-rate-limit <n/window>
                             requests per window for all tokens of one OAuth client together, like Genesys'
                             org.app.user.rate.per.minute (3000/60s there); default off
  --expires-in <seconds>     access token lifetime (default 86400)
  --webhook-url <url>        post signed Open Messaging receipts there
  --webhook-secret <secret>  HMAC secret of the X-Hub-Signature-256 header (required with --webhook-url)
  --client-id <id>           OAuth client id (default sandbox-client)
  --client-secret <secret>   OAuth client secret (default sandbox-secret)
  --faults <spec>            random faults on sends, e.g. throttle=0.1,error503=0.05,reset=0.02,hang=0.01,slow=0.2:800
                             (probabilities per request; slow=<probability>:<ms>; error500 too)
  --seed <n>                 seed of the random faults (default 42)
  --help                     show this help`;

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function integer(name: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliUsageError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** `300/60s`, `50/500ms`, `1000/1m`, `300/60` (seconds), or `off`. */
export function parseRateLimit(raw: string, option = 'rate-limit'): RateLimit | false {
  if (raw === 'off' || raw === 'false') return false;
  const match = /^(\d+)\/(\d+)(ms|s|m|h)?$/.exec(raw.trim());
  if (!match?.[1] || !match[2]) {
    throw new CliUsageError(`--${option} must look like 300/60s, 50/500ms or off, got "${raw}"`);
  }
  const windowMs = Number(match[2]) * (UNIT_MS[match[3] ?? 's'] ?? 1000);
  if (windowMs <= 0) throw new CliUsageError(`--${option} window must be longer than 0, got "${raw}"`);
  return { limit: Number(match[1]), windowMs };
}

const FAULT_KINDS = ['throttle', 'error500', 'error503', 'hang', 'reset'] as const;

/** `throttle=0.1,error503=0.05,slow=0.2:800`: each a probability per send request (their sum at most 1). */
export function parseRandomFaults(raw: string): RandomFaults {
  const faults: { -readonly [K in keyof RandomFaults]: RandomFaults[K] } = {};
  const usage = `--faults takes kind=probability pairs (${FAULT_KINDS.join(', ')}, slow=<p>:<ms>)`;
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const [kind, value = ''] = part.split('=', 2) as [string, string?];
    const [p = '', ms] = value.split(':', 2);
    const probability = Number(p);
    if (p === '' || !(probability >= 0 && probability <= 1)) {
      throw new CliUsageError(`${usage}: "${part}" needs a probability from 0 to 1`);
    }
    if (kind === 'slow') {
      const delay = Number(ms);
      if (ms === undefined || !Number.isInteger(delay) || delay < 0) {
        throw new CliUsageError(`${usage}: "${part}" needs a delay in ms, e.g. slow=0.2:800`);
      }
      faults.slow = { probability, ms: delay };
    } else if ((FAULT_KINDS as readonly string[]).includes(kind)) {
      faults[kind as (typeof FAULT_KINDS)[number]] = probability;
    } else {
      throw new CliUsageError(`${usage}: unknown kind "${kind}"`);
    }
  }
  const total = FAULT_KINDS.reduce((sum, kind) => sum + (faults[kind] ?? 0), 0);
  if (total > 1) throw new CliUsageError(`--faults: the failure probabilities add up to ${total}, over 1`);
  return faults;
}

export function parseCliOptions(argv: string[]): { help: true } | { help: false; options: SandboxOptions } {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };
  const options: SandboxOptions = {};
  if (values.port !== undefined) options.port = integer('port', values.port, 0, 65_535);
  if (values['rate-limit'] !== undefined) options.rateLimit = parseRateLimit(values['rate-limit']);
  if (values['client-rate-limit'] !== undefined) {
    options.clientRateLimit = parseRateLimit(values['client-rate-limit'], 'client-rate-limit');
  }
  if (values['expires-in'] !== undefined) {
    options.tokenExpiresInSeconds = integer('expires-in', values['expires-in'], 1);
  }
  if (values.seed !== undefined) options.seed = integer('seed', values.seed, 0, 0xffff_ffff);
  if (values.faults !== undefined) options.randomFaults = parseRandomFaults(values.faults);
  const url = values['webhook-url'];
  const secret = values['webhook-secret'];
  if (url !== undefined || secret !== undefined) {
    if (!url || !secret) throw new CliUsageError('--webhook-url and --webhook-secret go together');
    if (!URL.canParse(url)) throw new CliUsageError(`--webhook-url must be an absolute URL, got "${url}"`);
    options.webhook = { url, secret };
  }
  const clientId = values['client-id'];
  const clientSecret = values['client-secret'];
  if (clientId !== undefined || clientSecret !== undefined) {
    options.clients = [
      { clientId: clientId ?? 'sandbox-client', clientSecret: clientSecret ?? 'sandbox-secret' },
    ];
  }
  return { help: false, options };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      'rate-limit': { type: 'string' },
      'client-rate-limit': { type: 'string' },
      'expires-in': { type: 'string' },
      'webhook-url': { type: 'string' },
      'webhook-secret': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}
