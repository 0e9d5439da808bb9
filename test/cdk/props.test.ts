import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { afterAll, describe, expect, it } from 'vitest';
import { GenesysMessagingPropsError } from '../../cdk/errors';
import { GenesysMessaging, type GenesysMessagingProps } from '../../cdk/genesys-messaging';

// Bad props fail the synth with the prop's name and the reason, before anything deploys. No bundling here:
// 'aws:cdk:bundling-stacks' = [] skips it, so each case takes milliseconds.

const scratch = mkdtempSync(join(tmpdir(), 'cdk-props-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function build(props: GenesysMessagingProps): GenesysMessaging {
  const app = new App({ outdir: scratch, context: { 'aws:cdk:bundling-stacks': [] } });
  return new GenesysMessaging(new Stack(app, 'Props'), 'Messaging', props);
}

function errorOf(props: GenesysMessagingProps): GenesysMessagingPropsError {
  try {
    build(props);
  } catch (error) {
    if (error instanceof GenesysMessagingPropsError) return error;
    throw error;
  }
  throw new Error('expected a GenesysMessagingPropsError');
}

describe('GenesysMessaging props', () => {
  it.each([
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts', 'from 1 to 100, got 0'],
    [{ retry: { maxAttempts: 2.5 } }, 'retry.maxAttempts', 'integer'],
    [{ retry: { baseDelay: Duration.millis(500) } }, 'retry.baseDelay', 'whole number of seconds'],
    [
      { retry: { baseDelay: Duration.minutes(2), maxDelay: Duration.minutes(1) } },
      'retry.maxDelay',
      'at least 120',
    ],
    [{ concurrency: { retryMaxConcurrency: 1 } }, 'concurrency.retryMaxConcurrency', 'from 2 to 1000, got 1'],
    [{ concurrency: { retryBatchSize: 11 } }, 'concurrency.retryBatchSize', 'from 1 to 10, got 11'],
    [{ concurrency: { sendReservedConcurrency: 0 } }, 'concurrency.sendReservedConcurrency', 'got 0'],
    [
      { concurrency: { genesysTokenRequestsPerMinute: 0 } },
      'concurrency.genesysTokenRequestsPerMinute',
      'from 1 to 1000000, got 0',
    ],
    [
      { concurrency: { genesysClientRequestsPerMinute: 2.5 } },
      'concurrency.genesysClientRequestsPerMinute',
      'integer',
    ],
    [
      {
        concurrency: {
          genesysClientRequestsPerMinute: 100,
          sendReservedConcurrency: 98,
          retryMaxConcurrency: 2,
        },
      },
      'concurrency',
      'cannot add up: 101 instances may call Genesys at once (send 98, retry 2, reconcile 1): more than the ' +
        "OAuth client's limit of 100 requests per minute allows at 1 request per minute each",
    ],
    [{ apiThrottling: { rateLimit: 0, burstLimit: 10 } }, 'apiThrottling.rateLimit', 'above 0'],
    [{ statusTtl: Duration.hours(36) }, 'statusTtl', 'whole number of days from 1 to 3650, got 1.5 days'],
    [{ reconcileInterval: Duration.seconds(30) }, 'reconcileInterval', 'whole number of minutes'],
    [
      { genesysCredentialsSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys' },
      'genesysCredentialsSecret',
      'complete Secrets Manager secret ARN',
    ],
    [
      { webhookSigningSecret: 'webhook-secret' },
      'webhookSigningSecret',
      'complete Secrets Manager secret ARN',
    ],
    [
      { genesysPartnerEventSourceName: 'aws.partner/example.com/other' },
      'genesysPartnerEventSourceName',
      'aws.partner/genesys.com/cloud/',
    ],
    [
      { handlerEntries: { send: '/nonexistent/handler.ts' } },
      'handlerEntries.send',
      'cannot be built: /nonexistent/handler.ts does not exist',
    ],
  ] satisfies [GenesysMessagingProps, string, string][])('refuses %j, naming %s', (props, prop, reason) => {
    // Act
    const error = errorOf(props);
    // Assess
    expect(error.prop).toBe(prop);
    expect(error.message).toContain(reason);
  });

  it('refuses an example schedule whose idempotency key the send request schema would reject', () => {
    // Prepare
    const schedule = ScheduleExpression.expression('rate(1 day)');
    const request = { target: { kind: 'conversation' }, message: { text: 'hi' } };
    // Act
    const badCharacters = errorOf({
      exampleSchedule: { schedule, request: { ...request, idempotencyKey: 'daily digest!' } },
    });
    const tooLong = errorOf({
      exampleSchedule: { schedule, request: { ...request, idempotencyKey: 'k'.repeat(120) } },
    });
    const notAString = errorOf({
      exampleSchedule: { schedule, request: { ...request, idempotencyKey: 42 } },
    });
    // Assess
    expect(badCharacters.prop).toBe('exampleSchedule.request.idempotencyKey');
    expect(badCharacters.message).toContain('must match');
    expect(tooLong.message).toContain('(the scheduled time is appended)');
    expect(notAString.message).toContain('non-empty string');
  });

  it('refuses a send request schema that is missing or not draft-04', () => {
    // Prepare
    const draft7 = join(scratch, 'draft7.schema.json');
    writeFileSync(
      draft7,
      JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }),
    );
    // Act
    const missing = errorOf({ sendRequestSchemaFile: join(scratch, 'missing.json') });
    const wrongDraft = errorOf({ sendRequestSchemaFile: draft7 });
    // Assess
    expect(missing.prop).toBe('sendRequestSchemaFile');
    expect(missing.message).toContain('npm run schema');
    expect(wrongDraft.message).toContain('draft-04');
  });

  it('accepts a complete secret ARN and uses it as the secret id', () => {
    // Prepare
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys/credentials-AbC123';
    // Act
    const messaging = build({ genesysCredentialsSecret: arn });
    // Assess
    expect(messaging.genesysCredentialsSecret.secretArn).toBe(arn);
  });
});
