/** Real Genesys request models (typed with the official SDK typings) that the sandbox must accept. */
import type { Models } from 'purecloud-platform-client-v2';

export const conversationPath = '/api/v2/conversations/messages/conv-1/communications/comm-1/messages';
export const agentlessPath = '/api/v2/conversations/messages/agentless';
export const botPath = '/api/v2/integrations/botconnectors/outgoing/messages';

export function additionalText(text: string): Models.AdditionalMessage {
  return { textBody: text };
}

/** The typings mark textBody required, but Genesys takes exactly one body field: media alone. */
export const additionalMedia: Omit<Models.AdditionalMessage, 'textBody'> = { mediaIds: ['media-1'] };

export const additionalTemplate: Omit<Models.AdditionalMessage, 'textBody'> = {
  messagingTemplate: { responseId: 'resp-1', bodyParameters: [{ id: '1', value: 'Ada' }] },
};

export function agentlessSms(text: string): Models.SendAgentlessOutboundMessageRequest {
  return {
    fromAddress: '+15550001111',
    toAddress: '+15550002222',
    toAddressMessengerType: 'sms',
    textBody: text,
  };
}

export const agentlessWhatsapp: Models.SendAgentlessOutboundMessageRequest = {
  fromAddress: 'whatsapp-integration-1',
  toAddress: '+15550002222',
  toAddressMessengerType: 'whatsapp',
  messagingTemplate: {
    responseId: 'order-confirmation',
    headerParameters: [{ id: 'header', value: 'Order 12345' }],
    bodyParameters: [{ id: '1', value: 'Ada' }],
    buttonUrlParameters: [{ id: 'url', value: 'track/12345' }],
    carouselParameters: { cardParameters: [{ index: 0, bodyParameters: [{ id: '1', value: 'Shoes' }] }] },
  },
  useExistingActiveConversation: true,
};

export function botReply(replyMessages: Models.ReplyMessage[]): Models.OutgoingMessageRequest {
  return {
    botId: 'bot-1',
    botVersion: '1',
    botSessionId: 'session-1',
    botState: 'MoreData',
    languageCode: 'en-us',
    replyMessages,
  };
}

export const orderCard: Models.ConversationContentCard = {
  title: 'Order Confirmation',
  description: 'Would you like to confirm your order #12345?',
  image: 'https://example.com/order.png',
  actions: [
    { type: 'Postback', text: 'Yes', payload: 'confirmed_yes' },
    { type: 'Postback', text: 'No', payload: 'confirmed_no' },
    { type: 'Link', text: 'Details', url: 'https://example.com/orders/12345' },
  ],
};

export const structuredReply: Models.ReplyMessage = {
  type: 'Structured',
  text: 'Please choose',
  content: [
    { contentType: 'Card', card: orderCard },
    {
      contentType: 'Carousel',
      carousel: {
        cards: [
          { title: 'Red', actions: [{ type: 'Postback', text: 'Pick', payload: 'red' }] },
          { title: 'Blue', actions: [{ type: 'Postback', text: 'Pick', payload: 'blue' }] },
        ],
      },
    },
    { contentType: 'QuickReply', quickReply: { text: 'Later', payload: 'later', action: 'Message' } },
    {
      contentType: 'QuickReplyV2',
      quickReplyV2: {
        title: 'Size?',
        actions: [
          { text: 'S', payload: 's' },
          { text: 'M', payload: 'm' },
        ],
      },
    },
    { contentType: 'Attachment', attachment: { mediaType: 'Image', url: 'https://example.com/a.png' } },
    { contentType: 'Text', text: { body: 'Thanks!' } },
  ],
};
