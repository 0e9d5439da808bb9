import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stackSettingsFromContext } from './context';
import { GenesysMessagingStack } from './genesys-messaging-stack';

/** `npx cdk deploy` entry (cdk.json "app"). Settings come from context: see cdk/context.ts and README "Deploy". */
const app = new App();
const { stackName, props } = stackSettingsFromContext((key) => app.node.tryGetContext(key));
new GenesysMessagingStack(app, stackName, {
  ...props,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
// cdk-nag AwsSolutions on every synth: an unacknowledged finding fails `cdk synth` and `cdk deploy`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
