import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { TARGET_KINDS } from '../../cdk/delivery-metrics';
import { GenesysMessagingPropsError } from '../../cdk/errors';
import { GenesysMessaging, type GenesysMessagingProps } from '../../cdk/genesys-messaging';

// The failed-send alarm and the dashboard, from the template. No bundling ('aws:cdk:bundling-stacks' = []).

type Json = Record<string, any>;
const scratch = mkdtempSync(join(tmpdir(), 'cdk-ops-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function synth(props: GenesysMessagingProps = {}, withTopic = false): Template {
  const app = new App({ outdir: scratch, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Ops');
  const alarmTopic = withTopic ? new sns.Topic(stack, 'Topic') : undefined;
  new GenesysMessaging(stack, 'Messaging', { ...props, ...(alarmTopic && { alarmTopic }) });
  return Template.fromStack(stack);
}

function failedRateAlarm(template: Template): Json {
  const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) =>
    id.startsWith('MessagingFailedSendRate'),
  );
  expect(alarms).toHaveLength(1);
  return alarms[0]![1].Properties;
}

/** The dashboard body with every token replaced by a placeholder, parsed. */
function dashboardBody(template: Template): Json {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const parts = dashboard!.Properties.DashboardBody['Fn::Join'][1] as unknown[];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
}

/** What countDelivery publishes: namespace and dimension names of one EMF line. */
async function publishedMetric(): Promise<{ namespace: string; dimensions: string[]; line: Json }> {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  vi.resetModules();
  const { countDelivery } = await import('../../shared/observability/telemetry');
  countDelivery('Failed', 'agentless');
  spy.mockRestore();
  vi.unstubAllEnvs();
  const line = JSON.parse(lines.find((l) => l.includes('_aws'))!);
  const [directive] = line._aws.CloudWatchMetrics;
  return { namespace: directive.Namespace, dimensions: directive.Dimensions[0], line };
}

describe('failed send rate alarm', () => {
  it('alarms when more than 10 % of at least 3 outcomes in 15 minutes failed, on the metrics the functions publish', async () => {
    // Act
    const alarm = failedRateAlarm(synth());
    const published = await publishedMetric();
    // Assess
    expect(alarm).toMatchObject({
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    const queries = alarm.Metrics as Json[];
    const rate = queries.find((q) => q.ReturnData !== false);
    expect(rate?.Expression).toBe('IF(sent + failed >= 3, 100 * failed / (sent + failed), 0)');
    const stats = queries.filter((q) => q.MetricStat !== undefined).map((q) => q.MetricStat);
    expect(stats).toHaveLength(2 * TARGET_KINDS.length);
    for (const stat of stats) {
      expect(stat).toMatchObject({ Period: 900, Stat: 'Sum' });
      // The same namespace, dimension names and values as an EMF line of countDelivery.
      expect(stat.Metric.Namespace).toBe(published.namespace);
      expect(stat.Metric.Dimensions.map((d: Json) => d.Name).sort()).toEqual(
        [...published.dimensions].sort(),
      );
      expect(stat.Metric.Dimensions.find((d: Json) => d.Name === 'service').Value).toBe(
        published.line.service,
      );
    }
    expect(new Set(stats.map((s) => s.Metric.MetricName))).toEqual(new Set(['Sent', 'Failed']));
    expect(
      new Set(stats.map((s) => s.Metric.Dimensions.find((d: Json) => d.Name === 'targetKind').Value)),
    ).toEqual(new Set(TARGET_KINDS));
    // No topic: the alarm changes state but notifies nobody.
    expect(alarm.AlarmActions).toBeUndefined();
  });

  it('takes its threshold, minimum and period from the props and notifies the alarm topic', () => {
    // Act
    const alarm = failedRateAlarm(
      synth(
        {
          failedSendRateAlarm: { thresholdPercent: 2, minOutcomes: 20, period: Duration.minutes(5) },
          metricsNamespace: 'Acme/Messaging',
          serviceName: 'acme',
        },
        true,
      ),
    );
    // Assess
    expect(alarm.Threshold).toBe(2);
    const queries = alarm.Metrics as Json[];
    expect(queries.find((q) => q.ReturnData !== false)?.Expression).toContain('>= 20');
    const stat = queries.find((q) => q.MetricStat !== undefined)?.MetricStat;
    expect(stat).toMatchObject({ Period: 300, Metric: { Namespace: 'Acme/Messaging' } });
    expect(stat.Metric.Dimensions).toContainEqual({ Name: 'service', Value: 'acme' });
    expect(alarm.AlarmActions).toHaveLength(1);
    expect(alarm.OKActions).toHaveLength(1);
  });

  it.each([
    [{ thresholdPercent: 100 }, 'failedSendRateAlarm.thresholdPercent'],
    [{ thresholdPercent: -1 }, 'failedSendRateAlarm.thresholdPercent'],
    [{ minOutcomes: 0 }, 'failedSendRateAlarm.minOutcomes'],
    [{ period: Duration.seconds(90) }, 'failedSendRateAlarm.period'],
  ])('refuses %o naming %s', (failedSendRateAlarm, prop) => {
    // Act + Assess
    expect(() => synth({ failedSendRateAlarm })).toThrow(GenesysMessagingPropsError);
    expect(() => synth({ failedSendRateAlarm })).toThrow(prop);
  });
});

describe('operations dashboard', () => {
  it('shows sends by outcome, 429s against the limit, retry queue age, dead letters, answers received', () => {
    // Act
    const body = dashboardBody(synth({ concurrency: { genesysClientRequestsPerMinute: 600 } }));
    const widgets = body.widgets as Json[];
    const byTitle = new Map(widgets.map((w) => [w.properties.title, w.properties]));
    const text = JSON.stringify(body);
    // Assess
    expect([...byTitle.keys()]).toEqual([
      'Sends by outcome (per 5 minutes)',
      'Failed sends (% of outcomes)',
      'Genesys calls and 429s per minute, against the OAuth client limit',
      'Retry queue',
      'Dead letters (depth)',
      'Answers received (bot sessions, per 5 minutes)',
      'API (per 5 minutes)',
      'Function errors and throttles (per 5 minutes)',
      'Function duration p99 (ms)',
    ]);
    for (const metric of ['Sent', 'Failed', 'Throttled', 'Retried', 'Paced', 'DeadLettered', 'Scheduled']) {
      expect(text).toContain(`"${metric}"`);
    }
    const limit = byTitle.get('Genesys calls and 429s per minute, against the OAuth client limit');
    expect(limit.annotations.horizontal).toEqual([
      expect.objectContaining({ value: 600, label: 'OAuth client limit' }),
    ]);
    expect(JSON.stringify(byTitle.get('Retry queue'))).toContain('ApproximateAgeOfOldestMessage');
    expect(JSON.stringify(byTitle.get('Dead letters (depth)'))).toContain(
      'ApproximateNumberOfMessagesVisible',
    );
    expect(byTitle.get('Answers received (bot sessions, per 5 minutes)').metrics[0][0].expression).toBe(
      `SUM(SEARCH('Namespace="GenesysMessaging" MetricName="AnswersReceived"', 'Sum', 300))`,
    );
    expect(byTitle.get('Failed sends (% of outcomes)').annotations.alarms).toHaveLength(1);
  });

  it('is left out with dashboard: false', () => {
    // Act + Assess
    synth({ dashboard: false }).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    synth({ dashboardName: 'genesys-ops' }).hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'genesys-ops',
    });
  });
});
