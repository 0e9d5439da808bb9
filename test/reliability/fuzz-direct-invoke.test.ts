import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import {
  type DirectResult,
  handleSendEvent,
  MAX_DIRECT_BATCH,
  ScheduledMessageMissingError,
} from '../../shared/send-api/handle-send-event';
import { messageIdProblem } from '../../shared/status/message-id';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';
import {
  CountingRetryQueue,
  genesysSends,
  hasErrorReason,
  itemCount,
  missingFieldRequest,
  VALID_REQUEST,
  wrongTypeRequest,
} from './fuzz-support';

const GENERATED_ID = 'fuzz-direct-generated-id';

let harness: DeliveryHarness;
let delivery: DeliveryService;
const retryQueue = new CountingRetryQueue();

/** A direct invoke with an invalid payload: no throw, a 4xx result with a reason per request, no effect. */
async function refusedWithoutEffect(payload: unknown): Promise<void> {
  const itemsBefore = await itemCount(harness);
  const sendsBefore = genesysSends(harness);
  const result = (await handleSendEvent(payload, {}, { delivery, newId: () => GENERATED_ID })) as
    | DirectResult
    | DirectResult[];
  const results = Array.isArray(result) ? result : [result];
  if (Array.isArray(payload) && payload.length <= MAX_DIRECT_BATCH)
    expect(results).toHaveLength(payload.length);
  for (const one of results) {
    expect(one.ok, JSON.stringify(one)).toBe(false);
    expect(one.statusCode, JSON.stringify(one)).toBeGreaterThanOrEqual(400);
    expect(one.statusCode, JSON.stringify(one)).toBeLessThan(500);
    expect(hasErrorReason(one), JSON.stringify(one)).toBe(true);
  }
  expect(await itemCount(harness)).toBe(itemsBefore);
  expect(genesysSends(harness)).toBe(sendsBefore);
  expect(retryQueue.enqueued).toEqual([]);
}

/** Anything but an API Gateway event (those are the HTTP path, fuzzed in fuzz-send-api.test.ts). */
const notApiGateway = (value: unknown) =>
  !(typeof value === 'object' && value !== null && ('httpMethod' in value || 'version' in value));

const invalidRequest = fc.oneof(wrongTypeRequest, missingFieldRequest);

beforeAll(async () => {
  harness = await startDeliveryHarness({ rateLimit: false });
  delivery = harness.delivery({ retryQueue });
});

afterAll(async () => {
  await harness.close();
});

describe('fuzz: send function, direct invoke', () => {
  it('refuses any JSON value and invalid requests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue().filter(notApiGateway), invalidRequest), async (payload) => {
        await refusedWithoutEffect(payload);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses batches of invalid requests one by one, and batches over the limit as a whole', async () => {
    const batch = fc.array(fc.oneof(fc.jsonValue({ maxDepth: 2 }).filter(notApiGateway), invalidRequest), {
      maxLength: MAX_DIRECT_BATCH + 10,
    });
    await fc.assert(
      fc.asyncProperty(batch, async (payload) => {
        await refusedWithoutEffect(payload);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses EventBridge events whose detail is not a valid send request', async () => {
    const event = fc.record({
      version: fc.constant('0'),
      id: fc.uuid(),
      'detail-type': fc.string(),
      source: fc.string(),
      detail: fc.oneof(fc.jsonValue().filter(notApiGateway), invalidRequest),
    });
    await fc.assert(
      fc.asyncProperty(event, async (payload) => {
        await refusedWithoutEffect(payload);
      }),
      { numRuns: 60 },
    );
  });

  it('throws for a one-time schedule event of an unknown message (the schedule DLQ and alarm see it) and writes nothing', async () => {
    const id = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/),
      // Ids the store can key on (the others are in bug-direct-invoke-malformed-events-throw.test.ts).
      fc.string({ minLength: 1, maxLength: 200 }).filter((s) => messageIdProblem(s) === undefined),
    );
    await fc.assert(
      fc.asyncProperty(id, async (messageId) => {
        const itemsBefore = await itemCount(harness);
        const sendsBefore = genesysSends(harness);
        await expect(
          handleSendEvent({ scheduledSend: { messageId } }, {}, { delivery, newId: () => GENERATED_ID }),
        ).rejects.toBeInstanceOf(ScheduledMessageMissingError);
        expect(await itemCount(harness)).toBe(itemsBefore);
        expect(genesysSends(harness)).toBe(sendsBefore);
        expect(retryQueue.enqueued).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('accepts the valid request in a batch next to invalid ones, and sends only it', async () => {
    // Prepare
    const valid = {
      ...VALID_REQUEST,
      idempotencyKey: 'fuzz-direct-valid',
      message: { text: 'Valid [direct]' },
    };
    const sendsBefore = genesysSends(harness);
    // Act
    const results = (await handleSendEvent(
      [null, valid, { target: 1 }, '__proto__'],
      {},
      { delivery },
    )) as DirectResult[];
    // Assess
    expect(results.map((r) => r.statusCode)).toEqual([400, 202, 400, 400]);
    expect(genesysSends(harness)).toBe(sendsBefore + 1);
    expect((await harness.store.get('fuzz-direct-valid'))?.status).toBe('sent');
  });
});
