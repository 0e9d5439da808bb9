import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { GENESYS_FUNCTION_NAMES, type GenesysFunctionName } from './constants';
import { answersReceived, deliveryTotal, type MetricsIdentity } from './delivery-metrics';

export interface OperationsDashboardProps {
  readonly identity: MetricsIdentity;
  readonly functions: Record<GenesysFunctionName, lambda.IFunction>;
  readonly api: apigateway.RestApi;
  readonly retryQueue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly failedInvocationsQueue: sqs.IQueue;
  /** The OAuth client's limit, drawn as a line on the 429 graph. */
  readonly genesysClientRequestsPerMinute: number;
  readonly retryQueueAgeThreshold: Duration;
  readonly failedSendRateAlarm: cloudwatch.IAlarm;
  /** @default - a name CloudFormation generates */
  readonly dashboardName?: string;
}

/**
 * One CloudWatch dashboard for operators (docs/operations.md): sends by outcome and the failed rate, Genesys'
 * 429s against the OAuth client's limit, the retry queue's age, dead letters, answers received, the API and
 * the functions.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const { identity } = props;
    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);
    const outcome = (metric: Parameters<typeof deliveryTotal>[1], label: string, period = fiveMinutes) =>
      deliveryTotal(identity, metric, period).with({ label });
    const queueAge = (queue: sqs.IQueue) =>
      queue.metricApproximateAgeOfOldestMessage({ period: minute, statistic: 'Maximum' });
    const visible = (queue: sqs.IQueue, label: string) =>
      queue.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: 'Maximum', label });
    const perFunction = (metric: (fn: lambda.IFunction) => cloudwatch.Metric) =>
      GENESYS_FUNCTION_NAMES.map((name) => metric(props.functions[name]).with({ label: name }));

    const calls = new cloudwatch.MathExpression({
      // Every outcome that was a Genesys answer; `Paced` made no call. A spent budget also counts as Failed,
      // so this is an upper bound.
      expression: 'sent + failed + throttled + retried',
      usingMetrics: {
        sent: deliveryTotal(identity, 'Sent', minute),
        failed: deliveryTotal(identity, 'Failed', minute),
        throttled: deliveryTotal(identity, 'Throttled', minute),
        retried: deliveryTotal(identity, 'Retried', minute),
      },
      label: 'Genesys calls (≈)',
      period: minute,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      ...(props.dashboardName !== undefined && { dashboardName: props.dashboardName }),
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Sends by outcome (per 5 minutes)',
            width: 12,
            stacked: true,
            left: [
              outcome('Sent', 'sent'),
              outcome('Failed', 'failed'),
              outcome('Throttled', 'Genesys 429 (retried)'),
              outcome('Retried', 'transient error (retried)'),
              outcome('Paced', 'held back by our pacer'),
              outcome('DeadLettered', 'dead-lettered'),
              outcome('Scheduled', 'scheduled'),
            ],
          }),
          new cloudwatch.AlarmWidget({
            title: 'Failed sends (% of outcomes)',
            width: 12,
            alarm: props.failedSendRateAlarm,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Genesys calls and 429s per minute, against the OAuth client limit',
            width: 12,
            left: [calls, outcome('Throttled', 'answered 429', minute)],
            leftAnnotations: [
              { value: props.genesysClientRequestsPerMinute, label: 'OAuth client limit', color: '#d62728' },
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Retry queue',
            width: 12,
            left: [queueAge(props.retryQueue).with({ label: 'oldest message age (s)' })],
            leftAnnotations: [
              { value: props.retryQueueAgeThreshold.toSeconds(), label: 'alarm', color: '#d62728' },
            ],
            right: [visible(props.retryQueue, 'messages waiting')],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Dead letters (depth)',
            width: 8,
            left: [
              visible(props.deadLetterQueue, 'dead-letter queue'),
              visible(props.failedInvocationsQueue, 'failed async invocations'),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Answers received (bot sessions, per 5 minutes)',
            width: 8,
            left: [answersReceived(identity, fiveMinutes)],
          }),
          new cloudwatch.GraphWidget({
            title: 'API (per 5 minutes)',
            width: 8,
            left: [
              props.api.metricCount({ period: fiveMinutes, label: 'requests' }),
              props.api.metricClientError({ period: fiveMinutes, label: '4xx' }),
              props.api.metricServerError({ period: fiveMinutes, label: '5xx' }),
            ],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Function errors and throttles (per 5 minutes)',
            width: 12,
            left: perFunction((fn) => fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' })),
            right: perFunction((fn) => fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' })),
          }),
          new cloudwatch.GraphWidget({
            title: 'Function duration p99 (ms)',
            width: 12,
            left: perFunction((fn) => fn.metricDuration({ period: fiveMinutes, statistic: 'p99' })),
          }),
        ],
      ],
    });
  }
}
