/**
 * Idempotency keys are scoped to their caller (docs/callers.md): the same key from two principals makes two
 * messages, and neither caller gets the other's answer, a 409 for it, or can read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restApiEvent } from '../../local/api-gateway-events';
import type { HttpAnswer } from '../../shared/http/api-gateway';
import { DEFAULT_DIRECT_INVOKE_CALLER } from '../../shared/http/caller';
import { handleSendEvent } from '../../shared/send-api/handle-send-event';
import { CountingRetryQueue, VALID_REQUEST } from '../reliability/fuzz-support';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';

let harness: DeliveryHarness;

beforeAll(async () => {
  harness = await startDeliveryHarness({ rateLimit: false });
});

afterAll(async () => {
  await harness.close();
});

const ALICE = 'arn:aws:iam::123456789012:role/order-service';
const BOB = 'arn:aws:iam::123456789012:role/marketing';

async function post(
  principal: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const event = restApiEvent({
    method: 'POST',
    path: '/messages',
    resource: '/messages',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const signed = {
    ...event,
    requestContext: {
      ...event.requestContext,
      identity: { ...event.requestContext.identity, userArn: principal },
    },
  };
  const answer = (await handleSendEvent(
    signed,
    {},
    {
      delivery: harness.delivery({ retryQueue: new CountingRetryQueue() }),
    },
  )) as HttpAnswer;
  return { status: answer.statusCode, body: JSON.parse(answer.body) };
}

describe('caller scope of idempotency keys', () => {
  it("gives another caller's key its own message: no 409, no replay of the other's result", async () => {
    // Prepare
    const key = 'scope-shared-key-1';
    const aliceRequest = {
      ...VALID_REQUEST,
      idempotencyKey: key,
      message: { text: 'Alice: your order shipped' },
    };
    const bobRequest = { ...VALID_REQUEST, idempotencyKey: key, message: { text: 'Bob: 20% off today' } };

    // Act
    const alice = await post(ALICE, aliceRequest);
    const bob = await post(BOB, bobRequest);
    const bobAgain = await post(BOB, bobRequest);
    const aliceAgain = await post(ALICE, aliceRequest);

    // Assess
    expect([alice.status, alice.body.messageId, alice.body.status]).toEqual([202, key, 'sent']);
    expect([bob.status, bob.body.status]).toEqual([202, 'sent']);
    expect(bob.body.messageId).not.toBe(key);
    expect(String(bob.body.messageId)).toMatch(new RegExp(`^[0-9a-f]{12}\\.${key}$`));
    expect(bob.body.genesysMessageId).not.toBe(alice.body.genesysMessageId);
    expect([bobAgain.body.messageId, bobAgain.body.genesysMessageId]).toEqual([
      bob.body.messageId,
      bob.body.genesysMessageId,
    ]);
    expect([aliceAgain.body.messageId, aliceAgain.body.genesysMessageId]).toEqual([
      key,
      alice.body.genesysMessageId,
    ]);
    expect((await harness.store.get(key))?.createdBy).toBe(ALICE);
    expect((await harness.store.get(String(bob.body.messageId)))?.createdBy).toBe(BOB);
  });

  it('records the stack-assigned caller for a direct invoke', async () => {
    // Act
    const result = (await handleSendEvent(
      { ...VALID_REQUEST, idempotencyKey: 'scope-direct-1' },
      {},
      {
        delivery: harness.delivery({ retryQueue: new CountingRetryQueue() }),
      },
    )) as { statusCode: number };

    // Assess
    expect(result.statusCode).toBe(202);
    expect((await harness.store.get('scope-direct-1'))?.createdBy).toBe(DEFAULT_DIRECT_INVOKE_CALLER);
  });
});
