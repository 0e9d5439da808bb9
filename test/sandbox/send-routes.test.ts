import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../local/sandbox';
import {
  additionalMedia,
  additionalTemplate,
  additionalText,
  agentlessPath,
  agentlessSms,
  agentlessWhatsapp,
  botPath,
  botReply,
  conversationPath,
  orderCard,
  structuredReply,
} from './fixtures';
import { api, token } from './helpers';

describe('sandbox send routes', () => {
  let sandbox: Sandbox;
  let accessToken: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ receipts: false, rateLimit: false });
    accessToken = await token(sandbox);
  });
  afterAll(() => sandbox.close());

  const post = (path: string, body: unknown) => api(sandbox, accessToken, 'POST', path, body);
  const fieldNames = (body: { details: Array<{ fieldName: string }> }) =>
    body.details.map((d) => d.fieldName);

  describe('conversation message (AdditionalMessage)', () => {
    it('accepts text, one media id or a template and answers MessageData', async () => {
      // Act
      const text = await post(conversationPath, additionalText('Your order shipped'));
      const media = await post(conversationPath, additionalMedia);
      const template = await post(conversationPath, additionalTemplate);
      // Assess
      expect(text.status).toBe(200);
      expect(text.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        conversationId: 'conv-1',
        direction: 'outbound',
        messengerType: 'open',
        status: 'sent',
        textBody: 'Your order shipped',
        timestamp: expect.any(String),
        selfUri: `/api/v2/conversations/messages/conv-1/messages/${text.body.id}`,
      });
      expect(media.status).toBe(200);
      expect(template.status).toBe(200);
      expect(new Set([text.body.id, media.body.id, template.body.id]).size).toBe(3);
    });

    it('refuses two body fields, an empty body, two media ids and unknown keys, naming each field', async () => {
      // Act
      const two = await post(conversationPath, { textBody: 'a', mediaIds: ['m'] });
      const none = await post(conversationPath, {});
      const twoMedia = await post(conversationPath, { mediaIds: ['m1', 'm2'] });
      const unknown = await post(conversationPath, { textBody: 'a', text: 'b' });
      const tooLong = await post(conversationPath, { textBody: 'x'.repeat(2001) });
      const noResponseId = await post(conversationPath, { messagingTemplate: { bodyParameters: [] } });
      // Assess
      for (const answer of [two, none, twoMedia, unknown, tooLong, noResponseId]) {
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({
          code: 'bad.request',
          status: 400,
          contextId: expect.any(String),
        });
        expect(answer.headers.get('inin-correlation-id')).toBe(answer.body.contextId);
      }
      expect(fieldNames(two.body)).toEqual(['mediaIds']);
      expect(fieldNames(none.body)).toEqual(['textBody']);
      expect(fieldNames(twoMedia.body)).toEqual(['mediaIds']);
      expect(twoMedia.body.message).toContain('exactly 1 item');
      expect(fieldNames(unknown.body)).toEqual(['text']);
      expect(unknown.body.message).toContain('is not a field of AdditionalMessage');
      expect(fieldNames(tooLong.body)).toEqual(['textBody']);
      expect(tooLong.body.message).toContain('at most 2000 characters');
      expect(fieldNames(noResponseId.body)).toEqual(['messagingTemplate.responseId']);
      expect(noResponseId.body.message).toContain('is required');
    });
  });

  describe('agentless (SendAgentlessOutboundMessageRequest)', () => {
    it('accepts an SMS text and a WhatsApp template and answers with the message', async () => {
      // Act
      const sms = await post(agentlessPath, agentlessSms('Code 1234'));
      const whatsapp = await post(agentlessPath, agentlessWhatsapp);
      // Assess
      expect(sms.status).toBe(200);
      expect(sms.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        conversationId: expect.any(String),
        fromAddress: '+15550001111',
        toAddress: '+15550002222',
        messengerType: 'sms',
        timestamp: expect.any(String),
      });
      expect(sms.body.message).toMatchObject({ id: sms.body.id, status: 'sent', textBody: 'Code 1234' });
      expect(whatsapp.status).toBe(200);
      expect(whatsapp.body.messengerType).toBe('whatsapp');
    });

    it('keeps the active conversation when useExistingActiveConversation is true', async () => {
      // Act
      const first = await post(agentlessPath, { ...agentlessWhatsapp });
      const second = await post(agentlessPath, { ...agentlessWhatsapp });
      const fresh = await post(agentlessPath, { ...agentlessWhatsapp, useExistingActiveConversation: false });
      // Assess
      expect(second.body.conversationId).toBe(first.body.conversationId);
      expect(fresh.body.conversationId).not.toBe(first.body.conversationId);
    });

    it('refuses channel rule breaks with the field and the reason', async () => {
      // Act
      const smsTooLong = await post(agentlessPath, agentlessSms('x'.repeat(766)));
      const whatsappText = await post(agentlessPath, {
        fromAddress: 'wa',
        toAddress: '+1',
        toAddressMessengerType: 'whatsapp',
        textBody: 'hi',
      });
      const noRecipient = await post(agentlessPath, {
        fromAddress: '+1',
        toAddressMessengerType: 'sms',
        textBody: 'hi',
      });
      const badType = await post(agentlessPath, { ...agentlessSms('hi'), toAddressMessengerType: 'email' });
      const noFrom = await post(agentlessPath, {
        toAddress: '+1',
        toAddressMessengerType: 'sms',
        textBody: 'hi',
      });
      // Assess
      expect(smsTooLong.status).toBe(400);
      expect(fieldNames(smsTooLong.body)).toEqual(['textBody']);
      expect(smsTooLong.body.message).toContain('765');
      expect(fieldNames(whatsappText.body)).toEqual(['messagingTemplate', 'textBody']);
      expect(fieldNames(noRecipient.body)).toEqual(['toAddress']);
      expect(fieldNames(badType.body)).toEqual(['toAddressMessengerType']);
      expect(badType.body.message).toContain('must be one of sms, whatsapp, open');
      expect(fieldNames(noFrom.body)).toEqual(['fromAddress']);
    });
  });

  describe('bot connector (OutgoingMessageRequest)', () => {
    it('accepts text and structured replies (card, carousel, quick replies) and answers { messageId }', async () => {
      // Act
      const text = await post(botPath, botReply([{ type: 'Text', text: 'Hello' }]));
      const structured = await post(botPath, botReply([structuredReply]));
      // Assess
      expect(text.status).toBe(200);
      expect(text.body).toEqual({ messageId: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(structured.status).toBe(200);
      expect(structured.body).toEqual({ messageId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    });

    it('refuses broken structured content, naming the nested field', async () => {
      // Prepare
      const elevenCards = Array.from({ length: 11 }, (_, i) => ({
        title: `Card ${i}`,
        actions: [{ type: 'Postback', text: 'Pick', payload: `p${i}` }],
      }));
      // Act
      const linkWithoutUrl = await post(
        botPath,
        botReply([
          {
            type: 'Structured',
            content: [
              { contentType: 'Card', card: { ...orderCard, actions: [{ type: 'Link', text: 'Go' }] } },
            ],
          },
        ]),
      );
      const postbackWithoutPayload = await post(
        botPath,
        botReply([
          {
            type: 'Structured',
            content: [
              { contentType: 'Card', card: { title: 't', actions: [{ type: 'Postback', text: 'Go' }] } },
            ],
          },
        ]),
      );
      const tooManyCards = await post(
        botPath,
        botReply([
          { type: 'Structured', content: [{ contentType: 'Carousel', carousel: { cards: elevenCards } }] },
        ]),
      );
      const duplicateAction = await post(
        botPath,
        botReply([
          {
            type: 'Structured',
            content: [
              {
                contentType: 'Carousel',
                carousel: {
                  cards: [
                    { title: 'a', actions: [{ type: 'Postback', text: 'Pick', payload: 'same' }] },
                    { title: 'b', actions: [{ type: 'Postback', text: 'Pick', payload: 'same' }] },
                  ],
                },
              },
            ],
          },
        ]),
      );
      const wrongPayloadKey = await post(
        botPath,
        botReply([
          { type: 'Structured', content: [{ contentType: 'Card', quickReply: { text: 'a', payload: 'b' } }] },
        ]),
      );
      const emptyStructured = await post(botPath, botReply([{ type: 'Structured', content: [] }]));
      const textWithoutText = await post(botPath, botReply([{ type: 'Text' }]));
      const badState = await post(botPath, { ...botReply([]), botState: 'Done' });
      const missingSession = await post(botPath, { ...botReply([]), botSessionId: undefined });
      // Assess
      expect(fieldNames(linkWithoutUrl.body)).toEqual(['replyMessages[0].content[0].card.actions[0].url']);
      expect(linkWithoutUrl.body.message).toContain('is required for a Link action');
      expect(fieldNames(postbackWithoutPayload.body)).toEqual([
        'replyMessages[0].content[0].card.actions[0].payload',
      ]);
      expect(fieldNames(tooManyCards.body)).toEqual(['replyMessages[0].content[0].carousel.cards']);
      expect(tooManyCards.body.message).toContain('at most 10 items');
      expect(fieldNames(duplicateAction.body)).toEqual([
        'replyMessages[0].content[0].carousel.cards[1].actions[0]',
      ]);
      expect(fieldNames(wrongPayloadKey.body)).toEqual([
        'replyMessages[0].content[0].card',
        'replyMessages[0].content[0].quickReply',
      ]);
      expect(fieldNames(emptyStructured.body)).toEqual(['replyMessages[0].content']);
      expect(fieldNames(textWithoutText.body)).toEqual(['replyMessages[0].text']);
      expect(fieldNames(badState.body)).toEqual(['botState']);
      expect(fieldNames(missingSession.body)).toEqual(['botSessionId']);
      for (const answer of [linkWithoutUrl, tooManyCards, duplicateAction, badState]) {
        expect(answer.status).toBe(400);
        expect(answer.body.code).toBe('bad.request');
      }
    });
  });

  describe('bodies that are not JSON objects', () => {
    it('answers 400 for malformed JSON, an empty body or an array, and 415 for another content type', async () => {
      // Act
      const malformed = await api(sandbox, accessToken, 'POST', conversationPath, undefined, {
        raw: '{"textBody":',
      });
      const empty = await api(sandbox, accessToken, 'POST', conversationPath, undefined, { raw: '' });
      const array = await post(botPath, [botReply([])]);
      const plain = await api(sandbox, accessToken, 'POST', agentlessPath, undefined, {
        raw: 'textBody=hi',
        contentType: 'text/plain',
      });
      // Assess
      expect(malformed.status).toBe(400);
      expect(malformed.body.details).toEqual([{ errorCode: 'body.malformed', fieldName: 'body' }]);
      expect(empty.status).toBe(400);
      expect(fieldNames(empty.body)).toEqual(['body']);
      expect(array.status).toBe(400);
      expect(array.body.message).toContain('must be an object');
      expect(plain.status).toBe(415);
      expect(plain.body.code).toBe('unsupported.media.type');
    });

    it('answers 404 not.found for a route Genesys does not have', async () => {
      // Act
      const tutorialRoute = await post('/api/v2/messaging/conversations/c1/messages', { text: 'hi' });
      // Assess
      expect(tutorialRoute.status).toBe(404);
      expect(tutorialRoute.body).toMatchObject({ code: 'not.found', status: 404 });
      expect(sandbox.stats().requests.notFound).toBeGreaterThan(0);
    });
  });

  it('records each accepted message with its route, body and token fingerprint', () => {
    // Act
    const accepted = sandbox.messages();
    // Assess
    expect(accepted.map((message) => message.route)).toEqual(
      expect.arrayContaining(['conversationMessage', 'agentless', 'botConnector']),
    );
    const text = accepted.find((message) => message.route === 'conversationMessage');
    expect(text).toMatchObject({
      conversationId: 'conv-1',
      path: conversationPath,
      body: { textBody: 'Your order shipped' },
      status: 'sent',
      tokenFingerprint: expect.stringMatching(/^[0-9a-f]{8}$/),
    });
  });
});
