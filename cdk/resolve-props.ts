import { Duration, Token } from 'aws-cdk-lib';
import {
  DEFAULT_GENESYS_INSTANCES,
  DEFAULT_GENESYS_RATE_LIMITS,
  type FleetPacing,
  FleetPacingError,
  fleetPacing,
  type GenesysRateLimits,
} from '../shared/config/timing';
import { DEFAULT_RETRY_POLICY } from '../shared/delivery/retry-policy';
import { DEFAULT_STATUS_TTL_DAYS } from '../shared/status/table-keys';
import { parseForwardUrl } from '../shared/webhook/forward-to-middleware';
import { DEFAULT_FAILED_RATE, type FailedRateSettings } from './delivery-metrics';
import { GenesysMessagingPropsError } from './errors';
import type { ApiThrottling, GenesysMessagingProps } from './genesys-messaging-props';

/** The props with their defaults filled in, checked: a prop that cannot work fails the synth, naming itself. */
export interface ResolvedSettings {
  readonly retry: { maxAttempts: number; maxAge: Duration; baseDelay: Duration; maxDelay: Duration };
  readonly retryMaxConcurrency: number;
  readonly retryBatchSize: number;
  readonly sendReservedConcurrency: number;
  /** Genesys' per-token and per-OAuth-client limits, requests per minute. */
  readonly rateLimits: GenesysRateLimits;
  /** Each Genesys caller's per-instance pace (GENESYS_MAX_REQUESTS_PER_MINUTE) for this concurrency. */
  readonly pacing: FleetPacing;
  readonly webhookReservedConcurrency?: number;
  readonly apiThrottling: ApiThrottling;
  readonly statusTtlDays: number;
  readonly reconcileIntervalMinutes: number;
  readonly reconcileMinAge: Duration;
  readonly retryQueueAgeAlarmThreshold: Duration;
  readonly failedSendRate: FailedRateSettings;
}

const DEFAULT_THROTTLING: ApiThrottling = { rateLimit: 50, burstLimit: 100 };

const COMPLETE_SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/;
const GENESYS_PARTNER_SOURCE_PREFIX = 'aws.partner/genesys.com/';

export function resolveProps(props: GenesysMessagingProps): ResolvedSettings {
  secretArn('genesysCredentialsSecret', props.genesysCredentialsSecret);
  secretArn('webhookSigningSecret', props.webhookSigningSecret);
  const partnerSource = props.genesysPartnerEventSourceName;
  if (
    partnerSource !== undefined &&
    !Token.isUnresolved(partnerSource) &&
    !partnerSource.startsWith(GENESYS_PARTNER_SOURCE_PREFIX)
  ) {
    throw new GenesysMessagingPropsError(
      'genesysPartnerEventSourceName',
      `must be a Genesys partner event source name "${GENESYS_PARTNER_SOURCE_PREFIX}cloud/<org id>/<name>", ` +
        `got "${partnerSource}"`,
    );
  }

  const forwardUrl = props.webhookForwardUrl;
  if (forwardUrl !== undefined && !Token.isUnresolved(forwardUrl)) {
    try {
      parseForwardUrl(forwardUrl, '');
    } catch (error) {
      throw new GenesysMessagingPropsError('webhookForwardUrl', (error as Error).message.trim());
    }
  }

  const budget = props.retry ?? {};
  const retry = {
    maxAttempts: integer('retry.maxAttempts', budget.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts, 1, 100),
    maxAge: budget.maxAge ?? Duration.seconds(DEFAULT_RETRY_POLICY.maxAgeSeconds),
    baseDelay: budget.baseDelay ?? Duration.seconds(DEFAULT_RETRY_POLICY.baseDelaySeconds),
    maxDelay: budget.maxDelay ?? Duration.seconds(DEFAULT_RETRY_POLICY.maxDelaySeconds),
  };
  seconds('retry.maxAge', retry.maxAge, 1);
  const baseDelaySeconds = seconds('retry.baseDelay', retry.baseDelay, 1);
  seconds('retry.maxDelay', retry.maxDelay, baseDelaySeconds);

  const limits = props.concurrency ?? {};
  const optional = (name: string, value: number | undefined) =>
    value === undefined ? undefined : integer(name, value, 1, 10_000);

  const throttling = props.apiThrottling ?? DEFAULT_THROTTLING;
  integer('apiThrottling.burstLimit', throttling.burstLimit, 0, 5_000);
  if (
    !Token.isUnresolved(throttling.rateLimit) &&
    !(throttling.rateLimit > 0 && throttling.rateLimit <= 10_000)
  ) {
    throw new GenesysMessagingPropsError(
      'apiThrottling.rateLimit',
      `must be above 0 and at most 10000 requests per second, got ${throttling.rateLimit}`,
    );
  }

  const interval = props.reconcileInterval ?? Duration.minutes(15);
  const intervalMinutes = interval.toMinutes({ integral: false });
  integer('reconcileInterval', intervalMinutes, 1, 7 * 24 * 60, 'minutes');

  const reconcileMinAge = props.reconcileMinAge ?? Duration.minutes(15);
  seconds('reconcileMinAge', reconcileMinAge, 0);

  const threshold =
    props.retryQueueAgeAlarmThreshold ??
    Duration.seconds(Math.max(retry.maxDelay.toSeconds() * 2, Duration.minutes(30).toSeconds()));
  seconds('retryQueueAgeAlarmThreshold', threshold, 60);

  const failedRateProps = props.failedSendRateAlarm ?? {};
  const failedSendRate: FailedRateSettings = {
    thresholdPercent: failedRateProps.thresholdPercent ?? DEFAULT_FAILED_RATE.thresholdPercent,
    minOutcomes: integer(
      'failedSendRateAlarm.minOutcomes',
      failedRateProps.minOutcomes ?? DEFAULT_FAILED_RATE.minOutcomes,
      1,
      1_000_000,
    ),
    period: failedRateProps.period ?? DEFAULT_FAILED_RATE.period,
  };
  const percent = failedSendRate.thresholdPercent;
  if (!Token.isUnresolved(percent) && !(percent >= 0 && percent < 100)) {
    throw new GenesysMessagingPropsError(
      'failedSendRateAlarm.thresholdPercent',
      `must be a percentage from 0 to below 100, got ${percent}`,
    );
  }
  integer(
    'failedSendRateAlarm.period',
    failedSendRate.period.toMinutes({ integral: false }),
    1,
    1440,
    'minutes',
  );

  return {
    failedSendRate,
    retry,
    ...genesysConcurrency(limits),
    retryBatchSize: integer('concurrency.retryBatchSize', limits.retryBatchSize ?? 5, 1, 10),
    webhookReservedConcurrency: optional(
      'concurrency.webhookReservedConcurrency',
      limits.webhookReservedConcurrency,
    ),
    apiThrottling: throttling,
    statusTtlDays: integer(
      'statusTtl',
      (props.statusTtl ?? Duration.days(DEFAULT_STATUS_TTL_DAYS)).toDays({ integral: false }),
      1,
      3650,
      'days',
    ),
    reconcileIntervalMinutes: intervalMinutes,
    reconcileMinAge,
    retryQueueAgeAlarmThreshold: threshold,
  };
}

/**
 * The Genesys callers' concurrency and their paces. Send and reconcile get reserved concurrency and the retry
 * event source a maximum concurrency, so the instances are bounded and their paces add up under both limits.
 */
function genesysConcurrency(
  limits: NonNullable<GenesysMessagingProps['concurrency']>,
): Pick<ResolvedSettings, 'retryMaxConcurrency' | 'sendReservedConcurrency' | 'rateLimits' | 'pacing'> {
  const rateLimits = {
    tokenPerMinute: integer(
      'concurrency.genesysTokenRequestsPerMinute',
      limits.genesysTokenRequestsPerMinute ?? DEFAULT_GENESYS_RATE_LIMITS.tokenPerMinute,
      1,
      1_000_000,
    ),
    clientPerMinute: integer(
      'concurrency.genesysClientRequestsPerMinute',
      limits.genesysClientRequestsPerMinute ?? DEFAULT_GENESYS_RATE_LIMITS.clientPerMinute,
      1,
      10_000_000,
    ),
  };
  const instances = {
    send: integer(
      'concurrency.sendReservedConcurrency',
      limits.sendReservedConcurrency ?? DEFAULT_GENESYS_INSTANCES.send,
      1,
      10_000,
    ),
    // Event source maximum concurrency: SQS allows 2 to 1000.
    retry: integer(
      'concurrency.retryMaxConcurrency',
      limits.retryMaxConcurrency ?? DEFAULT_GENESYS_INSTANCES.retry,
      2,
      1000,
    ),
    reconcile: DEFAULT_GENESYS_INSTANCES.reconcile,
  };
  for (const [name, value] of Object.entries({ ...rateLimits, ...instances })) {
    if (Token.isUnresolved(value)) {
      throw new GenesysMessagingPropsError(
        `concurrency.${name}`,
        'must be a number known at synth time: the Genesys paces are computed from it',
      );
    }
  }
  try {
    return {
      retryMaxConcurrency: instances.retry,
      sendReservedConcurrency: instances.send,
      rateLimits,
      pacing: fleetPacing(rateLimits, instances),
    };
  } catch (error) {
    // The limits were checked above: only the instance count can be at fault here.
    if (!(error instanceof FleetPacingError)) throw error;
    throw new GenesysMessagingPropsError(
      'concurrency',
      `cannot add up: ${error.message} (concurrency.genesysClientRequestsPerMinute); lower ` +
        'concurrency.sendReservedConcurrency or concurrency.retryMaxConcurrency',
    );
  }
}

/** A secret given by ARN must be the complete ARN: IAM matches the 6-character suffix, a partial ARN never. */
export function secretArn(name: string, secret: unknown): void {
  if (typeof secret !== 'string' || Token.isUnresolved(secret) || COMPLETE_SECRET_ARN.test(secret)) return;
  throw new GenesysMessagingPropsError(
    name,
    'must be a complete Secrets Manager secret ARN ' +
      `(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>), got "${secret}"`,
  );
}

function integer(name: string, value: number, min: number, max: number, unit?: string): number {
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < min || value > max)) {
    const what = unit === undefined ? 'an integer' : `a whole number of ${unit}`;
    const got = unit === undefined ? `${value}` : `${value} ${unit}`;
    throw new GenesysMessagingPropsError(name, `must be ${what} from ${min} to ${max}, got ${got}`);
  }
  return value;
}

function seconds(name: string, duration: Duration, min: number): number {
  const value = duration.toSeconds({ integral: false });
  if (!Number.isInteger(value) || value < min) {
    throw new GenesysMessagingPropsError(
      name,
      `must be a whole number of seconds, at least ${min}, got ${duration.toHumanString()}`,
    );
  }
  return value;
}
