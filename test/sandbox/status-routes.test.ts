import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../local/sandbox';
import { additionalText, botPath, botReply, conversationPath } from './fixtures';
import { api, eventually, token } from './helpers';

describe('sandbox message status reads', () => {
  let sandbox: Sandbox;
  let accessToken: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimit: false, receipts: { deliveredAfterMs: 10, readAfterMs: 20 } });
    accessToken = await token(sandbox);
  });
  afterAll(() => sandbox.close());

  const get = (path: string) => api(sandbox, accessToken, 'GET', path);
  const bulk = (conversationId: string, ids: unknown) =>
    api(sandbox, accessToken, 'POST', `/api/v2/conversations/messages/${conversationId}/messages/bulk`, ids);

  it('reads a sent message by conversation and by id, and sees it progress to read', async () => {
    // Prepare
    const sent = await api(sandbox, accessToken, 'POST', conversationPath, additionalText('status-1'));
    const id: string = sent.body.id;
    // Act
    const byConversation = await get(`/api/v2/conversations/messages/conv-1/messages/${id}`);
    const read = await eventually(async () => {
      const details = await get(`/api/v2/conversations/messages/${id}/details`);
      return details.body.status === 'read' ? details : undefined;
    }, 'status read');
    // Assess
    expect(byConversation.status).toBe(200);
    expect(byConversation.body).toMatchObject({ id, conversationId: 'conv-1', direction: 'outbound' });
    expect(read.status).toBe(200);
    expect(read.body.normalizedReceipts.map((receipt: { status: string }) => receipt.status)).toEqual([
      'Delivered',
      'Read',
    ]);
  });

  it('answers 404 not.found for an unknown id or the wrong conversation', async () => {
    // Prepare
    const sent = await api(sandbox, accessToken, 'POST', conversationPath, additionalText('status-2'));
    // Act
    const unknown = await get('/api/v2/conversations/messages/ffffffffffffffffffffffffffffffff/details');
    const wrongConversation = await get(`/api/v2/conversations/messages/other/messages/${sent.body.id}`);
    // Assess
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'not.found', status: 404 });
    expect(wrongConversation.status).toBe(404);
  });

  it('reads up to 1000 ids in bulk, leaving out unknown ids and other conversations', async () => {
    // Prepare
    const a = await api(sandbox, accessToken, 'POST', conversationPath, additionalText('bulk-a'));
    const b = await api(sandbox, accessToken, 'POST', conversationPath, additionalText('bulk-b'));
    const bot = await api(
      sandbox,
      accessToken,
      'POST',
      botPath,
      botReply([{ type: 'Text', text: 'bulk-bot' }]),
    );
    // Act
    const answer = await bulk('conv-1', [
      a.body.id,
      'ffffffffffffffffffffffffffffffff',
      b.body.id,
      bot.body.messageId,
    ]);
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.entities.map((entity: { id: string }) => entity.id)).toEqual([a.body.id, b.body.id]);
    expect(answer.body).toMatchObject({ pageNumber: 1, total: 2 });
  });

  it('refuses more than 1000 ids, or a body that is not a list of ids, with 400', async () => {
    // Act
    const tooMany = await bulk(
      'conv-1',
      Array.from({ length: 1001 }, (_, i) => `id-${i}`),
    );
    const notAList = await bulk('conv-1', { ids: ['a'] });
    const notStrings = await bulk('conv-1', ['a', 2]);
    const justEnough = await bulk(
      'conv-1',
      Array.from({ length: 1000 }, (_, i) => `id-${i}`),
    );
    // Assess
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ code: 'bad.request', details: [{ fieldName: 'body' }] });
    expect(tooMany.body.message).toContain('at most 1000 items');
    expect(notAList.status).toBe(400);
    expect(notStrings.status).toBe(400);
    expect(notStrings.body.details).toEqual([{ errorCode: 'field.invalid.type', fieldName: '[1]' }]);
    expect(justEnough.status).toBe(200);
  });

  it('lets a test force a status with setMessageStatus, ending the planned progression', async () => {
    // Prepare
    const sent = await api(sandbox, accessToken, 'POST', conversationPath, additionalText('status-forced'));
    // Act
    sandbox.setMessageStatus(sent.body.id, 'delivery-failed');
    await new Promise((resolve) => setTimeout(resolve, 40));
    const details = await get(`/api/v2/conversations/messages/${sent.body.id}/details`);
    // Assess
    expect(details.body.status).toBe('delivery-failed');
    expect(() => sandbox.setMessageStatus('nope', 'read')).toThrow(/no accepted message has id nope/);
  });
});
