import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';

export interface LocalQueues {
  endpoint: string;
  sqs: SQSClient;
  retryQueueUrl: string;
  retryQueueArn: string;
  deadLetterQueueUrl: string;
  deadLetterQueueArn: string;
  stop(): Promise<void>;
}

/** Local credentials: fauxqs and dynalite check none, the SDK still wants some. */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

/**
 * The retry queue and its DLQ on an embedded fauxqs, configured as the CDK stack does: visibility timeout
 * and a redrive policy that only catches crashes (maxReceiveCount). fauxqs' own `startFauxqs` listens on
 * every interface; this listens on loopback only.
 */
export async function startLocalQueues(
  options: { port?: number; visibilityTimeoutSeconds?: number; maxReceiveCount?: number } = {},
): Promise<LocalQueues> {
  const app = buildApp({ logger: false });
  const endpoint = await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const sqs = new SQSClient({ ...LOCAL_AWS, endpoint });
  const create = async (name: string, attributes: Record<string, string> = {}) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  };
  const dlq = await create('genesys-retry-dlq');
  const retry = await create('genesys-retry', {
    VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: options.maxReceiveCount ?? 5,
    }),
  });
  return {
    endpoint,
    sqs,
    retryQueueUrl: retry.url,
    retryQueueArn: retry.arn,
    deadLetterQueueUrl: dlq.url,
    deadLetterQueueArn: dlq.arn,
    async stop() {
      sqs.destroy();
      await app.close();
    },
  };
}
