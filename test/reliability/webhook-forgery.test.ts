import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MergedStatus, ReceiptRecord } from '../../shared/status/types';
import {
  answer,
  receiptJson,
  signedHeaders,
  startWebhookRig,
  WEBHOOK_SECRET,
  type WebhookRig,
  webhookEvent,
} from './webhook-fixtures';

const MESSAGE_ID = 'order-4242-confirm';
const GENESYS_ID = '8f45f379c9efed256bb6658374d192f7';

let rig: WebhookRig;

/** The message as the send path leaves it: recorded `sent` with its Genesys id. */
async function recordSentMessage(): Promise<void> {
  await rig.store.create({
    messageId: MESSAGE_ID,
    status: 'accepted',
    requestHash: 'hash',
    request: { target: { kind: 'conversation' }, message: { text: 'Your order has shipped.' } },
    targetKind: 'conversation',
    source: 'send',
  });
  const lease = await rig.store.acquireLease(MESSAGE_ID, 'sender', 10_000);
  expect(lease.acquired).toBe(true);
  await rig.store.markSent(MESSAGE_ID, 'sender', {
    genesysMessageId: GENESYS_ID,
    attempt: 1,
    source: 'send',
  });
}

async function snapshot(): Promise<{
  merged: MergedStatus | undefined;
  receipts: ReceiptRecord | undefined;
}> {
  return { merged: await rig.store.getMerged(MESSAGE_ID), receipts: await rig.store.getReceipts(GENESYS_ID) };
}

/** Forgeries of one genuine request: every way to get its bytes or its signature wrong. */
function forgeries(
  body: string,
  other: string,
): Array<{ name: string; body: Buffer; headers: Record<string, string> }> {
  const bytes = Buffer.from(body);
  const genuine = signedHeaders(bytes);
  const digest = createHmac('sha256', WEBHOOK_SECRET).update(bytes).digest();
  const list: Array<{ name: string; body: Buffer; headers: Record<string, string> }> = [];
  for (const secret of [
    '',
    'x',
    `${WEBHOOK_SECRET} `,
    WEBHOOK_SECRET.toUpperCase(),
    WEBHOOK_SECRET.slice(0, -1),
    'whsec-previous',
  ]) {
    if (secret === '') continue;
    list.push({
      name: `signed with "${secret.slice(0, 8)}…"`,
      body: bytes,
      headers: signedHeaders(bytes, secret),
    });
  }
  for (let length = 0; length < bytes.length; length += 1) {
    list.push({ name: `truncated to ${length} bytes`, body: bytes.subarray(0, length), headers: genuine });
  }
  for (let index = 0; index < bytes.length; index += 1) {
    const flipped = Buffer.from(bytes);
    flipped[index] = (flipped[index] as number) ^ 0x01;
    list.push({ name: `byte ${index} flipped`, body: flipped, headers: genuine });
  }
  for (const tail of [' ', '\n', '{}', '\u0000']) {
    list.push({
      name: `"${JSON.stringify(tail)}" appended`,
      body: Buffer.concat([bytes, Buffer.from(tail)]),
      headers: genuine,
    });
  }
  const reserialized = JSON.stringify(JSON.parse(body), null, 2);
  list.push({
    name: 're-serialized (same JSON, other bytes)',
    body: Buffer.from(reserialized),
    headers: genuine,
  });
  list.push({
    name: "another genuine request's signature",
    body: bytes,
    headers: signedHeaders(Buffer.from(other)),
  });
  list.push({ name: 'no signature header', body: bytes, headers: {} });
  list.push({ name: 'empty signature', body: bytes, headers: { 'X-Hub-Signature-256': '' } });
  list.push({ name: 'scheme only', body: bytes, headers: { 'X-Hub-Signature-256': 'sha256=' } });
  list.push({
    name: 'hex digest',
    body: bytes,
    headers: { 'X-Hub-Signature-256': `sha256=${digest.toString('hex')}` },
  });
  list.push({
    name: 'upper-case scheme',
    body: bytes,
    headers: { 'X-Hub-Signature-256': `SHA256=${digest.toString('base64')}` },
  });
  list.push({
    name: 'sha1 scheme',
    body: bytes,
    headers: { 'X-Hub-Signature-256': `sha1=${createHash('sha1').update(bytes).digest('base64')}` },
  });
  list.push({
    name: 'other header name',
    body: bytes,
    headers: { 'X-Hub-Signature': `sha256=${digest.toString('base64')}` },
  });
  list.push({
    name: 'digest cut short',
    body: bytes,
    headers: { 'X-Hub-Signature-256': `sha256=${digest.subarray(0, 31).toString('base64')}` },
  });
  const tampered = Buffer.from(digest);
  tampered[31] = (tampered[31] as number) ^ 0x80;
  list.push({
    name: 'last digest bit flipped',
    body: bytes,
    headers: { 'X-Hub-Signature-256': `sha256=${tampered.toString('base64')}` },
  });
  return list;
}

beforeAll(async () => {
  rig = await startWebhookRig();
  await recordSentMessage();
});

afterAll(async () => {
  await rig.close();
});

describe('webhook: forged, truncated and replayed requests', () => {
  it('refuses 100 % of forged requests with 401 and changes nothing', async () => {
    // Prepare: the message is delivered; the forgeries would all move it to read (or otherwise change it).
    const delivered = receiptJson(GENESYS_ID, 'Delivered');
    expect(await answer(rig, webhookEvent(delivered, signedHeaders(delivered)))).toMatchObject({
      statusCode: 200,
      body: { applied: 1 },
    });
    const read = receiptJson(GENESYS_ID, 'Read', '2026-11-25T10:00:09.000Z');
    const failed = receiptJson(GENESYS_ID, 'Failed', '2026-11-25T10:00:09.000Z');
    const all = [...forgeries(read, delivered), ...forgeries(failed, read)];
    const before = await snapshot();
    const writesBefore = rig.writes.length;

    // Act
    const accepted: string[] = [];
    for (const [index, forgery] of all.entries()) {
      const result = await answer(rig, webhookEvent(forgery.body, forgery.headers, { v2: index % 2 === 1 }));
      if (result.statusCode !== 401 || result.body.error?.code !== 'invalid_signature') {
        accepted.push(`${forgery.name}: ${result.statusCode}`);
      }
    }

    // Assess
    expect(all.length).toBeGreaterThan(500);
    expect(accepted).toEqual([]);
    expect(rig.writes.length).toBe(writesBefore);
    expect(await snapshot()).toEqual(before);
    expect(before.merged?.status).toBe('delivered');
  });

  it('answers a genuinely signed but truncated body with 400 invalid_json and changes nothing', async () => {
    // Prepare
    const read = receiptJson(GENESYS_ID, 'Read', '2026-11-25T10:00:09.000Z');
    const before = await snapshot();
    // Act + Assess: every cut of the body, each signed as sent.
    for (let length = 1; length < read.length - 1; length += 7) {
      const cut = read.slice(0, length);
      const result = await answer(rig, webhookEvent(cut, signedHeaders(cut)));
      expect(result.statusCode, cut).toBe(400);
      expect(result.body.error.code).toBe('invalid_json');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('applies a replayed request no second time: 200 with applied 0, status and history unchanged', async () => {
    // Prepare: Genesys posted sent, delivered, read; each was applied once.
    const sent = JSON.stringify({
      id: GENESYS_ID,
      channel: { id: 'integration', time: '2026-11-25T10:00:00.500Z' },
      type: 'Text',
      text: 'Your order has shipped.',
      direction: 'Outbound',
    });
    const delivered = receiptJson(GENESYS_ID, 'Delivered');
    const read = receiptJson(GENESYS_ID, 'Read', '2026-11-25T10:00:09.000Z');
    await answer(rig, webhookEvent(read, signedHeaders(read)));
    const settled = await snapshot();
    expect(settled.merged?.status).toBe('read');

    // Act: an attacker (or Genesys' own retry) replays old, validly signed requests, in any order.
    const replays = [];
    for (const body of [delivered, sent, read, delivered, read]) {
      replays.push(
        await answer(rig, webhookEvent(body, signedHeaders(body), { v2: replays.length % 2 === 0 })),
      );
    }

    // Assess
    for (const replay of replays)
      expect(replay).toEqual({ statusCode: 200, body: { received: 1, applied: 0 } });
    expect(await snapshot()).toEqual(settled);
  });
});
