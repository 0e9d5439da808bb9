import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../local/sandbox';
import { MessageStore } from '../../local/sandbox/message-store';
import { additionalText, botPath, botReply, conversationPath, structuredReply } from './fixtures';
import { api, eventually, type ReceivedPost, startReceiver, token } from './helpers';

const SECRET = 'whsec-test';

/** Verifies X-Hub-Signature-256 the way the webhook Lambda must: HMAC over the raw bytes, constant time. */
function signatureIsValid(post: ReceivedPost, secret: string): boolean {
  const header = post.headers['x-hub-signature-256'];
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', secret).update(post.rawBody).digest();
  const given = Buffer.from(header.slice('sha256='.length), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('sandbox receipts posted to the webhook', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0)) await close();
  });

  async function setUp(answer?: (post: ReceivedPost, index: number) => number, readAfterMs = 20) {
    const receiver = await startReceiver(answer);
    const sandbox: Sandbox = await startSandbox({
      rateLimit: false,
      webhook: { url: receiver.url, secret: SECRET, retryDelayMs: 10 },
      receipts: { deliveredAfterMs: 10, readAfterMs },
    });
    cleanup.push(receiver.close, sandbox.close);
    return { receiver, sandbox, accessToken: await token(sandbox) };
  }

  it('posts the outbound message, a Delivered and a final Read receipt, each signed over its raw body', async () => {
    // Prepare
    const { receiver, sandbox, accessToken } = await setUp();
    // Act
    const sent = await api(sandbox, accessToken, 'POST', conversationPath, additionalText('receipt-1'));
    await eventually(() => (receiver.posts.length >= 3 ? true : undefined), 'three webhook posts');
    await sandbox.webhookIdle();
    // Assess: separate posts may overtake each other, like Genesys' own.
    const id = sent.body.id;
    const kinds = receiver.posts.map((post) => `${post.json.type} ${post.json.status ?? ''}`.trim());
    expect(kinds.sort()).toEqual(['Receipt Delivered', 'Receipt Read', 'Text']);
    for (const post of receiver.posts) {
      expect(signatureIsValid(post, SECRET)).toBe(true);
      expect(signatureIsValid(post, 'another-secret')).toBe(false);
      expect(post.headers['content-type']).toBe('application/json');
      expect(post.json).toMatchObject({ id, direction: 'Outbound', conversationId: 'conv-1' });
      expect(post.json.channel).toMatchObject({
        platform: 'Open',
        type: 'Private',
        messageId: expect.any(String),
      });
    }
    const byStatus = (status?: string) => receiver.posts.find((post) => post.json.status === status)?.json;
    expect(byStatus(undefined)?.text).toBe('receipt-1');
    expect(byStatus('Delivered')?.isFinalReceipt).toBe(false);
    expect(byStatus('Read')?.isFinalReceipt).toBe(true);
    expect(sandbox.stats().webhookPosts).toEqual({ ok: 3, failed: 0, gaveUp: 0 });
  });

  it('posts a bot connector card reply as a Structured message with its content', async () => {
    // Prepare
    const { receiver, sandbox, accessToken } = await setUp(undefined, 1_000);
    // Act
    const sent = await api(sandbox, accessToken, 'POST', botPath, botReply([structuredReply]));
    const outbound = await eventually(
      () => receiver.posts.find((post) => post.json.type !== 'Receipt'),
      'outbound',
    );
    // Assess
    expect(outbound.json).toMatchObject({
      id: sent.body.messageId,
      type: 'Structured',
      text: 'Please choose',
    });
    expect(outbound.json.content.map((item: { contentType: string }) => item.contentType)).toEqual([
      'Card',
      'Carousel',
      'QuickReply',
      'QuickReplyV2',
      'Attachment',
      'Text',
    ]);
  });

  it('retries a post answered 500 until the webhook takes it', async () => {
    // Prepare: the receiver fails the first two attempts of everything.
    const { receiver, sandbox } = await setUp((_post, index) => (index < 2 ? 500 : 200));
    // Act
    const delivery = await sandbox.postReceipt('0123456789abcdef0123456789abcdef', 'Delivered');
    // Assess
    expect(delivery).toEqual({ ok: true, attempts: 3, lastStatus: 200 });
    expect(receiver.posts).toHaveLength(3);
    expect(new Set(receiver.posts.map((post) => post.rawBody.toString('utf8'))).size).toBe(1);
    expect(receiver.posts.every((post) => signatureIsValid(post, SECRET))).toBe(true);
    expect(sandbox.stats().webhookPosts).toEqual({ ok: 1, failed: 2, gaveUp: 0 });
  });

  it('gives up after 5 retries, and at once on a 4xx other than 429', async () => {
    // Prepare
    let answer = 503;
    const { receiver, sandbox } = await setUp(() => answer);
    // Act
    const unavailable = await sandbox.postReceipt('0123456789abcdef0123456789abcdef', 'Read');
    answer = 400;
    const refused = await sandbox.postReceipt('0123456789abcdef0123456789abcdef', 'Read');
    // Assess
    expect(unavailable).toEqual({ ok: false, attempts: 6, lastStatus: 503 });
    expect(refused).toEqual({ ok: false, attempts: 1, lastStatus: 400 });
    expect(receiver.posts).toHaveLength(7);
    expect(sandbox.stats().webhookPosts).toEqual({ ok: 0, failed: 7, gaveUp: 2 });
  });

  it('posts a final Failed receipt with a reason when a test sets delivery-failed', async () => {
    // Prepare
    const { receiver, sandbox, accessToken } = await setUp(undefined, 1_000);
    const sent = await api(sandbox, accessToken, 'POST', conversationPath, additionalText('receipt-failed'));
    // Act
    sandbox.setMessageStatus(sent.body.id, 'delivery-failed');
    const failed = await eventually(
      () => receiver.posts.find((post) => post.json.status === 'Failed'),
      'Failed receipt',
    );
    // Assess
    expect(failed.json).toMatchObject({
      id: sent.body.id,
      type: 'Receipt',
      isFinalReceipt: true,
      reasons: [{ code: 'GeneralError', message: expect.any(String) }],
    });
  });

  it('posts custom receipts with postReceipt and refuses when no webhook is set', async () => {
    // Prepare
    const { receiver, sandbox } = await setUp();
    const bare = await startSandbox({ rateLimit: false });
    cleanup.push(bare.close);
    // Act
    const delivery = await sandbox.postReceipt('abc', 'Failed', {
      isFinalReceipt: false,
      reasons: [{ code: 'RateLimited', message: 'carrier throttled' }],
    });
    // Assess
    expect(delivery.ok).toBe(true);
    expect(receiver.posts[0]?.json).toMatchObject({
      id: 'abc',
      status: 'Failed',
      isFinalReceipt: false,
      reasons: [{ code: 'RateLimited', message: 'carrier throttled' }],
    });
    await expect(bare.postReceipt('abc', 'Read')).rejects.toThrow(/no webhook configured/);
  });
});

describe('sandbox receipt progression on a late event loop', () => {
  it('plans read only once delivered has happened, so no firing order can end a message at delivery-success', () => {
    // Prepare: a planner that fires everything planned so far, latest first (the worst order a late event
    // loop could choose), as often as new plans appear.
    const planned: Array<() => void> = [];
    const planner = { plan: (action: () => void) => planned.push(action), cancel: () => undefined };
    const statuses: string[] = [];
    const store = new MessageStore(
      { deliveredAfterMs: 200, readAfterMs: 600 },
      (_m, status) => statuses.push(status),
      planner,
    );
    // Act
    const message = store.accept(
      {
        route: 'conversationMessage',
        path: conversationPath,
        body: additionalText('late-loop'),
        conversationId: 'conv-1',
        tokenFingerprint: 'f',
        messengerType: 'open',
        integrationId: 'i',
        from: 'i',
        to: 'comm-1',
        normalizedType: 'Text',
      },
      true,
    );
    while (planned.length > 0) for (const action of planned.splice(0).reverse()) action();
    // Assess
    expect(statuses).toEqual(['delivery-success', 'read']);
    expect(store.get(message.id)?.status).toBe('read');
  });
});
