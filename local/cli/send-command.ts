import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { statusRank } from '../../shared/status/message-status';
import type { HistoryEntry } from '../../shared/status/types';
import { MessagesApi, type RequestSigner } from '../messages-api';
import { type FollowUntil, formatHistoryLine, historyKey, isFinal, shorten, summaryOf } from '../status-view';
import { regionOfApiUrl, sigV4Signer } from './sigv4-signer';

/**
 * `npm run send -- <request.json>`: posts a send request to the local stack or a deployed API (SigV4) and
 * follows the message's status until it is delivered (or `--until sent|read`), failed, or the timeout.
 */

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export const SEND_USAGE = `Usage: npm run send -- <request.json | -> [options]

Posts a send request (README "Send request"; "-" reads it from stdin) and follows its status.

  --url <url>              the API: the local stack (default ${DEFAULT_API_URL}) or a deployed stage's
                           invoke URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/v1
  --region <region>        SigV4 region (default: from an execute-api URL, else AWS_REGION)
  --sign / --no-sign       sign with SigV4 and the AWS credential chain (default: unless the URL is loopback)
  --idempotency-key <key>  Idempotency-Key header (an idempotencyKey in the body wins)
  --until <status>         sent, delivered (default) or read; failed always stops
  --timeout <seconds>      stop following after this long (default 120)
  --no-follow              print the answer and stop
  --help                   show this help

Exit codes: 0 accepted (and, when following, the --until status reached, or sent without a
receipt by the timeout: not every org or channel sends receipts); 1 refused or failed; 2 usage;
3 not even sent at the timeout.`;

export class SendUsageError extends Error {
  override name = 'SendUsageError';
}

export interface SendCommandIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  readStdin?: () => Promise<string>;
}

interface SendOptions {
  file: string;
  url: string;
  region?: string;
  sign?: boolean;
  idempotencyKey?: string;
  until: FollowUntil;
  timeoutMs: number;
  follow: boolean;
}

export async function runSendCommand(argv: string[], io: SendCommandIo): Promise<number> {
  let options: SendOptions | 'help';
  try {
    options = parseSendOptions(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${SEND_USAGE}`);
    return 2;
  }
  if (options === 'help') {
    io.out(SEND_USAGE);
    return 0;
  }

  let request: unknown;
  try {
    request = await readRequest(options.file, io);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }

  const url = new URL(options.url);
  const sign = options.sign ?? !isLoopback(url);
  let signer: RequestSigner | undefined;
  if (sign) {
    const region = options.region ?? regionOfApiUrl(url) ?? (io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION);
    if (region === undefined) {
      io.err(`cannot tell the SigV4 region of ${url.host}: pass --region or set AWS_REGION`);
      return 2;
    }
    signer = sigV4Signer({ region });
  }
  const api = new MessagesApi(options.url, signer === undefined ? {} : { signer });

  const t0 = Date.now();
  let answer: Awaited<ReturnType<MessagesApi['send']>>;
  try {
    answer = await api.send(
      request,
      options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey },
    );
  } catch (error) {
    io.err(`POST ${api.messagesUrl} failed: ${describeFetchError(error)}`);
    return 1;
  }
  const body = answer.body;
  if (answer.status < 200 || answer.status >= 300) {
    io.err(`POST ${api.messagesUrl} → ${answer.status}`);
    io.err(body === undefined ? answer.text : JSON.stringify(body, null, 2));
    return 1;
  }
  const messageId = body?.messageId;
  const replayed = answer.headers.get('idempotent-replayed') === 'true';
  io.out(
    `POST ${api.messagesUrl} → ${answer.status} ${body?.status ?? ''} (message id ${messageId}` +
      `${replayed ? '; a replay: the first send with this key answered, nothing was sent again' : ''})`,
  );
  if (!options.follow || messageId === undefined) return 0;

  io.out(
    `Following GET ${api.statusUrl(messageId)} until ${options.until} (Ctrl+C stops following, not the send):`,
  );
  const printed = new Set<string>();
  const deadline = t0 + options.timeoutMs;
  const interval = isLoopback(url) ? 250 : 1000;
  for (;;) {
    const status = await api.status(messageId).catch((error: unknown) => {
      io.err(`GET failed: ${describeFetchError(error)} (trying again)`);
      return undefined;
    });
    if (status !== undefined && status.status !== 200) {
      io.err(`GET ${api.statusUrl(messageId)} → ${status.status}: ${shorten(status.text, 300)}`);
      if (status.status !== 404 && status.status < 500) return 1;
    }
    const merged = status?.status === 200 ? status.body : undefined;
    if (merged !== undefined) {
      for (const entry of merged.history as HistoryEntry[]) {
        const key = historyKey(entry);
        if (printed.has(key)) continue;
        printed.add(key);
        io.out(formatHistoryLine(messageId, entry, t0, messageId.length));
      }
      if (isFinal(merged.status, options.until)) {
        io.out(summaryOf(merged));
        return merged.status === 'failed' ? 1 : 0;
      }
    }
    if (Date.now() >= deadline) {
      if (merged !== undefined && statusRank(merged.status) >= statusRank('sent')) {
        // Genesys took it; receipts come only through a configured webhook or EventBridge integration,
        // and some channels send none: the send worked, only the follow-up is unknown.
        io.out(summaryOf(merged));
        io.out(
          `${merged.status}, and no ${options.until} receipt within ${options.timeoutMs / 1000} s: Genesys took the message; receipts need the webhook or EventBridge set up, and not every channel sends them`,
        );
        return 0;
      }
      io.err(
        `not final after ${options.timeoutMs / 1000} s${merged ? ` (status ${merged.status})` : ''}: follow it with GET ${api.statusUrl(messageId)}`,
      );
      return 3;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

function parseSendOptions(argv: string[]): SendOptions | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new SendUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) {
    throw new SendUsageError(
      positionals.length === 0
        ? 'give the request file (or - for stdin)'
        : `one request file only, got ${positionals.length}`,
    );
  }
  if (values.sign && values['no-sign']) throw new SendUsageError('--sign and --no-sign exclude each other');
  const url = values.url ?? DEFAULT_API_URL;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new SendUsageError(`--url must be an http(s) URL, got "${url}"`);
  }
  const until = values.until ?? 'delivered';
  if (until !== 'sent' && until !== 'delivered' && until !== 'read') {
    throw new SendUsageError(`--until must be sent, delivered or read, got "${until}"`);
  }
  const timeout = values.timeout === undefined ? 120 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new SendUsageError(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
  }
  return {
    file: positionals[0] as string,
    url,
    ...(values.region !== undefined && { region: values.region }),
    ...(values.sign ? { sign: true } : values['no-sign'] ? { sign: false } : {}),
    ...(values['idempotency-key'] !== undefined && { idempotencyKey: values['idempotency-key'] }),
    until,
    timeoutMs: timeout * 1000,
    follow: values['no-follow'] !== true,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      region: { type: 'string' },
      sign: { type: 'boolean' },
      'no-sign': { type: 'boolean' },
      'idempotency-key': { type: 'string' },
      until: { type: 'string' },
      timeout: { type: 'string' },
      'no-follow': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
}

async function readRequest(file: string, io: SendCommandIo): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await (io.readStdin ?? readStdin)() : await readFile(file, 'utf8');
  } catch (error) {
    throw new SendUsageError(
      `cannot read ${file === '-' ? 'stdin' : file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SendUsageError(
      `${file === '-' ? 'stdin' : file} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function isLoopback(url: URL): boolean {
  return (
    ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname) || url.hostname.endsWith('.localhost')
  );
}

export function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (is the local stack running? npm start)';
  return cause?.message ?? (error as Error).message;
}
