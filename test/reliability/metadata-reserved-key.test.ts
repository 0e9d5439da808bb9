/**
 * A metadata key named `__proto__` cannot be kept as a plain object key, and zod's record would drop it
 * without a word: the request is refused with a 400 naming `metadata.__proto__` instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restApiEvent } from '../../local/api-gateway-events';
import type { HttpAnswer } from '../../shared/http/api-gateway';
import { handleSendEvent } from '../../shared/send-api/handle-send-event';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';
import { CountingRetryQueue, VALID_REQUEST } from './fuzz-support';

let harness: DeliveryHarness;

beforeAll(async () => {
  harness = await startDeliveryHarness({ rateLimit: false });
});

afterAll(async () => {
  await harness.close();
});

/** POST /messages through the send handler, as API Gateway would hand it the JSON text. */
async function postJson(body: string): Promise<HttpAnswer> {
  const event = restApiEvent({
    method: 'POST',
    path: '/messages',
    resource: '/messages',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const delivery = harness.delivery({ retryQueue: new CountingRetryQueue() });
  return (await handleSendEvent(event, {}, { delivery })) as HttpAnswer;
}

describe('metadata key "__proto__"', () => {
  it('is refused with a 400 that names it, never silently dropped', async () => {
    // Prepare: JSON text, since an object literal with __proto__ would set the prototype instead.
    const key = 'fuzz-proto-metadata';
    const body = JSON.stringify({ ...VALID_REQUEST, idempotencyKey: key }).replace(
      '"metadata":{',
      '"metadata":{"__proto__":"kept?",',
    );
    // Act
    const answer = await postJson(body);
    // Assess
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body).error.issues, answer.body).toContainEqual({
      path: 'metadata.__proto__',
      message: 'is a reserved name: use another metadata key',
    });
    expect(await harness.store.get(key)).toBeUndefined();
  });
});

describe('metadata keys that every object has (constructor, toString…)', () => {
  it('are stored and read back through DynamoDB like any other key', async () => {
    // Prepare: the DynamoDB marshaller used to take an object with a `constructor` key for a class instance.
    const key = 'metadata-constructor-key';
    const metadata = { constructor: 'x', toString: 'y', hasOwnProperty: 'z', valueOf: 'v', prototype: 'p' };

    // Act
    const answer = await postJson(JSON.stringify({ ...VALID_REQUEST, idempotencyKey: key, metadata }));

    // Assess
    expect(answer.statusCode, answer.body).toBe(202);
    const stored = await harness.store.getMerged(JSON.parse(answer.body).messageId);
    expect(stored?.metadata).toEqual(metadata);
  });
});
