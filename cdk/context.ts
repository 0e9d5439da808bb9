import { TimeZone } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { ContextError } from './errors';
import type { GenesysMessagingProps } from './genesys-messaging-props';
import type { GenesysMessagingStackProps } from './genesys-messaging-stack';

/**
 * The deploy-time settings `cdk deploy -c key=value` (or cdk.json "context") can change. Anything else is a
 * prop of the `GenesysMessaging` construct.
 */
export const CONTEXT_KEYS = {
  stackName: 'stackName',
  genesysSecretArn: 'genesysSecretArn',
  webhookSecretArn: 'webhookSecretArn',
  alarmTopicArn: 'alarmTopicArn',
  alarmEmail: 'alarmEmail',
  genesysPartnerEventSourceName: 'genesysPartnerEventSourceName',
  /** The webhook's forwarding mode: the org's Open Messaging middleware URL (https). */
  webhookForwardUrl: 'webhookForwardUrl',
  logRetentionDays: 'logRetentionDays',
  apiGatewayCloudWatchRole: 'apiGatewayCloudWatchRole',
  /** JSON: { "expression": "cron(0 9 ? * MON-FRI *)", "timeZone": "Europe/Paris", "request": { …send request… } } */
  exampleSchedule: 'exampleSchedule',
  /** JSON: the bot list (README "Bot connector"). */
  botConnectorBots: 'botConnectorBots',
  botConnectorSecretHeader: 'botConnectorSecretHeader',
  botConnectorSecretArn: 'botConnectorSecretArn',
} as const;

type ContextReader = (key: string) => unknown;

export function stackSettingsFromContext(read: ContextReader): {
  stackName: string;
  props: GenesysMessagingStackProps;
} {
  const messaging: { -readonly [K in keyof GenesysMessagingProps]: GenesysMessagingProps[K] } = {};
  messaging.genesysCredentialsSecret = text(read, CONTEXT_KEYS.genesysSecretArn);
  messaging.webhookSigningSecret = text(read, CONTEXT_KEYS.webhookSecretArn);
  messaging.genesysPartnerEventSourceName = text(read, CONTEXT_KEYS.genesysPartnerEventSourceName);
  messaging.webhookForwardUrl = text(read, CONTEXT_KEYS.webhookForwardUrl);
  messaging.logRetention = retention(read);
  messaging.apiGatewayCloudWatchRole = flag(read, CONTEXT_KEYS.apiGatewayCloudWatchRole);
  messaging.exampleSchedule = exampleSchedule(read);
  messaging.botConnector = botConnector(read);
  return {
    stackName: text(read, CONTEXT_KEYS.stackName) ?? 'GenesysMessaging',
    props: {
      alarmTopicArn: text(read, CONTEXT_KEYS.alarmTopicArn),
      alarmEmail: text(read, CONTEXT_KEYS.alarmEmail),
      messaging: withoutUndefined(messaging),
    },
  };
}

function text(read: ContextReader, key: string): string | undefined {
  const value = read(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string')
    throw new ContextError(key, `must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function flag(read: ContextReader, key: string): boolean | undefined {
  const value = read(key);
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ContextError(key, `must be true or false, got ${JSON.stringify(value)}`);
}

function retention(read: ContextReader): logs.RetentionDays | undefined {
  const key = CONTEXT_KEYS.logRetentionDays;
  const value = read(key);
  if (value === undefined || value === '') return undefined;
  const days = Number(value);
  const allowed = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!allowed.includes(days)) {
    throw new ContextError(
      key,
      `must be one of CloudWatch's retention periods (${allowed.join(', ')}), got ${value}`,
    );
  }
  return days as logs.RetentionDays;
}

function exampleSchedule(read: ContextReader): GenesysMessagingProps['exampleSchedule'] {
  const key = CONTEXT_KEYS.exampleSchedule;
  let value = read(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new ContextError(key, 'must be JSON: {"expression": "...", "request": {...}}');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ContextError(key, 'must be an object: {"expression": "...", "request": {...}}');
  }
  const { expression, timeZone, request, description } = value as Record<string, unknown>;
  if (typeof expression !== 'string' || !/^(cron|rate)\(.+\)$/.test(expression)) {
    throw new ContextError(`${key}.expression`, 'must be a "cron(...)" or "rate(...)" schedule expression');
  }
  if (timeZone !== undefined && typeof timeZone !== 'string') {
    throw new ContextError(`${key}.timeZone`, 'must be an IANA time zone name such as "Europe/Paris"');
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new ContextError(`${key}.request`, 'must be a send request object');
  }
  if (description !== undefined && typeof description !== 'string') {
    throw new ContextError(`${key}.description`, 'must be a string');
  }
  return {
    schedule: scheduler.ScheduleExpression.expression(
      expression,
      timeZone === undefined ? undefined : TimeZone.of(timeZone),
    ),
    request: request as Record<string, unknown>,
    description,
  };
}

function botConnector(read: ContextReader): GenesysMessagingProps['botConnector'] {
  const key = CONTEXT_KEYS.botConnectorBots;
  let bots = read(key);
  if (typeof bots === 'string' && bots !== '') {
    try {
      bots = JSON.parse(bots);
    } catch {
      throw new ContextError(
        key,
        'must be JSON: a list of bots [{"id", "name", "provider", "versions": [...]}]',
      );
    }
  }
  if (bots !== undefined && bots !== '' && !Array.isArray(bots)) {
    throw new ContextError(key, 'must be a list of bots [{"id", "name", "provider", "versions": [...]}]');
  }
  const props = withoutUndefined({
    bots: Array.isArray(bots)
      ? (bots as NonNullable<GenesysMessagingProps['botConnector']>['bots'])
      : undefined,
    secretHeaderName: text(read, CONTEXT_KEYS.botConnectorSecretHeader),
    connectionSecret: text(read, CONTEXT_KEYS.botConnectorSecretArn),
  });
  return Object.keys(props).length === 0 ? undefined : props;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
