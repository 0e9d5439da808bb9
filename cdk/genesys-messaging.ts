import { relative } from 'node:path';
import { Aws, type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../shared/config/environment';
import { DEFAULT_GENESYS_INSTANCES } from '../shared/config/timing';
import { STATUS_TABLE } from '../shared/status/table-keys';
import { addServiceErrorResponses } from './api-error-responses';
import { BotConnector } from './bot-connector';
import {
  type FunctionSettings,
  functionSettings,
  GENESYS_FUNCTION_NAMES,
  GENESYS_TIMEOUT,
  type GenesysFunctionName,
  LEASE,
  MAX_QUEUE_RETENTION,
  RETRY_MAX_RECEIVE_COUNT,
  TABLE_ACCESS,
  VISIBILITY_TIMEOUT_FACTOR,
} from './constants';
import { DEFAULT_METRICS_NAMESPACE, DEFAULT_SERVICE_NAME, failedRate } from './delivery-metrics';
import { exampleScheduleInput } from './example-schedule';
import { functionCode, LAMBDA_HANDLER } from './function-code';
import type { ExampleScheduleProps, GenesysMessagingProps } from './genesys-messaging-props';
import { grantReadStatus, grantSend } from './grants';
import { OperationsDashboard } from './operations-dashboard';
import { type ResolvedSettings, resolveProps } from './resolve-props';
import { DEFAULT_SEND_REQUEST_SCHEMA_FILE, loadSendRequestSchema, REPO_ROOT } from './send-request-schema';
import { sharedSecret } from './shared-secret';

export { GENESYS_FUNCTION_NAMES, type GenesysFunctionName } from './constants';
export type {
  ApiThrottling,
  ConcurrencyLimits,
  ExampleScheduleProps,
  FailedSendRateAlarm,
  GenesysMessagingProps,
  RetryBudget,
} from './genesys-messaging-props';

/**
 * Everything the service needs, in one construct: secrets, status table, retry and dead-letter queues, the
 * five functions, the REST API, EventBridge Scheduler and rules, and alarms. Drop it into any stack.
 */
export class GenesysMessaging extends Construct {
  readonly genesysCredentialsSecret: secretsmanager.ISecret;
  readonly webhookSigningSecret: secretsmanager.ISecret;
  readonly table: dynamodb.TableV2;
  readonly retryQueue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** Async invocations (Scheduler, EventBridge, direct `Event` invokes) that failed after Lambda's retries. */
  readonly failedInvocationsQueue: sqs.Queue;
  readonly functions: Record<GenesysFunctionName, lambda.Function>;
  readonly api: apigateway.RestApi;
  /** `POST` here to send: `<apiUrl>messages`. */
  readonly apiUrl: string;
  /** The URL to give Genesys as the Open Messaging outbound webhook. */
  readonly webhookUrl: string;
  readonly schedulerGroup: scheduler.ScheduleGroup;
  /** The group's name as a `Ref`, so that whatever uses it also depends on the group being there. */
  readonly schedulerGroupName: string;
  /** The role one-time send schedules run as: may invoke the send function, nothing else. */
  readonly schedulerRole: iam.Role;
  readonly genesysEventBus?: events.EventBus;
  /** The Digital Bot Connector: connection secret, event bus (cdk/bot-connector.ts). */
  readonly botConnector: BotConnector;
  /** The Bot Connector URI to give the Genesys integration: `<apiUrl>botconnector`. */
  readonly botConnectorUrl: string;
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Fires when too many sends end `failed` (README "Operations"). */
  readonly failedSendRateAlarm: cloudwatch.Alarm;
  /** The operations dashboard, unless `dashboard: false`. */
  readonly dashboard?: cloudwatch.Dashboard;

  private readonly props: GenesysMessagingProps;
  private readonly settings: ResolvedSettings;
  private readonly functionSettings: Record<GenesysFunctionName, FunctionSettings>;
  private readonly roles = {} as Record<GenesysFunctionName, iam.Role>;

  constructor(scope: Construct, id: string, props: GenesysMessagingProps = {}) {
    super(scope, id);
    this.props = props;
    const settings = resolveProps(props);
    const { retry } = settings;
    this.settings = settings;
    this.functionSettings = functionSettings();
    const schemaFile = props.sendRequestSchemaFile ?? DEFAULT_SEND_REQUEST_SCHEMA_FILE;
    const sendRequestSchema = loadSendRequestSchema(schemaFile);
    const exampleInput =
      props.exampleSchedule && exampleScheduleInput(props.exampleSchedule, sendRequestSchema);

    // ── Secrets ──────────────────────────────────────────────────────────────────────────────────────
    this.genesysCredentialsSecret = this.genesysSecret(props.genesysCredentialsSecret);
    this.webhookSigningSecret = this.webhookSecret(props.webhookSigningSecret);
    this.botConnector = new BotConnector(this, 'BotConnector', props.botConnector);

    // ── Status table ─────────────────────────────────────────────────────────────────────────────────
    this.table = this.statusTable(props.tableRemovalPolicy ?? RemovalPolicy.RETAIN);

    // ── Queues ───────────────────────────────────────────────────────────────────────────────────────
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: MAX_QUEUE_RETENTION,
    });
    this.retryQueue = new sqs.Queue(this, 'RetryQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(
        this.functionSettings.retry.timeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR,
      ),
      retentionPeriod: MAX_QUEUE_RETENTION,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: RETRY_MAX_RECEIVE_COUNT },
    });
    this.failedInvocationsQueue = new sqs.Queue(this, 'FailedInvocationsQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: MAX_QUEUE_RETENTION,
    });
    Validations.of(this.failedInvocationsQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the last stop: the on-failure destination of async invocations and the dead-letter ' +
        'queue of schedules and rules. It is watched by an alarm and read by operators.',
    });

    // ── Scheduler (group and role for one-time sends) ────────────────────────────────────────────────
    this.schedulerGroup = new scheduler.ScheduleGroup(this, 'ScheduleGroup');
    this.schedulerGroupName = (this.schedulerGroup.node.defaultChild as scheduler.CfnScheduleGroup).ref;
    this.schedulerRole = this.schedulerRoleFor('SchedulerRole', 'one-time and recurring sends');

    // ── Functions ────────────────────────────────────────────────────────────────────────────────────
    const common = {
      [ENV.statusTableName]: this.table.tableName,
      [ENV.statusTtlDays]: String(settings.statusTtlDays),
    };
    const genesys = {
      [ENV.genesysSecretId]: this.genesysCredentialsSecret.secretArn,
      [ENV.genesysTimeoutMs]: String(GENESYS_TIMEOUT.toMilliseconds()),
    };
    // Each Genesys caller's per-instance pace: the bounded fleet stays under the token and client limits.
    const pace = (name: keyof typeof settings.pacing.pace) => ({
      [ENV.genesysMaxRequestsPerMinute]: String(settings.pacing.pace[name]),
    });
    const retryBudget = {
      [ENV.retryQueueUrl]: this.retryQueue.queueUrl,
      [ENV.retryMaxAttempts]: String(retry.maxAttempts),
      [ENV.retryMaxAgeSeconds]: String(retry.maxAge.toSeconds()),
      [ENV.retryBaseDelaySeconds]: String(retry.baseDelay.toSeconds()),
      [ENV.retryMaxDelaySeconds]: String(retry.maxDelay.toSeconds()),
      [ENV.leaseSeconds]: String(LEASE.toSeconds()),
    };
    this.functions = {
      send: this.lambda(
        'send',
        {
          ...common,
          ...genesys,
          ...pace('send'),
          ...retryBudget,
          // Spent is spent here too: a message whose budget runs out in the send function is dead-lettered.
          [ENV.deadLetterQueueUrl]: this.deadLetterQueue.queueUrl,
          [ENV.schedulerGroupName]: this.schedulerGroupName,
          [ENV.schedulerRoleArn]: this.schedulerRole.roleArn,
        },
        settings.sendReservedConcurrency,
      ),
      retry: this.lambda('retry', {
        ...common,
        ...genesys,
        ...pace('retry'),
        ...retryBudget,
        [ENV.deadLetterQueueUrl]: this.deadLetterQueue.queueUrl,
      }),
      webhook: this.lambda(
        'webhook',
        {
          ...common,
          [ENV.webhookSecretId]: this.webhookSigningSecret.secretArn,
          ...(props.webhookForwardUrl !== undefined && { [ENV.webhookForwardUrl]: props.webhookForwardUrl }),
        },
        settings.webhookReservedConcurrency,
      ),
      status: this.lambda('status', {
        [ENV.statusTableName]: this.table.tableName,
        // Callers read their own messages; these principals read every message (docs/callers.md).
        ...(this.props.operatorPrincipals?.length && {
          [ENV.operatorPrincipals]: this.props.operatorPrincipals.join(','),
        }),
      }),
      reconcile: this.lambda(
        'reconcile',
        {
          ...common,
          ...genesys,
          ...pace('reconcile'),
          // Messages nobody recorded an outcome for are handed to the retry queue.
          [ENV.retryQueueUrl]: this.retryQueue.queueUrl,
          [ENV.reconcileMinAgeSeconds]: String(settings.reconcileMinAge.toSeconds()),
        },
        DEFAULT_GENESYS_INSTANCES.reconcile,
      ),
      bot: this.lambda('bot', { ...common, ...this.botConnector.environment() }),
    };
    const { send, retry: retryFn, webhook, reconcile } = this.functions;

    // ── Permissions: each function only what it uses ────────────────────────────────────────────────
    for (const name of GENESYS_FUNCTION_NAMES) this.grantTable(name);
    for (const name of ['send', 'retry', 'reconcile'] as const) {
      this.grantSecretRead(name, this.genesysCredentialsSecret);
    }
    this.grantSecretRead('webhook', this.webhookSigningSecret);
    this.botConnector.grantTo(this.roles.bot);
    this.allow('send', ['sqs:SendMessage'], [this.retryQueue.queueArn, this.deadLetterQueue.queueArn]);
    this.allow('reconcile', ['sqs:SendMessage'], [this.retryQueue.queueArn]);
    this.allow('retry', ['sqs:SendMessage'], [this.retryQueue.queueArn, this.deadLetterQueue.queueArn]);
    // One-time sends: the send function creates schedules in its group (Scheduler deletes them after they
    // run: ActionAfterCompletion DELETE) and may pass exactly the scheduler role.
    this.allow('send', ['scheduler:CreateSchedule'], [this.schedulesInGroupArn()]);
    this.allow('send', ['iam:PassRole'], [this.schedulerRole.roleArn], {
      StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
    });
    Validations.of(this.roles.send).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<${this.logicalIdOf(this.schedulerGroup)}>/*]`,
      reason:
        'One-time send schedules are named per message at run time; the wildcard is limited to the schedules of ' +
        "this construct's own schedule group.",
    });
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [send.functionArn] }),
    );

    // Async invocations (Scheduler, EventBridge rules, `Event` invokes) that still fail after Lambda's two
    // retries are kept, not dropped.
    for (const fn of [send, webhook, reconcile]) {
      fn.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(this.failedInvocationsQueue),
      });
    }

    // ── Retry queue consumer ─────────────────────────────────────────────────────────────────────────
    retryFn.addEventSource(
      new SqsEventSource(this.retryQueue, {
        batchSize: settings.retryBatchSize,
        maxConcurrency: settings.retryMaxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    // ── REST API ─────────────────────────────────────────────────────────────────────────────────────
    this.api = this.restApi(sendRequestSchema, schemaFile);
    this.apiUrl = this.api.url;
    this.webhookUrl = this.api.urlForPath('/webhooks/genesys');
    this.botConnectorUrl = this.botConnector.addRoutes(
      this.api,
      new apigateway.LambdaIntegration(this.functions.bot, { allowTestInvoke: false }),
    );

    // ── EventBridge: reconciliation, example recurring send, Genesys partner events ──────────────────
    this.reconcileSchedule(settings.reconcileIntervalMinutes);
    if (props.exampleSchedule && exampleInput !== undefined) {
      this.exampleSchedule(props.exampleSchedule, exampleInput);
    }
    if (props.genesysPartnerEventSourceName !== undefined) {
      this.genesysEventBus = this.genesysEvents(props.genesysPartnerEventSourceName);
    }

    // ── Alarms and dashboard (cdk/delivery-metrics.ts, cdk/operations-dashboard.ts) ──────────────────
    const identity = {
      namespace: props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
      service: props.serviceName ?? DEFAULT_SERVICE_NAME,
    };
    this.createAlarms(settings.retryQueueAgeAlarmThreshold);
    this.failedSendRateAlarm = this.addAlarm(
      'FailedSendRate',
      `More than ${settings.failedSendRate.thresholdPercent} % of sends failed (Genesys refused them, e.g. a 403 ` +
        "for a missing OAuth permission, or their retries ran out): see each message's lastError.",
      failedRate(identity, settings.failedSendRate),
      settings.failedSendRate.thresholdPercent,
    );
    if (props.dashboard ?? true) {
      this.dashboard = new OperationsDashboard(this, 'Operations', {
        identity,
        functions: this.functions,
        api: this.api,
        retryQueue: this.retryQueue,
        deadLetterQueue: this.deadLetterQueue,
        failedInvocationsQueue: this.failedInvocationsQueue,
        genesysClientRequestsPerMinute: settings.rateLimits.clientPerMinute,
        retryQueueAgeThreshold: settings.retryQueueAgeAlarmThreshold,
        failedSendRateAlarm: this.failedSendRateAlarm,
        ...(props.dashboardName !== undefined && { dashboardName: props.dashboardName }),
      }).dashboard;
    }
  }

  /** Lets `grantee` send: `POST /messages` (SigV4) and a direct invoke of the send function. */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    return grantSend(grantee, this.api, this.functions.send);
  }

  /** Lets `grantee` read message status: `GET /messages/{id}` (SigV4). */
  grantReadStatus(grantee: iam.IGrantable): iam.Grant {
    return grantReadStatus(grantee, this.api);
  }

  // ── Secrets ────────────────────────────────────────────────────────────────────────────────────────

  private genesysSecret(existing: secretsmanager.ISecret | string | undefined): secretsmanager.ISecret {
    if (existing !== undefined) return this.importSecret('GenesysCredentials', existing);
    const secret = new secretsmanager.Secret(this, 'GenesysCredentials', {
      description: 'Genesys Cloud OAuth client credentials: {"clientId","clientSecret","region"}.',
      // No plaintext in the template: fill clientId, clientSecret and region in after the first deploy.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ clientId: '', region: '' }),
        generateStringKey: 'clientSecret',
        excludePunctuation: true,
      },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The client secret is issued by Genesys Cloud (Admin > OAuth); it is rotated there and then put here. ' +
        'Secrets Manager cannot rotate it on its own.',
    });
    return secret;
  }

  private webhookSecret(existing: secretsmanager.ISecret | string | undefined): secretsmanager.ISecret {
    if (existing !== undefined) return this.importSecret('WebhookSigning', existing);
    return sharedSecret(
      this,
      'WebhookSigning',
      'Genesys Open Messaging outbound webhook signing secret (plain string).',
      'The same value must be set in the Genesys Open Messaging integration at the same moment; rotating it ' +
        'is a coordinated manual change, which an automatic rotation would break.',
    );
  }

  /** An existing secret; an ARN string was checked by resolveProps. */
  private importSecret(id: string, existing: secretsmanager.ISecret | string): secretsmanager.ISecret {
    if (typeof existing !== 'string') return existing;
    return secretsmanager.Secret.fromSecretCompleteArn(this, id, existing);
  }

  // ── Status table ───────────────────────────────────────────────────────────────────────────────────

  private statusTable(removalPolicy: RemovalPolicy): dynamodb.TableV2 {
    const { partitionKey, ttlAttribute, indexes } = STATUS_TABLE;
    const S = dynamodb.AttributeType.STRING;
    return new dynamodb.TableV2(this, 'StatusTable', {
      partitionKey: { name: partitionKey, type: S },
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      removalPolicy,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      // Every index of the one layout definition (shared/status/table-keys.ts), as written there.
      globalSecondaryIndexes: Object.values(indexes).map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: S },
        ...('sortKey' in index && { sortKey: { name: index.sortKey, type: S } }),
        projectionType: dynamodb.ProjectionType[index.projection],
      })),
    });
  }

  // ── Functions and their permissions ────────────────────────────────────────────────────────────────

  private lambda(
    name: GenesysFunctionName,
    environment: Record<string, string>,
    reservedConcurrency?: number,
  ): lambda.Function {
    const settings = this.functionSettings[name];
    const Name = name[0]!.toUpperCase() + name.slice(1);
    const logGroup = new logs.LogGroup(this, `${Name}Logs`, {
      retention: this.props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: logs go to this function's log group only.
    const role = new iam.Role(this, `${Name}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the Genesys messaging ${name} function.`,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.roles[name] = role;
    const fn = new lambda.Function(this, `${Name}Function`, {
      // Built by cdk/bundling.ts (code splitting: one directory per function), or the package's prebuilt copy.
      code: functionCode(name, this.props.handlerEntries?.[name]),
      handler: LAMBDA_HANDLER,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      description: settings.description,
      memorySize: settings.memorySize,
      timeout: settings.timeout,
      reservedConcurrentExecutions: reservedConcurrency,
      role,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: this.props.serviceName ?? 'genesys-messaging',
        POWERTOOLS_METRICS_NAMESPACE: this.props.metricsNamespace ?? 'GenesysMessaging',
        POWERTOOLS_LOG_LEVEL: this.props.logLevel ?? 'INFO',
        // Stack traces point at the TypeScript sources through the bundle's source map.
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime this service is built and tested for (bundles target node22); moving to a ' +
        'newer runtime is a deliberate, tested change.',
    });
    return fn;
  }

  private allow(
    name: GenesysFunctionName,
    actions: string[],
    resources: string[],
    conditions?: Record<string, Record<string, unknown>>,
  ): void {
    this.roles[name].addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources, conditions }));
  }

  private grantTable(name: GenesysFunctionName): void {
    const { actions, queries } = TABLE_ACCESS[name];
    this.allow(name, actions, [this.table.tableArn]);
    if (queries.length > 0) {
      this.allow(
        name,
        ['dynamodb:Query'],
        queries.map((index) => `${this.table.tableArn}/index/${index}`),
      );
    }
  }

  private grantSecretRead(name: GenesysFunctionName, secret: secretsmanager.ISecret): void {
    this.allow(name, ['secretsmanager:GetSecretValue'], [secret.secretArn]);
    secret.encryptionKey?.grantDecrypt(this.roles[name]);
  }

  /**
   * The schedules of our group. Built from pseudo parameters and the group's `Ref` (not the stack's resolved
   * region or the generated name) so the cdk-nag finding id below is the same in every environment.
   */
  private schedulesInGroupArn(): string {
    return `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${this.schedulerGroupName}/*`;
  }

  private logicalIdOf(construct: Construct): string {
    return Stack.of(this).getLogicalId(construct.node.defaultChild as CfnElement);
  }

  /** A role EventBridge Scheduler assumes for schedules of this construct's group only (confused deputy). */
  private schedulerRoleFor(id: string, purpose: string): iam.Role {
    const stack = Stack.of(this);
    const role = new iam.Role(this, id, {
      description: `EventBridge Scheduler role for Genesys messaging ${purpose}.`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': this.schedulerGroup.scheduleGroupArn },
        },
      }),
    });
    // Scheduler's own dead-letter queue: invocations it could not make (e.g. throttled for a day) are kept.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [this.failedInvocationsQueue.queueArn],
      }),
    );
    return role;
  }

  // ── REST API ───────────────────────────────────────────────────────────────────────────────────────

  private restApi(sendRequestSchema: apigateway.JsonSchema, schemaFile: string): apigateway.RestApi {
    const throttling = this.settings.apiThrottling;
    const cloudWatchRole = this.props.apiGatewayCloudWatchRole ?? true;
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: this.props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    const api = new apigateway.RestApi(this, 'Api', {
      description: 'Genesys rich messaging: send (IAM), status (IAM), Genesys webhook (signature-checked).',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      ...(cloudWatchRole
        ? { cloudWatchRole, cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN }
        : { cloudWatchRole }),
      deployOptions: {
        stageName: 'v1',
        throttlingRateLimit: throttling.rateLimit,
        throttlingBurstLimit: throttling.burstLimit,
        // Execution logs for errors only, and never request/response bodies: they carry message content.
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
      },
    });
    if (cloudWatchRole) {
      Validations.of(api.node.findChild('CloudWatchRole')).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "The account-wide API Gateway logging role must write to every API's log groups in the account and " +
          'region; AWS maintains this policy for exactly that.',
      });
    }
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No public unauthenticated surface to protect with WAF: /messages requires SigV4 (IAM), the webhook ' +
        'rejects unsigned bodies, and the stage is throttled. A team can associate its own web ACL.',
    });

    // The function validates every send body (the JSON Schema's rules and those a schema cannot express) and
    // answers every problem with its path; API Gateway's body check could only answer one unstructured string.
    // Its own refusals (IAM, throttling, size) answer in the same error shape.
    addServiceErrorResponses(api);
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'The send function validates every body against the same schema (zod, from which the published JSON ' +
        'Schema is generated) plus the rules a schema cannot express, answering each problem with its path; ' +
        'request parameters are validated by API Gateway.',
    });
    const parameterValidator = api.addRequestValidator('ParameterValidator', {
      validateRequestBody: false,
      validateRequestParameters: true,
    });
    const sendRequestModel = api.addModel('SendRequestModel', {
      modelName: 'SendRequest',
      contentType: 'application/json',
      description: `Send request, from ${relative(REPO_ROOT, schemaFile)} (generated from the zod schema).`,
      schema: sendRequestSchema,
    });
    const integration = (fn: lambda.IFunction) =>
      new apigateway.LambdaIntegration(fn, { allowTestInvoke: false });

    const messages = api.root.addResource('messages');
    const sendMethod = messages.addMethod('POST', integration(this.functions.send), {
      authorizationType: apigateway.AuthorizationType.IAM,
      requestValidator: parameterValidator,
      // Published with the API (exports, SDKs); validation is the function's, see above.
      requestModels: { 'application/json': sendRequestModel },
      requestParameters: { 'method.request.header.Idempotency-Key': false },
    });
    const statusMethod = messages.addResource('{id}').addMethod('GET', integration(this.functions.status), {
      authorizationType: apigateway.AuthorizationType.IAM,
      requestValidator: parameterValidator,
      requestParameters: { 'method.request.path.id': true },
    });
    for (const method of [sendMethod, statusMethod]) {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: 'Callers are AWS principals (services, roles): the method uses IAM (SigV4) authorization.',
      });
    }
    const webhookMethod = api.root
      .addResource('webhooks')
      .addResource('genesys')
      .addMethod('POST', integration(this.functions.webhook), {
        authorizationType: apigateway.AuthorizationType.NONE,
      });
    for (const id of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
      Validations.of(webhookMethod).acknowledge({
        id,
        reason:
          'Genesys Cloud calls the webhook without AWS credentials. The function authenticates every call by ' +
          'its X-Hub-Signature-256 HMAC over the raw body and answers 401, writing nothing, when it is wrong.',
      });
    }
    return api;
  }

  // ── EventBridge ────────────────────────────────────────────────────────────────────────────────────

  private reconcileSchedule(minutes: number): void {
    const role = this.schedulerRoleFor('ReconcileSchedulerRole', 'reconciliation');
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.functions.reconcile.functionArn],
      }),
    );
    new scheduler.CfnSchedule(this, 'ReconcileSchedule', {
      description: 'Asks Genesys for the status of sent messages whose receipts never came.',
      groupName: this.schedulerGroupName,
      scheduleExpression: `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.functions.reconcile.functionArn,
        roleArn: role.roleArn,
        // A missed run is made up by the next one.
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: Math.min(minutes * 60, 86_400) },
        deadLetterConfig: { arn: this.failedInvocationsQueue.queueArn },
      },
    });
  }

  private exampleSchedule(example: ExampleScheduleProps, input: string): void {
    new scheduler.CfnSchedule(this, 'ExampleSchedule', {
      description: example.description ?? 'Example recurring send.',
      groupName: this.schedulerGroupName,
      scheduleExpression: example.schedule.expressionString,
      scheduleExpressionTimezone: example.schedule.timeZone?.timezoneName,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.functions.send.functionArn,
        roleArn: this.schedulerRole.roleArn,
        input,
        retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: this.failedInvocationsQueue.queueArn },
      },
    });
  }

  private genesysEvents(partnerEventSourceName: string): events.EventBus {
    // Associates the partner event source with a new event bus, named after it (the console's "Associate").
    const bus = new events.EventBus(this, 'GenesysEventBus', { eventSourceName: partnerEventSourceName });
    new events.Rule(this, 'GenesysMessageEventsRule', {
      description: 'Genesys conversation message events (delivery status) to the webhook function.',
      eventBus: bus,
      eventPattern: {
        source: [partnerEventSourceName],
        // v2.users.{id}.conversations.messages, v2.routing.queues.{id}.conversations.messages, …
        detailType: events.Match.suffix('.conversations.messages'),
      },
      targets: [
        new LambdaFunction(this.functions.webhook, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
          deadLetterQueue: this.failedInvocationsQueue,
        }),
      ],
    });
    return bus;
  }

  // ── Alarms ─────────────────────────────────────────────────────────────────────────────────────────

  /** An alarm above `threshold`, notifying the alarm topic if there is one (else it only changes state). */
  private addAlarm(id: string, description: string, metric: cloudwatch.IMetric, threshold: number) {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (this.props.alarmTopic) {
      alarm.addAlarmAction(new SnsAction(this.props.alarmTopic));
      alarm.addOkAction(new SnsAction(this.props.alarmTopic));
    }
    this.alarms.push(alarm);
    return alarm;
  }

  private createAlarms(retryQueueAgeThreshold: Duration): void {
    const add = (id: string, description: string, metric: cloudwatch.IMetric, threshold: number) =>
      this.addAlarm(id, description, metric, threshold);
    const minute = Duration.minutes(1);
    add(
      'DeadLetterQueueNotEmpty',
      'Messages in the dead-letter queue: sends that spent their retry budget or crashed the retry function.',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: 'Maximum' }),
      0,
    );
    add(
      'FailedInvocationsQueueNotEmpty',
      'Async invocations (schedules, EventBridge) that failed after all retries.',
      this.failedInvocationsQueue.metricApproximateNumberOfMessagesVisible({
        period: minute,
        statistic: 'Maximum',
      }),
      0,
    );
    add(
      'RetryQueueOldestMessageAge',
      `A retry queue message older than ${retryQueueAgeThreshold.toHumanString()}: retries are stuck or too slow.`,
      this.retryQueue.metricApproximateAgeOfOldestMessage({ period: minute, statistic: 'Maximum' }),
      retryQueueAgeThreshold.toSeconds(),
    );
    for (const name of GENESYS_FUNCTION_NAMES) {
      const fn = this.functions[name];
      const Name = name[0]!.toUpperCase() + name.slice(1);
      add(
        `${Name}Errors`,
        `The ${name} function failed (unhandled error or timeout).`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        0,
      );
      add(
        `${Name}Throttles`,
        `The ${name} function was throttled (concurrency limit).`,
        fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        0,
      );
    }
  }
}
