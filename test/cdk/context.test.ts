import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { stackSettingsFromContext } from '../../cdk/context';
import { ContextError } from '../../cdk/errors';

function reader(context: Record<string, unknown>) {
  return (key: string) => context[key];
}

describe('stackSettingsFromContext', () => {
  it('gives the default stack when nothing is set', () => {
    // Act
    const settings = stackSettingsFromContext(reader({}));
    // Assess
    expect(settings).toEqual({ stackName: 'GenesysMessaging', props: { messaging: {} } });
  });

  it('reads `cdk -c` strings: secrets, alarms, partner source, retention, flags and the example schedule', () => {
    // Prepare
    const request = { target: { kind: 'conversation' }, message: { text: 'Weekly report' } };
    // Act
    const { stackName, props } = stackSettingsFromContext(
      reader({
        stackName: 'Messaging-Prod',
        genesysSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys-AbC123',
        alarmEmail: 'ops@example.com',
        genesysPartnerEventSourceName: 'aws.partner/genesys.com/cloud/org/messages',
        webhookForwardUrl: 'https://middleware.example.com/genesys',
        logRetentionDays: '90',
        apiGatewayCloudWatchRole: 'false',
        exampleSchedule: JSON.stringify({
          expression: 'cron(0 8 ? * MON *)',
          timeZone: 'Europe/Paris',
          request,
        }),
      }),
    );
    // Assess
    expect(stackName).toBe('Messaging-Prod');
    expect(props.alarmEmail).toBe('ops@example.com');
    expect(props.messaging).toMatchObject({
      genesysCredentialsSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys-AbC123',
      genesysPartnerEventSourceName: 'aws.partner/genesys.com/cloud/org/messages',
      webhookForwardUrl: 'https://middleware.example.com/genesys',
      logRetention: RetentionDays.THREE_MONTHS,
      apiGatewayCloudWatchRole: false,
      exampleSchedule: { request },
    });
    expect(props.messaging?.exampleSchedule?.schedule.expressionString).toBe('cron(0 8 ? * MON *)');
    expect(props.messaging?.exampleSchedule?.schedule.timeZone?.timezoneName).toBe('Europe/Paris');
  });

  it.each([
    [{ logRetentionDays: '45' }, 'logRetentionDays', "CloudWatch's retention periods"],
    [{ apiGatewayCloudWatchRole: 'yes' }, 'apiGatewayCloudWatchRole', 'true or false'],
    [{ alarmEmail: 42 }, 'alarmEmail', 'must be a string'],
    [{ exampleSchedule: '{not json' }, 'exampleSchedule', 'must be JSON'],
    [
      { exampleSchedule: { expression: 'every day', request: {} } },
      'exampleSchedule.expression',
      'cron(...)',
    ],
    [{ exampleSchedule: { expression: 'rate(1 day)', request: [] } }, 'exampleSchedule.request', 'object'],
  ])('refuses %j, naming %s', (context, key, reason) => {
    // Act
    const act = () => stackSettingsFromContext(reader(context));
    // Assess
    expect(act).toThrow(ContextError);
    expect(act).toThrow(`context "${key}"`);
    expect(act).toThrow(reason);
  });
});
