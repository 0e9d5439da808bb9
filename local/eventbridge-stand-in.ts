import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { BodyTooLargeError, closeServer, listenOnLoopback, readBody } from './http-server';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './lambda-context';

/**
 * Amazon EventBridge on loopback, for PutEvents as @aws-sdk/client-eventbridge sends it (AWS JSON 1.1,
 * `X-Amz-Target: AWSEvents.PutEvents`). Point the SDK at it with AWS_ENDPOINT_URL_EVENTBRIDGE and the bot
 * function's real publish path runs unchanged. It keeps every event it took, tells `onEvent`, and can be
 * made unavailable (500 for every call) to show a publish failure and Genesys' retry.
 */

/** One event as a rule target receives it (the EventBridge envelope). */
export interface ReceivedEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  /** Not part of the envelope: which bus it was put on. */
  eventBusName: string;
}

export interface EventBridgeStandIn {
  /** `http://127.0.0.1:<port>`: the value for AWS_ENDPOINT_URL_EVENTBRIDGE. */
  readonly url: string;
  events(): ReceivedEvent[];
  /** While false, every PutEvents is answered 500 InternalException (nothing kept). */
  setAvailable(available: boolean): void;
  /** Resolves with the first event (already kept or still to come) that matches. */
  waitFor(match: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
/** EventBridge's own limit per PutEvents. */
const MAX_ENTRIES = 10;

interface Entry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Time?: unknown;
  Resources?: unknown;
}

export async function startEventBridgeStandIn(
  options: { port?: number; onEvent?: (event: ReceivedEvent) => void } = {},
): Promise<EventBridgeStandIn> {
  const received: ReceivedEvent[] = [];
  const waiters = new Set<{
    match: (event: ReceivedEvent) => boolean;
    resolve: (event: ReceivedEvent) => void;
  }>();
  let available = true;

  const reply = (response: ServerResponse, status: number, body: unknown, errorType?: string) => {
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
      ...(errorType !== undefined && { 'x-amzn-errortype': errorType }),
    });
    response.end(JSON.stringify(body));
  };
  const fail = (response: ServerResponse, status: number, type: string, message: string) =>
    reply(response, status, { __type: type, message }, type);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let raw: Buffer;
    try {
      raw = await readBody(request, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return fail(response, 413, 'ValidationException', error.message);
      throw error;
    }
    if (request.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
      return fail(response, 400, 'UnknownOperationException', 'only AWSEvents.PutEvents is supported here');
    }
    if (!available)
      return fail(response, 500, 'InternalException', 'the EventBridge stand-in is unavailable');
    let body: { Entries?: unknown };
    try {
      body = JSON.parse(raw.toString('utf8')) as { Entries?: unknown };
    } catch {
      return fail(response, 400, 'SerializationException', 'body is not JSON');
    }
    if (!Array.isArray(body.Entries) || body.Entries.length === 0 || body.Entries.length > MAX_ENTRIES) {
      return fail(response, 400, 'ValidationException', `Entries must hold 1 to ${MAX_ENTRIES} entries`);
    }
    const results = (body.Entries as Entry[]).map((entry) => {
      if (
        typeof entry.Source !== 'string' ||
        typeof entry.DetailType !== 'string' ||
        typeof entry.Detail !== 'string'
      ) {
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required' };
      }
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail);
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
      }
      const event: ReceivedEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: LOCAL_ACCOUNT,
        time: new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : Date.now()).toISOString(),
        region: LOCAL_REGION,
        resources: Array.isArray(entry.Resources) ? (entry.Resources as string[]) : [],
        detail,
        eventBusName: typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default',
      };
      received.push(event);
      options.onEvent?.(event);
      for (const waiter of waiters) {
        if (waiter.match(event)) {
          waiters.delete(waiter);
          waiter.resolve(event);
        }
      }
      return { EventId: event.id };
    });
    const failed = results.filter((result) => 'ErrorCode' in result).length;
    reply(response, 200, { FailedEntryCount: failed, Entries: results });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      fail(response, 500, 'InternalException', error instanceof Error ? error.message : String(error)),
    );
  });
  const port = await listenOnLoopback(server, options.port ?? 0);

  return {
    url: `http://127.0.0.1:${port}`,
    events: () => [...received],
    setAvailable: (value) => {
      available = value;
    },
    waitFor: (match, timeoutMs = 20_000) => {
      const found = received.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (event: ReceivedEvent) => {
            clearTimeout(timer);
            resolve(event);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching event within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => closeServer(server),
  };
}
