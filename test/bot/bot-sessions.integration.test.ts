import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedEvent } from '../../local/eventbridge-stand-in';
import type { BotEventDetail } from '../../shared/bot/bot-events';
import { NoOpenBotSessionError } from '../../shared/bot/errors';
import { parseSendRequest } from '../../shared/messages/send-request';
import { waitFor } from '../support/wait-for';
import {
  BOT_ID,
  BOT_PREVIOUS_SECRET,
  BOT_SECRET,
  BOT_SECRET_HEADER,
  type BotHarness,
  BUS,
  startBotHarness,
  TIMEOUT_MINUTES,
} from './bot-harness';

let bot: BotHarness;
beforeAll(async () => {
  bot = await startBotHarness();
});
afterAll(async () => {
  await bot?.close();
});

const CARD = (orderId: string, extra: { text: string; payload: string }[] = []) => ({
  title: 'Order Confirmation',
  description: `Would you like to confirm your order #${orderId}?`,
  actions: [
    { type: 'postback', text: 'Yes', payload: 'confirmed_yes' },
    { type: 'postback', text: 'No', payload: 'confirmed_no' },
    ...extra.map((action) => ({ type: 'postback', ...action })),
  ],
});

let keys = 0;
/** Accepts a send request through the delivery path, as the send function does. */
function send(request: Record<string, unknown>) {
  const messageId = `bot-test-${++keys}`;
  return bot.delivery.accept(parseSendRequest(request), { messageId, source: 'send' });
}

function eventsFor(genesysMessageId: string): ReceivedEvent[] {
  return bot.eventBridge
    .events()
    .filter((event) => (event.detail as BotEventDetail).genesysMessageId === genesysMessageId);
}

function botCalls(): number {
  return bot.harness.sandbox.stats().requests.botConnector;
}

async function openSession() {
  const hi = await bot.harness.sandbox.bot.customer({ text: 'hi' });
  expect(hi.status).toBe(200);
  return hi;
}

const tap = (
  conversationId: string,
  text: string,
  payload: string,
  type: 'Button' | 'QuickReply' = 'Button',
) => bot.harness.sandbox.bot.customer({ conversationId, buttonResponse: { type, text, payload } });

describe('sessions', () => {
  it('opens a session on the first message, answers MoreData with the greeting, and publishes the message', async () => {
    // Act
    const hi = await openSession();
    // Assess
    expect(hi.body).toEqual({
      botState: 'MoreData',
      replyMessages: [{ type: 'Text', text: 'Hi! Let me look up your order.' }],
    });
    const session = await bot.sessions.get(hi.botSessionId);
    expect(session).toMatchObject({
      botId: BOT_ID,
      botVersion: '1',
      languageCode: 'en-us',
      conversationId: hi.conversationId,
      timeoutMinutes: TIMEOUT_MINUTES,
      firstMessageId: hi.messageId,
    });
    expect(Date.parse(session!.sessionExpiresAt) - Date.parse(session!.openedAt)).toBe(
      TIMEOUT_MINUTES * 60_000,
    );
    const [event] = eventsFor(hi.messageId);
    expect(event).toMatchObject({
      'detail-type': 'Genesys Customer Message',
      source: 'genesys-messaging.bot',
      eventBusName: BUS,
      detail: {
        eventId: `genesys-bot-message:${hi.messageId}`,
        conversationId: hi.conversationId,
        botSessionId: hi.botSessionId,
        botId: BOT_ID,
        botVersion: '1',
        text: 'hi',
      },
    });
  });

  it('reuses the open session for the next message of the conversation, without a second greeting', async () => {
    // Prepare
    const hi = await openSession();
    // Act
    const again = await bot.harness.sandbox.bot.customer({
      conversationId: hi.conversationId,
      text: 'where is my order?',
    });
    // Assess
    expect(again.botSessionId).toBe(hi.botSessionId);
    expect(again.body).toEqual({ botState: 'MoreData' });
    const session = await bot.sessions.get(hi.botSessionId);
    expect(session?.firstMessageId).toBe(hi.messageId);
    expect(eventsFor(again.messageId)).toHaveLength(1);
  });

  it('sends by conversation id into the open session, and refuses once it expired (no Genesys call)', async () => {
    // Prepare
    const hi = await openSession();
    // Act
    const sent = await send({
      target: { kind: 'botSession', conversationId: hi.conversationId },
      message: { card: CARD('12345') },
      metadata: { orderId: '12345' },
    });
    // Assess: the session's bot connector fields, MoreData so the session stays open
    expect(sent.status).toBe('sent');
    const body = bot.harness.sandbox.messages().find((message) => message.id === sent.genesysMessageId)?.body;
    expect(body).toMatchObject({
      botId: BOT_ID,
      botVersion: '1',
      botSessionId: hi.botSessionId,
      languageCode: 'en-us',
      botState: 'MoreData',
    });

    // Act: past the session timeout
    bot.advance((TIMEOUT_MINUTES + 1) * 60_000);
    const calls = botCalls();
    const late = send({
      target: { kind: 'botSession', conversationId: hi.conversationId },
      message: { text: 'Still there?' },
    });
    // Assess
    await expect(late).rejects.toBeInstanceOf(NoOpenBotSessionError);
    await expect(late).rejects.toMatchObject({
      reason: 'expired',
      conversationId: hi.conversationId,
      code: 'no_open_bot_session',
    });
    expect(botCalls()).toBe(calls);
  });

  it('refuses a conversation the bot never saw, naming it', async () => {
    const NEVER_SEEN = '0b9c4a57-1d2e-4f60-9a3b-000000000000';
    const calls = botCalls();
    await expect(
      send({ target: { kind: 'botSession', conversationId: NEVER_SEEN }, message: { text: 'Hello?' } }),
    ).rejects.toThrow(new RegExp(`no open bot session for conversation "${NEVER_SEEN}"`));
    expect(botCalls()).toBe(calls);
  });
});

describe('ending a session', () => {
  it('completes with an intent: Genesys gets botState Complete, both sides close the session', async () => {
    // Prepare
    const hi = await openSession();
    // Act
    const done = await send({
      target: { kind: 'botSession', conversationId: hi.conversationId },
      message: { text: 'Thank you! Order #12345 is confirmed.' },
      complete: {
        intent: 'OrderConfirmed',
        confidence: 0.9,
        entities: [{ name: 'orderId', type: 'String', value: '12345' }],
        parameters: { orderId: '12345' },
      },
    });
    // Assess
    expect(done.status).toBe('sent');
    const body = bot.harness.sandbox.messages().find((message) => message.id === done.genesysMessageId)?.body;
    expect(body).toMatchObject({
      botState: 'Complete',
      intent: 'OrderConfirmed',
      confidence: 0.9,
      entities: [{ name: 'orderId', type: 'String', value: '12345' }],
      parameters: { orderId: '12345' },
    });
    expect((await bot.sessions.get(hi.botSessionId))?.closedAt).toBeDefined();
    expect(
      bot.harness.sandbox.bot.list().find((s) => s.botSessionId === hi.botSessionId)?.closed,
    ).toMatchObject({ botState: 'Complete', intent: 'OrderConfirmed' });
    await expect(
      send({ target: { kind: 'botSession', conversationId: hi.conversationId }, message: { text: 'More?' } }),
    ).rejects.toMatchObject({ reason: 'closed' });
  });

  it('fails with an error code and message: botState Failed with errorInfo', async () => {
    const hi = await openSession();
    const failed = await send({
      target: { kind: 'botSession', conversationId: hi.conversationId },
      message: { text: 'Let me get you an agent.' },
      fail: { errorCode: 'order_not_found', errorMessage: 'The order could not be found.' },
    });
    expect(failed.status).toBe('sent');
    const body = bot.harness.sandbox
      .messages()
      .find((message) => message.id === failed.genesysMessageId)?.body;
    expect(body).toMatchObject({
      botState: 'Failed',
      errorInfo: { code: 'order_not_found', message: 'The order could not be found.' },
    });
    expect((await bot.sessions.get(hi.botSessionId))?.closeReason).toMatch(/^Failed sent by message/);
  });
});

describe("Genesys' 409 session codes: permanent, never retried, the session closed", () => {
  it('session.already.closed when Genesys ended the session', async () => {
    const hi = await openSession();
    bot.harness.sandbox.bot.end(hi.botSessionId);
    const result = await send({
      target: { kind: 'botSession', conversationId: hi.conversationId },
      message: { text: 'Hello?' },
    });
    expect(result).toMatchObject({ status: 'failed', attempts: 1 });
    expect(result.error?.reason).toMatch(/409 session\.already\.closed.*already closed/);
    expect((await bot.sessions.get(hi.botSessionId))?.closeReason).toBe(
      'Genesys answered 409 session.already.closed',
    );
  });

  it('integration.not.active', async () => {
    const hi = await openSession();
    bot.harness.sandbox.bot.setActive(false);
    try {
      const result = await send({
        target: { kind: 'botSession', conversationId: hi.conversationId },
        message: { text: 'Hello?' },
      });
      expect(result).toMatchObject({ status: 'failed', attempts: 1 });
      expect(result.error?.reason).toMatch(/integration is not active/);
      expect((await bot.sessions.get(hi.botSessionId))?.closedAt).toBeDefined();
    } finally {
      bot.harness.sandbox.bot.setActive(true);
    }
  });

  it.each([
    ['session.bot.id.mismatch', { botId: 'another-bot' }, /another bot id/],
    ['session.bot.version.mismatch', { botVersion: '2' }, /another bot version/],
    ['session.not.found', { botSessionId: 'no-such-session' }, /no such bot session/],
  ])('%s', async (code, change, meaning) => {
    const hi = await openSession();
    const result = await send({
      target: {
        kind: 'botConnector',
        botId: BOT_ID,
        botVersion: '1',
        botSessionId: hi.botSessionId,
        languageCode: 'en-us',
        ...change,
      },
      message: { text: 'Hello?' },
    });
    expect(result).toMatchObject({ status: 'failed', attempts: 1, error: { status: 409, code } });
    expect(result.error?.reason).toMatch(meaning);
    // The session named in the body is closed (the open one, unless the body named an unknown one).
    const closed = (await bot.sessions.get(hi.botSessionId))?.closedAt !== undefined;
    expect(closed).toBe(code !== 'session.not.found');
  });
});

describe('answers come back', () => {
  it('correlates a click to the carousel that offered it, with its metadata, and records the answer', async () => {
    // Prepare
    const hi = await openSession();
    const carousel = await send({
      target: { kind: 'botSession', conversationId: hi.conversationId },
      message: {
        carousel: {
          cards: ['red', 'blue'].map((colour) => ({
            title: `${colour} shoes`,
            actions: [{ type: 'postback', text: `Buy the ${colour} pair`, payload: `buy_${colour}` }],
          })),
        },
      },
      metadata: { campaign: 'autumn' },
    });
    await send({
      target: { kind: 'botSession', conversationId: hi.conversationId },
      message: {
        text: 'Anything else?',
        quickReplies: { replies: [{ text: 'No thanks', payload: 'done' }] },
      },
    });
    // Act
    const click = await tap(hi.conversationId, 'Buy the blue pair', 'buy_blue');
    // Assess
    expect(click.status).toBe(200);
    const [event] = eventsFor(click.messageId);
    expect(event?.['detail-type']).toBe('Genesys Button Response');
    expect(event?.detail).toMatchObject({
      buttonResponse: { type: 'Button', text: 'Buy the blue pair', payload: 'buy_blue' },
      inReplyTo: { messageId: carousel.messageId, metadata: { campaign: 'autumn' } },
    });
    const merged = await bot.harness.store.getMerged(carousel.messageId);
    expect(merged?.answer).toMatchObject({ type: 'Button', text: 'Buy the blue pair', payload: 'buy_blue' });
  });

  it('across two cards in one session: the newest card that offered the button', async () => {
    // Prepare
    const hi = await openSession();
    const first = await send({
      target: { kind: 'botSession', conversationId: hi.conversationId },
      message: { card: CARD('111', [{ text: 'Later', payload: 'later' }]) },
      metadata: { orderId: '111' },
    });
    const second = await send({
      target: { kind: 'botSession', conversationId: hi.conversationId },
      message: { card: CARD('222') },
      metadata: { orderId: '222' },
    });
    // Act
    const yes = await tap(hi.conversationId, 'Yes', 'confirmed_yes');
    const later = await tap(hi.conversationId, 'Later', 'later');
    // Assess
    expect(eventsFor(yes.messageId)[0]?.detail).toMatchObject({
      inReplyTo: { messageId: second.messageId, metadata: { orderId: '222' } },
    });
    expect(eventsFor(later.messageId)[0]?.detail).toMatchObject({
      inReplyTo: { messageId: first.messageId, metadata: { orderId: '111' } },
    });
  });

  it('publishes a click on a payload no message offered, without a message id', async () => {
    const hi = await openSession();
    const click = await tap(hi.conversationId, 'Mystery', 'not_offered', 'QuickReply');
    const [event] = eventsFor(click.messageId);
    expect(event?.['detail-type']).toBe('Genesys Button Response');
    expect(event?.detail).not.toHaveProperty('inReplyTo');
  });

  it('publishes a duplicate incoming message once', async () => {
    const hi = await openSession();
    const message = await bot.harness.sandbox.bot.customer({
      conversationId: hi.conversationId,
      text: 'twice',
    });
    const body = {
      botId: BOT_ID,
      botVersion: '1',
      botSessionId: hi.botSessionId,
      messageId: message.messageId,
      languageCode: 'en-us',
      botSessionTimeout: TIMEOUT_MINUTES,
      genesysConversationId: hi.conversationId,
      inputMessage: { type: 'Text', text: 'twice' },
    };
    const again = await bot.harness.sandbox.bot.repost(message, body);
    expect(again.status).toBe(200);
    expect(eventsFor(message.messageId)).toHaveLength(1);
  });

  it('answers 5xx while EventBridge is down, then publishes once on Genesys’ retry', async () => {
    const hi = await openSession();
    bot.eventBridge.setAvailable(false);
    let down: Awaited<ReturnType<typeof tap>>;
    try {
      down = await tap(hi.conversationId, 'Yes', 'confirmed_yes');
    } finally {
      bot.eventBridge.setAvailable(true);
    }
    expect(down.status).toBeGreaterThanOrEqual(500);
    expect(eventsFor(down.messageId)).toHaveLength(0);
    const body = {
      botId: BOT_ID,
      botVersion: '1',
      botSessionId: hi.botSessionId,
      messageId: down.messageId,
      languageCode: 'en-us',
      botSessionTimeout: TIMEOUT_MINUTES,
      genesysConversationId: hi.conversationId,
      inputMessage: {
        type: 'Structured',
        content: [
          {
            contentType: 'ButtonResponse',
            buttonResponse: { type: 'Button', text: 'Yes', payload: 'confirmed_yes' },
          },
        ],
      },
    };
    const retried = await bot.harness.sandbox.bot.repost(down, body);
    expect(retried.status).toBe(200);
    await bot.harness.sandbox.bot.repost(down, body);
    const events = await waitFor(
      async () => eventsFor(down.messageId),
      (found) => found.length > 0,
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.detail).toMatchObject({ eventId: `genesys-bot-message:${down.messageId}` });
  });
});

describe('the connection secret and bad bodies', () => {
  const incoming = (overrides: Record<string, unknown> = {}) =>
    JSON.stringify({
      botId: BOT_ID,
      botVersion: '1',
      botSessionId: `s-${++keys}`,
      messageId: `m-${keys}`,
      languageCode: 'en-us',
      botSessionTimeout: 5,
      genesysConversationId: `c-${keys}`,
      inputMessage: { type: 'Text', text: 'hello' },
      ...overrides,
    });
  const post = (body: string, headers: Record<string, string>) =>
    bot.harness.sandbox.bot.postRaw(body, headers);
  const sessionOf = (body: string) =>
    bot.sessions.get((JSON.parse(body) as { botSessionId: string }).botSessionId);

  it.each([
    ['missing', {}],
    ['wrong', { [BOT_SECRET_HEADER]: 'not-the-secret' }],
    ['in another header', { 'X-Other': BOT_SECRET }],
  ])('403 and nothing written when the secret is %s', async (_case, headers) => {
    const body = incoming();
    const events = bot.eventBridge.events().length;
    const answer = await post(body, headers);
    expect(answer.status).toBe(403);
    expect(JSON.stringify(answer.body)).not.toContain(BOT_SECRET);
    expect(await sessionOf(body)).toBeUndefined();
    expect(bot.eventBridge.events()).toHaveLength(events);
  });

  it('accepts the previous secret during a rotation', async () => {
    const answer = await post(incoming(), { [BOT_SECRET_HEADER.toLowerCase()]: BOT_PREVIOUS_SECRET });
    expect(answer.status).toBe(200);
  });

  it('lists the bots for Architect, secret required', async () => {
    const url = `${bot.gateway.url}/botconnector/bots`;
    expect((await fetch(url)).status).toBe(403);
    const list = await fetch(url, { headers: { [BOT_SECRET_HEADER]: BOT_SECRET } });
    const body = (await list.json()) as { entities: Array<Record<string, unknown>> };
    expect(body.entities.map((entity) => entity.id)).toEqual([BOT_ID]);
    expect(JSON.stringify(body)).not.toContain('greeting');
    const one = await fetch(`${url}/${BOT_ID}`, { headers: { [BOT_SECRET_HEADER]: BOT_SECRET } });
    expect(((await one.json()) as { versions: unknown[] }).versions).toHaveLength(2);
    expect(
      (await fetch(`${url}/${BOT_ID.toUpperCase()}`, { headers: { [BOT_SECRET_HEADER]: BOT_SECRET } }))
        .status,
    ).toBe(404);
  });

  it.each([
    ['not JSON', '{"botId":', 400, /not valid JSON/],
    [
      'missing fields',
      JSON.stringify({ botId: BOT_ID, inputMessage: { type: 'Text' } }),
      400,
      /botVersion.*botSessionId/,
    ],
    [
      'no conversation id',
      incoming({ genesysConversationId: undefined }),
      400,
      /genesysConversationId: is required \(or conversationId\)/,
    ],
    [
      'a Text message without text',
      incoming({ inputMessage: { type: 'Text' } }),
      400,
      /inputMessage\.text: is required/,
    ],
    ['an unknown bot', incoming({ botId: 'nobody' }), 404, /no bot with id "nobody"/],
    ['an unknown version', incoming({ botVersion: '9' }), 404, /has no version "9"/],
    ['too large', incoming({ inputMessage: { type: 'Text', text: 'x'.repeat(300_000) } }), 413, /limit/],
  ])('refuses %s, writing nothing', async (_case, body, status, message) => {
    const answer = await post(body, { [BOT_SECRET_HEADER]: BOT_SECRET });
    expect(answer.status).toBe(status);
    expect((answer.body as { error: { message: string } }).error.message).toMatch(message);
    if (body.startsWith('{"botId":"')) {
      try {
        expect(await sessionOf(body)).toBeUndefined();
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
      }
    }
  });

  it('takes the SDK spelling conversationId and ignores fields it does not know', async () => {
    const answer = await post(
      incoming({
        genesysConversationId: undefined,
        conversationId: 'sdk-spelling',
        botName: 'x',
        integrationId: 'i',
        channels: ['Messenger'],
        futureField: { a: 1 },
      }),
      { [BOT_SECRET_HEADER]: BOT_SECRET },
    );
    expect(answer.status).toBe(200);
    expect((await bot.sessions.findByConversation('sdk-spelling')).open).toBe(true);
  });
});
