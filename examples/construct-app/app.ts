import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { GenesysMessaging } from 'genesys-rich-messaging';

/**
 * A team's own stack using the construct from the installed package: its functions come prebuilt with the
 * package, so this synthesizes without the service's sources, its lock file, esbuild or Docker.
 */
const app = new App();
const stack = new Stack(app, 'OrdersNotifications', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
const alarms = new sns.Topic(stack, 'Alarms', { enforceSSL: true });
const messaging = new GenesysMessaging(stack, 'Messaging', {
  retry: { maxAttempts: 5, maxAge: Duration.hours(2) },
  concurrency: { genesysTokenRequestsPerMinute: 300, genesysClientRequestsPerMinute: 3000 },
  alarmTopic: alarms,
});
new CfnOutput(stack, 'MessagesUrl', { value: `${messaging.apiUrl}messages` });
new CfnOutput(stack, 'GenesysWebhookUrl', { value: messaging.webhookUrl });
app.synth();
