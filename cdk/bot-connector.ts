import { Validations } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { type BotDefinition, botListIssues } from '../shared/bot/bot-config';
import { checkSecretHeaderName, DEFAULT_BOT_CONNECTOR_SECRET_HEADER } from '../shared/bot/secret-header';
import { ENV } from '../shared/config/environment';
import { GenesysMessagingPropsError } from './errors';
import { secretArn } from './resolve-props';
import { sharedSecret } from './shared-secret';

/** The Digital Bot Connector side of the service (README "Bot connector"). */
export interface BotConnectorProps {
  /**
   * The bots Architect lists (`GET /botconnector/bots`), checked at synth against the spec's rules.
   * @default - none: the bot list is empty and every incoming message is answered 404
   */
  readonly bots?: BotDefinition[];
  /** The header Genesys sends the connection secret in (the integration's credential name). @default X-Bot-Connector-Secret */
  readonly secretHeaderName?: string;
  /** The connection secret (plain string): an existing secret or its complete ARN. @default - a generated one */
  readonly connectionSecret?: secretsmanager.ISecret | string;
  /** The bus customer messages are published on. @default - a new event bus */
  readonly eventBus?: events.IEventBus;
}

/**
 * The Lambda environment holds the bot list as JSON, and Lambda allows 4 KB for all variables together:
 * a longer list fails the synth (with its size) instead of the deploy.
 */
export const BOT_LIST_ENV_MAX_BYTES = 3000;

/** The connection secret, the bus, and what the bot function needs of them. The routes are added by {@link addRoutes}. */
export class BotConnector extends Construct {
  readonly connectionSecret: secretsmanager.ISecret;
  readonly eventBus: events.IEventBus;
  readonly secretHeaderName: string;
  readonly bots: readonly BotDefinition[];

  constructor(scope: Construct, id: string, props: BotConnectorProps = {}) {
    super(scope, id);
    this.bots = checkedBots(props.bots ?? []);
    const header = props.secretHeaderName ?? DEFAULT_BOT_CONNECTOR_SECRET_HEADER;
    try {
      this.secretHeaderName = checkSecretHeaderName(header);
    } catch (error) {
      throw new GenesysMessagingPropsError('botConnector.secretHeaderName', (error as Error).message);
    }
    this.connectionSecret = this.secret(props.connectionSecret);
    this.eventBus =
      props.eventBus ??
      new events.EventBus(this, 'EventBus', {
        description: 'Genesys bot connector: customer messages and button responses of bot sessions.',
      });
  }

  /** What the bot function reads (shared/bot/create-bot-handler.ts). */
  environment(): Record<string, string> {
    return {
      [ENV.botConnectorBots]: JSON.stringify(this.bots),
      [ENV.botConnectorSecretId]: this.connectionSecret.secretArn,
      [ENV.botConnectorSecretHeader]: this.secretHeaderName,
      [ENV.botEventBusName]: this.eventBus.eventBusName,
    };
  }

  /** Least privilege: read this secret, put events on this bus. */
  grantTo(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.connectionSecret.secretArn],
      }),
    );
    this.connectionSecret.encryptionKey?.grantDecrypt(role);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [this.eventBus.eventBusArn] }),
    );
  }

  /** `/botconnector/bots`, `/botconnector/bots/{botId}`, `/botconnector/messages`; returns the Bot Connector URI. */
  addRoutes(api: apigateway.RestApi, integration: apigateway.Integration): string {
    const root = api.root.addResource('botconnector');
    const bots = root.addResource('bots');
    const methods = [
      bots.addMethod('GET', integration),
      bots.addResource('{botId}').addMethod('GET', integration),
      root.addResource('messages').addMethod('POST', integration),
    ];
    for (const method of methods) {
      for (const id of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
        Validations.of(method).acknowledge({
          id,
          reason:
            "Genesys Cloud calls the bot connector without AWS credentials. The function checks the integration's " +
            'connection secret header on every call (constant time) and answers 403, writing nothing, when it is wrong.',
        });
      }
    }
    return api.urlForPath('/botconnector');
  }

  private secret(existing: secretsmanager.ISecret | string | undefined): secretsmanager.ISecret {
    if (typeof existing === 'string') {
      secretArn('botConnector.connectionSecret', existing);
      return secretsmanager.Secret.fromSecretCompleteArn(this, 'ConnectionSecret', existing);
    }
    if (existing !== undefined) return existing;
    return sharedSecret(
      this,
      'ConnectionSecret',
      'Genesys Digital Bot Connector connection secret (plain string): the header value Genesys sends.',
      'The same value must be set in the Genesys Digital Bot Connector integration; rotating it is a coordinated ' +
        'change (the previous value stays accepted meanwhile), which an automatic rotation would break.',
    );
  }
}

function checkedBots(bots: BotDefinition[]): BotDefinition[] {
  const issues = botListIssues(bots);
  if (issues.length > 0) {
    throw new GenesysMessagingPropsError(
      'botConnector.bots',
      `breaks the Digital Bot Connector rules: ${issues.join('; ')}`,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(bots));
  if (bytes > BOT_LIST_ENV_MAX_BYTES) {
    throw new GenesysMessagingPropsError(
      'botConnector.bots',
      `is ${bytes} bytes as JSON; the bot function's environment holds at most ${BOT_LIST_ENV_MAX_BYTES}: shorten descriptions or greetings, or list fewer bots`,
    );
  }
  return bots;
}
