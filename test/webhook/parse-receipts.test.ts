import { describe, expect, it } from 'vitest';
import { ReceiptParseError } from '../../shared/webhook/errors';
import {
  parseConversationMessageEvent,
  parseOpenMessagingNotification,
} from '../../shared/webhook/parse-receipts';
import { conversationMessageEvent, outboundMessageBody, receiptBody } from './support';

const RECEIVED_AT = '2026-11-25T10:00:09.000Z';

function parseError(action: () => unknown): ReceiptParseError {
  try {
    action();
  } catch (error) {
    if (error instanceof ReceiptParseError) return error;
    throw error;
  }
  throw new Error('expected a parse error');
}

describe('parseOpenMessagingNotification', () => {
  it.each([
    ['Sent', 'sent'],
    ['Published', 'sent'],
    ['Delivered', 'delivered'],
    ['Read', 'read'],
    ['Failed', 'failed'],
  ] as const)('maps a %s receipt to %s', (genesysStatus, status) => {
    // Act
    const parsed = parseOpenMessagingNotification(receiptBody('gm-1', genesysStatus), RECEIVED_AT);

    // Assess
    expect(parsed.events).toEqual([
      expect.objectContaining({
        genesysMessageId: 'gm-1',
        status,
        source: 'webhook',
        at: '2026-11-25T10:00:01.000Z',
        conversationId: 'conversation-1',
      }),
    ]);
    expect(parsed.skipped).toEqual([]);
  });

  it('records nothing for a Removed receipt, and says why', () => {
    // Act
    const parsed = parseOpenMessagingNotification(receiptBody('gm-1', 'Removed'), RECEIVED_AT);

    // Assess
    expect(parsed.events).toEqual([]);
    expect(parsed.skipped).toEqual([
      { genesysMessageId: 'gm-1', status: 'Removed', why: expect.stringContaining('not a delivery state') },
    ]);
  });

  it('keeps the reason codes and a readable reason of a failure, and isFinalReceipt', () => {
    // Prepare
    const body = receiptBody('gm-2', 'Failed', {
      isFinalReceipt: true,
      reasons: [
        { code: 'RecipientOptedOut', message: 'The recipient opted out.' },
        { code: 'GeneralError', message: 'Something else.' },
      ],
    });

    // Act
    const [event] = parseOpenMessagingNotification(body, RECEIVED_AT).events;

    // Assess
    expect(event).toEqual({
      genesysMessageId: 'gm-2',
      status: 'failed',
      source: 'webhook',
      at: '2026-11-25T10:00:01.000Z',
      conversationId: 'conversation-1',
      final: true,
      reasons: ['RecipientOptedOut', 'GeneralError'],
      reason: 'RecipientOptedOut: The recipient opted out.; GeneralError: Something else.',
    });
  });

  it('gives a failure without reasons a reason all the same', () => {
    // Act
    const [event] = parseOpenMessagingNotification(receiptBody('gm-3', 'Failed'), RECEIVED_AT).events;

    // Assess
    expect(event?.reason).toBe('Genesys reported Failed without a reason');
    expect(event?.reasons).toBeUndefined();
  });

  it.each(['Text', 'Structured'] as const)('maps an outbound %s message to sent, keyed by its id', (type) => {
    // Act
    const parsed = parseOpenMessagingNotification(outboundMessageBody('gm-4', type), RECEIVED_AT);

    // Assess
    expect(parsed.events).toEqual([
      {
        genesysMessageId: 'gm-4',
        status: 'sent',
        source: 'webhook',
        at: '2026-11-25T10:00:01.000Z',
        conversationId: 'conversation-1',
      },
    ]);
  });

  it('acknowledges an inbound message and records nothing', () => {
    // Prepare
    const inbound = { ...outboundMessageBody('gm-5'), direction: 'Inbound' };
    delete (inbound as { id?: string }).id;

    // Act
    const parsed = parseOpenMessagingNotification(inbound, RECEIVED_AT);

    // Assess
    expect(parsed.events).toEqual([]);
    expect(parsed.skipped).toHaveLength(1);
  });

  it('acknowledges typing and other channel events', () => {
    // Act
    const parsed = parseOpenMessagingNotification(
      { type: 'Event', channel: { time: '2026-11-25T10:00:00Z' }, events: [{ eventType: 'Typing' }] },
      RECEIVED_AT,
    );

    // Assess
    expect(parsed.events).toEqual([]);
  });

  it('ignores fields it does not rely on, and falls back to the receive time', () => {
    // Prepare
    const body = receiptBody('gm-6', 'Delivered', {
      channel: { platform: 'Open', time: 'not a time', futureField: { nested: true } },
      metadata: { customAttribute: 'x' },
      somethingNew: [1, 2, 3],
    });

    // Act
    const [event] = parseOpenMessagingNotification(body, RECEIVED_AT).events;

    // Assess
    expect(event).toEqual({
      genesysMessageId: 'gm-6',
      status: 'delivered',
      source: 'webhook',
      at: RECEIVED_AT,
      conversationId: 'conversation-1',
      final: false,
    });
  });

  it.each([
    ['an unknown type', { type: 'Poll', id: 'x' }, 'type', /Receipt.*Text.*Structured.*Event/],
    ['an unknown receipt status', receiptBody('gm', 'Bounced'), 'status', /Delivered/],
    ['a receipt without id', { ...receiptBody('gm', 'Read'), id: undefined }, 'id', /string/],
    ['an empty id', receiptBody('', 'Read'), 'id', /must not be empty/],
    ['an id the store cannot key', receiptBody('gm\n1', 'Read'), 'id', /control characters/],
    ['an id over 1024 bytes', receiptBody('g'.repeat(1025), 'Read'), 'id', /at most 1024 bytes/],
    ['a blank conversationId', receiptBody('gm', 'Read', { conversationId: ' ' }), 'conversationId', /blank/],
    ['reasons not a list', receiptBody('gm', 'Failed', { reasons: 'opted out' }), 'reasons', /array/],
    ['an outbound message without id', { ...outboundMessageBody('x'), id: undefined }, 'id', /Genesys id/],
    [
      'a message without direction',
      { ...outboundMessageBody('x'), direction: undefined },
      'direction',
      /Inbound/,
    ],
    ['an array', [receiptBody('gm', 'Read')], '(root)', /object/],
    ['a string', 'Delivered', '(root)', /object/],
  ])('refuses %s, naming the field', (_case, body, path, reason) => {
    // Act
    const error = parseError(() => parseOpenMessagingNotification(body, RECEIVED_AT));

    // Assess
    expect(error.issues.map((issue) => issue.path)).toContain(path);
    expect(error.message).toMatch(reason);
  });
});

describe('parseConversationMessageEvent', () => {
  it.each([
    ['sent', 'sent'],
    ['published', 'sent'],
    ['delivery-success', 'delivered'],
    ['read', 'read'],
    ['failed', 'failed'],
    ['delivery-failed', 'failed'],
  ] as const)('maps messageStatus %s to %s', (messageStatus, status) => {
    // Prepare
    const event = conversationMessageEvent([
      { messages: [{ messageId: 'gm-1', messageStatus, messageTime: '2026-11-25T10:00:03.000Z' }] },
    ]);

    // Act
    const parsed = parseConversationMessageEvent(event, RECEIVED_AT);

    // Assess
    expect(parsed.events).toEqual([
      expect.objectContaining({
        genesysMessageId: 'gm-1',
        status,
        source: 'eventbridge',
        at: '2026-11-25T10:00:03.000Z',
        conversationId: 'conversation-9',
      }),
    ]);
  });

  it.each(['queued', 'removed', 'received'])('records nothing for %s', (messageStatus) => {
    // Prepare
    const event = conversationMessageEvent([{ messages: [{ messageId: 'gm-1', messageStatus }] }]);

    // Act
    const parsed = parseConversationMessageEvent(event, RECEIVED_AT);

    // Assess
    expect(parsed.events).toEqual([]);
    expect(parsed.skipped).toEqual([
      { genesysMessageId: 'gm-1', status: messageStatus, why: expect.any(String) },
    ]);
  });

  it('treats removed the same way in both sources', () => {
    // Act
    const fromWebhook = parseOpenMessagingNotification(receiptBody('gm-1', 'Removed'), RECEIVED_AT);
    const fromEvent = parseConversationMessageEvent(
      conversationMessageEvent([{ messages: [{ messageId: 'gm-1', messageStatus: 'removed' }] }]),
      RECEIVED_AT,
    );

    // Assess
    expect(fromWebhook.events).toEqual(fromEvent.events);
    expect(fromWebhook.skipped[0]?.why).toBe(fromEvent.skipped[0]?.why);
  });

  it('keeps the error code and message of a failed delivery', () => {
    // Prepare
    const event = conversationMessageEvent([
      {
        messages: [
          {
            messageId: 'gm-7',
            messageStatus: 'delivery-failed',
            errorInfo: {
              status: 400,
              code: 'RecipientOptedOut',
              message: 'The recipient opted out.',
              uri: 'x',
            },
          },
        ],
      },
    ]);

    // Act
    const [receipt] = parseConversationMessageEvent(event, RECEIVED_AT).events;

    // Assess
    expect(receipt).toMatchObject({
      status: 'failed',
      reasons: ['RecipientOptedOut'],
      reason: 'RecipientOptedOut: The recipient opted out.',
    });
  });

  it('reads every participant, accepts message.id, skips messages without a status, collapses repeats', () => {
    // Prepare
    const event = conversationMessageEvent([
      { purpose: 'agent' },
      {
        purpose: 'customer',
        messages: [
          { messageId: 'gm-1', messageStatus: 'read' },
          { message: { id: 'gm-2' }, messageStatus: 'delivery-success' },
          { messageId: 'gm-3' },
        ],
      },
      { purpose: 'acd', messages: [{ messageId: 'gm-1', messageStatus: 'read' }] },
    ]);

    // Act
    const parsed = parseConversationMessageEvent(event, RECEIVED_AT);

    // Assess
    expect(parsed.events.map((receipt) => [receipt.genesysMessageId, receipt.status])).toEqual([
      ['gm-1', 'read'],
      ['gm-2', 'delivered'],
    ]);
    expect(parsed.skipped).toEqual([{ genesysMessageId: 'gm-3', why: 'a message without messageStatus' }]);
  });

  it('falls back to the event timestamp when a message has no time', () => {
    // Prepare
    const event = conversationMessageEvent([{ messages: [{ messageId: 'gm-1', messageStatus: 'sent' }] }]);

    // Act
    const [receipt] = parseConversationMessageEvent(event, RECEIVED_AT).events;

    // Assess
    expect(receipt?.at).toBe('2026-11-25T10:00:04.500Z');
  });

  it("skips a message with an unknown messageStatus and keeps the other messages' receipts", () => {
    // Prepare: a status Genesys may add one day, next to two it has today
    const event = conversationMessageEvent([
      { messages: [{ messageId: 'gm-1', messageStatus: 'delivery-success' }] },
      {
        messages: [
          { messageId: 'gm-2', messageStatus: 'bounced' },
          { messageId: 'gm-3', messageStatus: 'read' },
        ],
      },
    ]);

    // Act
    const parsed = parseConversationMessageEvent(event, RECEIVED_AT);

    // Assess
    expect(parsed.events.map((e) => [e.genesysMessageId, e.status])).toEqual([
      ['gm-1', 'delivered'],
      ['gm-3', 'read'],
    ]);
    expect(parsed.skipped).toEqual([
      expect.objectContaining({ genesysMessageId: 'gm-2', status: 'bounced', unknownStatus: true }),
    ]);
  });

  it('accepts the queue topic and a concrete topic in detail-type', () => {
    // Prepare
    const messages = [{ messageId: 'gm-1', messageStatus: 'sent' }];

    // Act
    const queue = parseConversationMessageEvent(
      conversationMessageEvent([{ messages }], {
        'detail-type': 'v2.routing.queues.{id}.conversations.messages',
      }),
      RECEIVED_AT,
    );
    const concrete = parseConversationMessageEvent(
      conversationMessageEvent([{ messages }], { 'detail-type': 'v2.users.8f2c.conversations.messages' }),
      RECEIVED_AT,
    );

    // Assess
    expect(queue.events).toHaveLength(1);
    expect(concrete.events).toHaveLength(1);
  });

  it.each([
    [
      'another topic',
      conversationMessageEvent([], { 'detail-type': 'v2.users.{id}.presence' }),
      'detail-type',
    ],
    ['another source', conversationMessageEvent([], { source: 'aws.events' }), 'source'],
    ['no eventBody', conversationMessageEvent([], { detail: { topicName: 'x' } }), 'detail.eventBody'],
    [
      'a status without message id',
      conversationMessageEvent([{ messages: [{ messageStatus: 'read' }] }]),
      'detail.eventBody.participants.0.messages.0.messageId',
    ],
  ])('refuses %s, naming the field', (_case, event, path) => {
    // Act
    const error = parseError(() => parseConversationMessageEvent(event, RECEIVED_AT));

    // Assess
    expect(error.issues.map((issue) => issue.path)).toContain(path);
  });
});
