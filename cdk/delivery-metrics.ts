import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { DeliveryMetric } from '../shared/observability/telemetry';
import type { TargetKind } from '../shared/status/types';

/**
 * The functions' own metrics as CloudWatch sees them (shared/observability/telemetry.ts): Powertools EMF in
 * POWERTOOLS_METRICS_NAMESPACE, dimensions `service` (POWERTOOLS_SERVICE_NAME) and `targetKind`.
 */
export const DEFAULT_SERVICE_NAME = 'genesys-messaging';
export const DEFAULT_METRICS_NAMESPACE = 'GenesysMessaging';
export const TARGET_KINDS: readonly TargetKind[] = ['botConnector', 'conversation', 'agentless'];
/** Counted by the bot connector's answer endpoint: one per customer answer received (any dimensions). */
export const ANSWERS_RECEIVED_METRIC = 'AnswersReceived';

export interface MetricsIdentity {
  readonly namespace: string;
  readonly service: string;
}

/** One delivery outcome summed over the target kinds (a missing kind counts 0), per `period`. */
export function deliveryTotal(
  identity: MetricsIdentity,
  metric: DeliveryMetric,
  period: Duration,
): cloudwatch.MathExpression {
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  for (const kind of TARGET_KINDS) {
    usingMetrics[`${metric.toLowerCase()}_${kind}`] = new cloudwatch.Metric({
      namespace: identity.namespace,
      metricName: metric,
      dimensionsMap: { service: identity.service, targetKind: kind },
      statistic: 'Sum',
      period,
    });
  }
  return new cloudwatch.MathExpression({
    expression: Object.keys(usingMetrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(' + '),
    usingMetrics,
    label: metric,
    period,
  });
}

export interface FailedRateSettings {
  /** Percent of outcomes (sent + failed) that failed. */
  readonly thresholdPercent: number;
  /** Fewer outcomes than this in a period count as 0 %: one refused message of two is not an outage. */
  readonly minOutcomes: number;
  readonly period: Duration;
}

/** Percent of the period's send outcomes that were `failed`; 0 below `minOutcomes`. */
export function failedRate(
  identity: MetricsIdentity,
  settings: FailedRateSettings,
): cloudwatch.MathExpression {
  const { period, minOutcomes } = settings;
  return new cloudwatch.MathExpression({
    expression: `IF(sent + failed >= ${minOutcomes}, 100 * failed / (sent + failed), 0)`,
    usingMetrics: {
      sent: deliveryTotal(identity, 'Sent', period),
      failed: deliveryTotal(identity, 'Failed', period),
    },
    label: 'failed sends (%)',
    period,
  });
}

/** Customer answers received by the bot connector, whatever dimensions the function gives them. */
export function answersReceived(identity: MetricsIdentity, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SUM(SEARCH('Namespace="${identity.namespace}" MetricName="${ANSWERS_RECEIVED_METRIC}"', 'Sum', ${period.toSeconds()}))`,
    label: 'answers received',
    period,
    usingMetrics: {},
  });
}

export const DEFAULT_FAILED_RATE: FailedRateSettings = {
  thresholdPercent: 10,
  minOutcomes: 3,
  period: Duration.minutes(15),
};
