import type { SQSClient } from '@aws-sdk/client-sqs';
import { AWS_CLIENT_CONFIG } from '../config/aws-clients';
import { optionalEnv, requireEnv } from '../config/environment';
import { builtOnFirstUse } from './built-on-first-use';
import { type RetryMessage, retryMessageAttributes } from './retry-message';

/** The retry queue and its dead-letter queue, as the delivery code needs them. */
export interface RetryQueue {
  enqueue(message: RetryMessage, delaySeconds: number): Promise<void>;
  /** Parks a message for an operator, with the reason in its attributes. `body` is kept as received. */
  deadLetter(body: string, reason: string, attributes?: Record<string, string>): Promise<void>;
}

export class SqsRetryQueue implements RetryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly deadLetterQueueUrl: string | undefined,
  ) {}

  async enqueue(message: RetryMessage, delaySeconds: number): Promise<void> {
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        DelaySeconds: delaySeconds,
        MessageAttributes: retryMessageAttributes(message),
      }),
    );
  }

  async deadLetter(body: string, reason: string, attributes: Record<string, string> = {}): Promise<void> {
    if (this.deadLetterQueueUrl === undefined) {
      throw new Error('DEAD_LETTER_QUEUE_URL is not set: cannot park the message');
    }
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    const all: Record<string, string> = { ...attributes, reason: reason.slice(0, 1000) };
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.deadLetterQueueUrl,
        MessageBody: body,
        MessageAttributes: Object.fromEntries(
          Object.entries(all).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
        ),
      }),
    );
  }
}

/**
 * The retry queue from the environment, built on first use: the SQS client is imported lazily so a send
 * that succeeds at once never pays for loading it (cold start).
 */
export const retryQueueFromEnvironment: () => Promise<RetryQueue> = builtOnFirstUse(async () => {
  const queueUrl = requireEnv('retryQueueUrl');
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  return new SqsRetryQueue(new SQSClient(AWS_CLIENT_CONFIG), queueUrl, optionalEnv('deadLetterQueueUrl'));
});
