/**
 * The EventBridge Scheduler stand-in, driven by the real @aws-sdk/client-scheduler and the service's own
 * EventBridgeSendScheduler: the SDK's requests must be understood, its errors parsed as the SDK's classes.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type SchedulerEvent,
  type SchedulerStandIn,
  startSchedulerStandIn,
} from '../../local/scheduler-stand-in';
import {
  atExpression,
  EventBridgeSendScheduler,
  scheduleNameFor,
} from '../../shared/delivery/send-scheduler';

const SEND_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:genesys-send';
const ROLE_ARN = 'arn:aws:iam::000000000000:role/scheduler';

let standIn: SchedulerStandIn;
let client: SchedulerClient;
const invocations: Array<{ arn: string; input: unknown; at: number }> = [];
const events: SchedulerEvent[] = [];
let failInvokes = false;

beforeAll(async () => {
  standIn = await startSchedulerStandIn({
    retryDelayMs: 20,
    invoke: async (arn, input) => {
      invocations.push({ arn, input, at: Date.now() });
      if (failInvokes) throw new Error('function error: Unhandled');
    },
    onEvent: (event) => events.push(event),
  });
  client = new SchedulerClient({
    region: 'us-east-1',
    endpoint: standIn.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterEach(() => {
  invocations.length = 0;
  events.length = 0;
  failInvokes = false;
});

afterAll(async () => {
  client.destroy();
  await standIn.close();
});

/** A whole second at least two seconds ahead: the schedule exists well before it is due, even on a busy machine. */
function soon(): string {
  return new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000).toISOString();
}

async function until(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('scheduler stand-in', () => {
  it("invokes the send function with the schedule's input at its time, once, then deletes the schedule", async () => {
    // Prepare
    const scheduler = new EventBridgeSendScheduler(client, 'genesys-messaging', ROLE_ARN);
    const sendAt = soon();
    // Act: a caller retrying after a 503 schedules the same message twice
    const first = await scheduler.schedule({ messageId: 'order-1', sendAt, targetArn: SEND_ARN });
    const again = await scheduler.schedule({ messageId: 'order-1', sendAt, targetArn: SEND_ARN });
    const waiting = standIn.schedules();
    await until(() => events.some((e) => e.type === 'deleted'));
    // Assess
    expect(again).toEqual(first);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({
      name: scheduleNameFor('order-1'),
      groupName: 'genesys-messaging',
      expression: atExpression(sendAt),
      progress: 'waiting',
    });
    expect(invocations).toHaveLength(1);
    expect(invocations[0]).toMatchObject({
      arn: SEND_ARN,
      input: { scheduledSend: { messageId: 'order-1' } },
    });
    expect(invocations[0]!.at).toBeGreaterThanOrEqual(Date.parse(sendAt));
    expect(standIn.schedules()).toEqual([]);
  });

  it("retries a failed invoke as the target's retry policy allows, then gives up and keeps the schedule", async () => {
    // Prepare
    failInvokes = true;
    // Act
    await client.send(
      new CreateScheduleCommand({
        Name: 'failing',
        ScheduleExpression: 'at(2020-01-01T00:00:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: SEND_ARN, RoleArn: ROLE_ARN, Input: '{}', RetryPolicy: { MaximumRetryAttempts: 2 } },
      }),
    );
    await until(() => events.some((e) => e.type === 'gave-up'));
    // Assess
    expect(invocations).toHaveLength(3);
    expect(events.filter((e) => e.type === 'invoke-failed')).toHaveLength(3);
    expect(standIn.schedules()).toMatchObject([{ name: 'failing', progress: 'failed', attempts: 3 }]);
    await client.send(new DeleteScheduleCommand({ Name: 'failing' }));
  });

  it('answers in the SDK error classes: conflict, not found, and validation naming the field', async () => {
    // Prepare
    const create = (input: Partial<ConstructorParameters<typeof CreateScheduleCommand>[0]>) =>
      client.send(
        new CreateScheduleCommand({
          Name: 'checked',
          ScheduleExpression: `at(2999-01-01T00:00:00)`,
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: SEND_ARN, RoleArn: ROLE_ARN },
          ...input,
        }),
      );
    // Act
    await create({});
    const conflict = await create({}).catch((error: unknown) => error);
    const rate = await create({ Name: 'rate', ScheduleExpression: 'rate(5 minutes)' }).catch(
      (e: unknown) => e,
    );
    const timezone = await create({ Name: 'tz', ScheduleExpressionTimezone: 'Europe/Paris' }).catch(
      (e: unknown) => e,
    );
    const input = await create({
      Name: 'input',
      Target: { Arn: SEND_ARN, RoleArn: ROLE_ARN, Input: 'not json' },
    }).catch((e: unknown) => e);
    const fetched = await client.send(new GetScheduleCommand({ Name: 'checked' }));
    await client.send(new DeleteScheduleCommand({ Name: 'checked' }));
    const missing = await client.send(new GetScheduleCommand({ Name: 'checked' })).catch((e: unknown) => e);
    // Assess
    expect(conflict).toBeInstanceOf(ConflictException);
    expect(rate).toBeInstanceOf(ValidationException);
    expect((rate as Error).message).toMatch(/at\(yyyy-mm-ddThh:mm:ss\) expressions only/);
    expect((timezone as Error).message).toMatch(/ScheduleExpressionTimezone UTC only/);
    expect((input as Error).message).toBe('Target.Input must be valid JSON for a Lambda target');
    expect(fetched).toMatchObject({ Name: 'checked', GroupName: 'default', State: 'ENABLED' });
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(invocations).toEqual([]);
  });

  it('never fires a schedule deleted before its time', async () => {
    // Prepare
    const scheduler = new EventBridgeSendScheduler(client, 'genesys-messaging', ROLE_ARN);
    const sendAt = soon();
    await scheduler.schedule({ messageId: 'cancelled', sendAt, targetArn: SEND_ARN });
    // Act
    await client.send(
      new DeleteScheduleCommand({ Name: scheduleNameFor('cancelled'), GroupName: 'genesys-messaging' }),
    );
    await new Promise((resolve) => setTimeout(resolve, Date.parse(sendAt) - Date.now() + 200));
    // Assess
    expect(invocations).toEqual([]);
    expect(standIn.schedules()).toEqual([]);
  });
});
