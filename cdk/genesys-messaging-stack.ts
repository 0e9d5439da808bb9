import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { GenesysMessaging, type GenesysMessagingProps } from './genesys-messaging';

export interface GenesysMessagingStackProps extends StackProps {
  /** Everything about the service itself; see `GenesysMessagingProps`. */
  readonly messaging?: Omit<GenesysMessagingProps, 'alarmTopic'>;
  /** An existing SNS topic for alarms. @default - a new KMS-encrypted topic */
  readonly alarmTopicArn?: string;
  /** Subscribe this address to the new alarm topic (confirm the e-mail AWS sends). @default - no subscription */
  readonly alarmEmail?: string;
}

/** The whole service in one stack: the `GenesysMessaging` construct, an alarm topic, and the outputs. */
export class GenesysMessagingStack extends Stack {
  readonly messaging: GenesysMessaging;
  readonly alarmTopic: sns.ITopic;

  constructor(scope: Construct, id: string, props: GenesysMessagingStackProps = {}) {
    super(scope, id, {
      description: 'Genesys Cloud rich messaging: send, retry, webhook, status and reconcile.',
      ...props,
    });

    // ── Alarm topic ──────────────────────────────────────────────────────────────────────────────────
    if (props.alarmTopicArn !== undefined && props.alarmEmail !== undefined) {
      throw new Error(
        'GenesysMessagingStack: alarmEmail subscribes to a new topic; with alarmTopicArn, subscribe there',
      );
    }
    this.alarmTopic =
      props.alarmTopicArn === undefined
        ? this.newAlarmTopic(props.alarmEmail)
        : sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);

    // ── Service ──────────────────────────────────────────────────────────────────────────────────────
    this.messaging = new GenesysMessaging(this, 'Messaging', {
      ...props.messaging,
      alarmTopic: this.alarmTopic,
    });

    // ── Outputs ──────────────────────────────────────────────────────────────────────────────────────
    const m = this.messaging;
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('ApiUrl', m.apiUrl, 'REST API base URL (POST messages, GET messages/{id}; IAM/SigV4).');
    output('WebhookUrl', m.webhookUrl, 'Genesys Open Messaging outbound webhook URL.');
    output(
      'BotConnectorUrl',
      m.botConnectorUrl,
      'Bot Connector URI of the Genesys Digital Bot Connector integration.',
    );
    output('BotConnectorSecretHeader', m.botConnector.secretHeaderName, 'Connection secret header name.');
    output(
      'BotConnectorSecretArn',
      m.botConnector.connectionSecret.secretArn,
      'Connection secret value (plain string).',
    );
    output(
      'BotEventBusName',
      m.botConnector.eventBus.eventBusName,
      'Bus of customer messages and button responses.',
    );
    output('GenesysSecretArn', m.genesysCredentialsSecret.secretArn, 'Genesys OAuth client secret (JSON).');
    output('WebhookSecretArn', m.webhookSigningSecret.secretArn, 'Webhook signing secret (plain string).');
    output('StatusTableName', m.table.tableName, 'DynamoDB status table.');
    output('RetryQueueName', m.retryQueue.queueName, 'SQS retry queue.');
    output(
      'DeadLetterQueueName',
      m.deadLetterQueue.queueName,
      'SQS dead-letter queue (spent retry budgets).',
    );
    output('FailedInvocationsQueueName', m.failedInvocationsQueue.queueName, 'Failed async invocations.');
    output('SendFunctionName', m.functions.send.functionName, 'Send function, for direct invoke.');
    output('SchedulerGroupName', m.schedulerGroupName, 'EventBridge Scheduler group of sends.');
    output('AlarmTopicArn', this.alarmTopic.topicArn, 'SNS topic the alarms notify.');
  }

  /** CloudWatch can only publish to an encrypted topic through a customer managed key that lets it. */
  private newAlarmTopic(email: string | undefined): sns.Topic {
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the Genesys messaging alarm topic.',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Genesys messaging alarms',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    if (email !== undefined) topic.addSubscription(new EmailSubscription(email));
    return topic;
  }
}
