import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { interceptLocalhostDns } from 'fauxqs';
import type { BotDefinition } from '../shared/bot/bot-config';
import { DEFAULT_BOT_CONNECTOR_SECRET_HEADER } from '../shared/bot/secret-header';
import { ENV } from '../shared/config/environment';
import {
  FUNCTION_TIMEOUT_SECONDS,
  GENESYS_TIMEOUT_MS,
  LEASE_SECONDS,
  RETRY_MAX_RECEIVE_COUNT,
  RETRY_VISIBILITY_TIMEOUT_SECONDS,
} from '../shared/config/timing';
import type { GenesysCredentials } from '../shared/genesys/types';
import { DEMO_BOTS } from './demo-bots';
import { createStatusTable, type DynaliteServer, startDynaliteServer } from './dynalite';
import { type EventBridgeStandIn, type ReceivedEvent, startEventBridgeStandIn } from './eventbridge-stand-in';
import { LOCAL_AWS, type LocalQueues, startLocalQueues } from './fauxqs-queues';
import { type GatewayRequestLog, type HttpGateway, startHttpGateway } from './http-gateway';
import {
  functionArn,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  type LocalFunction,
  lambdaContext,
} from './lambda-context';
import type { RandomFaults, RateLimit, ReceiptTiming, Sandbox } from './sandbox';
import { startSandbox } from './sandbox';
import { type SchedulerEvent, type SchedulerStandIn, startSchedulerStandIn } from './scheduler-stand-in';
import { type SqsEventSource, startSqsEventSource } from './sqs-event-source';

/**
 * The whole service on one machine (docs/data-flow.md, "Local stack"): the real Lambda handlers behind a
 * local API Gateway, fed by an SQS event source on fauxqs and an EventBridge Scheduler stand-in, writing
 * to dynalite, and talking to the Genesys sandbox (or a real org). Nothing here re-implements the
 * service: the handlers build their clients from the environment set below, exactly as in Lambda.
 */

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

export interface LocalStackOptions {
  /** Port of the local API on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** Port of the Genesys sandbox on 127.0.0.1; default 0 (any free port). */
  sandboxPort?: number;
  /** A real Genesys org instead of the sandbox (see resolveGenesysTarget). */
  genesys?: GenesysCredentials;
  /** Sandbox per-token rate limit; default {@link DEFAULT_LOCAL_RATE_LIMIT}, low on purpose to show throttling. */
  rateLimit?: RateLimit | false;
  /** When the sandbox sends the Delivered and Read receipts after a send. */
  receipts?: ReceiptTiming;
  /** The webhook signing secret shared with the sandbox; default a random one per run. */
  webhookSecret?: string;
  /** The bot connector's connection secret; default a random one per run. */
  botConnectorSecret?: string;
  /** The header it travels in; default {@link DEFAULT_BOT_CONNECTOR_SECRET_HEADER}. */
  botConnectorSecretHeader?: string;
  /** The bots the service answers for; default {@link DEMO_BOTS}. */
  bots?: BotDefinition[];
  /** Handlers' Powertools log level; default WARN so the demo output stays readable. */
  logLevel?: LogLevel;
  /** RETRY_BASE_DELAY_SECONDS for the handlers; default 1 so retries happen within the demo. */
  retryBaseDelaySeconds?: number;
  /**
   * GENESYS_MAX_REQUESTS_PER_MINUTE, the handlers' own pacing; default the variable's value if set, else
   * {@link DEFAULT_LOCAL_PACING_PER_MINUTE}: above the sandbox's limit on purpose, so the sandbox's 429s
   * (not only our pacer) are part of the demo.
   */
  pacingPerMinute?: number;
  /** Random Genesys faults of the sandbox (`npm start -- --faults`), drawn from `seed`. */
  randomFaults?: RandomFaults;
  seed?: number;
  /** WEBHOOK_FORWARD_URL: the webhook's forwarding mode, to a middleware of yours (`--forward-webhook`). */
  webhookForwardUrl?: string;
  /** API Gateway payload format; default 1.0 (the CDK stack deploys a REST API). */
  payloadVersion?: '1.0' | '2.0';
  /** Everything the stack notices that is not an HTTP answer (scheduler runs, poller errors). */
  onEvent?: (event: LocalStackEvent) => void;
}

export type LocalStackEvent =
  | { type: 'request'; request: GatewayRequestLog }
  | { type: 'scheduler'; event: SchedulerEvent }
  | { type: 'bot-event'; event: ReceivedEvent }
  | { type: 'error'; where: string; error: unknown };

export interface LocalStackUrls {
  /** Base URL of the API: POST /messages, GET /messages/{id}, POST /webhooks/genesys. */
  api: string;
  webhook: string;
  /** The Bot Connector URI to give a Digital Bot Connector integration (`<api>/botconnector`). */
  botConnector: string;
  /** The EventBridge stand-in (AWS_ENDPOINT_URL_EVENTBRIDGE). */
  eventBridge: string;
  /** Absent with a real Genesys org. */
  sandbox?: string;
  dynamodb: string;
  sqs: string;
  scheduler: string;
}

export interface LocalStack {
  urls: LocalStackUrls;
  genesys:
    | { mode: 'sandbox'; clientId: string; clientSecret: string; region: string }
    | { mode: 'real'; clientId: string; region: string };
  webhookSecret: string;
  /** The connection secret's header name and value (a local value; never print one that came from the environment). */
  botConnector: { secretHeader: string; secret: string; busName: string };
  eventBridge: EventBridgeStandIn;
  tableName: string;
  retryQueueUrl: string;
  deadLetterQueueUrl: string;
  /** The variables the handlers were started with (secrets included: local values only, never print them). */
  environment: Readonly<Record<string, string>>;
  sandbox?: Sandbox;
  queues: LocalQueues;
  scheduler: SchedulerStandIn;
  retryEventSource: SqsEventSource;
  stop(): Promise<void>;
}

/** Low enough that a handful of messages sent at once meets Genesys' 429 and the retry path. */
export const DEFAULT_LOCAL_RATE_LIMIT: RateLimit = { limit: 3, windowMs: 2000 };
/** Slow enough to watch in the demo, quick enough to finish it in seconds. */
export const DEFAULT_LOCAL_RECEIPTS: ReceiptTiming = { deliveredAfterMs: 400, readAfterMs: 1200 };
/** 50 ms between calls: a burst of five reaches the sandbox well within its 2 s window. */
export const DEFAULT_LOCAL_PACING_PER_MINUTE = 1200;
export const LOCAL_TABLE_NAME = 'genesys-message-status';
export const LOCAL_SCHEDULER_GROUP = 'genesys-messaging';
export const LOCAL_SCHEDULER_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:role/genesys-messaging-scheduler`;
export const WEBHOOK_PATH = '/webhooks/genesys';
export const BOT_CONNECTOR_PATH = '/botconnector';
export const LOCAL_BOT_EVENT_BUS = 'genesys-messaging-bot';

/** Name, timeout and memory as the CDK stack gives them (timeouts: shared/config/timing.ts). */
export const LOCAL_FUNCTIONS = {
  send: { functionName: 'genesys-send', timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.send, memoryLimitInMB: 512 },
  retry: {
    functionName: 'genesys-retry',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.retry,
    memoryLimitInMB: 512,
  },
  webhook: {
    functionName: 'genesys-webhook',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.webhook,
    memoryLimitInMB: 512,
  },
  status: {
    functionName: 'genesys-status',
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.status,
    memoryLimitInMB: 256,
  },
  bot: { functionName: 'genesys-bot', timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.bot, memoryLimitInMB: 512 },
} as const satisfies Record<string, LocalFunction>;

type LambdaHandler = (event: never, context: Context) => Promise<unknown>;

interface Handlers {
  send: (event: unknown, context: Context) => Promise<unknown>;
  retry: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  webhook: (event: unknown, context: Context) => Promise<unknown>;
  status: (event: never, context: Context) => Promise<unknown>;
  bot: (event: unknown, context: Context) => Promise<unknown>;
}

let handlersLoaded = false;

/**
 * Starts everything on loopback and returns its URLs and a stop(). Once per process: the handlers keep
 * their AWS clients, Genesys token and configuration in module state, as a warm Lambda does.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (handlersLoaded) {
    throw new Error(
      'startLocalStack runs once per process: the handlers keep their clients and configuration in module state',
    );
  }
  // Node 20 here, 22 on Lambda: the SDK's notice about 2027 says nothing about the stack (set before any client).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const emit = (event: LocalStackEvent) => options.onEvent?.(event);
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw new AggregateError(errors, 'the local stack did not stop cleanly');
  };

  try {
    // fauxqs names its queues http://sqs.<region>.localhost:<port>/…, and the SQS client sends each call to
    // its QueueUrl's host. *.localhost is loopback (RFC 6761), but not every resolver says so: Node's does now.
    const restoreDns = interceptLocalhostDns('localhost');
    cleanups.push(async () => restoreDns());

    const dynamo = await startDynaliteServer(0);
    cleanups.push(() => dynamo.close());
    await createTable(dynamo);

    const queues = await startLocalQueues({
      visibilityTimeoutSeconds: RETRY_VISIBILITY_TIMEOUT_SECONDS,
      maxReceiveCount: RETRY_MAX_RECEIVE_COUNT,
    });
    cleanups.push(() => queues.stop());

    // Requests and schedules reach the handlers only once they are loaded, after the environment is set.
    let handlers: Handlers | undefined;
    const loaded = (): Handlers => {
      if (handlers === undefined) throw new Error('the handlers are not loaded yet');
      return handlers;
    };
    const lambda =
      (name: keyof typeof LOCAL_FUNCTIONS) =>
      (event: unknown): Promise<unknown> =>
        (loaded()[name] as LambdaHandler)(event as never, lambdaContext(LOCAL_FUNCTIONS[name]));

    // Started before the handlers load, so a port already in use fails before anything is cached.
    const gateway: HttpGateway = await startHttpGateway({
      routes: [
        { method: 'POST', resource: '/messages', invoke: lambda('send'), timeoutMs: routeTimeoutMs('send') },
        {
          method: 'GET',
          resource: '/messages/{id}',
          invoke: lambda('status'),
          timeoutMs: routeTimeoutMs('status'),
        },
        {
          method: 'POST',
          resource: WEBHOOK_PATH,
          invoke: lambda('webhook'),
          timeoutMs: routeTimeoutMs('webhook'),
        },
        {
          method: 'GET',
          resource: `${BOT_CONNECTOR_PATH}/bots`,
          invoke: lambda('bot'),
          timeoutMs: routeTimeoutMs('bot'),
        },
        {
          method: 'GET',
          resource: `${BOT_CONNECTOR_PATH}/bots/{botId}`,
          invoke: lambda('bot'),
          timeoutMs: routeTimeoutMs('bot'),
        },
        {
          method: 'POST',
          resource: `${BOT_CONNECTOR_PATH}/messages`,
          invoke: lambda('bot'),
          timeoutMs: routeTimeoutMs('bot'),
        },
      ],
      port: options.port ?? 0,
      payloadVersion: options.payloadVersion ?? '1.0',
      onRequest: (request) => emit({ type: 'request', request }),
      onInvokeError: (route, error) => emit({ type: 'error', where: route, error }),
    });
    cleanups.push(() => gateway.close());
    const webhookUrl = `${gateway.url}${WEBHOOK_PATH}`;

    const webhookSecret = options.webhookSecret ?? randomBytes(24).toString('base64url');
    const botConnectorUrl = `${gateway.url}${BOT_CONNECTOR_PATH}`;
    const bots = options.bots ?? DEMO_BOTS;
    const botConnector = {
      secretHeader: options.botConnectorSecretHeader ?? DEFAULT_BOT_CONNECTOR_SECRET_HEADER,
      secret: options.botConnectorSecret ?? randomBytes(24).toString('base64url'),
      busName: LOCAL_BOT_EVENT_BUS,
    };
    const eventBridge = await startEventBridgeStandIn({
      onEvent: (event) => emit({ type: 'bot-event', event }),
    });
    cleanups.push(() => eventBridge.close());
    const sandboxClient = { clientId: 'local-stack', clientSecret: randomBytes(18).toString('base64url') };
    let sandbox: Sandbox | undefined;
    if (options.genesys === undefined) {
      const started = await startSandbox({
        port: options.sandboxPort ?? 0,
        clients: [sandboxClient],
        rateLimit: options.rateLimit ?? DEFAULT_LOCAL_RATE_LIMIT,
        receipts: options.receipts ?? DEFAULT_LOCAL_RECEIPTS,
        // Genesys retries a webhook 5 times, 5 s apart; a second apart keeps a local hiccup short.
        webhook: { url: webhookUrl, secret: webhookSecret, retryDelayMs: 1000 },
        ...(options.randomFaults !== undefined && { randomFaults: options.randomFaults }),
        ...(options.seed !== undefined && { seed: options.seed }),
        // Genesys' side of a Digital Bot Connector integration calling the local bot (the first listed).
        ...(bots[0]?.versions[0] !== undefined && {
          botConnector: {
            uri: botConnectorUrl,
            secretHeader: botConnector.secretHeader,
            secret: botConnector.secret,
            botId: bots[0].id,
            botVersion: bots[0].versions[0].version,
            languageCode: bots[0].versions[0].supportedLanguages[0] ?? 'en-us',
          },
        }),
      });
      cleanups.push(() => started.close());
      sandbox = started;
    }

    // Schedules may target the send function only (its own one-time sends).
    const sendArn = functionArn(LOCAL_FUNCTIONS.send.functionName);
    const scheduler = await startSchedulerStandIn({
      invoke: async (targetArn, input) => {
        if (targetArn !== sendArn) throw new Error(`no local function has the ARN ${targetArn}`);
        return lambda('send')(input);
      },
      onEvent: (event) => emit({ type: 'scheduler', event }),
    });
    cleanups.push(() => scheduler.close());

    const environment = handlerEnvironment({
      dynamo,
      queues,
      scheduler,
      sandbox,
      sandboxClient,
      genesys: options.genesys,
      webhookSecret,
      webhookForwardUrl: options.webhookForwardUrl,
      botConnector,
      bots,
      eventBridge,
      logLevel: options.logLevel ?? 'WARN',
      retryBaseDelaySeconds: options.retryBaseDelaySeconds ?? 1,
      pacingPerMinute:
        options.pacingPerMinute !== undefined
          ? String(options.pacingPerMinute)
          : process.env[ENV.genesysMaxRequestsPerMinute] || String(DEFAULT_LOCAL_PACING_PER_MINUTE),
    });
    applyEnvironment(environment);
    handlersLoaded = true;
    handlers = await loadHandlers();

    const retryEventSource = startSqsEventSource({
      sqs: queues.sqs,
      queueUrl: queues.retryQueueUrl,
      queueArn: queues.retryQueueArn,
      handler: (event) => loaded().retry(event, lambdaContext(LOCAL_FUNCTIONS.retry)),
      batchSize: 10,
      waitTimeSeconds: 1,
      concurrency: 1,
      onError: (error) => emit({ type: 'error', where: 'retry event source', error }),
    });
    cleanups.push(() => retryEventSource.stop());

    return {
      urls: {
        api: gateway.url,
        webhook: webhookUrl,
        botConnector: botConnectorUrl,
        eventBridge: eventBridge.url,
        ...(sandbox !== undefined && { sandbox: sandbox.url }),
        dynamodb: dynamo.endpoint,
        sqs: environment.AWS_ENDPOINT_URL_SQS!,
        scheduler: scheduler.url,
      },
      genesys:
        options.genesys === undefined
          ? { mode: 'sandbox', ...sandboxClient, region: LOCAL_REGION }
          : { mode: 'real', clientId: options.genesys.clientId, region: options.genesys.region },
      webhookSecret,
      botConnector,
      eventBridge,
      tableName: LOCAL_TABLE_NAME,
      retryQueueUrl: queues.retryQueueUrl,
      deadLetterQueueUrl: queues.deadLetterQueueUrl,
      environment,
      ...(sandbox !== undefined && { sandbox }),
      queues,
      scheduler,
      retryEventSource,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

async function createTable(dynamo: DynaliteServer): Promise<void> {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo.endpoint });
  try {
    await createStatusTable(client, LOCAL_TABLE_NAME);
  } finally {
    client.destroy();
  }
}

/** Every variable the handlers read (shared/config/environment.ts) plus the SDK's and Powertools' own. */
function handlerEnvironment(input: {
  dynamo: DynaliteServer;
  queues: LocalQueues;
  scheduler: SchedulerStandIn;
  sandbox: Sandbox | undefined;
  sandboxClient: { clientId: string; clientSecret: string };
  genesys: GenesysCredentials | undefined;
  webhookSecret: string;
  webhookForwardUrl: string | undefined;
  botConnector: { secretHeader: string; secret: string; busName: string };
  bots: BotDefinition[];
  eventBridge: EventBridgeStandIn;
  logLevel: LogLevel;
  retryBaseDelaySeconds: number;
  pacingPerMinute: string;
}): Record<string, string> {
  const genesys: Record<string, string> =
    input.sandbox !== undefined
      ? {
          [ENV.genesysClientId]: input.sandboxClient.clientId,
          [ENV.genesysClientSecret]: input.sandboxClient.clientSecret,
          // Required even with base URL overrides: the token cache is keyed by it.
          [ENV.genesysRegion]: LOCAL_REGION,
          [ENV.genesysApiBaseUrl]: input.sandbox.url,
          [ENV.genesysLoginBaseUrl]: input.sandbox.url,
        }
      : {
          [ENV.genesysClientId]: input.genesys!.clientId,
          [ENV.genesysClientSecret]: input.genesys!.clientSecret,
          [ENV.genesysRegion]: input.genesys!.region,
        };
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    // The emulators check no credentials; the SDK wants some, and must never find real ones here.
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamo.endpoint,
    // The queues' own origin: the SQS client then finds QueueUrl and endpoint agree (no warning per call).
    AWS_ENDPOINT_URL_SQS: new URL(input.queues.retryQueueUrl).origin,
    AWS_ENDPOINT_URL_SCHEDULER: input.scheduler.url,
    AWS_ENDPOINT_URL_EVENTBRIDGE: input.eventBridge.url,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: input.logLevel,
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...genesys,
    [ENV.webhookSecret]: input.webhookSecret,
    ...(input.webhookForwardUrl !== undefined && { [ENV.webhookForwardUrl]: input.webhookForwardUrl }),
    [ENV.botConnectorSecret]: input.botConnector.secret,
    [ENV.botConnectorSecretHeader]: input.botConnector.secretHeader,
    [ENV.botEventBusName]: input.botConnector.busName,
    [ENV.botConnectorBots]: JSON.stringify(input.bots),
    [ENV.statusTableName]: LOCAL_TABLE_NAME,
    [ENV.retryQueueUrl]: input.queues.retryQueueUrl,
    [ENV.deadLetterQueueUrl]: input.queues.deadLetterQueueUrl,
    [ENV.schedulerGroupName]: LOCAL_SCHEDULER_GROUP,
    [ENV.schedulerRoleArn]: LOCAL_SCHEDULER_ROLE_ARN,
    [ENV.retryBaseDelaySeconds]: String(input.retryBaseDelaySeconds),
    // The deployed stack's timing (shared/config/timing.ts), not the code's standalone defaults.
    [ENV.genesysTimeoutMs]: process.env[ENV.genesysTimeoutMs] || String(GENESYS_TIMEOUT_MS),
    [ENV.leaseSeconds]: process.env[ENV.leaseSeconds] || String(LEASE_SECONDS),
    [ENV.genesysMaxRequestsPerMinute]: input.pacingPerMinute,
  };
}

/**
 * Sets the handlers' environment. Variables that would send a local handler to real AWS (a session token,
 * a profile, Secrets Manager ids) are removed; tunables the user set (RETRY_MAX_ATTEMPTS, …) are kept.
 */
function applyEnvironment(environment: Record<string, string>): void {
  for (const name of [
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    ENV.genesysSecretId,
    ENV.webhookSecretId,
    ENV.botConnectorSecretId,
  ]) {
    delete process.env[name];
  }
  Object.assign(process.env, environment);
}

/** After the environment is set: the handlers read it on first use and keep what they build. */
async function loadHandlers(): Promise<Handlers> {
  const [send, retry, webhook, status, bot] = await Promise.all([
    import('../functions/send/handler'),
    import('../functions/retry/handler'),
    import('../functions/webhook/handler'),
    import('../functions/status/handler'),
    import('../functions/bot/handler'),
  ]);
  return {
    send: send.handler,
    retry: retry.handler,
    webhook: webhook.handler,
    status: status.handler as unknown as Handlers['status'],
    bot: bot.handler,
  };
}

function routeTimeoutMs(name: keyof typeof LOCAL_FUNCTIONS): number {
  return LOCAL_FUNCTIONS[name].timeoutSeconds * 1000;
}
