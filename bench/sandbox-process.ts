import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AcceptedMessage, RateLimit, SandboxClient, SandboxStats } from '../local/sandbox';
import { startSandbox } from '../local/sandbox';
import { isEntryPoint } from './cli-options';

/**
 * The Genesys sandbox in its own node process, like Genesys on the far side of a network: its request
 * handling, message store and garbage collection stay out of the process being measured, and its clock
 * (the rate limit window) does not lag with ours. Controlled over the IPC channel.
 */
export interface SandboxProcessOptions {
  clients: SandboxClient[];
  rateLimit: RateLimit | false;
  clientRateLimit?: RateLimit | false;
}

export interface RemoteSandbox {
  readonly url: string;
  stats(): Promise<SandboxStats>;
  messages(): Promise<AcceptedMessage[]>;
  /** Distinct messages Genesys took (by route, path and body). */
  deliveredCount(): Promise<number>;
  duplicates(): Promise<Array<{ key: string; count: number }>>;
  close(): Promise<void>;
}

type Method = 'stats' | 'messages' | 'deliveredCount' | 'duplicates';
type Request = { id: number; method: Method };
type Reply = { id: number; result?: unknown; error?: string };
type Ready = { ready: string } | { failed: string };

export async function startSandboxProcess(options: SandboxProcessOptions): Promise<RemoteSandbox> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: Ready) =>
      'ready' in message ? resolve(message.ready) : reject(new Error(`sandbox process: ${message.failed}`)),
    );
    child.once('exit', (code) =>
      reject(new Error(`sandbox process exited with ${code} before it was ready`)),
    );
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    if (waiter === undefined) return;
    pending.delete(reply.id);
    if (reply.error !== undefined) waiter.reject(new Error(`sandbox process: ${reply.error}`));
    else waiter.resolve(reply.result);
  });
  let nextId = 0;
  const call = <T>(method: Method) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, method } satisfies Request);
    });
  return {
    url,
    stats: () => call<SandboxStats>('stats'),
    messages: () => call<AcceptedMessage[]>('messages'),
    deliveredCount: () => call<number>('deliveredCount'),
    duplicates: () => call<Array<{ key: string; count: number }>>('duplicates'),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function serve(options: SandboxProcessOptions): Promise<void> {
  const sandbox = await startSandbox({
    port: 0,
    clients: options.clients,
    receipts: false,
    rateLimit: options.rateLimit,
    clientRateLimit: options.clientRateLimit ?? false,
  });
  const methods: Record<Method, () => unknown> = {
    stats: () => sandbox.stats(),
    messages: () => sandbox.messages(),
    deliveredCount: () => sandbox.deliveryCounts().size,
    duplicates: () => sandbox.duplicates(),
  };
  process.on('message', (request: Request) => {
    try {
      process.send?.({ id: request.id, result: methods[request.method]() } satisfies Reply);
    } catch (error) {
      process.send?.({ id: request.id, error: (error as Error).message } satisfies Reply);
    }
  });
  process.once('SIGTERM', () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  // The parent gone (crash, Ctrl+C): nothing left to serve.
  process.once('disconnect', () => {
    void sandbox.close().finally(() => process.exit(0));
  });
  process.send?.({ ready: sandbox.url } satisfies Ready);
}

if (isEntryPoint(import.meta.url)) {
  serve(JSON.parse(process.argv[2] ?? '{}') as SandboxProcessOptions).catch((error: unknown) => {
    process.send?.({ failed: (error as Error).message } satisfies Ready);
    process.exit(1);
  });
}
