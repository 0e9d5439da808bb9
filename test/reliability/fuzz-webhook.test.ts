import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpenMessagingNotification } from '../../shared/webhook/parse-receipts';
import { MAX_BODY_BYTES } from '../../shared/webhook/read-http-request';
import type { WebhookEventResult } from '../../shared/webhook/types';
import { signWebhookBody } from '../../shared/webhook/verify-signature';
import { hasErrorReason, TRICKY_KEYS } from './fuzz-support';
import {
  answer,
  receiptJson,
  signedHeaders,
  startWebhookRig,
  WEBHOOK_SECRET,
  type WebhookRig,
  webhookEvent,
} from './webhook-fixtures';

let rig: WebhookRig;

beforeAll(async () => {
  rig = await startWebhookRig();
});

afterAll(async () => {
  await rig.close();
});

/** Whether the body is a notification the service understands (the parser is the oracle for "valid"). */
function understood(body: Buffer): boolean {
  try {
    parseOpenMessagingNotification(
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)),
      new Date().toISOString(),
    );
    return true;
  } catch {
    return false;
  }
}

/** Refused: 4xx with a reason, no receipt written, the table unchanged. */
async function refusedWithoutEffect(event: unknown): Promise<number> {
  const writesBefore = rig.writes.length;
  const itemsBefore = await rig.itemCount();
  const result = await answer(rig, event);
  expect(result.statusCode, JSON.stringify(result.body)).toBeGreaterThanOrEqual(400);
  expect(result.statusCode, JSON.stringify(result.body)).toBeLessThan(500);
  expect(hasErrorReason(result.body), JSON.stringify(result.body)).toBe(true);
  expect(rig.writes.length).toBe(writesBefore);
  expect(await rig.itemCount()).toBe(itemsBefore);
  return result.statusCode;
}

const anyBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value))),
  fc.string({ unit: 'binary' }).map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc
    .constantFrom('Sent', 'Delivered', 'Read', 'Failed')
    .map((status) => Buffer.from(receiptJson('aa11', status))),
);

/** Signature headers that are not the body's HMAC with our secret. */
function forgedSignature(body: Buffer): fc.Arbitrary<Record<string, string>> {
  const digest = createHmac('sha256', WEBHOOK_SECRET).update(body).digest();
  return fc.oneof(
    fc.constant({}),
    fc.constant({ 'X-Hub-Signature-256': '' }),
    fc.string().map((junk) => ({ 'X-Hub-Signature-256': junk })),
    fc
      .string({ minLength: 1 })
      .map((secret) => ({ 'X-Hub-Signature-256': signWebhookBody(body, `${secret}-not-ours`) })),
    fc.constant({ 'X-Hub-Signature-256': `sha256=${digest.toString('hex')}` }),
    fc.constant({ 'X-Hub-Signature-256': `SHA256=${digest.toString('base64')}` }),
    fc.constant({ 'X-Hub-Signature-256': `sha1=${createHash('sha1').update(body).digest('base64')}` }),
    fc.constant({ 'X-Hub-Signature': `sha256=${digest.toString('base64')}` }),
    fc.constant({
      'X-Hub-Signature-256': signWebhookBody(Buffer.concat([body, Buffer.from(' ')]), WEBHOOK_SECRET),
    }),
  );
}

describe('fuzz: webhook HTTP path', () => {
  it('answers 401 to every unsigned or wrongly signed request and writes nothing', async () => {
    let refused = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(
        anyBody.chain((body) => fc.tuple(fc.constant(body), forgedSignature(body), fc.boolean())),
        async ([body, headers, v2]) => {
          total += 1;
          const status = await refusedWithoutEffect(webhookEvent(body, headers, { v2 }));
          // Only the size check comes before the signature; everything here is small.
          expect(status).toBe(401);
          refused += 1;
        },
      ),
      { numRuns: 200 },
    );
    expect(refused).toBe(total);
  });

  it('answers 4xx with a reason to signed bodies it does not understand, and 200 only to ones it does', async () => {
    const signedBody = fc.oneof(
      anyBody,
      // A receipt with a field of the wrong type or missing.
      fc
        .record({
          field: fc.constantFrom('type', 'id', 'status', 'direction', 'channel', 'reasons', 'isFinalReceipt'),
          value: fc.oneof(
            fc.integer(),
            fc.boolean(),
            fc.constant(null),
            fc.string(),
            fc.jsonValue({ maxDepth: 2 }),
          ),
        })
        .map(({ field, value }) => {
          const receipt = JSON.parse(receiptJson('bb22', 'Delivered')) as Record<string, unknown>;
          receipt[field] = value;
          return Buffer.from(JSON.stringify(receipt));
        }),
      // Deep nesting and invalid UTF-8 inside a signed body.
      fc
        .integer({ min: 100, max: 40_000 })
        .map((depth) => Buffer.from(`{"type":"Receipt","id":${'['.repeat(depth)}${']'.repeat(depth)}}`)),
      fc.constantFrom([0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff]).map((bad) => {
        const [before, after] = receiptJson('cc33', 'Read').split('Read') as [string, string];
        return Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]);
      }),
    );
    await fc.assert(
      fc.asyncProperty(signedBody, fc.boolean(), async (body, v2) => {
        const event = webhookEvent(body, signedHeaders(body), { v2 });
        if (understood(body)) {
          const result = await answer(rig, event);
          expect(result.statusCode, JSON.stringify(result.body)).toBe(200);
        } else {
          await refusedWithoutEffect(event);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses bodies over the limit with 413 before anything else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: MAX_BODY_BYTES }), async (extra) => {
        const body = Buffer.alloc(MAX_BODY_BYTES + extra, 0x20);
        expect(await refusedWithoutEffect(webhookEvent(body, signedHeaders(body)))).toBe(413);
      }),
      { numRuns: 5 },
    );
  });

  it('takes __proto__ and constructor keys as plain data: no pollution, no such key stored', async () => {
    const tricky = fc.record({
      key: fc.constantFrom(...TRICKY_KEYS),
      where: fc.constantFrom('top', 'channel', 'reasons'),
    });
    await fc.assert(
      fc.asyncProperty(tricky, fc.nat({ max: 9999 }), async ({ key, where }, n) => {
        const id = `dd${n.toString(16)}`;
        const payload = `{${JSON.stringify(key)}:{"polluted":"yes"},`;
        let json = receiptJson(id, 'Delivered');
        if (where === 'top') json = json.replace('{', payload);
        if (where === 'channel') json = json.replace('"channel":{', `"channel":${payload}`);
        if (where === 'reasons')
          json = json.replace('"type"', `"reasons":[${payload}"code":"x","message":"y"}],"type"`);
        const result = await answer(rig, webhookEvent(json, signedHeaders(json)));
        expect(result.statusCode, JSON.stringify(result.body)).toBeLessThan(500);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        const stored = await rig.store.getReceipts(id);
        if (stored !== undefined) expect(JSON.stringify(stored)).not.toContain('polluted');
      }),
      { numRuns: 40 },
    );
  });

  it('accepts a genuine receipt whatever the header name case and however API Gateway encodes the body', async () => {
    const spelling = fc.record({
      name: fc.constantFrom('X-Hub-Signature-256', 'x-hub-signature-256', 'X-HUB-SIGNATURE-256'),
      padded: fc.boolean(),
      v2: fc.boolean(),
      base64: fc.boolean(),
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(spelling, async ({ name, padded, v2, base64 }) => {
        n += 1;
        const body = receiptJson(`ee${n}`, 'Delivered');
        const signature = signWebhookBody(body, WEBHOOK_SECRET);
        const event = webhookEvent(body, { [name]: padded ? ` ${signature} ` : signature }, { v2 });
        if (base64) {
          event.body = Buffer.from(body).toString('base64');
          event.isBase64Encoded = true;
        }
        const result = await answer(rig, event);
        expect(result).toEqual({ statusCode: 200, body: { received: 1, applied: 1 } });
        expect((await rig.store.getReceipts(`ee${n}`))?.status).toBe('delivered');
      }),
      { numRuns: 20 },
    );
  });
});

describe('fuzz: webhook, other event shapes', () => {
  it('drops EventBridge events it cannot parse and anything that is neither API Gateway nor EventBridge, without throwing or writing', async () => {
    const event = fc.oneof(
      fc.record({ 'detail-type': fc.string(), source: fc.string(), detail: fc.jsonValue() }),
      fc
        .jsonValue()
        .filter(
          (v) =>
            !(typeof v === 'object' && v !== null && ('httpMethod' in v || 'version' in v || 'detail' in v)),
        ),
    );
    await fc.assert(
      fc.asyncProperty(event, async (value) => {
        const writesBefore = rig.writes.length;
        const result = (await rig.handle(value)) as WebhookEventResult;
        expect(result.applied).toBe(0);
        expect(result.dropped === 'unparseable' || result.dropped === 'unsupported').toBe(true);
        expect(rig.writes.length).toBe(writesBefore);
      }),
      { numRuns: 100 },
    );
  });
});
