import { SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';

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
 * and a redrive policy that only catches crashes (maxReceiveCount).
 */
export async function startLocalQueues(
  options: { port?: number; visibilityTimeoutSeconds?: number; maxReceiveCount?: number } = {},
): Promise<LocalQueues> {
  const server = await startFauxqs({ port: options.port ?? 0, logger: false });
  const dlq = server.createQueue('genesys-retry-dlq');
  const retry = server.createQueue('genesys-retry', {
    attributes: {
      VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlq.queueArn,
        maxReceiveCount: options.maxReceiveCount ?? 5,
      }),
    },
  });
  const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: server.address });
  return {
    endpoint: server.address,
    sqs,
    retryQueueUrl: retry.queueUrl,
    retryQueueArn: retry.queueArn,
    deadLetterQueueUrl: dlq.queueUrl,
    deadLetterQueueArn: dlq.queueArn,
    async stop() {
      sqs.destroy();
      await server.stop();
    },
  };
}
