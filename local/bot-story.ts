import {
  type BotEventDetail,
  BUTTON_RESPONSE_DETAIL_TYPE,
  CUSTOMER_MESSAGE_DETAIL_TYPE,
} from '../shared/bot/bot-events';
import type { EventBridgeStandIn, ReceivedEvent } from './eventbridge-stand-in';
import { MessagesApi } from './messages-api';
import type { Sandbox } from './sandbox';

/**
 * The reference story, end to end (README "Bot connector"): the customer writes "hi" and Genesys opens a
 * bot session with our bot; an AWS caller sends the Order Confirmation card by conversation id; the
 * customer taps Yes; a `Genesys Button Response` event with confirmed_yes and orderId 12345 reaches
 * EventBridge; the caller completes the session with intent OrderConfirmed.
 */

export const STORY_CARD = {
  title: 'Order Confirmation',
  description: 'Would you like to confirm your order #12345?',
  actions: [
    { type: 'postback', text: 'Yes', payload: 'confirmed_yes' },
    { type: 'postback', text: 'No', payload: 'confirmed_no' },
  ],
} as const;

export interface BotStoryOptions {
  apiUrl: string;
  sandbox: Sandbox;
  eventBridge: EventBridgeStandIn;
  write?: (text: string) => void;
}

export interface BotStoryReport {
  ok: boolean;
  conversationId?: string;
  buttonEvent?: ReceivedEvent;
  /** Why the story stopped, when it did. */
  problem?: string;
}

export async function runBotStory(options: BotStoryOptions): Promise<BotStoryReport> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const say = (line: string) => write(`${line}\n`);
  const api = new MessagesApi(options.apiUrl);
  const { sandbox, eventBridge } = options;
  const eventOf = (detailType: string, genesysMessageId: string) =>
    eventBridge.waitFor(
      (event) =>
        event['detail-type'] === detailType &&
        (event.detail as BotEventDetail).genesysMessageId === genesysMessageId,
    );
  const stop = (problem: string, conversationId?: string): BotStoryReport => {
    say(`  ✗ ${problem}`);
    return { ok: false, problem, ...(conversationId !== undefined && { conversationId }) };
  };

  say(
    '1. The customer writes "hi"; the flow calls our bot (POST /botconnector/messages, connection secret):',
  );
  const hi = await sandbox.bot.customer({ text: 'hi' });
  const { conversationId } = hi;
  if (hi.status !== 200) return stop(`the bot answered ${hi.status}: ${JSON.stringify(hi.body)}`);
  say(`   bot session ${hi.botSessionId} opened for conversation ${conversationId}`);
  say(`   the bot answered 200 ${JSON.stringify(hi.body)}`);
  const hello = await eventOf(CUSTOMER_MESSAGE_DETAIL_TYPE, hi.messageId);
  say(`   EventBridge ← "${hello['detail-type']}" text "${(hello.detail as BotEventDetail).text}"`);

  say('\n2. An AWS caller sends the Order Confirmation card by conversation id (POST /messages):');
  const card = await api.send({
    idempotencyKey: `story-card-${conversationId}`,
    target: { kind: 'botSession', conversationId },
    message: { card: STORY_CARD },
    metadata: { orderId: '12345' },
  });
  if (card.body?.status !== 'sent') return stop(`card not sent: ${card.status} ${card.text}`, conversationId);
  say(`   ${card.status} sent as message ${card.body.messageId} (Genesys id ${card.body.genesysMessageId})`);

  say('\n3. The customer taps "Yes":');
  const tap = await sandbox.bot.customer({
    conversationId,
    buttonResponse: { type: 'Button', text: 'Yes', payload: 'confirmed_yes' },
  });
  if (tap.status !== 200)
    return stop(`the bot answered ${tap.status}: ${JSON.stringify(tap.body)}`, conversationId);
  const buttonEvent = await eventOf(BUTTON_RESPONSE_DETAIL_TYPE, tap.messageId);
  const detail = buttonEvent.detail as BotEventDetail;
  say(
    `   EventBridge ← "${buttonEvent['detail-type']}" (source ${buttonEvent.source}, bus ${buttonEvent.eventBusName}):`,
  );
  say(
    `   ${JSON.stringify({ eventId: detail.eventId, buttonResponse: detail.buttonResponse, inReplyTo: detail.inReplyTo })}`,
  );
  const status = await api.status(card.body.messageId ?? '');
  say(`   GET /messages/${card.body.messageId} now shows answer ${JSON.stringify(status.body?.answer)}`);

  say('\n4. The caller completes the session with intent OrderConfirmed:');
  const done = await api.send({
    idempotencyKey: `story-complete-${conversationId}`,
    target: { kind: 'botSession', conversationId },
    message: { text: 'Thank you! Order #12345 is confirmed.' },
    complete: { intent: 'OrderConfirmed', entities: [{ name: 'orderId', type: 'String', value: '12345' }] },
  });
  if (done.body?.status !== 'sent')
    return stop(`completion not sent: ${done.status} ${done.text}`, conversationId);
  const session = sandbox.bot.list().find((candidate) => candidate.botSessionId === hi.botSessionId);
  say(
    `   ${done.status} sent; Genesys closed the session: ${session?.closed?.botState} with intent ${session?.closed?.intent} (the flow takes the OrderConfirmed path)`,
  );
  const after = await api.send({
    target: { kind: 'botSession', conversationId },
    message: { text: 'Anything else?' },
  });
  say(`   another send to the conversation now: ${after.status} ${after.body?.error?.code ?? ''}`);

  const ok =
    detail.buttonResponse?.payload === 'confirmed_yes' &&
    detail.inReplyTo?.metadata?.orderId === '12345' &&
    session?.closed?.intent === 'OrderConfirmed' &&
    after.status === 409;
  say(ok ? '\nThe story ran end to end.' : '\nThe story did not end as expected.');
  return { ok, conversationId, buttonEvent };
}
