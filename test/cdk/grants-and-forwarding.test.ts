import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { afterAll, describe, expect, it } from 'vitest';
import { GenesysMessagingPropsError } from '../../cdk/errors';
import { GenesysMessaging, type GenesysMessagingProps } from '../../cdk/genesys-messaging';
import { ENV } from '../../shared/config/environment';

// Grant helpers and the webhook's forwarding prop, from the template (no bundling).

type Json = Record<string, any>;
const scratch = mkdtempSync(join(tmpdir(), 'cdk-grants-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function build(props: GenesysMessagingProps = {}) {
  const app = new App({ outdir: scratch, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Grants');
  const messaging = new GenesysMessaging(stack, 'Messaging', props);
  return { stack, messaging };
}

/** The statements of the policies attached to `role`, resources rendered as text. */
function statementsOf(template: Template, roleLogicalId: string): { actions: string[]; resources: string }[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleLogicalId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[])
    .map((s) => ({ actions: [s.Action].flat(), resources: JSON.stringify(s.Resource) }));
}

describe('grant helpers', () => {
  it('grantSend allows POST /messages and invoking the send function, nothing else', () => {
    // Prepare
    const { stack, messaging } = build();
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    // Act
    messaging.grantSend(caller);
    // Assess
    const statements = statementsOf(
      Template.fromStack(stack),
      stack.getLogicalId(caller.node.defaultChild as iam.CfnRole),
    );
    expect(statements.flatMap((s) => s.actions).sort()).toEqual([
      'execute-api:Invoke',
      'lambda:InvokeFunction',
    ]);
    const invoke = statements.find((s) => s.actions.includes('execute-api:Invoke'))!;
    expect(invoke.resources).toContain('DeploymentStagev1');
    expect(invoke.resources).toContain('/POST/messages"');
    expect(invoke.resources).not.toContain('GET');
    expect(statements.find((s) => s.actions.includes('lambda:InvokeFunction'))!.resources).toContain(
      'MessagingSendFunction',
    );
  });

  it('grantReadStatus allows GET /messages/{id} only', () => {
    // Prepare
    const { stack, messaging } = build();
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    // Act
    messaging.grantReadStatus(reader);
    // Assess
    const statements = statementsOf(
      Template.fromStack(stack),
      stack.getLogicalId(reader.node.defaultChild as iam.CfnRole),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]!.actions).toEqual(['execute-api:Invoke']);
    expect(statements[0]!.resources).toContain('/GET/messages/*"');
  });
});

describe('webhook forwarding prop', () => {
  function webhookEnvironment(template: Template): Json {
    const [fn] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) =>
      id.startsWith('MessagingWebhookFunction'),
    );
    return fn![1].Properties.Environment.Variables;
  }

  it('sets WEBHOOK_FORWARD_URL on the webhook function only when given', () => {
    // Act
    const forwarding = build({ webhookForwardUrl: 'https://middleware.example.com/genesys' });
    const plain = build();
    // Assess
    expect(webhookEnvironment(Template.fromStack(forwarding.stack))[ENV.webhookForwardUrl]).toBe(
      'https://middleware.example.com/genesys',
    );
    expect(webhookEnvironment(Template.fromStack(plain.stack))[ENV.webhookForwardUrl]).toBeUndefined();
  });

  it('refuses a URL that is not https, naming the prop', () => {
    // Act + Assess
    expect(() => build({ webhookForwardUrl: 'http://middleware.example.com/genesys' })).toThrow(
      GenesysMessagingPropsError,
    );
    expect(() => build({ webhookForwardUrl: 'http://middleware.example.com/genesys' })).toThrow(
      'GenesysMessaging: webhookForwardUrl must be an https URL',
    );
  });
});
