/**
 * Direct invokes of the send function that look like an API Gateway event (or our one-time schedule
 * event) but are malformed. API Gateway never sends these; any caller allowed to invoke the function can.
 * Each gets a 4xx naming the field and the reason, never a throw (which async invokers and EventBridge
 * Scheduler would retry in vain), and nothing is written or sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import type { HttpAnswer } from '../../shared/http/api-gateway';
import { type DirectResult, handleSendEvent } from '../../shared/send-api/handle-send-event';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';
import { CountingRetryQueue, genesysSends, itemCount } from './fuzz-support';

let harness: DeliveryHarness;
let delivery: DeliveryService;

beforeAll(async () => {
  harness = await startDeliveryHarness({ rateLimit: false });
  delivery = harness.delivery({ retryQueue: new CountingRetryQueue() });
});

afterAll(async () => {
  await harness.close();
});

const MALFORMED: Array<[string, unknown]> = [
  ['REST-shaped, body a number', { httpMethod: 'POST', body: 5 }],
  ['REST-shaped, body an object', { httpMethod: 'POST', body: { target: {} } }],
  ['REST-shaped, content-type a number', { httpMethod: 'POST', headers: { 'content-type': 5 }, body: '{}' }],
  ['HTTP-API-shaped, no method', { version: '2.0', requestContext: { http: {} } }],
  [
    'HTTP-API-shaped, body an object',
    { version: '2.0', requestContext: { http: { method: 'POST' } }, body: {} },
  ],
  ['schedule event, messageId with a control character', { scheduledSend: { messageId: 'order\u00001' } }],
  ['schedule event, messageId over 1024 bytes', { scheduledSend: { messageId: 'x'.repeat(2000) } }],
];

describe('malformed direct invokes of the send function', () => {
  it.each(MALFORMED)('%s → 4xx with a reason, no throw, nothing written or sent', async (_name, payload) => {
    // Prepare
    const itemsBefore = await itemCount(harness);
    const sendsBefore = genesysSends(harness);
    // Act
    const answer = (await handleSendEvent(payload, {}, { delivery })) as HttpAnswer | DirectResult;
    // Assess
    expect(answer.statusCode).toBeGreaterThanOrEqual(400);
    expect(answer.statusCode).toBeLessThan(500);
    expect(await itemCount(harness)).toBe(itemsBefore);
    expect(genesysSends(harness)).toBe(sendsBefore);
  });
});
