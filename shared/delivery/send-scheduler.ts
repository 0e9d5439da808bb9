import { createHash } from 'node:crypto';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { AWS_CLIENT_CONFIG } from '../config/aws-clients';
import { requireEnv } from '../config/environment';
import { builtOnFirstUse } from './built-on-first-use';

/** The event a one-time schedule delivers to the send function: "send the recorded message now". */
export interface ScheduledSendEvent {
  scheduledSend: { messageId: string };
}

export function isScheduledSendEvent(event: unknown): event is ScheduledSendEvent {
  const inner = (event as { scheduledSend?: { messageId?: unknown } } | null)?.scheduledSend;
  return typeof inner?.messageId === 'string' && inner.messageId.length > 0;
}

/** Creates the one-time trigger for a `sendAt` message. */
export interface SendScheduler {
  /** Idempotent: scheduling the same message twice leaves one schedule. */
  schedule(input: {
    messageId: string;
    sendAt: string;
    targetArn: string;
  }): Promise<{ scheduleName: string }>;
}

/**
 * Schedule names allow 64 characters of [0-9A-Za-z-_.]; message ids allow 128 and ':'.
 * A hash keeps the name unique, valid and stable for the same message.
 */
export function scheduleNameFor(messageId: string): string {
  return `send-${createHash('sha256').update(messageId).digest('hex').slice(0, 40)}`;
}

/**
 * `at()` takes whole seconds of a local time without offset; we always give UTC and say so. A fraction
 * of a second rounds up: a message is never sent before its `sendAt`.
 */
export function atExpression(sendAt: string): string {
  const wholeSecond = Math.ceil(Date.parse(sendAt) / 1000) * 1000;
  return `at(${new Date(wholeSecond).toISOString().slice(0, 19)})`;
}

export class EventBridgeSendScheduler implements SendScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly groupName: string,
    private readonly roleArn: string,
  ) {}

  async schedule(input: {
    messageId: string;
    sendAt: string;
    targetArn: string;
  }): Promise<{ scheduleName: string }> {
    const { CreateScheduleCommand, ConflictException } = await import('@aws-sdk/client-scheduler');
    const scheduleName = scheduleNameFor(input.messageId);
    const event: ScheduledSendEvent = { scheduledSend: { messageId: input.messageId } };
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: scheduleName,
          GroupName: this.groupName,
          ScheduleExpression: atExpression(input.sendAt),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          // The schedule deletes itself once it has fired: nothing to clean up, no limit to reach.
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: input.targetArn,
            RoleArn: this.roleArn,
            Input: JSON.stringify(event),
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
          },
        }),
      );
    } catch (error) {
      // Already there: a retried call for the same message. The lease makes a double fire harmless too.
      if (!(error instanceof ConflictException)) throw error;
    }
    return { scheduleName };
  }
}

/** The scheduler from the environment, built on first use: only `sendAt` requests load its client. */
export const sendSchedulerFromEnvironment: () => Promise<SendScheduler> = builtOnFirstUse(async () => {
  const groupName = requireEnv('schedulerGroupName');
  const roleArn = requireEnv('schedulerRoleArn');
  const { SchedulerClient } = await import('@aws-sdk/client-scheduler');
  return new EventBridgeSendScheduler(new SchedulerClient(AWS_CLIENT_CONFIG), groupName, roleArn);
});
