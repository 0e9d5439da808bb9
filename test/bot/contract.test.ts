/**
 * The bot's side of the Digital Bot Connector against the spec's own shapes (Genesys' "Digital Bot Connector
 * (v2) Customer API Spec" examples) and the SDK's models (purecloud-platform-client-v2, types only).
 */
import type { Models } from 'purecloud-platform-client-v2';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { botListIssues, publicBot, renderGreeting } from '../../shared/bot/bot-config';
import { botEventFor } from '../../shared/bot/bot-events';
import { type IncomingMessage, parseIncomingMessage } from '../../shared/bot/incoming-message';
import { answeredMessageId, offeredButtons } from '../../shared/bot/offers';
import type { GenesysReplyMessage } from '../../shared/messages';
import { renderForTarget } from '../../shared/messages';
import { BOT_CONNECTOR_TARGET } from '../messages/fixtures';

/** The spec's IncomingMessage example: a Structured input with a ButtonResponse. */
const SPEC_INCOMING = {
  botId: '11095674-46cc-4a87-b0bb-385b317ad000',
  botVersion: 'Delta',
  botSessionId: '462064bd-820f-4806-a04b-8bdc915dba3e',
  messageId: 'aa30d0f5-a7de-4949-a59d-b527eddb7a78',
  inputMessage: {
    type: 'Structured',
    text: 'Message sent to bot',
    content: [
      {
        contentType: 'ButtonResponse',
        buttonResponse: { type: 'QuickReply', text: 'Button Response Text', payload: 'cookie' },
      },
    ],
  },
  languageCode: 'en-us',
  botSessionTimeout: 60,
  genesysConversationId: '31408724-1e03-44ca-a698-31da56dd08f4',
  parameters: { parameter1: 'value1', parameter2: 'value2' },
};

/** The spec's bot list example, one bot with one version (shortened, same shape). */
const SPEC_BOT = {
  id: '11095674-46cc-4a87-b0bb-385b317ad000',
  name: 'OrderCookieBot',
  provider: 'AWS Lex V2',
  description: 'This is a mock bot for demonstration purposes.',
  versions: [
    {
      version: 'Delta',
      supportedLanguages: ['en-us', 'es'],
      intents: [
        {
          name: 'OrderCookie',
          entities: [
            { name: 'ProductName', type: 'String' },
            { name: 'Size', type: 'Integer' },
            { name: 'Ingredients', type: 'StringCollection' },
            { name: 'previousPrices', type: 'CurrencyCollection' },
          ],
        },
      ],
    },
  ],
} as const;

describe('incoming messages', () => {
  it("reads the spec's Structured input with a ButtonResponse", () => {
    const message = parseIncomingMessage(SPEC_INCOMING);
    expect(message).toEqual({
      botId: SPEC_INCOMING.botId,
      botVersion: 'Delta',
      botSessionId: SPEC_INCOMING.botSessionId,
      messageId: SPEC_INCOMING.messageId,
      languageCode: 'en-us',
      timeoutMinutes: 60,
      conversationId: SPEC_INCOMING.genesysConversationId,
      parameters: SPEC_INCOMING.parameters,
      text: 'Message sent to bot',
      buttonResponse: { type: 'QuickReply', text: 'Button Response Text', payload: 'cookie' },
    } satisfies IncomingMessage);
  });

  it("reads the SDK's IncomingMessageRequest (conversationId, and fields the spec does not name)", () => {
    // The SDK's model has no messageId; the spec requires it (our idempotency key), and Genesys sends it.
    const sdk: Models.IncomingMessageRequest & { messageId: string } = {
      messageId: 'm',
      botId: 'b',
      botName: 'Bot',
      botVersion: '1',
      integrationId: 'i',
      botSessionId: 's',
      automateFlowExecId: 'f',
      conversationId: 'c',
      languageCode: 'en-us',
      inputMessage: { type: 'Text', text: 'hi' } as Models.InputMessage,
      messagingPlatformType: 'Messenger',
      channels: ['Messaging'],
      botSessionTimeout: 720,
    };
    expect(parseIncomingMessage(sdk)).toMatchObject({ conversationId: 'c', text: 'hi', timeoutMinutes: 720 });
  });

  it('requires the messageId the spec requires (the SDK model leaves it out)', () => {
    const { messageId: _, ...withoutId } = SPEC_INCOMING;
    expect(() => parseIncomingMessage(withoutId)).toThrow(/messageId: /);
  });

  it('names every missing or wrong field', () => {
    expect(() =>
      parseIncomingMessage({ ...SPEC_INCOMING, botSessionTimeout: 'soon', inputMessage: { type: 'Audio' } }),
    ).toThrow(/botSessionTimeout: .*; inputMessage\.type: /);
  });
});

describe('answers and bot list', () => {
  it('answers MoreData with ReplyMessages of the SDK model', () => {
    expectTypeOf<GenesysReplyMessage>().toExtend<Models.ReplyMessage>();
    const [greeting] = renderGreeting([{ text: 'Hello!' }]);
    expect(greeting).toEqual({ type: 'Text', text: 'Hello!' });
  });

  it("lists bots in the spec's shape, which the spec's own example passes", () => {
    expect(botListIssues([SPEC_BOT])).toEqual([]);
    expect(publicBot(SPEC_BOT as never)).toEqual(SPEC_BOT);
    const shown = publicBot(SPEC_BOT as never) as unknown as Models.BotConnectorBot;
    expectTypeOf(shown.versions[0]!.supportedLanguages).toEqualTypeOf<string[]>();
  });

  it.each([
    [
      'a name with leading whitespace',
      [{ ...SPEC_BOT, name: ' Bot' }],
      'bots[0].name: must not start or end with whitespace',
    ],
    [
      'an upper-case language',
      [{ ...SPEC_BOT, versions: [{ ...SPEC_BOT.versions[0], supportedLanguages: ['en-US'] }] }],
      'bots[0].versions[0].supportedLanguages[0]: must be a lowercase language code',
    ],
    [
      'an unknown entity type',
      [
        {
          ...SPEC_BOT,
          versions: [
            { ...SPEC_BOT.versions[0], intents: [{ name: 'X', entities: [{ name: 'when', type: 'Date' }] }] },
          ],
        },
      ],
      'bots[0].versions[0].intents[0].entities[0].type: must be an Architect data type',
    ],
    [
      'no intent',
      [{ ...SPEC_BOT, versions: [{ ...SPEC_BOT.versions[0], intents: [] }] }],
      'bots[0].versions[0].intents: must list at least 1',
    ],
    [
      'the same id twice',
      [SPEC_BOT, SPEC_BOT],
      'bots[1].id: "11095674-46cc-4a87-b0bb-385b317ad000" appears twice',
    ],
    [
      '51 bots',
      Array.from({ length: 51 }, (_, i) => ({ ...SPEC_BOT, id: `bot-${i}` })),
      'bots: at most 50 bots (got 51)',
    ],
    [
      'a 101-character id',
      [{ ...SPEC_BOT, id: 'x'.repeat(101) }],
      'bots[0].id: must be at most 100 characters (got 101)',
    ],
    [
      'a greeting with a template',
      [
        {
          ...SPEC_BOT,
          versions: [{ ...SPEC_BOT.versions[0], greeting: [{ template: { responseId: 'r' } }] }],
        },
      ],
      'bots[0].versions[0].greeting[0].template: a bot connector reply cannot carry a messaging template',
    ],
  ])('refuses %s, saying where and why', (_case, bots, expected) => {
    expect(botListIssues(bots).join('\n')).toContain(expected);
  });

  it('treats ids as case-sensitive: Bot and bot are two bots', () => {
    expect(botListIssues([SPEC_BOT, { ...SPEC_BOT, id: SPEC_BOT.id.toUpperCase() }])).toEqual([]);
  });
});

describe('click correlation and events', () => {
  it('finds the buttons of a rendered card and carousel: postbacks and default actions, no links', () => {
    const rendered = renderForTarget({
      target: BOT_CONNECTOR_TARGET,
      message: {
        carousel: {
          cards: [
            {
              title: 'A',
              defaultAction: { type: 'postback', text: 'Open A', payload: 'open_a' },
              actions: [{ type: 'link', text: 'See', url: 'https://shop.example.com/a' }],
            },
            { title: 'B', actions: [{ type: 'postback', text: 'Buy', payload: 'buy_b' }] },
          ],
        },
      },
    });
    if (rendered.route !== 'botConnector') throw new Error('expected a bot connector body');
    expect(offeredButtons(rendered.body.replyMessages[0])).toEqual([
      '["Open A","open_a"]',
      '["Buy","buy_b"]',
    ]);
  });

  it('answers the newest offer, the later one on a tie', () => {
    const session = {
      offers: [
        { messageId: 'first', at: '2026-01-01T00:00:01Z', buttons: ['["Yes","y"]'] },
        { messageId: 'second', at: '2026-01-01T00:00:02Z', buttons: ['["Yes","y"]'] },
        { messageId: 'tie', at: '2026-01-01T00:00:02Z', buttons: ['["Yes","y"]'] },
      ],
    };
    expect(answeredMessageId(session as never, 'Yes', 'y')).toBe('tie');
    expect(answeredMessageId(session as never, 'Yes', 'n')).toBeUndefined();
  });

  it('builds a stable event: the same id on every publish of one Genesys message', () => {
    const message = parseIncomingMessage(SPEC_INCOMING);
    const a = botEventFor(message, '2026-01-01T00:00:00Z', {
      messageId: 'card-1',
      metadata: { orderId: '12345' },
    });
    const b = botEventFor(message, '2026-01-01T00:00:00Z', {
      messageId: 'card-1',
      metadata: { orderId: '12345' },
    });
    expect(a).toEqual(b);
    expect(a.detailType).toBe('Genesys Button Response');
    expect(a.detail.eventId).toBe(`genesys-bot-message:${SPEC_INCOMING.messageId}`);
  });
});
