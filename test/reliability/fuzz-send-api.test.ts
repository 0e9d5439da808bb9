import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpRequestShape, httpApiEvent, restApiEvent } from '../../local/api-gateway-events';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import type { HttpAnswer } from '../../shared/http/api-gateway';
import { handleSendEvent, MAX_SEND_BODY_BYTES } from '../../shared/send-api/handle-send-event';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';
import {
  badIdempotencyHeader,
  CountingRetryQueue,
  deepBody,
  genesysSends,
  hasErrorReason,
  invalidUtf8Body,
  itemCount,
  missingFieldRequest,
  nonJsonContentType,
  randomBytes,
  unknownKeyBody,
  VALID_REQUEST,
  wrongTypeRequest,
} from './fuzz-support';

const RUNS = 60;
const GENERATED_ID = 'fuzz-generated-id';

let harness: DeliveryHarness;
let delivery: DeliveryService;
const retryQueue = new CountingRetryQueue();

interface Request {
  body: string | Buffer;
  headers?: Record<string, string>;
  method?: string;
  /** HTTP API (v2) instead of REST API (v1). */
  v2: boolean;
}

async function call(request: Request): Promise<{ statusCode: number; body: unknown }> {
  const shape: HttpRequestShape = {
    method: request.method ?? 'POST',
    path: '/messages',
    resource: '/messages',
    headers: { 'content-type': 'application/json', ...request.headers },
    body: request.body,
  };
  const event = request.v2 ? httpApiEvent(shape) : restApiEvent(shape);
  const answer = (await handleSendEvent(event, {}, { delivery, newId: () => GENERATED_ID })) as HttpAnswer;
  return { statusCode: answer.statusCode, body: JSON.parse(answer.body) };
}

/** The property every invalid request must have: 4xx with a reason, and nothing written, queued or sent. */
async function refusedWithoutEffect(request: Request): Promise<void> {
  const itemsBefore = await itemCount(harness);
  const sendsBefore = genesysSends(harness);
  const answer = await call(request);
  expect(answer.statusCode, JSON.stringify(answer.body)).toBeGreaterThanOrEqual(400);
  expect(answer.statusCode, JSON.stringify(answer.body)).toBeLessThan(500);
  expect(hasErrorReason(answer.body), JSON.stringify(answer.body)).toBe(true);
  expect(await itemCount(harness)).toBe(itemsBefore);
  expect(genesysSends(harness)).toBe(sendsBefore);
  expect(retryQueue.enqueued).toEqual([]);
}

const v2 = fc.boolean();

beforeAll(async () => {
  harness = await startDeliveryHarness({ rateLimit: false });
  delivery = harness.delivery({ retryQueue });
});

afterAll(async () => {
  await harness.close();
});

describe('fuzz: send API (API Gateway REST and HTTP API events)', () => {
  it('refuses random JSON with 4xx and a reason; nothing written, nothing sent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), v2, async (value, isV2) => {
        await refusedWithoutEffect({ body: JSON.stringify(value), v2: isV2 });
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses fields of the wrong type and missing fields', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(wrongTypeRequest, missingFieldRequest), v2, async (request, isV2) => {
        await refusedWithoutEffect({ body: JSON.stringify(request), v2: isV2 });
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('refuses unknown keys, __proto__ and constructor included, and leaves Object.prototype alone', async () => {
    await fc.assert(
      fc.asyncProperty(unknownKeyBody, v2, async (body, isV2) => {
        await refusedWithoutEffect({ body, v2: isV2 });
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
    // The classic pollution payloads, explicitly.
    for (const trick of ['{"__proto__":{"polluted":1},', '{"constructor":{"prototype":{"polluted":1}},']) {
      await refusedWithoutEffect({ body: `${trick}${JSON.stringify(VALID_REQUEST).slice(1)}`, v2: false });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses deeply nested bodies (to 9,000 levels) without a stack overflow', async () => {
    await fc.assert(
      fc.asyncProperty(deepBody, v2, async (body, isV2) => {
        await refusedWithoutEffect({ body, v2: isV2 });
      }),
      { numRuns: 30 },
    );
  });

  it('refuses huge bodies with 413 and bodies just under the limit with 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 * MAX_SEND_BODY_BYTES }), v2, async (extra, isV2) => {
        const text = 'x'.repeat(MAX_SEND_BODY_BYTES + extra);
        await refusedWithoutEffect({
          body: JSON.stringify({ ...VALID_REQUEST, message: { text } }),
          v2: isV2,
        });
      }),
      { numRuns: 10 },
    );
    const nearLimit = JSON.stringify({
      ...VALID_REQUEST,
      message: { text: 'x'.repeat(MAX_SEND_BODY_BYTES - 400) },
    });
    expect(Buffer.byteLength(nearLimit)).toBeLessThanOrEqual(MAX_SEND_BODY_BYTES);
    await refusedWithoutEffect({ body: nearLimit, v2: false });
    const answer = await call({ body: 'x'.repeat(MAX_SEND_BODY_BYTES + 1), v2: false });
    expect(answer.statusCode).toBe(413);
  });

  it('refuses invalid UTF-8 (base64 bodies) and random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(invalidUtf8Body, randomBytes), v2, async (body, isV2) => {
        await refusedWithoutEffect({ body, v2: isV2 });
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses header tricks: non-JSON content types, bad Idempotency-Key values, other methods', async () => {
    const withoutKey = { ...VALID_REQUEST } as Record<string, unknown>;
    delete withoutKey.idempotencyKey;
    const trick = fc.oneof(
      nonJsonContentType.map((type) => ({
        headers: { 'content-type': type },
        body: JSON.stringify(VALID_REQUEST),
      })),
      badIdempotencyHeader.map((key) => ({
        headers: { 'Idempotency-Key': key },
        body: JSON.stringify(withoutKey),
      })),
      fc
        .constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE')
        .map((method) => ({ method, body: JSON.stringify(VALID_REQUEST) })),
    );
    await fc.assert(
      fc.asyncProperty(trick, v2, async (request, isV2) => {
        await refusedWithoutEffect({ ...request, v2: isV2 });
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts the valid request in every harmless spelling (header case, charset, +json, method case) and sends it once', async () => {
    const spelling = fc.record({
      contentType: fc.constantFrom(
        'application/json',
        'Application/JSON',
        'application/json; charset=utf-8',
        'application/vnd.order+json',
      ),
      header: fc.constantFrom('content-type', 'Content-Type', 'CONTENT-TYPE'),
      method: fc.constantFrom('POST', 'post', 'Post'),
      keyInHeader: fc.boolean(),
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(spelling, v2, async ({ contentType, header, method, keyInHeader }, isV2) => {
        n += 1;
        const key = `fuzz-valid-spelling-${n}`;
        const request = { ...VALID_REQUEST, idempotencyKey: key, message: { text: `Shipped [${key}]` } };
        const body = keyInHeader ? { ...request, idempotencyKey: undefined } : request;
        const sendsBefore = genesysSends(harness);
        const answer = await call({
          body: JSON.stringify(body),
          headers: { [header]: contentType, ...(keyInHeader && { 'Idempotency-Key': key }) },
          method,
          v2: isV2,
        });
        expect(answer.statusCode, JSON.stringify(answer.body)).toBe(202);
        expect((await harness.store.get(key))?.status).toBe('sent');
        expect(genesysSends(harness)).toBe(sendsBefore + 1);
      }),
      { numRuns: 20 },
    );
  });
});
