import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { BotConnectorProps } from './bot-connector';
import type { GenesysFunctionName } from './constants';

/**
 * How long a send may keep trying, in attempts and in age (docs/timing.md).
 * Delay before retry n = max(Retry-After, random(0, baseDelay · 2^(n−1)) capped at maxDelay).
 */
export interface RetryBudget {
  /** Genesys calls per message, the first included. @default 8 */
  readonly maxAttempts?: number;
  /** Time from the first attempt after which a message is failed instead of retried. @default 24 hours */
  readonly maxAge?: Duration;
  /** @default 2 seconds */
  readonly baseDelay?: Duration;
  /** Longest backoff between attempts (a longer Retry-After is honoured); beyond SQS's 15 minutes the message is re-enqueued. @default 15 minutes */
  readonly maxDelay?: Duration;
}

/**
 * How many instances may call Genesys at once, and Genesys' limits. Each instance holds its own token and
 * paces itself; the construct gives each function the pace `fleetPacing` computes (docs/timing.md), so the
 * whole fleet stays under the OAuth client's limit and each instance under its token's, by construction.
 */
export interface ConcurrencyLimits {
  /**
   * Genesys' `token.rate.per.minute`: requests per minute one access token may make. No instance paces faster.
   * @default 300 (the Genesys default)
   */
  readonly genesysTokenRequestsPerMinute?: number;
  /**
   * Genesys' `org.app.user.rate.per.minute`: requests per minute all tokens of the OAuth client may make
   * together. The send, retry and reconcile instances share it.
   * @default 3000 (the Genesys default)
   */
  readonly genesysClientRequestsPerMinute?: number;
  /**
   * Most retry Lambdas the SQS event source runs at once (2 to 1000); each takes a share of the client's limit.
   * @default 2
   */
  readonly retryMaxConcurrency?: number;
  /** Retry queue records per invocation (1 to 10); the retry function's timeout grows with it. @default 5 */
  readonly retryBatchSize?: number;
  /**
   * Reserved concurrency of the send function (API, direct, EventBridge and Scheduler invocations): the most
   * send instances at once, each with a share of the client's limit. Calls beyond it are throttled by Lambda
   * (async ones are retried by Lambda). @default 7
   */
  readonly sendReservedConcurrency?: number;
  /** Reserved concurrency of the webhook function. @default - none: the account's shared pool */
  readonly webhookReservedConcurrency?: number;
}

export interface ApiThrottling {
  /** Steady-state requests per second for the whole stage. */
  readonly rateLimit: number;
  /** Burst capacity (token bucket size). */
  readonly burstLimit: number;
}

/** A recurring send: an EventBridge Scheduler schedule whose input is a send request. */
export interface ExampleScheduleProps {
  /** e.g. `ScheduleExpression.cron({ minute: '0', hour: '9', weekDay: 'MON-FRI' })` or `expression('rate(1 day)')`. */
  readonly schedule: scheduler.ScheduleExpression;
  /**
   * The send request (see README "Send request"). Its `idempotencyKey` (default `example-schedule`) gets the
   * occurrence's scheduled time appended, so each occurrence is sent once, even when Scheduler retries it.
   */
  readonly request: Record<string, unknown>;
  readonly description?: string;
}

/** The alarm on the share of sends that end `failed` (Genesys refused them, or their retries ran out). */
export interface FailedSendRateAlarm {
  /** Percent of a period's outcomes (sent + failed) above which the alarm fires (0 to 100). @default 10 */
  readonly thresholdPercent?: number;
  /** A period with fewer outcomes counts as 0 %, so one refused message of two alarms nothing. @default 3 */
  readonly minOutcomes?: number;
  /** Evaluation period, whole minutes. @default 15 minutes */
  readonly period?: Duration;
}

export interface GenesysMessagingProps {
  /**
   * The Genesys OAuth client credentials secret, JSON `{ "clientId", "clientSecret", "region" }`: an existing
   * secret or its complete ARN (with the 6-character suffix).
   * @default - a new secret whose `clientId` and `region` are empty: put the real value in before sending
   */
  readonly genesysCredentialsSecret?: secretsmanager.ISecret | string;
  /**
   * The Open Messaging webhook signing secret (plain string, the integration's
   * `outboundNotificationWebhookSignatureSecretToken`): an existing secret or its complete ARN.
   * @default - a new secret with a generated 48-character alphanumeric value
   */
  readonly webhookSigningSecret?: secretsmanager.ISecret | string;
  /**
   * Forwarding mode, for an Open Messaging integration whose Outbound Notification Webhook already feeds the
   * org's own middleware: the webhook records each verified post's receipts, then passes the post unchanged
   * to this URL (https) and answers Genesys with the middleware's answer (README "Delivery status webhook").
   * @default - no forwarding: the webhook URL only records receipts (for integrations without middleware)
   */
  readonly webhookForwardUrl?: string;
  readonly retry?: RetryBudget;
  readonly concurrency?: ConcurrencyLimits;
  /** Retention of every function's log group and of the API access log. @default one month */
  readonly logRetention?: logs.RetentionDays;
  /**
   * IAM principals (role or user ARNs) that may read every message with `GET /messages/{id}`; every other
   * caller reads only the messages it created (docs/callers.md). @default none
   */
  readonly operatorPrincipals?: string[];
  /** Powertools log level. @default 'INFO' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Powertools service name (log field and metric dimension). @default 'genesys-messaging' */
  readonly serviceName?: string;
  /** Powertools metrics namespace. @default 'GenesysMessaging' */
  readonly metricsNamespace?: string;
  /**
   * Where alarms notify (alarm and OK). Without it the alarms still change state (console, dashboard) but
   * notify nobody. @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;
  /** The alarm on the rate of failed sends (a Genesys 403 for a missing permission is one). @default 10 % of at least 3 outcomes in 15 minutes */
  readonly failedSendRateAlarm?: FailedSendRateAlarm;
  /** Add a CloudWatch dashboard (docs/operations.md). @default true */
  readonly dashboard?: boolean;
  /** The dashboard's name. @default - generated by CloudFormation */
  readonly dashboardName?: string;
  /** Oldest retry queue message age that raises the alarm. @default twice `retry.maxDelay`, at least 30 minutes */
  readonly retryQueueAgeAlarmThreshold?: Duration;
  /**
   * Name of the Genesys EventBridge integration's partner event source
   * (`aws.partner/genesys.com/cloud/<org id>/<name>`). When set, an event bus is associated with it and a rule
   * sends conversation message events (`*.conversations.messages` topics) to the webhook function.
   * @default - no EventBridge integration
   */
  readonly genesysPartnerEventSourceName?: string;
  /**
   * The Digital Bot Connector bot (README "Bot connector"): its bots, connection secret header and value,
   * and the bus customer messages go to. @default - no bots listed, a generated secret, a new bus
   */
  readonly botConnector?: BotConnectorProps;
  /** An example recurring send. @default - none */
  readonly exampleSchedule?: ExampleScheduleProps;
  /** How often reconciliation asks Genesys for receipts that never came. @default 15 minutes */
  readonly reconcileInterval?: Duration;
  /** Reconciliation only looks at messages sent at least this long ago. @default 15 minutes */
  readonly reconcileMinAge?: Duration;
  /** How long status records are kept (DynamoDB TTL). @default 90 days */
  readonly statusTtl?: Duration;
  /** Stage-wide API throttling. @default 50 requests per second, burst 100 */
  readonly apiThrottling?: ApiThrottling;
  /**
   * Set the account's API Gateway CloudWatch Logs role (one per account and region, needed for access and
   * execution logs). Turn off when the account already has one. The role is retained on stack deletion so the
   * account setting stays valid. @default true
   */
  readonly apiGatewayCloudWatchRole?: boolean;
  /** What happens to the status table when it leaves the stack. @default RemovalPolicy.RETAIN (with deletion protection) */
  readonly tableRemovalPolicy?: RemovalPolicy;
  /**
   * Handler entry files, by function. For tests and forks.
   * @default functions/<name>/handler.ts of this repository
   */
  readonly handlerEntries?: Partial<Record<GenesysFunctionName, string>>;
  /**
   * The send request JSON Schema (draft-4) used for API Gateway request validation.
   * @default shared/messages/schema/send-request.schema.json of this repository (`npm run schema` writes it)
   */
  readonly sendRequestSchemaFile?: string;
}
