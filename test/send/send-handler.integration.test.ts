import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpApiEvent, restApiEvent } from '../../local/api-gateway-events';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import { EventBridgeSendScheduler } from '../../shared/delivery/send-scheduler';
import type { HttpAnswer } from '../../shared/http/api-gateway';
import {
  type DirectResult,
  handleSendEvent,
  MAX_SEND_BODY_BYTES,
} from '../../shared/send-api/handle-send-event';
import { type DeliveryHarness, sqsRetryQueue, startDeliveryHarness } from '../support/delivery-harness';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/genesys-retry';
const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/genesys-retry-dlq';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:genesys-send';
const context = { invokedFunctionArn: FUNCTION_ARN };

const BOT = {
  kind: 'botConnector',
  botId: 'order-bot',
  botVersion: '1',
  botSessionId: 'session-1',
  languageCode: 'en-us',
};
const CONVERSATION = {
  kind: 'conversation',
  conversationId: 'c0ffee00-0000-4000-8000-000000000001',
  communicationId: 'c0ffee00-0000-4000-8000-000000000002',
};
const SMS = {
  kind: 'agentless',
  messengerType: 'sms',
  fromAddress: '+13175550100',
  toAddress: '+13175550199',
};
const CARD = {
  title: 'Order Confirmation',
  description: 'Would you like to confirm your order #12345?',
  actions: [
    { type: 'postback', text: 'Yes', payload: 'confirmed_yes' },
    { type: 'postback', text: 'No', payload: 'confirmed_no' },
  ],
};

const sqsMock = mockClient(SQSClient);
const schedulerMock = mockClient(SchedulerClient);
let harness: DeliveryHarness;
let delivery: DeliveryService;

function post(body: unknown, headers: Record<string, string> = {}) {
  return restApiEvent({
    method: 'POST',
    path: '/messages',
    resource: '/messages',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function http(
  event: unknown,
): Promise<{ statusCode: number; headers: Record<string, string>; body: Record<string, any> }> {
  const answer = (await handleSendEvent(event, context, { delivery })) as HttpAnswer;
  return { statusCode: answer.statusCode, headers: answer.headers, body: JSON.parse(answer.body) };
}

function genesysSends(): number {
  const { requests } = harness.sandbox.stats();
  return requests.botConnector + requests.conversationMessage + requests.agentless;
}

beforeAll(async () => {
  harness = await startDeliveryHarness();
});

afterAll(async () => {
  await harness.close();
});

beforeEach(async () => {
  await harness.freshTable();
  harness.sandbox.resetStats();
  sqsMock.reset();
  schedulerMock.reset();
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  schedulerMock.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:::schedule/x' });
  delivery = harness.delivery({
    retryQueue: sqsRetryQueue(undefined, QUEUE_URL, DLQ_URL),
    scheduler: new EventBridgeSendScheduler(
      new SchedulerClient({ region: 'us-east-1' }),
      'genesys-sends',
      'arn:aws:iam::123456789012:role/scheduler',
    ),
    random: () => 0,
  });
});

afterEach(() => {
  harness.sandbox.setRateLimit({ limit: 300, windowMs: 60_000 });
});

describe('send: each target kind end to end', () => {
  it('sends the Order Confirmation card to a bot session as a Genesys Card and records it sent', async () => {
    // Act
    const answer = await http(
      post({ idempotencyKey: 'order-12345-confirm', target: BOT, message: { card: CARD } }),
    );
    // Assess
    expect(answer.statusCode).toBe(202);
    expect(answer.headers.location).toBe('/messages/order-12345-confirm');
    expect(answer.body).toMatchObject({ messageId: 'order-12345-confirm', status: 'sent', attempts: 1 });
    const sent = harness.sandbox.messages().at(-1);
    expect(sent?.route).toBe('botConnector');
    expect(answer.body.genesysMessageId).toBe(sent?.id);
    expect(JSON.stringify(sent?.body)).toContain('"contentType":"Card"');
    const record = await harness.store.get('order-12345-confirm');
    expect(record).toMatchObject({ status: 'sent', genesysMessageId: sent?.id, attempts: 1 });
  });

  it('sends text into a conversation and a card as readable SMS text through agentless', async () => {
    // Act
    const toConversation = await http(
      post(
        { target: CONVERSATION, message: { text: 'Your order has shipped.' } },
        { 'idempotency-key': 'conv-1' },
      ),
    );
    const toSms = await http(post({ idempotencyKey: 'sms-1', target: SMS, message: { card: CARD } }));
    // Assess
    expect(toConversation).toMatchObject({ statusCode: 202, body: { messageId: 'conv-1', status: 'sent' } });
    expect(toSms).toMatchObject({ statusCode: 202, body: { messageId: 'sms-1', status: 'sent' } });
    const [conversation, sms] = harness.sandbox.messages().slice(-2);
    expect(conversation?.route).toBe('conversationMessage');
    expect(conversation?.body).toEqual({ textBody: 'Your order has shipped.' });
    expect(sms?.route).toBe('agentless');
    expect((sms!.body as { textBody: string }).textBody).toContain('Order Confirmation');
    expect((sms!.body as { textBody: string }).textBody).toContain('Yes');
  });

  it('accepts an HTTP API (v2) event with a base64 body and the Idempotency-Key header', async () => {
    // Prepare
    const event = httpApiEvent({
      method: 'POST',
      path: '/messages',
      resource: '/messages',
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Idempotency-Key': 'v2-key' },
      body: JSON.stringify({ target: CONVERSATION, message: { text: 'hello' } }),
      base64: true,
    });
    // Act
    const answer = await http(event);
    // Assess
    expect(answer).toMatchObject({ statusCode: 202, body: { messageId: 'v2-key', status: 'sent' } });
  });
});

describe('send: idempotency', () => {
  it('makes one Genesys call for two concurrent requests with the same key', async () => {
    // Prepare
    const request = { idempotencyKey: 'twice', target: CONVERSATION, message: { text: 'only once' } };
    // Act
    const answers = await Promise.all([http(post(request)), http(post(request))]);
    // Assess
    expect(genesysSends()).toBe(1);
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202]);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(1);
  });

  it('returns the first result for a repeated request and sends nothing', async () => {
    // Prepare
    const request = { idempotencyKey: 'again', target: CONVERSATION, message: { text: 'hi' } };
    const first = await http(post(request));
    // Act
    const second = await http(post(request));
    // Assess
    expect(genesysSends()).toBe(1);
    expect(second.statusCode).toBe(202);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.genesysMessageId).toBe(first.body.genesysMessageId);
  });

  it('answers 409 when the key is reused with another body, and sends nothing', async () => {
    // Prepare
    await http(post({ idempotencyKey: 'k-409', target: CONVERSATION, message: { text: 'one' } }));
    // Act
    const answer = await http(
      post({ idempotencyKey: 'k-409', target: CONVERSATION, message: { text: 'two' } }),
    );
    // Assess
    expect(answer.statusCode).toBe(409);
    expect(answer.body.error).toMatchObject({ code: 'idempotency_conflict' });
    expect(answer.body.error.message).toContain('k-409');
    expect(genesysSends()).toBe(1);
  });
});

describe('send: Genesys answers', () => {
  it('records a 429 as retrying and queues one retry no sooner than Retry-After', async () => {
    // Prepare
    harness.sandbox.injectFaults([{ type: 'status', status: 429, retryAfterSeconds: 7 }]);
    // Act
    const answer = await http(post({ idempotencyKey: 'throttled', target: BOT, message: { text: 'hi' } }));
    // Assess
    expect(answer.statusCode).toBe(202);
    expect(answer.body).toMatchObject({ status: 'retrying', attempts: 1 });
    const calls = sqsMock.commandCalls(SendMessageCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input.QueueUrl).toBe(QUEUE_URL);
    expect(input.DelaySeconds).toBe(7);
    expect(JSON.parse(input.MessageBody!)).toMatchObject({ messageId: 'throttled', attempt: 2 });
    expect(input.MessageAttributes?.attempt?.StringValue).toBe('2');
    const record = await harness.store.get('throttled');
    expect(record?.status).toBe('retrying');
    expect(
      Date.parse(record!.nextAttemptAt!) - Date.parse(record!.history.at(-1)!.at),
    ).toBeGreaterThanOrEqual(6_900);
  });

  it('treats 503 as transient and queues a retry', async () => {
    // Prepare
    harness.sandbox.injectFaults([{ type: 'status', status: 503 }]);
    // Act
    const answer = await http(
      post({ idempotencyKey: 'unavailable', target: CONVERSATION, message: { text: 'hi' } }),
    );
    // Assess
    expect(answer.body).toMatchObject({ status: 'retrying', lastError: { status: 503 } });
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(1);
  });

  it('records a Genesys 400 as failed and answers 422 with Genesys status, code, message and contextId', async () => {
    // Prepare
    harness.sandbox.injectFaults([
      { type: 'status', status: 400, code: 'bad.request', message: 'The conversation is closed' },
    ]);
    // Act
    const answer = await http(
      post({ idempotencyKey: 'refused', target: CONVERSATION, message: { text: 'hi' } }),
    );
    // Assess
    expect(answer.statusCode).toBe(422);
    expect(answer.body.status).toBe('failed');
    expect(answer.body.error.code).toBe('genesys_rejected');
    expect(answer.body.error.genesys).toMatchObject({
      status: 400,
      code: 'bad.request',
      message: 'The conversation is closed',
    });
    expect(answer.body.error.genesys.contextId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect((await harness.store.get('refused'))?.status).toBe('failed');
  });

  it('answers 503 when the retry queue cannot be written, keeps the message, and sends it on the caller retry', async () => {
    // Prepare
    harness.sandbox.injectFaults([{ type: 'status', status: 503 }]);
    sqsMock.on(SendMessageCommand).rejects(new Error('SQS is down'));
    const request = { idempotencyKey: 'queue-down', target: CONVERSATION, message: { text: 'hi' } };
    // Act
    const first = await http(post(request));
    const record = await harness.store.get('queue-down');
    const second = await http(post(request));
    // Assess
    expect(first.statusCode).toBe(503);
    expect(Number(first.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(first.body.error.code).toBe('service_unavailable');
    // Recorded as retrying before the queue was tried (a retry due at once finds no lease), due now.
    expect(record?.status).toBe('retrying');
    expect(record?.history.at(-1)?.reason).toContain('retry queue unavailable');
    expect(Date.parse(record!.nextAttemptAt!)).toBeLessThanOrEqual(Date.now());
    expect(second).toMatchObject({ statusCode: 202, body: { status: 'sent' } });
    expect(genesysSends()).toBe(2);
  });
});

describe('send: bad input', () => {
  const cases: [string, ReturnType<typeof post>, number, RegExp][] = [
    ['invalid JSON', post('{"target": '), 400, /not valid JSON/],
    ['a non-JSON content type', post('hello', { 'content-type': 'text/plain' }), 415, /application\/json/],
    ['wrong types', post({ target: BOT, message: { text: 42 } }), 400, /message\.text/],
    ['a missing target', post({ message: { text: 'hi' } }), 400, /target/],
    ['unknown fields', post({ target: BOT, message: { text: 'hi' }, colour: 'red' }), 400, /colour/],
    [
      'an oversized body',
      post({ target: BOT, message: { text: 'x'.repeat(MAX_SEND_BODY_BYTES) } }),
      413,
      /limit is 65536 bytes/,
    ],
    ['an empty body', post(''), 400, /empty/],
  ];

  it.each(cases)(
    'refuses %s with a clear reason, writes nothing and sends nothing',
    async (_name, event, status, reason) => {
      // Prepare
      event.headers['Idempotency-Key'] = 'bad-input';
      // Act
      const answer = await http(event);
      // Assess
      expect(answer.statusCode).toBe(status);
      expect(JSON.stringify(answer.body.error)).toMatch(reason);
      expect(await harness.store.get('bad-input')).toBeUndefined();
      expect(genesysSends()).toBe(0);
    },
  );

  it('lists every problem with its path', async () => {
    // Act
    const answer = await http(
      post({ target: { kind: 'botConnector' }, message: { card: { title: '', actions: [] } } }),
    );
    // Assess
    expect(answer.statusCode).toBe(400);
    const paths = (answer.body.error.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['target.botId', 'target.botSessionId']));
    expect(paths.length).toBeGreaterThanOrEqual(3);
  });

  it('answers 405 to a GET on the send route', async () => {
    // Act
    const answer = await http(restApiEvent({ method: 'GET', path: '/messages', resource: '/messages' }));
    // Assess
    expect(answer.statusCode).toBe(405);
  });
});

describe('send: direct invoke', () => {
  it('returns a result per request, in order, without throwing for a bad one', async () => {
    // Prepare
    const batch = [
      { idempotencyKey: 'd-1', target: CONVERSATION, message: { text: 'one' } },
      { idempotencyKey: 'd-2', target: CONVERSATION },
      { idempotencyKey: 'd-3', target: SMS, message: { text: 'three' } },
    ];
    // Act
    const results = (await handleSendEvent(batch, context, { delivery })) as DirectResult[];
    // Assess
    expect(results.map((r) => [r.ok, r.statusCode, r.messageId])).toEqual([
      [true, 202, 'd-1'],
      [false, 400, undefined],
      [true, 202, 'd-3'],
    ]);
    expect(JSON.stringify(results[1])).toContain('message');
    expect(genesysSends()).toBe(2);
  });

  it('generates and returns a message id when none is given', async () => {
    // Act
    const result = (await handleSendEvent({ target: CONVERSATION, message: { text: 'x' } }, context, {
      delivery,
    })) as DirectResult;
    // Assess
    expect(result).toMatchObject({ ok: true, statusCode: 202, status: 'sent' });
    expect(result.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a batch larger than 50 as a whole', async () => {
    // Act
    const result = (await handleSendEvent(new Array(51).fill({}), context, { delivery })) as DirectResult;
    // Assess
    expect(result).toMatchObject({ ok: false, statusCode: 400, error: { code: 'batch_too_large' } });
    expect(genesysSends()).toBe(0);
  });
});

describe('send: EventBridge', () => {
  const event: EventBridgeEvent<'Send message', unknown> = {
    version: '0',
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'Send message',
    source: 'com.example.orders',
    account: '123456789012',
    time: '2026-11-25T09:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { target: CONVERSATION, message: { text: 'Your order is ready' } },
  };

  it('uses the event id as the idempotency key, so a redelivered event sends nothing twice', async () => {
    // Act
    const first = (await handleSendEvent(event, context, { delivery })) as DirectResult;
    const again = (await handleSendEvent(event, context, { delivery })) as DirectResult;
    // Assess
    expect(first).toMatchObject({ ok: true, messageId: event.id, status: 'sent' });
    expect(again).toMatchObject({ ok: true, messageId: event.id, status: 'sent' });
    expect(genesysSends()).toBe(1);
  });

  it('does not throw for an invalid detail (a retry would not help) and sends nothing', async () => {
    // Act
    const result = (await handleSendEvent({ ...event, id: 'bad-detail', detail: { message: {} } }, context, {
      delivery,
    })) as DirectResult;
    // Assess
    expect(result).toMatchObject({ ok: false, statusCode: 400 });
    expect(genesysSends()).toBe(0);
  });
});

describe('send: sendAt', () => {
  it('schedules a future send with a self-deleting at() schedule, then sends when it fires', async () => {
    // Prepare: a whole second, so the at() expression shows it unchanged
    const sendAt = new Date(Math.ceil((Date.now() + 3_600_000) / 1000) * 1000).toISOString();
    // Act
    const answer = await http(
      post({ idempotencyKey: 'later', target: CONVERSATION, message: { text: 'later' }, sendAt }),
    );
    const input = schedulerMock.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    const fired = (await handleSendEvent(JSON.parse(input!.Target!.Input!), context, {
      delivery,
    })) as DirectResult;
    // Assess
    expect(answer).toMatchObject({
      statusCode: 202,
      body: { messageId: 'later', status: 'scheduled', sendAt },
    });
    expect(input).toMatchObject({
      GroupName: 'genesys-sends',
      ScheduleExpression: `at(${sendAt.slice(0, 19)})`,
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: FUNCTION_ARN, RoleArn: 'arn:aws:iam::123456789012:role/scheduler' },
    });
    expect(fired).toMatchObject({ ok: true, messageId: 'later', status: 'sent' });
    expect(genesysSends()).toBe(1);
  });

  it('answers 503 when the schedule cannot be created, and creates it when the caller retries with the same key', async () => {
    // Prepare
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const request = {
      idempotencyKey: 'schedule-down',
      target: CONVERSATION,
      message: { text: 'later' },
      sendAt,
    };
    schedulerMock.on(CreateScheduleCommand).rejectsOnce(new Error('Scheduler is down'));
    // Act
    const first = await http(post(request));
    const second = await http(post(request));
    // Assess
    expect(first.statusCode).toBe(503);
    expect(first.body.error.message).toContain('retry with the same idempotency key');
    expect(second).toMatchObject({ statusCode: 202, body: { status: 'scheduled' } });
    expect(schedulerMock.commandCalls(CreateScheduleCommand)).toHaveLength(2);
    expect(genesysSends()).toBe(0);
  });

  it('sends at once when sendAt is already past', async () => {
    // Act
    const answer = await http(
      post({ target: CONVERSATION, message: { text: 'now' }, sendAt: '2020-01-01T00:00:00Z' }),
    );
    // Assess
    expect(answer.body.status).toBe('sent');
    expect(schedulerMock.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it('refuses a sendAt more than a year ahead, naming the field, and writes nothing', async () => {
    // Prepare
    const sendAt = new Date(Date.now() + 400 * 86_400_000).toISOString();
    // Act
    const answer = await http(
      post({ idempotencyKey: 'too-late', target: CONVERSATION, message: { text: 'x' }, sendAt }),
    );
    // Assess
    expect(answer.statusCode).toBe(400);
    expect(answer.body.error.issues).toEqual([{ path: 'sendAt', message: 'must be at most one year ahead' }]);
    expect(await harness.store.get('too-late')).toBeUndefined();
  });
});
