import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { BOT_LIST_ENV_MAX_BYTES, BotConnector } from '../../cdk/bot-connector';
import { stackSettingsFromContext } from '../../cdk/context';

const BOT = {
  id: 'order-bot',
  name: 'Order bot',
  provider: 'AWS',
  versions: [{ version: '1', supportedLanguages: ['en-us'], intents: [{ name: 'OrderConfirmed' }] }],
};

describe('bot connector props, checked at synth', () => {
  it('refuses a bot list that breaks the spec, naming the prop, the field and the rule', () => {
    expect(() => new BotConnector(new Stack(), 'Bot', { bots: [{ ...BOT, name: 'Order bot ' }] })).toThrow(
      'GenesysMessaging: botConnector.bots breaks the Digital Bot Connector rules: bots[0].name: must not start or end with whitespace',
    );
  });

  it('refuses a bot list too large for the function environment', () => {
    const bots = Array.from({ length: 20 }, (_, i) => ({
      ...BOT,
      id: `bot-${i}`,
      description: 'd'.repeat(200),
    }));
    expect(() => new BotConnector(new Stack(), 'Bot', { bots })).toThrow(
      new RegExp(
        `botConnector.bots is \\d+ bytes as JSON; the bot function's environment holds at most ${BOT_LIST_ENV_MAX_BYTES}`,
      ),
    );
  });

  it('refuses a header name that is no HTTP header name, and a secret that is no complete ARN', () => {
    expect(() => new BotConnector(new Stack(), 'Bot', { secretHeaderName: 'X Secret' })).toThrow(
      /botConnector.secretHeaderName .*not a valid HTTP header name/,
    );
    expect(() => new BotConnector(new Stack(), 'Bot', { connectionSecret: 'my-secret' })).toThrow(
      /botConnector.connectionSecret must be a complete Secrets Manager secret ARN/,
    );
  });

  it('reads the bots, header and secret from CDK context', () => {
    const context: Record<string, unknown> = {
      botConnectorBots: JSON.stringify([BOT]),
      botConnectorSecretHeader: 'X-Genesys-Bot-Secret',
    };
    const { props } = stackSettingsFromContext((key) => context[key]);
    expect(props.messaging?.botConnector).toEqual({ bots: [BOT], secretHeaderName: 'X-Genesys-Bot-Secret' });
    expect(() =>
      stackSettingsFromContext((key) => (key === 'botConnectorBots' ? '[oops' : undefined)),
    ).toThrow(/context "botConnectorBots" must be JSON/);
  });
});
