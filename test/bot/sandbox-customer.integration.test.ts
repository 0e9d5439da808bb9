import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCustomerCommand } from '../../local/cli/customer-command';
import { startSandbox } from '../../local/sandbox';
import type { BotEventDetail } from '../../shared/bot/bot-events';
import { parseSendRequest } from '../../shared/messages/send-request';
import { BOT_ID, type BotHarness, startBotHarness } from './bot-harness';

/** The sandbox's customer routes over real HTTP: the sandbox calls the bot handler behind a local gateway. */

let bot: BotHarness;
beforeAll(async () => {
  bot = await startBotHarness();
});
afterAll(async () => {
  await bot?.close();
});

interface CustomerAnswer {
  conversationId: string;
  botSessionId: string;
  messageId: string;
  bot: { status: number; attempts: number[]; answer: { botState?: string; replyMessages?: unknown[] } };
}

async function post(
  body: unknown,
  options: { url?: string; contentType?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${options.url ?? bot.harness.sandbox.url}/sandbox/customer/messages`, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function write(body: unknown): Promise<CustomerAnswer> {
  const answer = await post(body);
  expect(answer.status).toBe(200);
  return answer.body as unknown as CustomerAnswer;
}

async function sessions(url = bot.harness.sandbox.url) {
  const response = await fetch(`${url}/sandbox/bot-sessions`);
  return { status: response.status, body: (await response.json()) as { entities?: unknown[] } };
}

let keys = 0;
function send(request: Record<string, unknown>) {
  return bot.delivery.accept(parseSendRequest(request), {
    messageId: `customer-test-${++keys}`,
    source: 'send',
  });
}

function fieldsOf(body: Record<string, unknown>): string[] {
  return (body.details as { fieldName: string }[]).map((detail) => detail.fieldName);
}

describe('POST /sandbox/customer/messages', () => {
  it('writes as the customer without a token: a new conversation and session, the bot greets', async () => {
    // Act
    const hi = await write({ text: 'hi' });
    // Assess
    expect(hi.bot.status).toBe(200);
    expect(hi.bot.answer.botState).toBe('MoreData');
    expect(hi.bot.answer.replyMessages).toEqual([{ type: 'Text', text: 'Hi! Let me look up your order.' }]);
    const listed = await sessions();
    expect(listed.status).toBe(200);
    expect(listed.body.entities).toContainEqual(
      expect.objectContaining({
        botSessionId: hi.botSessionId,
        conversationId: hi.conversationId,
        botId: BOT_ID,
        openedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    );
    expect(await bot.sessions.get(hi.botSessionId)).toMatchObject({ conversationId: hi.conversationId });
  });

  it('goes on in the same session when given the conversation id', async () => {
    const hi = await write({ text: 'hi' });
    const next = await write({ conversationId: hi.conversationId, text: 'where is my order?' });
    expect(next.botSessionId).toBe(hi.botSessionId);
    expect(next.bot.status).toBe(200);
    // No second greeting in an open session.
    expect(next.bot.answer.replyMessages).toBeUndefined();
  });

  it('taps a card button: the bot publishes the answer correlated to the card that offered it', async () => {
    // Prepare
    const hi = await write({ text: 'hi' });
    const card = await send({
      target: { kind: 'botSession', conversationId: hi.conversationId },
      message: {
        card: {
          title: 'Order Confirmation',
          actions: [
            { type: 'postback', text: 'Yes', payload: 'confirmed_yes' },
            { type: 'postback', text: 'No', payload: 'confirmed_no' },
          ],
        },
      },
      metadata: { orderId: '4711' },
    });
    // Act
    const yes = await write({
      conversationId: hi.conversationId,
      buttonResponse: { type: 'Button', text: 'Yes', payload: 'confirmed_yes' },
    });
    // Assess
    expect(yes.bot.status).toBe(200);
    const events = bot.eventBridge
      .events()
      .filter((event) => (event.detail as BotEventDetail).genesysMessageId === yes.messageId);
    expect(events).toHaveLength(1);
    expect(events[0]?.['detail-type']).toBe('Genesys Button Response');
    expect(events[0]?.detail).toMatchObject({
      buttonResponse: { type: 'Button', text: 'Yes', payload: 'confirmed_yes' },
      inReplyTo: { messageId: card.messageId, metadata: { orderId: '4711' } },
    });
  });

  it('refuses a bad body with 400 naming each field, and calls no bot', async () => {
    const before = bot.harness.sandbox.stats().requests.botConnector;
    const calls = bot.eventBridge.events().length;

    const empty = await post({});
    expect(empty.status).toBe(400);
    expect(fieldsOf(empty.body)).toEqual(['text']);

    const tap = await post({ buttonResponse: { type: 'Button', text: 'Yes', payload: 'confirmed_yes' } });
    expect(tap.status).toBe(400);
    expect(fieldsOf(tap.body)).toEqual(['conversationId']);
    expect(String(tap.body.message)).toContain('conversationId: is required with buttonResponse');

    const click = await post({
      conversationId: '0b4e7c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b',
      buttonResponse: { type: 'Click', text: 'Yes', payload: 'confirmed_yes' },
    });
    expect(click.status).toBe(400);
    expect(String(click.body.message)).toBe('buttonResponse.type: must be one of Button, QuickReply');

    const both = await post({
      conversationId: '0b4e7c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b',
      text: 'hi',
      buttonResponse: { type: 'Button', text: 'Yes', payload: 'y' },
    });
    expect(both.status).toBe(400);
    expect(fieldsOf(both.body)).toEqual(['buttonResponse']);

    const wrong = await post({ conversationId: 'conv-1', text: 'hi', colour: 'red' });
    expect(wrong.status).toBe(400);
    expect(String(wrong.body.message)).toContain('conversationId: must be a uuid');
    expect(fieldsOf(wrong.body)).toContain('colour');

    expect((await post('{"text": ', {})).status).toBe(400);
    expect((await post('text=hi', { contentType: 'text/plain' })).status).toBe(415);

    expect(bot.harness.sandbox.stats().requests.botConnector).toBe(before);
    expect(bot.eventBridge.events().length).toBe(calls);
  });

  it('counts its requests under their own keys', async () => {
    const before = bot.harness.sandbox.stats().requests;
    await write({ text: 'hi' });
    await sessions();
    const after = bot.harness.sandbox.stats().requests;
    expect(after.customerMessage).toBe(before.customerMessage + 1);
    expect(after.botSessions).toBe(before.botSessions + 1);
  });
});

describe('a sandbox without a bot connector integration', () => {
  it('answers 409 saying so, on both routes', async () => {
    const sandbox = await startSandbox({ rateLimit: false });
    try {
      const written = await post({ text: 'hi' }, { url: sandbox.url });
      expect(written.status).toBe(409);
      expect(written.body).toMatchObject({ code: 'bot.integration.not.configured' });
      expect(String(written.body.message)).toContain('no bot connector integration');
      const listed = await sessions(sandbox.url);
      expect(listed.status).toBe(409);
    } finally {
      await sandbox.close();
    }
  });
});

describe('npm run customer', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) } };
  }

  it('writes, then taps in the same conversation, printing the bot answer', async () => {
    // Act
    const first = io();
    const code = await runCustomerCommand(['--sandbox', bot.harness.sandbox.url, '--text', 'hi'], first.io);
    // Assess
    expect(first.err).toEqual([]);
    expect(code).toBe(0);
    const printed = first.out.join('\n');
    expect(printed).toContain('bot → 200');
    expect(printed).toContain('Hi! Let me look up your order.');
    const conversationId = /conversation ([0-9a-f-]{36})/.exec(printed)?.[1] as string;
    expect(conversationId).toBeDefined();

    const second = io();
    const tapped = await runCustomerCommand(
      [
        '--sandbox',
        bot.harness.sandbox.url,
        '--tap',
        'No thanks',
        '--payload',
        'done',
        '--quick-reply',
        '--conversation',
        conversationId,
      ],
      second.io,
    );
    expect(tapped).toBe(0);
    const session = (await sessions()).body.entities?.filter(
      (entry) => (entry as { conversationId: string }).conversationId === conversationId,
    );
    expect(session).toHaveLength(1);
    const [event] = bot.eventBridge
      .events()
      .filter((entry) => (entry.detail as BotEventDetail).conversationId === conversationId)
      .slice(-1);
    expect(event?.detail).toMatchObject({ buttonResponse: { type: 'QuickReply', payload: 'done' } });
  });

  it('refuses bad options with exit 2 and the usage, and reports the refusal of the sandbox with exit 1', async () => {
    const missing = io();
    expect(await runCustomerCommand(['--tap', 'Yes', '--conversation', 'c'], missing.io)).toBe(2);
    expect(missing.err.join('\n')).toContain('--tap needs --payload');

    const refused = io();
    const code = await runCustomerCommand(
      ['--sandbox', bot.harness.sandbox.url, '--conversation', 'not-a-uuid', '--text', 'hi'],
      refused.io,
    );
    expect(code).toBe(1);
    expect(refused.err.join('\n')).toContain('conversationId: must be a uuid');
  });
});
