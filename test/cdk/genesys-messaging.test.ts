import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER } from '../../cdk/bundling';
import { GENESYS_FUNCTION_NAMES, type GenesysFunctionName } from '../../cdk/constants';
import { GenesysMessagingStack } from '../../cdk/genesys-messaging-stack';
import { ENV } from '../../shared/config/environment';
import { GATEWAY_ERRORS } from '../../shared/http/gateway-errors';
import { STATUS_TABLE } from '../../shared/status/table-keys';

// One synth for the whole file (bundling five functions is the slow part): two stacks in one app, one with
// every default and one with every option set, checked by cdk-nag like `cdk synth` does.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE_HANDLER = resolve(ROOT, 'test/cdk/fixtures/handler.ts');
const SCHEMA_FILE = resolve(ROOT, 'shared/messages/schema/send-request.schema.json');
const GENESYS_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys/credentials-AbC123';
const WEBHOOK_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys/webhook-XyZ789';
const BOT_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys/bot-QwE456';
const BOT_BUS_ARN = 'arn:aws:events:eu-west-1:123456789012:event-bus/customer-answers';
const BOTS = [
  {
    id: 'order-bot',
    name: 'Order bot',
    provider: 'AWS',
    versions: [{ version: '1', supportedLanguages: ['en-us'], intents: [{ name: 'OrderConfirmed' }] }],
  },
];
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:ops-alarms';
const PARTNER_SOURCE = 'aws.partner/genesys.com/cloud/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9/messages';
const EXAMPLE_REQUEST = {
  idempotencyKey: 'daily-digest',
  target: { kind: 'agentless', messengerType: 'sms', fromAddress: '+15550100', toAddress: '+15550101' },
  message: { text: 'Good morning: your digest is ready.' },
};

/** The real handlers; the fixture only for one that does not exist yet. */
const handlerEntries = Object.fromEntries(
  GENESYS_FUNCTION_NAMES.map((name) => {
    const real = resolve(ROOT, 'functions', name, 'handler.ts');
    return [name, existsSync(real) ? real : FIXTURE_HANDLER];
  }),
) as Record<GenesysFunctionName, string>;

/** Synthesized CloudFormation: untyped JSON, read by path. */
type Json = Record<string, any>;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Json;
}

let outdir: string;
let app: App;
let minimal: Template;
let full: Template;
let validationReport: Json;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'cdk-genesys-'));
  app = new App({ outdir });
  const minimalStack = new GenesysMessagingStack(app, 'Minimal', { messaging: { handlerEntries } });
  const fullStack = new GenesysMessagingStack(app, 'Full', {
    env: { account: '123456789012', region: 'eu-west-1' },
    alarmTopicArn: TOPIC_ARN,
    messaging: {
      handlerEntries,
      genesysCredentialsSecret: GENESYS_SECRET_ARN,
      webhookSigningSecret: WEBHOOK_SECRET_ARN,
      operatorPrincipals: ['arn:aws:iam::123456789012:role/support', 'arn:aws:iam::123456789012:user/ops'],
      retry: {
        maxAttempts: 5,
        maxAge: Duration.hours(2),
        baseDelay: Duration.seconds(3),
        maxDelay: Duration.minutes(30),
      },
      concurrency: {
        retryMaxConcurrency: 4,
        retryBatchSize: 10,
        sendReservedConcurrency: 20,
        webhookReservedConcurrency: 10,
        genesysTokenRequestsPerMinute: 400,
        genesysClientRequestsPerMinute: 2500,
      },
      logRetention: RetentionDays.THREE_MONTHS,
      logLevel: 'DEBUG',
      serviceName: 'acme-messaging',
      metricsNamespace: 'Acme/Messaging',
      genesysPartnerEventSourceName: PARTNER_SOURCE,
      exampleSchedule: {
        schedule: ScheduleExpression.cron({
          minute: '0',
          hour: '9',
          weekDay: 'MON-FRI',
          timeZone: TimeZone.EUROPE_PARIS,
        }),
        request: EXAMPLE_REQUEST,
        description: 'Daily digest',
      },
      reconcileInterval: Duration.minutes(5),
      reconcileMinAge: Duration.minutes(20),
      statusTtl: Duration.days(30),
      apiThrottling: { rateLimit: 10, burstLimit: 20 },
      apiGatewayCloudWatchRole: false,
      tableRemovalPolicy: RemovalPolicy.DESTROY,
      botConnector: {
        bots: BOTS,
        secretHeaderName: 'X-Genesys-Bot-Secret',
        connectionSecret: BOT_SECRET_ARN,
        // An imported bus is a plain ARN: any scope will do.
        eventBus: events.EventBus.fromEventBusArn(minimalStack, 'AnswersBus', BOT_BUS_ARN),
      },
    },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  minimal = Template.fromStack(minimalStack);
  full = Template.fromStack(fullStack);
  validationReport = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
}, 120_000);

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────────

/** The one resource of `type` whose logical id starts with `prefix`. */
function only(template: Template, type: string, prefix: string): [string, Json] {
  const matches = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  expect(matches.map(([id]) => id)).toHaveLength(1);
  return matches[0] as [string, Json];
}

function capitalized(name: string): string {
  return name[0]!.toUpperCase() + name.slice(1);
}

function lambdaOf(template: Template, name: GenesysFunctionName): [string, Json] {
  return only(template, 'AWS::Lambda::Function', `Messaging${capitalized(name)}Function`);
}

function roleIdOf(template: Template, name: GenesysFunctionName): string {
  return lambdaOf(template, name)[1].Properties.Role['Fn::GetAtt'][0];
}

function statementsOfRole(template: Template, roleId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** action ➜ resources it is allowed on, for one role. */
function grants(template: Template, roleId: string): Map<string, unknown[]> {
  const result = new Map<string, unknown[]>();
  for (const statement of statementsOfRole(template, roleId)) {
    expect(statement.Effect).toBe('Allow');
    const actions = [statement.Action].flat();
    const resources = [statement.Resource].flat();
    for (const action of actions) result.set(action, [...(result.get(action) ?? []), ...resources]);
  }
  return result;
}

function ref(id: string) {
  return { Ref: id };
}

function arnOf(id: string) {
  return { 'Fn::GetAtt': [id, 'Arn'] };
}

function assetFiles(template: Template, name: GenesysFunctionName): string {
  const key: string = lambdaOf(template, name)[1].Properties.Code.S3Key;
  return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
}

// ── Functions ───────────────────────────────────────────────────────────────────────────────────────

const POWERTOOLS_AND_NODE = [
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_LOG_LEVEL',
  'NODE_OPTIONS',
];
const RETRY_ENV = [
  ENV.retryQueueUrl,
  ENV.retryMaxAttempts,
  ENV.retryMaxAgeSeconds,
  ENV.retryBaseDelaySeconds,
  ENV.retryMaxDelaySeconds,
  ENV.leaseSeconds,
];
const EXPECTED_ENV: Record<GenesysFunctionName, string[]> = {
  send: [
    ENV.statusTableName,
    ENV.statusTtlDays,
    ENV.genesysSecretId,
    ENV.genesysTimeoutMs,
    ENV.genesysMaxRequestsPerMinute,
    ...RETRY_ENV,
    ENV.deadLetterQueueUrl,
    ENV.schedulerGroupName,
    ENV.schedulerRoleArn,
  ],
  retry: [
    ENV.statusTableName,
    ENV.statusTtlDays,
    ENV.genesysSecretId,
    ENV.genesysTimeoutMs,
    ENV.genesysMaxRequestsPerMinute,
    ...RETRY_ENV,
    ENV.deadLetterQueueUrl,
  ],
  webhook: [ENV.statusTableName, ENV.statusTtlDays, ENV.webhookSecretId],
  status: [ENV.statusTableName],
  reconcile: [
    ENV.statusTableName,
    ENV.statusTtlDays,
    ENV.genesysSecretId,
    ENV.genesysTimeoutMs,
    ENV.genesysMaxRequestsPerMinute,
    ENV.retryQueueUrl,
    ENV.reconcileMinAgeSeconds,
  ],
  bot: [
    ENV.statusTableName,
    ENV.statusTtlDays,
    ENV.botConnectorBots,
    ENV.botConnectorSecretId,
    ENV.botConnectorSecretHeader,
    ENV.botEventBusName,
  ],
};

describe('functions', () => {
  it('pace Genesys calls so the bounded fleet stays under the token and the client limits', () => {
    // Act
    const rate = (template: Template, name: GenesysFunctionName) =>
      lambdaOf(template, name)[1].Properties.Environment.Variables[ENV.genesysMaxRequestsPerMinute];
    const paces = (template: Template) =>
      (['send', 'retry', 'reconcile'] as const).map((n) => rate(template, n));
    // Assess: defaults 7 send + 2 retry + 1 reconcile instances, each a whole token's 300 (3000 in all);
    // full: 20 + 4 + 1 instances share 2500 per minute, 100 each (under the token's 400).
    expect(paces(minimal)).toEqual(['300', '300', '300']);
    expect(paces(full)).toEqual(['100', '100', '100']);
  });

  it('run Node.js 22 on arm64 with the chosen memory and timeouts', () => {
    // Prepare
    const expected = {
      send: [512, 25],
      retry: [512, 60],
      webhook: [512, 10],
      status: [256, 10],
      reconcile: [512, 300],
      bot: [512, 10],
    };
    // Act
    const actual = Object.fromEntries(
      GENESYS_FUNCTION_NAMES.map((name) => {
        const { Properties: p } = lambdaOf(minimal, name)[1];
        expect(p.Runtime).toBe('nodejs22.x');
        expect(p.Architectures).toEqual(['arm64']);
        expect(p.Handler).toBe('index.handler');
        return [name, [p.MemorySize, p.Timeout]];
      }),
    );
    // Assess
    expect(actual).toEqual(expected);
  });

  it('give each function exactly the environment it reads, named from shared/config/environment.ts', () => {
    for (const name of GENESYS_FUNCTION_NAMES) {
      // Act
      const variables = lambdaOf(minimal, name)[1].Properties.Environment.Variables;
      // Assess
      expect(Object.keys(variables).sort(), name).toEqual(
        [...POWERTOOLS_AND_NODE, ...EXPECTED_ENV[name]].sort(),
      );
      expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it('give the status function the operator principals, and no operators by default', () => {
    // Act
    const configured = lambdaOf(full, 'status')[1].Properties.Environment.Variables;
    const byDefault = lambdaOf(minimal, 'status')[1].Properties.Environment.Variables;
    // Assess
    expect(configured[ENV.operatorPrincipals]).toBe(
      'arn:aws:iam::123456789012:role/support,arn:aws:iam::123456789012:user/ops',
    );
    expect(byDefault[ENV.operatorPrincipals]).toBeUndefined();
  });

  it('pass the configured budget, limits and Powertools settings as environment values', () => {
    // Act
    const send = lambdaOf(full, 'send')[1].Properties.Environment.Variables;
    const retry = lambdaOf(full, 'retry')[1].Properties.Environment.Variables;
    const webhook = lambdaOf(full, 'webhook')[1].Properties.Environment.Variables;
    const reconcile = lambdaOf(full, 'reconcile')[1].Properties.Environment.Variables;
    const [tableId] = only(full, 'AWS::DynamoDB::GlobalTable', 'MessagingStatusTable');
    const [retryQueueId] = only(full, 'AWS::SQS::Queue', 'MessagingRetryQueue');
    const [dlqId] = only(full, 'AWS::SQS::Queue', 'MessagingDeadLetterQueue');
    const [groupId] = only(full, 'AWS::Scheduler::ScheduleGroup', 'MessagingScheduleGroup');
    const [schedulerRoleId] = only(full, 'AWS::IAM::Role', 'MessagingSchedulerRole');
    // Assess
    expect(send).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'acme-messaging',
      POWERTOOLS_METRICS_NAMESPACE: 'Acme/Messaging',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      [ENV.statusTableName]: ref(tableId),
      [ENV.statusTtlDays]: '30',
      [ENV.genesysSecretId]: GENESYS_SECRET_ARN,
      [ENV.genesysTimeoutMs]: '5000',
      [ENV.retryQueueUrl]: ref(retryQueueId),
      [ENV.retryMaxAttempts]: '5',
      [ENV.retryMaxAgeSeconds]: '7200',
      [ENV.retryBaseDelaySeconds]: '3',
      [ENV.retryMaxDelaySeconds]: '1800',
      [ENV.leaseSeconds]: '90',
      [ENV.schedulerGroupName]: ref(groupId),
      [ENV.schedulerRoleArn]: arnOf(schedulerRoleId),
    });
    expect(retry[ENV.deadLetterQueueUrl]).toEqual(ref(dlqId));
    expect(send[ENV.deadLetterQueueUrl]).toEqual(ref(dlqId));
    expect(retry[ENV.retryMaxAttempts]).toBe('5');
    expect(webhook[ENV.webhookSecretId]).toBe(WEBHOOK_SECRET_ARN);
    expect(reconcile[ENV.reconcileMinAgeSeconds]).toBe('1200');
  });

  it('write to one log group each, kept for the configured retention', () => {
    for (const [template, days] of [
      [minimal, 30],
      [full, 90],
    ] as const) {
      const logGroupIds = GENESYS_FUNCTION_NAMES.map(
        (name) => lambdaOf(template, name)[1].Properties.LoggingConfig.LogGroup.Ref as string,
      );
      expect(new Set(logGroupIds).size).toBe(GENESYS_FUNCTION_NAMES.length);
      for (const id of logGroupIds) {
        expect(template.findResources('AWS::Logs::LogGroup')[id]?.Properties.RetentionInDays).toBe(days);
      }
    }
  });

  it('bound the Genesys callers by reserved concurrency, the others only where configured', () => {
    // Act
    const reserved = (template: Template, name: GenesysFunctionName) =>
      lambdaOf(template, name)[1].Properties.ReservedConcurrentExecutions;
    // Assess
    expect(GENESYS_FUNCTION_NAMES.map((name) => [name, reserved(minimal, name)])).toEqual([
      ['send', 7],
      ['retry', undefined],
      ['webhook', undefined],
      ['status', undefined],
      ['reconcile', 1],
      ['bot', undefined],
    ]);
    expect(reserved(full, 'reconcile')).toBe(1);
    expect(reserved(full, 'send')).toBe(20);
    expect(reserved(full, 'webhook')).toBe(10);
  });

  it('keep failed async invocations in the failed-invocations queue', () => {
    // Act
    const configs = Object.values(minimal.findResources('AWS::Lambda::EventInvokeConfig'));
    const [queueId] = only(minimal, 'AWS::SQS::Queue', 'MessagingFailedInvocationsQueue');
    // Assess
    expect(configs.map((c) => c.Properties.FunctionName.Ref).sort()).toEqual(
      (['send', 'webhook', 'reconcile'] as const).map((name) => lambdaOf(minimal, name)[0]).sort(),
    );
    for (const config of configs) {
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: arnOf(queueId) } },
      });
    }
  });

  it('are built as minified ESM with the require banner, source maps, chunks and the AWS SDK inside', () => {
    for (const name of GENESYS_FUNCTION_NAMES) {
      // Prepare
      const dir = assetFiles(minimal, name);
      const chunks = existsSync(join(dir, 'chunks')) ? readdirSync(join(dir, 'chunks')) : [];
      // Act
      const modules = ['index.mjs', ...chunks.filter((f) => f.endsWith('.mjs')).map((f) => `chunks/${f}`)];
      // Assess
      expect(
        readdirSync(dir)
          .filter((f) => f !== 'chunks')
          .sort(),
        name,
      ).toEqual(['index.mjs', 'index.mjs.map']);
      for (const module of modules) {
        const code = readFileSync(join(dir, module), 'utf8');
        const map = JSON.parse(readFileSync(join(dir, `${module}.map`), 'utf8'));
        const file = module.split('/').at(-1);
        expect(code.startsWith(ESM_REQUIRE_BANNER), module).toBe(true);
        expect(code.trimEnd().endsWith(`//# sourceMappingURL=${file}.map`), module).toBe(true);
        expect(code, module).not.toMatch(/from\s*["']@aws-sdk\/|import\(\s*["']@aws-sdk\//);
        expect(map.sourcesContent, module).toBeUndefined();
      }
      // Minified: a few very long lines, not one statement per line.
      const index = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(index.length / index.split('\n').length, name).toBeGreaterThan(1000);
    }
    // The send function's SQS and Scheduler clients are chunks.
    expect(readdirSync(join(assetFiles(minimal, 'send'), 'chunks')).length).toBeGreaterThan(0);
  });
});

// ── Secrets ─────────────────────────────────────────────────────────────────────────────────────────

describe('secrets', () => {
  it('are created when not given: Genesys credentials as JSON, the webhook secret generated', () => {
    // Act
    const [, genesys] = only(minimal, 'AWS::SecretsManager::Secret', 'MessagingGenesysCredentials');
    const [, webhook] = only(minimal, 'AWS::SecretsManager::Secret', 'MessagingWebhookSigning');
    // Assess
    const genesysGenerate = genesys.Properties.GenerateSecretString;
    expect(JSON.parse(genesysGenerate.SecretStringTemplate)).toEqual({ clientId: '', region: '' });
    expect(genesysGenerate.GenerateStringKey).toBe('clientSecret');
    expect(webhook.Properties.GenerateSecretString).toEqual({ PasswordLength: 48, ExcludePunctuation: true });
  });

  it('are imported, not created, when their ARNs are given', () => {
    // Assess
    full.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('are readable only by the functions that need them', () => {
    for (const [template, genesys, webhook, botSecret] of [
      [
        minimal,
        ref(only(minimal, 'AWS::SecretsManager::Secret', 'MessagingGenesysCredentials')[0]),
        undefined,
        ref(only(minimal, 'AWS::SecretsManager::Secret', 'MessagingBotConnectorConnectionSecret')[0]),
      ],
      [full, GENESYS_SECRET_ARN, WEBHOOK_SECRET_ARN, BOT_SECRET_ARN],
    ] as const) {
      const webhookSecret =
        webhook ?? ref(only(template, 'AWS::SecretsManager::Secret', 'MessagingWebhookSigning')[0]);
      // Act
      const readable = Object.fromEntries(
        GENESYS_FUNCTION_NAMES.map((name) => [
          name,
          grants(template, roleIdOf(template, name)).get('secretsmanager:GetSecretValue'),
        ]),
      );
      // Assess
      expect(readable).toEqual({
        send: [genesys],
        retry: [genesys],
        reconcile: [genesys],
        webhook: [webhookSecret],
        status: undefined,
        bot: [botSecret],
      });
    }
  });
});

// ── Queues ──────────────────────────────────────────────────────────────────────────────────────────

describe('queues', () => {
  it('are encrypted and refuse requests without TLS', () => {
    // Act
    const queues = minimal.findResources('AWS::SQS::Queue');
    const policies = Object.values(minimal.findResources('AWS::SQS::QueuePolicy'));
    // Assess
    expect(Object.keys(queues)).toHaveLength(3);
    for (const [id, queue] of Object.entries(queues)) {
      expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
      const denies = policies
        .filter((policy) => policy.Properties.Queues.some((q: Json) => q.Ref === id))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
        .filter((s: Statement) => s.Effect === 'Deny');
      expect(denies, id).toContainEqual(
        expect.objectContaining({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('hide a retry batch for at least six retry function timeouts and redrive crashes to the DLQ', () => {
    for (const template of [minimal, full]) {
      // Act
      const [, retryQueue] = only(template, 'AWS::SQS::Queue', 'MessagingRetryQueue');
      const [dlqId] = only(template, 'AWS::SQS::Queue', 'MessagingDeadLetterQueue');
      const timeout = lambdaOf(template, 'retry')[1].Properties.Timeout;
      // Assess
      expect(retryQueue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
      expect(retryQueue.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: arnOf(dlqId),
        maxReceiveCount: 5,
      });
    }
    // Records that cannot start in the time left go back to the queue: the timeout does not grow with the batch.
    expect(lambdaOf(full, 'retry')[1].Properties.Timeout).toBe(
      lambdaOf(minimal, 'retry')[1].Properties.Timeout,
    );
  });

  it('feed the retry function with partial batch failures, a batch size and a maximum concurrency', () => {
    for (const [template, batchSize, maxConcurrency] of [
      [minimal, 5, 2],
      [full, 10, 4],
    ] as const) {
      const [queueId] = only(template, 'AWS::SQS::Queue', 'MessagingRetryQueue');
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: arnOf(queueId),
        FunctionName: ref(lambdaOf(template, 'retry')[0]),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: batchSize,
        ScalingConfig: { MaximumConcurrency: maxConcurrency },
      });
    }
  });

  it('let send and retry enqueue retries and dead letters, nothing more', () => {
    // Prepare
    const [retryQueueId] = only(minimal, 'AWS::SQS::Queue', 'MessagingRetryQueue');
    const [dlqId] = only(minimal, 'AWS::SQS::Queue', 'MessagingDeadLetterQueue');
    // Act
    const send = grants(minimal, roleIdOf(minimal, 'send'));
    const retry = grants(minimal, roleIdOf(minimal, 'retry'));
    // Assess
    // Spent is spent in the send function too: it dead-letters what it cannot retry any more.
    expect(send.get('sqs:SendMessage')).toEqual(expect.arrayContaining([arnOf(retryQueueId), arnOf(dlqId)]));
    expect(retry.get('sqs:SendMessage')).toEqual(expect.arrayContaining([arnOf(retryQueueId), arnOf(dlqId)]));
    expect(retry.get('sqs:ReceiveMessage')).toEqual([arnOf(retryQueueId)]);
    expect(send.get('sqs:ReceiveMessage')).toBeUndefined();
  });
});

// ── Status table ────────────────────────────────────────────────────────────────────────────────────

describe('status table', () => {
  it('is on-demand, encrypted, recoverable, expiring, with the three indexes of shared/status/table-keys.ts', () => {
    // Act
    const [, table] = only(minimal, 'AWS::DynamoDB::GlobalTable', 'MessagingStatusTable');
    const p = table.Properties;
    // Assess
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.KeySchema).toEqual([{ AttributeName: STATUS_TABLE.partitionKey, KeyType: 'HASH' }]);
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: STATUS_TABLE.ttlAttribute, Enabled: true });
    expect(p.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(p.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.Replicas[0].DeletionProtectionEnabled).toBe(true);
    expect(p.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byGenesysMessageId',
        KeySchema: [{ AttributeName: 'genesysMessageId', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: 'byAwaitingReceipt',
        KeySchema: [
          { AttributeName: 'awaiting', KeyType: 'HASH' },
          { AttributeName: 'sentAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'byPendingOutcome',
        KeySchema: [
          { AttributeName: 'pendingOutcome', KeyType: 'HASH' },
          { AttributeName: 'pendingSince', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it('gives each function only the DynamoDB actions its code path uses', () => {
    // Prepare
    const [tableId] = only(minimal, 'AWS::DynamoDB::GlobalTable', 'MessagingStatusTable');
    const awaitingIndex = { 'Fn::Join': ['', [arnOf(tableId), '/index/byAwaitingReceipt']] };
    const pendingIndex = { 'Fn::Join': ['', [arnOf(tableId), '/index/byPendingOutcome']] };
    // Act
    const access = Object.fromEntries(
      GENESYS_FUNCTION_NAMES.map((name) => [
        name,
        Object.fromEntries(
          [...grants(minimal, roleIdOf(minimal, name))].filter(([action]) => action.startsWith('dynamodb:')),
        ),
      ]),
    );
    // Assess
    const onTable = [arnOf(tableId)];
    expect(access).toEqual({
      send: { 'dynamodb:GetItem': onTable, 'dynamodb:PutItem': onTable, 'dynamodb:UpdateItem': onTable },
      retry: { 'dynamodb:GetItem': onTable, 'dynamodb:UpdateItem': onTable },
      webhook: { 'dynamodb:UpdateItem': onTable },
      status: { 'dynamodb:GetItem': onTable },
      bot: { 'dynamodb:GetItem': onTable, 'dynamodb:PutItem': onTable, 'dynamodb:UpdateItem': onTable },
      reconcile: {
        'dynamodb:BatchGetItem': onTable,
        'dynamodb:UpdateItem': onTable,
        'dynamodb:Query': [awaitingIndex, pendingIndex],
      },
    });
  });
});

// ── REST API ────────────────────────────────────────────────────────────────────────────────────────

describe('REST API', () => {
  it('has POST /messages and GET /messages/{id} behind IAM, POST /webhooks/genesys open', () => {
    // Act
    const [, send] = only(minimal, 'AWS::ApiGateway::Method', 'MessagingApimessagesPOST');
    const [, status] = only(minimal, 'AWS::ApiGateway::Method', 'MessagingApimessagesidGET');
    const [, webhook] = only(minimal, 'AWS::ApiGateway::Method', 'MessagingApiwebhooksgenesysPOST');
    const pathParts = Object.values(minimal.findResources('AWS::ApiGateway::Resource')).map(
      (r) => r.Properties.PathPart,
    );
    // Assess
    expect(pathParts.sort()).toEqual([
      'botconnector',
      'bots',
      'genesys',
      'messages',
      'messages',
      'webhooks',
      '{botId}',
      '{id}',
    ]);
    minimal.resourceCountIs('AWS::ApiGateway::Method', 6);
    expect(send.Properties.AuthorizationType).toBe('AWS_IAM');
    expect(status.Properties.AuthorizationType).toBe('AWS_IAM');
    expect(webhook.Properties.AuthorizationType).toBe('NONE');
    for (const [method, name] of [
      [send, 'send'],
      [status, 'status'],
      [webhook, 'webhook'],
    ] as const) {
      expect(method.Properties.Integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(
        JSON.stringify(arnOf(lambdaOf(minimal, name)[0])),
      );
    }
  });

  it('publishes the send model, leaves body validation to the function (one error shape) and requires the status path id', () => {
    // Prepare
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    // Act
    const [, send] = only(minimal, 'AWS::ApiGateway::Method', 'MessagingApimessagesPOST');
    const [, status] = only(minimal, 'AWS::ApiGateway::Method', 'MessagingApimessagesidGET');
    const [modelId, model] = only(minimal, 'AWS::ApiGateway::Model', 'MessagingApiSendRequestModel');
    const validators = minimal.findResources('AWS::ApiGateway::RequestValidator');
    // Assess
    expect(model.Properties.ContentType).toBe('application/json');
    expect(model.Properties.Schema).toEqual(schema);
    expect(send.Properties.RequestModels).toEqual({ 'application/json': ref(modelId) });
    // API Gateway's body check answers one `details` string; the function answers `issues: [{ path, message }]`.
    expect(Object.values(validators).map((v) => v.Properties.ValidateRequestBody)).not.toContain(true);
    expect(status.Properties.RequestParameters).toEqual({ 'method.request.path.id': true });
    expect(validators[status.Properties.RequestValidatorId.Ref]?.Properties.ValidateRequestParameters).toBe(
      true,
    );
  });

  it("answers API Gateway's own refusals in the service's error shape", () => {
    // Act
    const responses = Object.values(minimal.findResources('AWS::ApiGateway::GatewayResponse'));
    const byType = new Map(responses.map((r) => [r.Properties.ResponseType, r.Properties]));
    // Assess
    expect([...byType.keys()].sort()).toEqual(Object.keys(GATEWAY_ERRORS).sort());
    for (const [type, { code }] of Object.entries(GATEWAY_ERRORS)) {
      const template = byType.get(type)?.ResponseTemplates['application/json'];
      expect(template).toBe(`{"error": {"code": "${code}", "message": $context.error.messageString}}`);
      // What API Gateway renders parses as the function's shape.
      const rendered = template.replace('$context.error.messageString', JSON.stringify('Too Many Requests'));
      expect(JSON.parse(rendered)).toEqual({ error: { code, message: 'Too Many Requests' } });
    }
    expect(byType.get('BAD_REQUEST_BODY')).toBeUndefined();
  });

  it('throttles the stage, writes JSON access logs and logs only errors, never bodies', () => {
    for (const [template, rate, burst, retention] of [
      [minimal, 50, 100, 30],
      [full, 10, 20, 90],
    ] as const) {
      // Act
      const [, stage] = only(template, 'AWS::ApiGateway::Stage', 'MessagingApiDeploymentStage');
      const accessLogGroup = stage.Properties.AccessLogSetting.DestinationArn['Fn::GetAtt'][0];
      // Assess
      expect(stage.Properties.MethodSettings).toEqual([
        expect.objectContaining({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: rate,
          ThrottlingBurstLimit: burst,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ]);
      expect(JSON.parse(stage.Properties.AccessLogSetting.Format)).toMatchObject({
        requestId: '$context.requestId',
        status: '$context.status',
      });
      expect(template.findResources('AWS::Logs::LogGroup')[accessLogGroup]?.Properties.RetentionInDays).toBe(
        retention,
      );
    }
  });

  it('has the bot connector routes open to Genesys, all on the bot function', () => {
    // Act
    const methods = [
      only(minimal, 'AWS::ApiGateway::Method', 'MessagingApibotconnectorbotsGET'),
      only(minimal, 'AWS::ApiGateway::Method', 'MessagingApibotconnectorbotsbotIdGET'),
      only(minimal, 'AWS::ApiGateway::Method', 'MessagingApibotconnectormessagesPOST'),
    ];
    // Assess: the function checks the connection secret (no AWS credentials on Genesys' side)
    for (const [, method] of methods) {
      expect(method.Properties.AuthorizationType).toBe('NONE');
      expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(
        JSON.stringify(arnOf(lambdaOf(minimal, 'bot')[0])),
      );
    }
  });

  it('lets API Gateway invoke the three functions from their methods only, without test-invoke', () => {
    // Act
    const permissions = Object.values(minimal.findResources('AWS::Lambda::Permission')).filter(
      (p) => p.Properties.Principal === 'apigateway.amazonaws.com',
    );
    // Assess: send, status, webhook, and the bot function from its three methods
    expect(permissions).toHaveLength(6);
    expect(JSON.stringify(permissions)).not.toContain('test-invoke-stage');
  });

  it('sets the account CloudWatch role only when asked to', () => {
    // Assess
    minimal.resourceCountIs('AWS::ApiGateway::Account', 1);
    full.resourceCountIs('AWS::ApiGateway::Account', 0);
  });
});

// ── EventBridge ─────────────────────────────────────────────────────────────────────────────────────

describe('EventBridge', () => {
  it('lets one-time send schedules invoke the send function and nothing else', () => {
    // Prepare
    const [groupId] = only(minimal, 'AWS::Scheduler::ScheduleGroup', 'MessagingScheduleGroup');
    const [roleId, role] = only(minimal, 'AWS::IAM::Role', 'MessagingSchedulerRole');
    const [failedId] = only(minimal, 'AWS::SQS::Queue', 'MessagingFailedInvocationsQueue');
    // Act
    const allowed = grants(minimal, roleId);
    // Assess
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
          ArnEquals: { 'aws:SourceArn': arnOf(groupId) },
        },
      },
    ]);
    expect(Object.fromEntries(allowed)).toEqual({
      'lambda:InvokeFunction': [arnOf(lambdaOf(minimal, 'send')[0])],
      'sqs:SendMessage': [arnOf(failedId)],
    });
  });

  it('lets the send function create schedules in its group and pass exactly the scheduler role', () => {
    // Prepare
    const [groupId] = only(minimal, 'AWS::Scheduler::ScheduleGroup', 'MessagingScheduleGroup');
    const [schedulerRoleId] = only(minimal, 'AWS::IAM::Role', 'MessagingSchedulerRole');
    // Act
    const statements = statementsOfRole(minimal, roleIdOf(minimal, 'send'));
    const scheduling = statements.filter((s) => JSON.stringify(s.Action).match(/scheduler:|iam:/));
    // Assess
    expect(scheduling).toEqual([
      {
        Action: 'scheduler:CreateSchedule',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              ref('AWS::Partition'),
              ':scheduler:',
              ref('AWS::Region'),
              ':',
              ref('AWS::AccountId'),
              ':schedule/',
              ref(groupId),
              '/*',
            ],
          ],
        },
      },
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: arnOf(schedulerRoleId),
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  it('runs reconciliation on a schedule with a role that may invoke only the reconcile function', () => {
    for (const [template, expression] of [
      [minimal, 'rate(15 minutes)'],
      [full, 'rate(5 minutes)'],
    ] as const) {
      // Act
      const [, schedule] = only(template, 'AWS::Scheduler::Schedule', 'MessagingReconcileSchedule');
      const roleId = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0];
      const [groupId] = only(template, 'AWS::Scheduler::ScheduleGroup', 'MessagingScheduleGroup');
      // Assess
      expect(schedule.Properties).toMatchObject({
        ScheduleExpression: expression,
        GroupName: ref(groupId),
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: arnOf(lambdaOf(template, 'reconcile')[0]) },
      });
      expect(grants(template, roleId).get('lambda:InvokeFunction')).toEqual([
        arnOf(lambdaOf(template, 'reconcile')[0]),
      ]);
    }
  });

  it('adds the example recurring send only when configured, one idempotency key per occurrence', () => {
    // Act
    const [, schedule] = only(full, 'AWS::Scheduler::Schedule', 'MessagingExampleSchedule');
    const [schedulerRoleId] = only(full, 'AWS::IAM::Role', 'MessagingSchedulerRole');
    // Assess
    expect(Object.keys(minimal.findResources('AWS::Scheduler::Schedule'))).toHaveLength(1);
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 9 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      Description: 'Daily digest',
      Target: { Arn: arnOf(lambdaOf(full, 'send')[0]), RoleArn: arnOf(schedulerRoleId) },
    });
    expect(JSON.parse(schedule.Properties.Target.Input)).toEqual({
      ...EXAMPLE_REQUEST,
      idempotencyKey: 'daily-digest-<aws.scheduler.scheduled-time>',
    });
  });

  it('routes Genesys conversation message events from the partner event source to the webhook function', () => {
    // Act
    const [busId, bus] = only(full, 'AWS::Events::EventBus', 'MessagingGenesysEventBus');
    const [ruleId, rule] = only(full, 'AWS::Events::Rule', 'MessagingGenesysMessageEventsRule');
    const webhookId = lambdaOf(full, 'webhook')[0];
    // Assess
    expect(bus.Properties).toEqual({ Name: PARTNER_SOURCE, EventSourceName: PARTNER_SOURCE });
    expect(rule.Properties.EventBusName).toEqual(ref(busId));
    expect(rule.Properties.EventPattern).toEqual({
      source: [PARTNER_SOURCE],
      'detail-type': [{ suffix: '.conversations.messages' }],
    });
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: arnOf(webhookId), RetryPolicy: expect.any(Object) }),
    ]);
    full.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: arnOf(webhookId),
      SourceArn: arnOf(ruleId),
    });
    // Only the bot connector's own bus (the full stack uses a bus it was given).
    minimal.resourceCountIs('AWS::Events::EventBus', 1);
    only(minimal, 'AWS::Events::EventBus', 'MessagingBotConnectorEventBus');
    minimal.resourceCountIs('AWS::Events::Rule', 0);
  });
});

// ── Bot connector ───────────────────────────────────────────────────────────────────────────────────

describe('bot connector', () => {
  it('gives the bot function its bots, header, secret and bus, and lets it put events on that bus only', () => {
    for (const [template, header, secret, bus] of [
      [minimal, 'X-Bot-Connector-Secret', undefined, undefined],
      [full, 'X-Genesys-Bot-Secret', BOT_SECRET_ARN, BOT_BUS_ARN],
    ] as const) {
      // Prepare
      const [fnId, fn] = lambdaOf(template, 'bot');
      const busId =
        bus === undefined
          ? only(template, 'AWS::Events::EventBus', 'MessagingBotConnectorEventBus')[0]
          : undefined;
      // Act
      const variables = fn.Properties.Environment.Variables;
      const allowed = grants(template, roleIdOf(template, 'bot'));
      // Assess
      expect(variables[ENV.botConnectorSecretHeader]).toBe(header);
      expect(JSON.parse(variables[ENV.botConnectorBots])).toEqual(template === full ? BOTS : []);
      if (secret !== undefined) expect(variables[ENV.botConnectorSecretId]).toBe(secret);
      expect(allowed.get('events:PutEvents')).toEqual([bus ?? arnOf(busId!)]);
      expect(fnId).toMatch(/^MessagingBotFunction/);
    }
  });

  it('outputs the Bot Connector URI, header name, secret and bus for the Genesys integration', () => {
    const outputs = minimal.findOutputs('*');
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'BotConnectorUrl',
        'BotConnectorSecretHeader',
        'BotConnectorSecretArn',
        'BotEventBusName',
      ]),
    );
    expect(JSON.stringify(outputs.BotConnectorUrl?.Value)).toContain('/botconnector');
  });
});

// ── Alarms ──────────────────────────────────────────────────────────────────────────────────────────

describe('alarms', () => {
  function alarmsOn(template: Template, metricName: string, dimension: Json): Json[] {
    return Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (a) =>
        a.Properties.MetricName === metricName &&
        JSON.stringify(a.Properties.Dimensions).includes(JSON.stringify(dimension)),
    );
  }

  it('watch the dead-letter and failed-invocation queues for any message', () => {
    for (const prefix of ['MessagingDeadLetterQueue', 'MessagingFailedInvocationsQueue']) {
      const [queueId] = only(minimal, 'AWS::SQS::Queue', prefix);
      const alarms = alarmsOn(minimal, 'ApproximateNumberOfMessagesVisible', {
        'Fn::GetAtt': [queueId, 'QueueName'],
      });
      expect(alarms, prefix).toHaveLength(1);
      expect(alarms[0]!.Properties).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it('watch every function for errors and throttles', () => {
    for (const name of GENESYS_FUNCTION_NAMES) {
      const fn = ref(lambdaOf(minimal, name)[0]);
      expect(alarmsOn(minimal, 'Errors', fn), name).toHaveLength(1);
      expect(alarmsOn(minimal, 'Throttles', fn), name).toHaveLength(1);
    }
  });

  it('watch the age of the oldest retry queue message', () => {
    for (const [template, threshold] of [
      [minimal, 1800],
      [full, 3600],
    ] as const) {
      const [queueId] = only(template, 'AWS::SQS::Queue', 'MessagingRetryQueue');
      const alarms = alarmsOn(template, 'ApproximateAgeOfOldestMessage', {
        'Fn::GetAtt': [queueId, 'QueueName'],
      });
      expect(alarms).toHaveLength(1);
      expect(alarms[0]!.Properties.Threshold).toBe(threshold);
    }
  });

  it('notify the alarm topic, a new encrypted one or the one given', () => {
    // Prepare
    const [topicId, topic] = only(minimal, 'AWS::SNS::Topic', 'AlarmTopic');
    // Act
    const minimalActions = Object.values(minimal.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties.AlarmActions,
    );
    const fullActions = Object.values(full.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties.AlarmActions,
    );
    // Assess
    // DLQ, failed invocations, retry queue age, failed send rate, errors and throttles of every function
    expect(minimalActions).toHaveLength(4 + 2 * GENESYS_FUNCTION_NAMES.length);
    expect(new Set(minimalActions.map((a) => JSON.stringify(a)))).toEqual(
      new Set([JSON.stringify([ref(topicId)])]),
    );
    expect(new Set(fullActions.map((a) => JSON.stringify(a)))).toEqual(
      new Set([JSON.stringify([TOPIC_ARN])]),
    );
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    full.resourceCountIs('AWS::SNS::Topic', 0);
  });
});

// ── Outputs ─────────────────────────────────────────────────────────────────────────────────────────

describe('outputs', () => {
  it('name the API and webhook URLs, the secrets, the table and the queues', () => {
    // Act
    const outputs = minimal.findOutputs('*');
    // Assess
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'WebhookUrl',
        'GenesysSecretArn',
        'WebhookSecretArn',
        'StatusTableName',
        'RetryQueueName',
        'DeadLetterQueueName',
      ]),
    );
    expect(JSON.stringify(outputs.WebhookUrl?.Value)).toContain('webhooks/genesys');
    expect(full.findOutputs('GenesysSecretArn').GenesysSecretArn?.Value).toBe(GENESYS_SECRET_ARN);
  });
});

// ── Least privilege and cdk-nag ─────────────────────────────────────────────────────────────────────

describe('least privilege', () => {
  /** A resource is ours when it is, or is built on, a resource of this template (or a secret we were given). */
  function namesOwnResource(resource: unknown, ids: Set<string>): boolean {
    if (typeof resource === 'string')
      return [GENESYS_SECRET_ARN, WEBHOOK_SECRET_ARN, BOT_SECRET_ARN, BOT_BUS_ARN].includes(resource);
    const r = resource as Json;
    if (typeof r.Ref === 'string') return ids.has(r.Ref);
    if (Array.isArray(r['Fn::GetAtt'])) return ids.has(r['Fn::GetAtt'][0]);
    if (Array.isArray(r['Fn::Join'])) {
      return r['Fn::Join'][1].some(
        (part: unknown) => typeof part === 'object' && namesOwnResource(part, ids),
      );
    }
    return false;
  }

  it('grants no wildcard action and only on resources of this stack', () => {
    for (const template of [minimal, full]) {
      const ids = new Set(Object.keys(template.toJSON().Resources));
      const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
        (p) => p.Properties.PolicyDocument.Statement as Statement[],
      );
      expect(statements.length).toBeGreaterThan(20);
      for (const statement of statements) {
        for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
        for (const resource of [statement.Resource].flat()) {
          expect(namesOwnResource(resource, ids), JSON.stringify(resource)).toBe(true);
        }
      }
    }
  });

  it('uses no AWS managed policy but the account-wide API Gateway logging role, and no inline role policy', () => {
    for (const [template, expected] of [
      [minimal, ['AmazonAPIGatewayPushToCloudWatchLogs']],
      [full, []],
    ] as const) {
      const roles = Object.values(template.findResources('AWS::IAM::Role'));
      const managed = roles.flatMap((r) => r.Properties.ManagedPolicyArns ?? []);
      expect(
        managed.map((arn: Json) => JSON.stringify(arn).match(/policy\/service-role\/(\w+)/)?.[1]),
      ).toEqual(expected);
      expect(roles.filter((r) => r.Properties.Policies !== undefined)).toEqual([]);
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding', () => {
    // Assess
    const violations = (validationReport.pluginReports as Json[]).flatMap((r) => r.violations ?? []);
    expect(violations).toEqual([]);
  });

  it('has a reason for every acknowledgement, and acknowledges only these rules', () => {
    // Act
    const acknowledged = new Map<string, string>();
    for (const construct of app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          // Stored as `Annotation::<rule>[<finding>]`: keep the rule.
          acknowledged.set(id.replace(/^\w+::/, '').replace(/\[.*$/, ''), reason);
          expect(reason.length, id).toBeGreaterThan(60);
        }
      }
    }
    // Assess
    expect([...acknowledged.keys()].sort()).toEqual([
      'AwsSolutions-APIG2',
      'AwsSolutions-APIG3',
      'AwsSolutions-APIG4',
      'AwsSolutions-COG4',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
    ]);
  });

  it('fails the synth on a finding nobody acknowledged', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cdk-nag-'));
    const probe = new App({ outdir: dir });
    new sqs.Queue(new Stack(probe, 'Probe'), 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    Validations.of(probe).addPlugins(new AwsSolutionsChecks(probe));
    try {
      // Act + Assess
      expect(() => probe.synth()).toThrow(/AwsSolutions-SQS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
