/**
 * Secrets hygiene for tests: a registry of secret values, a capture of everything a process writes
 * (stdout, stderr, console), and a check that no captured line holds a secret or credential-shaped text.
 * Used by log-capture.setup.ts (every test file) and by the soak run.
 */
import { format, inspect } from 'node:util';

// On globalThis: the setup file and a test file may load this module through different module graphs.
const REGISTRY = Symbol.for('genesys-rich-messaging.test.secret-registry');
type Registry = Set<string>;

function registry(): Registry {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
  holder[REGISTRY] ??= new Set<string>();
  return holder[REGISTRY];
}

/** Values shorter than this are too common to search for (they would match ordinary words). */
export const MIN_SECRET_LENGTH = 6;

/** Marks a value (client secret, access token, webhook secret) as one that must never reach a log line. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) registry().add(value);
}

export function registeredSecrets(): string[] {
  return [...registry()];
}

/** Credential-shaped text, whatever its value: what a leak looks like even for a secret nobody registered. */
export const CREDENTIAL_PATTERNS: ReadonlyArray<{ why: string; pattern: RegExp }> = [
  { why: 'a Bearer token', pattern: /\bBearer\s+(?!\[redacted\])[A-Za-z0-9\-._~+/]{8,}=*/i },
  {
    // A header value that looks like a credential (a scheme, then a token): not a sentence naming the header.
    why: 'an Authorization header value',
    pattern:
      /["']?\bauthorization["']?\s*[:=]\s*["']?(?:(?:Bearer|Basic|Token)\s+)?(?!\[redacted\])[A-Za-z0-9\-._~+/]{8,}=*/i,
  },
  {
    why: 'a client secret value',
    pattern: /["']?\bclient_?secret["']?\s*[:=]\s*["'](?!\[redacted\]|\*+["'])[^"'\s]+["']/i,
  },
  {
    why: 'an access token value',
    pattern: /["']?\baccess_?token["']?\s*[:=]\s*["'](?!\[redacted\])[^"'\s]{8,}["']/i,
  },
];

/** `Basic <base64 of id:secret>`: only when the base64 really decodes to `something:something`. */
const BASIC_CREDENTIALS = /\bBasic\s+([A-Za-z0-9+/]{8,}={0,2})/g;

function hasBasicCredentials(line: string): boolean {
  for (const match of line.matchAll(BASIC_CREDENTIALS)) {
    const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
    if (/^[\x21-\x7e]+:[\x20-\x7e]+$/.test(decoded)) return true;
  }
  return false;
}

export interface LogLeak {
  /** The offending line with every registered secret and credential value masked. */
  line: string;
  why: string;
}

const MASK = '***';

/** The line with registered secrets and credential values replaced, safe to print. */
export function maskSecrets(line: string, secrets: readonly string[] = registeredSecrets()): string {
  let out = secrets.reduce((text, secret) => text.split(secret).join(MASK), line);
  out = out.replace(BASIC_CREDENTIALS, `Basic ${MASK}`);
  for (const { pattern } of CREDENTIAL_PATTERNS) {
    out = out.replace(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`), (found) => {
      const cut = Math.min(found.length, Math.max(found.search(/[:=\s]/) + 1, 6));
      return `${found.slice(0, cut)}${MASK}`;
    });
  }
  return out;
}

/** Every line of `text` that holds a registered secret or credential-shaped text, masked. */
export function findLeaks(text: string, secrets: readonly string[] = registeredSecrets()): LogLeak[] {
  const leaks: LogLeak[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const why: string[] = [];
    if (secrets.some((secret) => line.includes(secret))) why.push('a registered secret');
    for (const { why: reason, pattern } of CREDENTIAL_PATTERNS) if (pattern.test(line)) why.push(reason);
    if (hasBasicCredentials(line)) why.push('Basic credentials');
    if (why.length > 0) leaks.push({ line: maskSecrets(line, secrets), why: why.join(', ') });
  }
  return leaks;
}

export interface OutputCapture {
  /** Everything captured so far, in order. */
  text(): string;
  /** Captured characters so far. */
  readonly size: number;
  /** Puts the original writers back. */
  stop(): void;
  /** Writes to the real stderr, bypassing the capture (for reporting a failed check). */
  writeThrough(text: string): void;
}

type Write = typeof process.stdout.write;
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Captures process.stdout, process.stderr and the console (Powertools' logger writes to the streams,
 * vitest intercepts the console). With `echo`, output still goes through; without, it is kept quiet.
 */
export function captureOutput(options: { echo?: boolean } = {}): OutputCapture {
  const chunks: string[] = [];
  let size = 0;
  const record = (text: string) => {
    chunks.push(text.endsWith('\n') ? text : `${text}\n`);
    size += text.length;
  };
  const originalStdout = process.stdout.write;
  const originalStderr = process.stderr.write;
  const originalConsole = Object.fromEntries(CONSOLE_METHODS.map((name) => [name, console[name]])) as Record<
    (typeof CONSOLE_METHODS)[number],
    (...args: unknown[]) => void
  >;
  const originalDir = console.dir;

  const patchStream = (stream: NodeJS.WriteStream, original: Write): Write =>
    function write(this: unknown, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      record(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      if (options.echo)
        return (original as (...args: unknown[]) => boolean).call(stream, chunk, encoding, callback);
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    } as Write;

  process.stdout.write = patchStream(process.stdout, originalStdout);
  process.stderr.write = patchStream(process.stderr, originalStderr);
  for (const name of CONSOLE_METHODS) {
    console[name] = (...args: unknown[]) => {
      record(format(...args));
      if (options.echo) originalConsole[name].apply(console, args);
    };
  }
  console.dir = (item: unknown, dirOptions?: unknown) => {
    record(inspect(item, dirOptions as Parameters<typeof inspect>[1]));
    if (options.echo) originalDir.call(console, item, dirOptions as Parameters<typeof console.dir>[1]);
  };

  return {
    text: () => chunks.join(''),
    get size() {
      return size;
    },
    stop() {
      process.stdout.write = originalStdout;
      process.stderr.write = originalStderr;
      for (const name of CONSOLE_METHODS) console[name] = originalConsole[name];
      console.dir = originalDir;
    },
    writeThrough(text) {
      originalStderr.call(process.stderr, text);
    },
  };
}
