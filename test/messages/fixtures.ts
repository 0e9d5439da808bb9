/** Send requests used across the message tests: every message kind and every target. */
import type { Card, Channel, Message, SendRequest, Target } from '../../shared/messages';

export const BOT_CONNECTOR_TARGET = {
  kind: 'botConnector',
  botId: 'order-bot',
  botVersion: '1',
  botSessionId: '6f1c2a57-1f0e-4c6b-9a53-0d2b7f4e8c11',
  languageCode: 'en-us',
} as const satisfies Target;

export const CONVERSATION_TARGET = {
  kind: 'conversation',
  conversationId: 'b5c8e0a3-8d4e-4a5f-9f1e-2c7d3b6a9e10',
  communicationId: 'e2a7d4c1-3b9f-4e8a-a6d5-7f0c1b2e3d49',
} as const satisfies Target;

export const AGENTLESS_SMS_TARGET = {
  kind: 'agentless',
  messengerType: 'sms',
  fromAddress: '+13175550100',
  toAddress: '+13175550199',
} as const satisfies Target;

export const AGENTLESS_WHATSAPP_TARGET = {
  kind: 'agentless',
  messengerType: 'whatsapp',
  fromAddress: '1e2a3b4c-5d6e-4f70-8192-a3b4c5d6e7f8',
  toAddress: '447700900123',
} as const satisfies Target;

export const AGENTLESS_OPEN_TARGET = {
  kind: 'agentless',
  messengerType: 'open',
  fromAddress: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  toAddress: 'customer-42',
} as const satisfies Target;

/** The reference card (README "Text fallback"). */
export const ORDER_CONFIRMATION_CARD = {
  title: 'Order Confirmation',
  description: 'Would you like to confirm your order #12345?',
  actions: [
    { type: 'postback', text: 'Yes', payload: 'confirmed_yes' },
    { type: 'postback', text: 'No', payload: 'confirmed_no' },
  ],
} satisfies Card;

export const MESSAGES = {
  text: { text: 'Your order #12345 has shipped.' },
  'quick-replies': {
    text: 'Thanks for your order!',
    quickReplies: {
      title: 'How was the delivery?',
      replies: [
        { text: 'Great', payload: 'delivery_great', image: 'https://cdn.example.com/icons/great.png' },
        { text: 'Late', payload: 'delivery_late' },
        { text: 'Damaged', payload: 'delivery_damaged' },
      ],
    },
  },
  'order-confirmation-card': { card: ORDER_CONFIRMATION_CARD },
  'card-with-links': {
    card: {
      title: 'Red running shoes',
      description: 'Lightweight, sizes 36-47.',
      image: 'https://cdn.example.com/shoes/red.png',
      defaultAction: { type: 'link', text: 'Details', url: 'https://shop.example.com/shoes/red' },
      actions: [
        { type: 'postback', text: 'Buy', payload: 'buy_red' },
        { type: 'link', text: 'Size guide', url: 'https://shop.example.com/sizes' },
      ],
    },
  },
  carousel: {
    carousel: {
      cards: [
        {
          title: 'Red running shoes',
          description: 'EUR 89',
          image: 'https://cdn.example.com/shoes/red.png',
          actions: [
            { type: 'postback', text: 'Buy', payload: 'buy_red' },
            { type: 'link', text: 'Details', url: 'https://shop.example.com/shoes/red' },
          ],
        },
        {
          title: 'Blue trail shoes',
          description: 'EUR 109',
          actions: [
            { type: 'postback', text: 'Buy', payload: 'buy_blue' },
            { type: 'postback', text: 'Remind me later', payload: 'remind_blue' },
          ],
        },
      ],
    },
  },
  template: {
    template: {
      responseId: 'a3c1e5f7-2b4d-4c6e-8f0a-1b3d5f7a9c2e',
      headerParameters: [{ id: '1', value: 'Jane' }],
      bodyParameters: [
        { id: '1', value: '#12345' },
        { id: '2', value: '1 December' },
      ],
      buttonUrlParameters: [{ id: '1', value: '12345' }],
    },
  },
  media: { mediaId: '0c9f5a3e-7d1b-4e2a-b8c6-5f4d3e2a1b0c' },
} satisfies Record<string, Message>;

export type MessageName = keyof typeof MESSAGES;

export const TARGETS = {
  'bot-connector': { target: BOT_CONNECTOR_TARGET },
  'bot-connector-sms': { target: BOT_CONNECTOR_TARGET, channel: 'sms' },
  'bot-connector-whatsapp': { target: BOT_CONNECTOR_TARGET, channel: 'whatsapp' },
  conversation: { target: CONVERSATION_TARGET },
  'conversation-sms': { target: CONVERSATION_TARGET, channel: 'sms' },
  'agentless-sms': { target: AGENTLESS_SMS_TARGET },
  'agentless-whatsapp': { target: AGENTLESS_WHATSAPP_TARGET },
  'agentless-open': { target: AGENTLESS_OPEN_TARGET },
} as const satisfies Record<string, { target: Target; channel?: Channel }>;

export type TargetName = keyof typeof TARGETS;

/** A fresh plain JSON copy, as a caller would send it. */
export function request(
  targetName: TargetName,
  messageName: MessageName,
  extra: Partial<SendRequest> = {},
): unknown {
  return JSON.parse(JSON.stringify({ ...TARGETS[targetName], message: MESSAGES[messageName], ...extra }));
}
