import { describe, expect, it } from 'vitest';
import { BOT_CONNECTOR_MESSAGES_PATH, conversationMessagesPath } from '../../shared/genesys/endpoints';
import {
  defaultBotState,
  type Message,
  parseSendRequest,
  type RenderedRequest,
  renderForTarget,
  renderTextFallback,
  type SendRequest,
  ValidationError,
} from '../../shared/messages';
import {
  AGENTLESS_OPEN_TARGET,
  BOT_CONNECTOR_TARGET,
  CONVERSATION_TARGET,
  MESSAGES,
  ORDER_CONFIRMATION_CARD,
} from './fixtures';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const CORRELATION_ID = '0c0ffee0-1d2e-4f3a-8b4c-5d6e7f8a9b0c';

function render(input: unknown): RenderedRequest {
  return renderForTarget(parseSendRequest(input));
}

describe('the reference "Order Confirmation" card', () => {
  it('renders as a Genesys Card for the bot connector, waiting for the answer', () => {
    // Act
    const rendered = render({
      target: BOT_CONNECTOR_TARGET,
      message: { card: clone(ORDER_CONFIRMATION_CARD) },
    });

    // Assess
    expect(rendered).toEqual({
      route: 'botConnector',
      path: BOT_CONNECTOR_MESSAGES_PATH,
      body: {
        botId: 'order-bot',
        botVersion: '1',
        botSessionId: BOT_CONNECTOR_TARGET.botSessionId,
        botState: 'MoreData',
        languageCode: 'en-us',
        replyMessages: [
          {
            type: 'Structured',
            content: [
              {
                contentType: 'Card',
                card: {
                  title: 'Order Confirmation',
                  description: 'Would you like to confirm your order #12345?',
                  actions: [
                    { type: 'Postback', text: 'Yes', payload: 'confirmed_yes' },
                    { type: 'Postback', text: 'No', payload: 'confirmed_no' },
                  ],
                },
              },
            ],
          },
        ],
      },
    });
  });

  it('renders as the documented text for a conversation', () => {
    // Act
    const rendered = render({
      target: CONVERSATION_TARGET,
      message: { card: clone(ORDER_CONFIRMATION_CARD) },
    });

    // Assess
    expect(rendered).toEqual({
      route: 'conversation',
      path: conversationMessagesPath(CONVERSATION_TARGET.conversationId, CONVERSATION_TARGET.communicationId),
      body: { textBody: 'Order Confirmation\nWould you like to confirm your order #12345?\n1. Yes\n2. No' },
    });
  });
});

describe('text fallback format', () => {
  it('numbers postbacks, lists links as "Label: URL", leaves images out', () => {
    // Act
    const text = renderTextFallback(clone(MESSAGES['card-with-links']));

    // Assess
    expect(text).toBe(
      [
        'Red running shoes',
        'Lightweight, sizes 36-47.',
        '1. Buy',
        'Size guide: https://shop.example.com/sizes',
        'Details: https://shop.example.com/shoes/red',
      ].join('\n'),
    );
    expect(text).not.toContain('cdn.example.com');
  });

  it('numbers the options of a carousel continuously, one block per card', () => {
    // Act
    const text = renderTextFallback(clone(MESSAGES.carousel));

    // Assess
    expect(text.split('\n\n')).toEqual([
      'Red running shoes\nEUR 89\n1. Buy\nDetails: https://shop.example.com/shoes/red',
      'Blue trail shoes\nEUR 109\n2. Buy\n3. Remind me later',
    ]);
  });

  it('puts the accompanying text first, then the title and the numbered replies', () => {
    // Act
    const text = renderTextFallback(clone(MESSAGES['quick-replies']));

    // Assess
    expect(text).toBe('Thanks for your order!\n\nHow was the delivery?\n1. Great\n2. Late\n3. Damaged');
  });

  it('does not repeat a default action link already listed as a button', () => {
    // Prepare
    const url = 'https://shop.example.com/p/1';
    const message: Message = {
      card: {
        title: 'Product',
        defaultAction: { type: 'link', text: 'Open', url },
        actions: [{ type: 'link', text: 'View', url }],
      },
    };

    // Act
    const text = renderTextFallback(message);

    // Assess
    expect(text).toBe(`Product\nView: ${url}`);
  });
});

describe('bot connector rendering', () => {
  it('sends one QuickReply item per reply, title and text as the reply text', () => {
    // Act
    const rendered = render({ target: BOT_CONNECTOR_TARGET, message: clone(MESSAGES['quick-replies']) });

    // Assess
    expect(rendered.route).toBe('botConnector');
    if (rendered.route !== 'botConnector') return;
    const [reply] = rendered.body.replyMessages;
    expect(reply).toEqual({
      type: 'Structured',
      text: 'Thanks for your order!\n\nHow was the delivery?',
      content: [
        {
          contentType: 'QuickReply',
          quickReply: {
            text: 'Great',
            payload: 'delivery_great',
            image: 'https://cdn.example.com/icons/great.png',
            action: 'Message',
          },
        },
        {
          contentType: 'QuickReply',
          quickReply: { text: 'Late', payload: 'delivery_late', action: 'Message' },
        },
        {
          contentType: 'QuickReply',
          quickReply: { text: 'Damaged', payload: 'delivery_damaged', action: 'Message' },
        },
      ],
    });
  });

  it('leaves the reply text out when quick replies come without title or text', () => {
    // Act
    const rendered = render({
      target: BOT_CONNECTOR_TARGET,
      message: { quickReplies: { replies: [{ text: 'OK', payload: 'ok' }] } },
    });

    // Assess
    expect(rendered.route === 'botConnector' && rendered.body.replyMessages[0]).toEqual({
      type: 'Structured',
      content: [{ contentType: 'QuickReply', quickReply: { text: 'OK', payload: 'ok', action: 'Message' } }],
    });
  });

  it('sends the text form as a Text reply when the customer is on SMS', () => {
    // Act
    const rendered = render({
      target: BOT_CONNECTOR_TARGET,
      channel: 'sms',
      message: clone(MESSAGES.carousel),
    });

    // Assess
    expect(rendered.route === 'botConnector' && rendered.body.replyMessages[0]).toEqual({
      type: 'Text',
      text: renderTextFallback(clone(MESSAGES.carousel)),
    });
  });

  it.each([
    ['text', MESSAGES.text, 'Complete'],
    ['quick replies', MESSAGES['quick-replies'], 'MoreData'],
    ['a card with postbacks', MESSAGES['order-confirmation-card'], 'MoreData'],
    ['a carousel with postbacks', MESSAGES.carousel, 'MoreData'],
    [
      'a card with links only',
      {
        card: { title: 'Track', actions: [{ type: 'link', text: 'Track', url: 'https://t.example.com/1' }] },
      },
      'Complete',
    ],
    [
      'a card whose only postback is its default action',
      {
        card: {
          title: 'Pick',
          defaultAction: { type: 'postback', text: 'Pick', payload: 'pick' },
          actions: [],
        },
      },
      'MoreData',
    ],
  ] as const)('defaults botState for %s', (_name, message, expected) => {
    // Act
    const rendered = render({ target: BOT_CONNECTOR_TARGET, message: clone(message) });

    // Assess
    expect(defaultBotState(clone(message) as Message)).toBe(expected);
    expect(rendered.route === 'botConnector' && rendered.body.botState).toBe(expected);
  });

  it('uses target.botState when given', () => {
    // Act
    const rendered = render({
      target: { ...BOT_CONNECTOR_TARGET, botState: 'Complete', conversationId: CORRELATION_ID },
      message: clone(MESSAGES['quick-replies']),
    });

    // Assess
    expect(rendered.route === 'botConnector' && rendered.body.botState).toBe('Complete');
    expect(JSON.stringify(rendered.body)).not.toContain(CORRELATION_ID);
  });

  it('refuses a prompt (text and title) longer than the text limit', () => {
    // Prepare
    const message = {
      text: 'a'.repeat(1800),
      quickReplies: { title: 't'.repeat(256), replies: [{ text: 'OK', payload: 'ok' }] },
    };

    // Act
    const act = () => render({ target: BOT_CONNECTOR_TARGET, message });

    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(
      'message: text and title together are 2058 characters, over the 2000-character limit',
    );
  });
});

describe('conversation and agentless rendering', () => {
  it('sends one media id, or the template with its parameters', () => {
    // Act
    const media = render({ target: CONVERSATION_TARGET, message: clone(MESSAGES.media) });
    const template = render({ target: AGENTLESS_OPEN_TARGET, message: clone(MESSAGES.template) });

    // Assess
    expect(media.body).toEqual({ mediaIds: [MESSAGES.media.mediaId] });
    expect(template.body).toEqual({
      fromAddress: AGENTLESS_OPEN_TARGET.fromAddress,
      toAddress: AGENTLESS_OPEN_TARGET.toAddress,
      toAddressMessengerType: 'open',
      messagingTemplate: clone(MESSAGES.template.template),
    });
  });

  it('leaves unset template parameter lists out of the body', () => {
    // Act
    const rendered = render({ target: CONVERSATION_TARGET, message: { template: { responseId: 'r-1' } } });

    // Assess
    expect(rendered.body).toEqual({ messagingTemplate: { responseId: 'r-1' } });
  });

  it('puts the conversation and communication ids in the path template', () => {
    // Act
    const rendered = render({ target: CONVERSATION_TARGET, message: { text: 'hi' } });

    // Assess
    expect(rendered.path).toBe(
      `/api/v2/conversations/messages/${CONVERSATION_TARGET.conversationId}/communications/${CONVERSATION_TARGET.communicationId}/messages`,
    );
  });

  it('refuses, never cuts, a carousel whose text form is over the SMS limit', () => {
    // Prepare
    const cards = Array.from({ length: 10 }, (_, i) => ({
      title: `Card ${i}`,
      description: 'd'.repeat(80),
      actions: [{ type: 'postback', text: 'Buy', payload: `buy_${i}` }],
    }));

    // Act
    const act = () =>
      render({ target: CONVERSATION_TARGET, channel: 'sms', message: { carousel: { cards } } });

    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(
      /message\.carousel: renders as \d+ characters of text, over the 765-character limit for sms/,
    );
  });
});

describe('renderForTarget on an unchecked request', () => {
  it('throws a ValidationError listing every reason the target and channel refuse', () => {
    // Prepare
    const request = {
      target: { kind: 'agentless', messengerType: 'whatsapp', fromAddress: 'f', toAddress: 't' },
      channel: 'sms',
      message: { mediaId: 'm-1' },
    } as SendRequest;

    // Act
    let caught: unknown;
    try {
      renderForTarget(request);
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'channel',
      'message.mediaId',
      'message',
    ]);
  });

  it('renders the same request to the same body every time (pure)', () => {
    // Prepare
    const request = parseSendRequest({ target: BOT_CONNECTOR_TARGET, message: clone(MESSAGES.carousel) });
    const before = clone(request);

    // Act
    const first = renderForTarget(request);
    const second = renderForTarget(clone(request));

    // Assess
    expect(second).toEqual(first);
    expect(request).toEqual(before);
  });
});
