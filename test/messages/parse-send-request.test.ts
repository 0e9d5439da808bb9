import { describe, expect, it } from 'vitest';
import {
  parseSendRequest,
  SendRequestSchema,
  ValidationError,
  type ValidationError as ValidationErrorType,
  type ValidationIssue,
} from '../../shared/messages';
import {
  AGENTLESS_SMS_TARGET,
  AGENTLESS_WHATSAPP_TARGET,
  BOT_CONNECTOR_TARGET,
  CONVERSATION_TARGET,
  MESSAGES,
  ORDER_CONFIRMATION_CARD,
} from './fixtures';

/** The issues parseSendRequest reports for an input (fails the test if it accepts it or throws anything else). */
function issuesOf(input: unknown): ValidationIssue[] {
  let caught: unknown;
  try {
    parseSendRequest(input);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  return [...(caught as ValidationErrorType).issues];
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

function postback(text: string, payload: string) {
  return { type: 'postback', text, payload } as const;
}

function card(actions: unknown[], extra: Record<string, unknown> = {}) {
  return { title: 'Pick one', actions, ...extra };
}

describe('parseSendRequest: accepted requests', () => {
  it('accepts the send request example of the architecture (whatsapp card, schedule, metadata)', () => {
    // Prepare
    const input = {
      idempotencyKey: 'order-12345-confirm',
      target: {
        kind: 'botConnector',
        botId: '...',
        botVersion: '1',
        botSessionId: '...',
        languageCode: 'en-us',
      },
      channel: 'whatsapp',
      message: { card: clone(ORDER_CONFIRMATION_CARD) },
      sendAt: '2026-12-01T09:00:00Z',
      metadata: { orderId: '12345' },
    };

    // Act
    const parsed = parseSendRequest(input);

    // Assess
    expect(parsed).toEqual(input);
  });

  it('returns a value that parses again to itself after JSON (safe to queue and schedule)', () => {
    // Prepare
    const parsed = parseSendRequest({
      target: CONVERSATION_TARGET,
      message: clone(MESSAGES.carousel),
      metadata: { a: 'b' },
      sendAt: '2026-12-01T10:00:00.123+02:00',
    });

    // Act
    const again = parseSendRequest(JSON.parse(JSON.stringify(parsed)));

    // Assess
    expect(again).toEqual(parsed);
  });

  it('accepts text beside quick replies, and quick replies without title or text', () => {
    // Prepare
    const replies = [{ text: 'A', payload: 'a' }];

    // Act
    const withText = parseSendRequest({
      target: BOT_CONNECTOR_TARGET,
      message: { text: 'Hi', quickReplies: { replies } },
    });
    const bare = parseSendRequest({ target: BOT_CONNECTOR_TARGET, message: { quickReplies: { replies } } });

    // Assess
    expect(withText.message).toEqual({ text: 'Hi', quickReplies: { replies } });
    expect(bare.message).toEqual({ quickReplies: { replies } });
  });

  it('keeps the same schema for direct zod use: SendRequestSchema applies the same rules', () => {
    // Prepare
    const input = { target: AGENTLESS_SMS_TARGET, message: { text: 'x'.repeat(766) } };

    // Act
    const result = SendRequestSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('parseSendRequest: every problem, with its path', () => {
  it('lists every problem of a request, not just the first', () => {
    // Prepare
    const input = {
      idempotencyKey: 'has spaces',
      target: { ...BOT_CONNECTOR_TARGET, botSessionId: 42 },
      message: {
        card: card([
          postback('Yes', 'yes'),
          { type: 'link', text: 'Site', url: 'http://shop.example.com' },
          { type: 'postback', text: 'No' },
        ]),
      },
      sendAt: 'tomorrow',
      metadata: { orderId: 12345 },
    };

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues.map((issue) => issue.path)).toEqual([
      'idempotencyKey',
      'target.botSessionId',
      'message.card.actions[1].url',
      'message.card.actions[2].payload',
      'sendAt',
      'metadata.orderId',
    ]);
    expect(issues).toContainEqual({ path: 'message.card.actions[2].payload', message: 'is required' });
    expect(issues).toContainEqual({ path: 'target.botSessionId', message: 'must be a string (got number)' });
  });

  it('names every issue in the error message', () => {
    // Prepare
    const input = { target: { kind: 'conversation' }, message: { text: '' } };

    // Act
    const error = (() => {
      try {
        parseSendRequest(input);
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('accepted');
    })();

    // Assess
    expect(error.message).toContain('target.conversationId: is required');
    expect(error.message).toContain('target.communicationId: is required');
    expect(error.message).toContain('message.text: must not be blank');
    expect(error.message).toContain('3 problems');
  });

  it('rejects unknown fields at every level, each with its path', () => {
    // Prepare
    const input = {
      target: { ...CONVERSATION_TARGET, priority: 'high' },
      message: { card: card([{ ...postback('Yes', 'yes'), color: 'green' }], { footer: 'x' }) },
      callbackUrl: 'https://example.com',
    };

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([
      { path: 'target.priority', message: 'unknown field' },
      { path: 'message.card.actions[0].color', message: 'unknown field' },
      { path: 'message.card.footer', message: 'unknown field' },
      { path: 'callbackUrl', message: 'unknown field' },
    ]);
  });

  it('never echoes values in the error (they may hold personal data or secrets)', () => {
    // Prepare
    const secret = 'sk_live_0123456789abcdef';
    const input = {
      target: { ...AGENTLESS_SMS_TARGET, toAddress: { secret } },
      message: { text: secret, token: secret },
      metadata: { [secret.slice(0, 3)]: 1 },
    };

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues.length).toBeGreaterThan(0);
    expect(JSON.stringify(issues)).not.toContain(secret);
  });

  it.each([
    ['a string', 'hello', 'must be an object (got string)'],
    ['null', null, 'must be an object (got null)'],
    ['an array', [], 'must be an object (got array)'],
    ['undefined', undefined, 'is required'],
  ])('refuses %s as a request', (_name, input, message) => {
    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([{ path: '', message }]);
  });

  it('requires target and message', () => {
    // Act
    const issues = issuesOf({});

    // Assess
    expect(issues).toEqual([
      { path: 'target', message: 'is required' },
      { path: 'message', message: 'is required' },
    ]);
  });

  it('names the accepted target kinds when kind is missing or unknown', () => {
    // Act
    const unknown = issuesOf({ target: { kind: 'email' }, message: { text: 'hi' } });
    const missing = issuesOf({ target: {}, message: { text: 'hi' } });

    // Assess
    expect(unknown).toEqual([
      { path: 'target.kind', message: 'must be one of botConnector, botSession, conversation, agentless' },
    ]);
    expect(missing).toEqual([
      {
        path: 'target.kind',
        message: 'is required: one of botConnector, botSession, conversation, agentless',
      },
    ]);
  });
});

describe('parseSendRequest: message kinds', () => {
  it.each([
    [
      'no kind',
      {},
      'must contain exactly one of text, quickReplies, card, carousel, template, mediaId (text may accompany quickReplies)',
    ],
    [
      'two kinds',
      { card: card([]), carousel: { cards: [card([])] } },
      'must contain exactly one of text, quickReplies, card, carousel, template, mediaId (text may accompany quickReplies), not card and carousel',
    ],
    [
      'text with a card',
      { text: 'hi', card: card([]) },
      'must contain exactly one of text, quickReplies, card, carousel, template, mediaId (text may accompany quickReplies), not text and card',
    ],
  ])('refuses a message with %s', (_name, message, expected) => {
    // Act
    const issues = issuesOf({ target: CONVERSATION_TARGET, message });

    // Assess
    expect(issues).toEqual([{ path: 'message', message: expected }]);
  });

  it('reports the problems of the kind the caller meant, with unknown keys beside it', () => {
    // Act
    const issues = issuesOf({
      target: CONVERSATION_TARGET,
      message: { card: { actions: [] }, colour: 'red' },
    });

    // Assess
    expect(issues).toEqual([
      { path: 'message.card.title', message: 'is required' },
      { path: 'message.colour', message: 'unknown field' },
    ]);
  });

  it('refuses an empty quick reply list and more than 13 replies', () => {
    // Prepare
    const replies = Array.from({ length: 14 }, (_, i) => ({ text: `R${i}`, payload: `r${i}` }));

    // Act
    const none = issuesOf({ target: BOT_CONNECTOR_TARGET, message: { quickReplies: { replies: [] } } });
    const many = issuesOf({ target: BOT_CONNECTOR_TARGET, message: { quickReplies: { replies } } });

    // Assess
    expect(none).toEqual([{ path: 'message.quickReplies.replies', message: 'must have at least 1 item' }]);
    expect(many).toEqual([{ path: 'message.quickReplies.replies', message: 'must have at most 13 items' }]);
  });

  it('refuses a template without responseId and blank parameters', () => {
    // Act
    const issues = issuesOf({
      target: CONVERSATION_TARGET,
      message: { template: { bodyParameters: [{ id: '1', value: ' ' }] } },
    });

    // Assess
    expect(issues).toEqual([
      { path: 'message.template.responseId', message: 'is required' },
      { path: 'message.template.bodyParameters[0].value', message: 'must not be blank' },
    ]);
  });
});

describe("parseSendRequest: Genesys' content rules", () => {
  it.each([
    ['http', 'http://shop.example.com/a'],
    ['no host name', 'https://localhost/a'],
    ['spaces', 'https://shop.example.com/a b'],
    ['another scheme', 'javascript:alert(1)'],
    ['credentials', 'https://user:pw@shop.example.com/'],
  ])('refuses a link or image URL with %s', (_name, url) => {
    // Prepare
    const message = {
      card: card([{ type: 'link', text: 'Go', url }], { image: url }),
    };

    // Act
    const issues = issuesOf({ target: BOT_CONNECTOR_TARGET, message });

    // Assess
    const reason =
      'must be an https URL with a host name (https://host/path): no IP address, user info, spaces or control characters';
    expect(issues).toEqual([
      { path: 'message.card.image', message: reason },
      { path: 'message.card.actions[0].url', message: reason },
    ]);
  });

  it('accepts https URLs with port, query and fragment', () => {
    // Prepare
    const url = 'https://shop.example.com:8443/p/1?ref=bot#top';

    // Act
    const parsed = parseSendRequest({
      target: BOT_CONNECTOR_TARGET,
      message: { quickReplies: { replies: [{ text: 'A', payload: 'a', image: url }] } },
    });

    // Assess
    expect(parsed.message).toEqual({ quickReplies: { replies: [{ text: 'A', payload: 'a', image: url }] } });
  });

  it('requires a payload on every postback and a URL on every link', () => {
    // Act
    const issues = issuesOf({
      target: BOT_CONNECTOR_TARGET,
      message: {
        card: card([
          { type: 'postback', text: 'Yes', payload: '' },
          { type: 'link', text: 'Go' },
          { type: 'call' },
        ]),
      },
    });

    // Assess
    expect(issues).toEqual([
      { path: 'message.card.actions[0].payload', message: 'must not be blank' },
      { path: 'message.card.actions[1].url', message: 'is required' },
      { path: 'message.card.actions[2].type', message: 'must be one of postback, link' },
    ]);
  });

  it('refuses a repeated text + payload within a card, allowing the same payload under another text', () => {
    // Prepare
    const actions = [postback('Yes', 'yes'), postback('Sure', 'yes'), postback('Yes', 'yes')];

    // Act
    const issues = issuesOf({ target: BOT_CONNECTOR_TARGET, message: { card: card(actions) } });

    // Assess
    expect(issues).toEqual([
      {
        path: 'message.card.actions[2]',
        message: 'repeats the text and payload of actions[0]: each postback must be unique within a card',
      },
    ]);
  });

  it('accepts links with the same text in one card and across a carousel (Genesys checks only buttons with a payload)', () => {
    // Prepare
    const link = (url: string) => ({ type: 'link' as const, text: 'Details', url });
    const twoLinks = card([link('https://shop.example.com/a'), link('https://shop.example.com/b')]);
    const cards = [twoLinks, card([link('https://shop.example.com/c')])];

    // Act
    const parsed = parseSendRequest({ target: BOT_CONNECTOR_TARGET, message: { carousel: { cards } } });

    // Assess
    expect('carousel' in parsed.message && parsed.message.carousel.cards).toHaveLength(2);
  });

  it('refuses a repeated text + payload across the cards of a carousel', () => {
    // Prepare
    const cards = [
      card([postback('Buy', 'buy')]),
      card([postback('Buy', 'buy_2')]),
      card([postback('Buy', 'buy')]),
    ];

    // Act
    const issues = issuesOf({ target: BOT_CONNECTOR_TARGET, message: { carousel: { cards } } });

    // Assess
    expect(issues).toEqual([
      {
        path: 'message.carousel.cards[2].actions[0]',
        message:
          'repeats the text and payload of cards[0].actions[0]: each postback must be unique across the carousel',
      },
    ]);
  });

  it('accepts 10 carousel cards and refuses 11 or none', () => {
    // Prepare
    const cards = (n: number) => Array.from({ length: n }, (_, i) => card([postback('Buy', `buy_${i}`)]));

    // Act
    const ten = parseSendRequest({
      target: BOT_CONNECTOR_TARGET,
      message: { carousel: { cards: cards(10) } },
    });
    const eleven = issuesOf({ target: BOT_CONNECTOR_TARGET, message: { carousel: { cards: cards(11) } } });
    const none = issuesOf({ target: BOT_CONNECTOR_TARGET, message: { carousel: { cards: [] } } });

    // Assess
    expect('carousel' in ten.message && ten.message.carousel.cards).toHaveLength(10);
    expect(eleven).toEqual([{ path: 'message.carousel.cards', message: 'must have at most 10 items' }]);
    expect(none).toEqual([{ path: 'message.carousel.cards', message: 'must have at least 1 item' }]);
  });

  it('bounds text lengths: 2000 for a text body, 256 for a title', () => {
    // Act
    const text = issuesOf({ target: CONVERSATION_TARGET, message: { text: 'x'.repeat(2001) } });
    const title = issuesOf({
      target: CONVERSATION_TARGET,
      message: { card: { title: 'x'.repeat(257), actions: [] } },
    });
    const longest = parseSendRequest({
      target: CONVERSATION_TARGET,
      channel: 'webmessaging',
      message: { text: 'x'.repeat(2000) },
    });

    // Assess
    expect(text).toEqual([{ path: 'message.text', message: 'must be at most 2000 characters' }]);
    expect(title).toEqual([{ path: 'message.card.title', message: 'must be at most 256 characters' }]);
    expect(longest.message).toEqual({ text: 'x'.repeat(2000) });
  });
});

describe('parseSendRequest: a conversation whose channel is not given', () => {
  it('gets the SMS limit (it may be SMS), and naming a channel allows up to 2000', () => {
    // Act
    const unknown = issuesOf({ target: CONVERSATION_TARGET, message: { text: 'x'.repeat(800) } });
    const sms = issuesOf({ target: CONVERSATION_TARGET, channel: 'sms', message: { text: 'x'.repeat(800) } });
    const web = parseSendRequest({
      target: CONVERSATION_TARGET,
      channel: 'webmessaging',
      message: { text: 'x'.repeat(800) },
    });
    const fits = parseSendRequest({ target: CONVERSATION_TARGET, message: { text: 'x'.repeat(765) } });

    // Assess
    expect(unknown).toEqual([
      {
        path: 'message.text',
        message:
          'is 800 characters, over the 765-character limit for a conversation whose channel is not given (it may be SMS): set "channel" to allow up to 2000 on other channels',
      },
    ]);
    expect(sms).toEqual([
      { path: 'message.text', message: 'is 800 characters, over the 765-character limit for sms' },
    ]);
    expect(web.message).toEqual({ text: 'x'.repeat(800) });
    expect(fits.message).toEqual({ text: 'x'.repeat(765) });
  });
});

describe('parseSendRequest: channel rules', () => {
  it('WhatsApp: at most 3 buttons per card, postbacks only, no default action', () => {
    // Prepare
    const whatsappCard = card(
      [
        postback('A', 'a'),
        postback('B', 'b'),
        postback('C', 'c'),
        { type: 'link', text: 'Site', url: 'https://a.example.com' },
      ],
      { defaultAction: postback('Open', 'open') },
    );

    // Act
    const issues = issuesOf({
      target: BOT_CONNECTOR_TARGET,
      channel: 'whatsapp',
      message: { card: whatsappCard },
    });

    // Assess
    expect(issues).toEqual([
      {
        path: 'message.card.actions',
        message: 'WhatsApp shows at most 3 buttons per card (this card has 4)',
      },
      {
        path: 'message.card.actions[3]',
        message: 'WhatsApp supports postback (text-back) buttons only, not links',
      },
      {
        path: 'message.card.defaultAction',
        message: 'WhatsApp ignores a card default action: make it a button or leave it out',
      },
    ]);
  });

  it('WhatsApp: no carousel, on any target', () => {
    // Act
    const bot = issuesOf({
      target: BOT_CONNECTOR_TARGET,
      channel: 'whatsapp',
      message: clone(MESSAGES.carousel),
    });
    const conversation = issuesOf({
      target: CONVERSATION_TARGET,
      channel: 'whatsapp',
      message: clone(MESSAGES.carousel),
    });

    // Assess
    const expected = [
      { path: 'message.carousel', message: 'WhatsApp does not support carousels: send the cards one by one' },
    ];
    expect(bot).toEqual(expected);
    expect(conversation).toEqual(expected);
  });

  it('SMS: 765 characters of text at most, counted on the rendered text', () => {
    // Act
    const fits = parseSendRequest({ target: AGENTLESS_SMS_TARGET, message: { text: 'x'.repeat(765) } });
    const tooLong = issuesOf({ target: AGENTLESS_SMS_TARGET, message: { text: 'x'.repeat(766) } });
    const cardTooLong = issuesOf({
      target: CONVERSATION_TARGET,
      channel: 'sms',
      message: { card: { title: 'T', description: 'd'.repeat(760), actions: [postback('Yes', 'yes')] } },
    });

    // Assess
    expect(fits.message).toEqual({ text: 'x'.repeat(765) });
    expect(tooLong).toEqual([
      { path: 'message.text', message: 'is 766 characters, over the 765-character limit for sms' },
    ]);
    expect(cardTooLong).toEqual([
      {
        path: 'message.card',
        message:
          'renders as 769 characters of text, over the 765-character limit for sms: shorten it (text is never cut)',
      },
    ]);
  });

  it('SMS: no templates and no media', () => {
    // Act
    const template = issuesOf({
      target: CONVERSATION_TARGET,
      channel: 'sms',
      message: clone(MESSAGES.template),
    });
    const media = issuesOf({ target: CONVERSATION_TARGET, channel: 'sms', message: clone(MESSAGES.media) });

    // Assess
    expect(template).toEqual([{ path: 'message.template', message: 'SMS carries text only: no templates' }]);
    expect(media).toEqual([{ path: 'message.mediaId', message: 'SMS carries text only: no media' }]);
  });

  it('other channels: 2000 characters for the text form of structured content', () => {
    // Prepare
    const replies = Array.from({ length: 13 }, (_, i) => ({
      text: String.fromCharCode(65 + i).repeat(150),
      payload: `r${i}`,
    }));

    // Act
    const issues = issuesOf({
      target: CONVERSATION_TARGET,
      channel: 'webmessaging',
      message: { quickReplies: { replies } },
    });

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('message');
    expect(issues[0]?.message).toMatch(
      /^renders as \d+ characters of text, over the 2000-character limit for webmessaging/,
    );
  });

  it('agentless: the channel is the messenger type; a different channel is refused', () => {
    // Act
    const same = parseSendRequest({ target: AGENTLESS_SMS_TARGET, channel: 'sms', message: { text: 'hi' } });
    const other = issuesOf({ target: AGENTLESS_SMS_TARGET, channel: 'whatsapp', message: { text: 'hi' } });

    // Assess
    expect(same.channel).toBe('sms');
    expect(other).toEqual([
      { path: 'channel', message: 'must match target.messengerType (sms) or be left out' },
    ]);
  });

  it('agentless WhatsApp: only templates', () => {
    // Act
    const issues = issuesOf({ target: AGENTLESS_WHATSAPP_TARGET, message: { text: 'hi' } });

    // Assess
    expect(issues).toEqual([
      {
        path: 'message',
        message:
          'an agentless WhatsApp message must be a template (Genesys requires messagingTemplate for whatsapp)',
      },
    ]);
  });

  it('still reports channel rules when an unrelated field is wrong', () => {
    // Act
    const issues = issuesOf({
      target: BOT_CONNECTOR_TARGET,
      channel: 'whatsapp',
      message: clone(MESSAGES.carousel),
      metadata: { k: 1 },
    });

    // Assess
    expect(issues).toEqual([
      { path: 'metadata.k', message: 'must be a string (got number)' },
      { path: 'message.carousel', message: 'WhatsApp does not support carousels: send the cards one by one' },
    ]);
  });

  it('refuses an unknown channel and lists the known ones', () => {
    // Act
    const issues = issuesOf({ target: CONVERSATION_TARGET, channel: 'fax', message: { text: 'hi' } });

    // Assess
    expect(issues).toEqual([
      {
        path: 'channel',
        message:
          'must be one of sms, whatsapp, open, webmessaging, facebook, instagram, line, apple, twitter, kakao',
      },
    ]);
  });
});

describe('parseSendRequest: envelope fields', () => {
  const base = { target: CONVERSATION_TARGET, message: { text: 'hi' } };

  it('idempotencyKey: 1-128 characters of A-Z a-z 0-9 . _ : -', () => {
    // Prepare
    const reason = 'must be 1-128 characters of A-Z a-z 0-9 . _ : -';

    // Act
    const longest = parseSendRequest({ ...base, idempotencyKey: `order:12345_a.b-${'x'.repeat(112)}` });
    const tooLong = issuesOf({ ...base, idempotencyKey: 'x'.repeat(129) });
    const empty = issuesOf({ ...base, idempotencyKey: '' });
    const slash = issuesOf({ ...base, idempotencyKey: 'a/b' });

    // Assess
    expect(longest.idempotencyKey).toHaveLength(128);
    expect(tooLong).toEqual([{ path: 'idempotencyKey', message: 'must be at most 128 characters' }]);
    expect(empty).toEqual([{ path: 'idempotencyKey', message: reason }]);
    expect(slash).toEqual([{ path: 'idempotencyKey', message: reason }]);
  });

  it('sendAt: an ISO-8601 date-time with Z or an offset', () => {
    // Prepare
    const reason = 'must be an ISO-8601 date-time with Z or an offset, e.g. 2026-12-01T09:00:00Z';

    // Act
    const utc = parseSendRequest({ ...base, sendAt: '2026-12-01T09:00:00Z' });
    const offset = parseSendRequest({ ...base, sendAt: '2026-12-01T10:00:00.5+01:00' });
    const local = issuesOf({ ...base, sendAt: '2026-12-01T09:00:00' });
    const date = issuesOf({ ...base, sendAt: '2026-12-01' });

    // Assess
    expect(utc.sendAt).toBe('2026-12-01T09:00:00Z');
    expect(offset.sendAt).toBe('2026-12-01T10:00:00.5+01:00');
    expect(local).toEqual([{ path: 'sendAt', message: reason }]);
    expect(date).toEqual([{ path: 'sendAt', message: reason }]);
  });

  it('metadata: at most 20 string values, keys up to 64 and values up to 512 characters', () => {
    // Prepare
    const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v'.repeat(512)]));

    // Act
    const accepted = parseSendRequest({ ...base, metadata: twenty });
    const tooMany = issuesOf({ ...base, metadata: { ...twenty, k20: 'v' } });
    const longKey = issuesOf({ ...base, metadata: { ['k'.repeat(65)]: 'v' } });
    const longValue = issuesOf({ ...base, metadata: { 'order.id': 'v'.repeat(513) } });

    // Assess
    expect(Object.keys(accepted.metadata ?? {})).toHaveLength(20);
    expect(tooMany).toEqual([{ path: 'metadata', message: 'must have at most 20 keys' }]);
    expect(longKey).toEqual([
      { path: `metadata.${'k'.repeat(65)}`, message: 'key must be at most 64 characters' },
    ]);
    expect(longValue).toEqual([{ path: 'metadata["order.id"]', message: 'must be at most 512 characters' }]);
  });

  it('target fields: language code and bot state', () => {
    // Act
    const issues = issuesOf({
      target: { ...BOT_CONNECTOR_TARGET, languageCode: 'english', botState: 'Done' },
      message: { text: 'hi' },
    });

    // Assess
    expect(issues).toEqual([
      { path: 'target.languageCode', message: 'must be a language code such as en-us' },
      { path: 'target.botState', message: 'must be one of Complete, Failed, MoreData' },
    ]);
  });
});
