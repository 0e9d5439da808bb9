import type { Models } from 'purecloud-platform-client-v2';

/**
 * Request bodies as the renderers produce them, checked against the official SDK models at compile
 * time (`satisfies`): a field the real API does not know, or a missing required one, fails `tsc`.
 * The SDK is a devDependency used for its types only: nothing here imports it at run time.
 */
export function botConnectorCardBody(text: string) {
  return {
    botId: 'order-bot',
    botVersion: '1',
    botSessionId: 'session-6d1f',
    botState: 'MoreData',
    languageCode: 'en-us',
    replyMessages: [
      {
        type: 'Structured',
        text,
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
  } satisfies Models.OutgoingMessageRequest;
}

export function botConnectorQuickRepliesBody(text: string) {
  return {
    botId: 'order-bot',
    botVersion: '1',
    botSessionId: 'session-6d1f',
    botState: 'MoreData',
    languageCode: 'en-us',
    replyMessages: [
      { type: 'Text', text },
      {
        type: 'Structured',
        content: [
          { contentType: 'QuickReply', quickReply: { text: 'Track', payload: 'track', action: 'Message' } },
          { contentType: 'QuickReply', quickReply: { text: 'Cancel', payload: 'cancel', action: 'Message' } },
        ],
      },
    ],
  } satisfies Models.OutgoingMessageRequest;
}

export function botConnectorCarouselBody(text: string) {
  const card = (n: number) => ({
    title: `Item ${n}`,
    actions: [{ type: 'Link', text: `Open item ${n}`, url: `https://example.com/items/${n}` }],
  });
  return {
    botId: 'order-bot',
    botVersion: '1',
    botSessionId: 'session-6d1f',
    botState: 'Complete',
    languageCode: 'en-us',
    replyMessages: [
      {
        type: 'Structured',
        text,
        content: [{ contentType: 'Carousel', carousel: { cards: [card(1), card(2)] } }],
      },
    ],
  } satisfies Models.OutgoingMessageRequest;
}

export function conversationTextBody(text: string) {
  return { textBody: text } satisfies Models.AdditionalMessage;
}

export function agentlessSmsBody(text: string) {
  return {
    fromAddress: '+13175550000',
    toAddress: '+13175550199',
    toAddressMessengerType: 'sms',
    textBody: text,
  } satisfies Models.SendAgentlessOutboundMessageRequest;
}

export function agentlessWhatsAppTemplateBody(orderId: string) {
  return {
    fromAddress: 'whatsapp-integration-id',
    toAddress: '+13175550199',
    toAddressMessengerType: 'whatsapp',
    messagingTemplate: {
      responseId: 'order-confirmation-template',
      bodyParameters: [{ id: 'orderId', value: orderId }],
      buttonUrlParameters: [{ id: 'track', value: `orders/${orderId}` }],
    },
  } satisfies Models.SendAgentlessOutboundMessageRequest;
}
