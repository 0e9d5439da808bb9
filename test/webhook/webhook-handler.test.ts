import { describe, expect, it } from 'vitest';
import type { HttpAnswer } from '../../shared/http/api-gateway';
import { StatusInputError } from '../../shared/status/errors';
import { createWebhookHandler, type WebhookHandler } from '../../shared/webhook/create-webhook-handler';
import { MAX_BODY_BYTES } from '../../shared/webhook/read-http-request';
import type { WebhookEventResult } from '../../shared/webhook/types';
import { signWebhookBody } from '../../shared/webhook/verify-signature';
import { staticWebhookSecrets, type WebhookSecretSource } from '../../shared/webhook/webhook-secret';
import { FOREIGN_EVENTS, SCHEDULED_EVENT } from '../support/foreign-events';
import {
  apiGatewayV1Event,
  apiGatewayV2Event,
  conversationMessageEvent,
  FakeReceiptStore,
  outboundMessageBody,
  PREVIOUS_SECRET,
  RecordingLogger,
  receiptBody,
  SECRET,
} from './support';

function setup(secrets: WebhookSecretSource = staticWebhookSecrets(SECRET)) {
  const store = new FakeReceiptStore();
  const logger = new RecordingLogger();
  const handle = createWebhookHandler({
    logger,
    dependencies: { store, secrets },
    now: () => new Date('2026-11-25T10:00:09.000Z'),
  });
  return { store, logger, handle };
}

interface AnswerBody {
  received?: number;
  applied?: number;
  error?: { code: string; message: string; issues?: unknown };
}

async function http(
  handle: WebhookHandler,
  event: unknown,
): Promise<{ statusCode: number; body: AnswerBody }> {
  const answer = (await handle(event)) as HttpAnswer;
  return { statusCode: answer.statusCode, body: JSON.parse(answer.body) as AnswerBody };
}

function signed(body: string, secret = SECRET): Record<string, string> {
  return { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signWebhookBody(body, secret) };
}

describe('webhook handler: API Gateway', () => {
  it('records a signed receipt from a REST API (v1) event', async () => {
    // Prepare
    const { store, handle } = setup();
    const body = JSON.stringify(receiptBody('gm-1', 'Delivered'));

    // Act
    const answer = await http(handle, apiGatewayV1Event(body, signed(body)));

    // Assess
    expect(answer).toEqual({ statusCode: 200, body: { received: 1, applied: 1 } });
    expect(store.statuses.get('gm-1')).toBe('delivered');
    expect(store.calls[0]).toMatchObject({ source: 'webhook', conversationId: 'conversation-1' });
  });

  it('records a signed outbound message from an HTTP API (v2) event with a base64 body', async () => {
    // Prepare
    const { store, handle } = setup();
    const body = JSON.stringify(outboundMessageBody('gm-2', 'Structured'));
    const event = apiGatewayV2Event(Buffer.from(body, 'utf8').toString('base64'), signed(body), {
      isBase64Encoded: true,
    });

    // Act
    const answer = await http(handle, event);

    // Assess
    expect(answer).toEqual({ statusCode: 200, body: { received: 1, applied: 1 } });
    expect(store.statuses.get('gm-2')).toBe('sent');
  });

  it('verifies the exact bytes: whitespace and key order as Genesys sent them', async () => {
    // Prepare
    const { store, handle } = setup();
    const body =
      '{\n  "type": "Receipt",  "status": "Read", "id": "gm-3", "isFinalReceipt": true,\n  "direction": "Outbound" }';

    // Act
    const answer = await http(handle, apiGatewayV2Event(body, signed(body)));

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(store.statuses.get('gm-3')).toBe('read');
  });

  it('answers 200 with nothing applied for a duplicate or an older receipt', async () => {
    // Prepare
    const { handle } = setup();
    const read = JSON.stringify(receiptBody('gm-4', 'Read'));
    const delivered = JSON.stringify(receiptBody('gm-4', 'Delivered'));
    await http(handle, apiGatewayV1Event(read, signed(read)));

    // Act
    const duplicate = await http(handle, apiGatewayV1Event(read, signed(read)));
    const older = await http(handle, apiGatewayV1Event(delivered, signed(delivered)));

    // Assess
    expect(duplicate).toEqual({ statusCode: 200, body: { received: 1, applied: 0 } });
    expect(older).toEqual({ statusCode: 200, body: { received: 1, applied: 0 } });
  });

  it('acknowledges an inbound message without writing', async () => {
    // Prepare
    const { store, handle } = setup();
    const body = JSON.stringify({ ...outboundMessageBody('gm-5'), direction: 'Inbound' });

    // Act
    const answer = await http(handle, apiGatewayV1Event(body, signed(body)));

    // Assess
    expect(answer).toEqual({ statusCode: 200, body: { received: 0, applied: 0 } });
    expect(store.calls).toEqual([]);
  });

  it('accepts the previous secret during a rotation', async () => {
    // Prepare
    const { store, handle } = setup(staticWebhookSecrets(SECRET, PREVIOUS_SECRET));
    const body = JSON.stringify(receiptBody('gm-6', 'Delivered'));

    // Act
    const answer = await http(handle, apiGatewayV1Event(body, signed(body, PREVIOUS_SECRET)));

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(store.calls).toHaveLength(1);
  });

  it('reloads the secret once after a mismatch (rotated since it was cached)', async () => {
    // Prepare
    const reloads: boolean[] = [];
    const secrets: WebhookSecretSource = {
      secrets: async (options) => {
        reloads.push(options?.reload === true);
        return options?.reload ? ['whsec-new', SECRET] : [SECRET];
      },
    };
    const { handle } = setup(secrets);
    const body = JSON.stringify(receiptBody('gm-7', 'Delivered'));

    // Act
    const answer = await http(handle, apiGatewayV1Event(body, signed(body, 'whsec-new')));

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(reloads).toEqual([false, true]);
  });

  it.each([
    ['no signature', (_body: string) => ({ 'Content-Type': 'application/json' }), /missing/],
    ['a malformed signature', () => ({ 'X-Hub-Signature-256': 'sha256=not-base64!' }), /sha256=/],
    ['a signature made with another secret', (body: string) => signed(body, 'attacker'), /does not match/],
    [
      'a signature of another body',
      () => signed(JSON.stringify(receiptBody('gm-8', 'Read'))),
      /does not match/,
    ],
  ])('answers 401 and writes nothing for %s', async (_case, headers, message) => {
    // Prepare
    const { store, handle } = setup();
    const body = JSON.stringify(receiptBody('gm-8', 'Delivered'));

    // Act
    const answer = await http(handle, apiGatewayV1Event(body, headers(body)));

    // Assess
    expect(answer.statusCode).toBe(401);
    expect(answer.body.error?.code).toBe('invalid_signature');
    expect(answer.body.error?.message).toMatch(message);
    expect(store.calls).toEqual([]);
  });

  it('answers 401 for an unsigned non-JSON body (authentication comes first)', async () => {
    // Prepare
    const { store, handle } = setup();

    // Act
    const answer = await http(handle, apiGatewayV2Event('<xml/>', {}));

    // Assess
    expect(answer.statusCode).toBe(401);
    expect(store.calls).toEqual([]);
  });

  it('answers 413 for a body over 256 KB, measured on the decoded bytes', async () => {
    // Prepare
    const { store, handle } = setup();
    const tooLarge = `{"pad":"${'x'.repeat(MAX_BODY_BYTES)}"}`;
    const base64 = Buffer.from(tooLarge, 'utf8').toString('base64');

    // Act
    const plain = await http(handle, apiGatewayV1Event(tooLarge, signed(tooLarge)));
    const encoded = await http(
      handle,
      apiGatewayV2Event(base64, signed(tooLarge), { isBase64Encoded: true }),
    );

    // Assess
    expect(plain.statusCode).toBe(413);
    expect(encoded.statusCode).toBe(413);
    expect(plain.body.error?.message).toContain(`${MAX_BODY_BYTES}`);
    expect(store.calls).toEqual([]);
  });

  it('does not count base64 overhead: a 200 KB body sent base64-encoded (270 KB) is accepted', async () => {
    // Prepare
    const { handle } = setup();
    const body = JSON.stringify(receiptBody('gm-9', 'Delivered', { padding: 'p'.repeat(200 * 1024) }));
    const base64 = Buffer.from(body, 'utf8').toString('base64');

    // Act
    const answer = await http(handle, apiGatewayV2Event(base64, signed(body), { isBase64Encoded: true }));

    // Assess
    expect(base64.length).toBeGreaterThan(MAX_BODY_BYTES);
    expect(answer.statusCode).toBe(200);
  });

  it.each([
    ['non-JSON', 'status=Delivered', /not valid JSON/],
    ['an empty body', '', /empty/],
  ])('answers 400 for a signed %s body', async (_case, body, reason) => {
    // Prepare
    const { store, handle } = setup();

    // Act
    const answer = await http(handle, apiGatewayV1Event(body, signed(body)));

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(answer.body.error?.code).toBe('invalid_json');
    expect(answer.body.error?.message).toMatch(reason);
    expect(store.calls).toEqual([]);
  });

  it('answers 400 naming the field and the reason for an unknown shape', async () => {
    // Prepare
    const { store, handle } = setup();
    const body = JSON.stringify(receiptBody('gm-10', 'Bounced'));

    // Act
    const answer = await http(handle, apiGatewayV1Event(body, signed(body)));

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(answer.body.error?.code).toBe('invalid_notification');
    expect(answer.body.error?.issues).toEqual([
      { path: 'status', message: expect.stringContaining('Delivered') },
    ]);
    expect(store.calls).toEqual([]);
  });

  it('answers 500 with a generic message when the store fails, so Genesys retries', async () => {
    // Prepare
    const { store, logger, handle } = setup();
    store.failWith = new Error('ProvisionedThroughputExceededException on table prod-status-7f3a');
    const body = JSON.stringify(receiptBody('gm-11', 'Delivered'));

    // Act
    const answer = await http(handle, apiGatewayV1Event(body, signed(body)));

    // Assess
    expect(answer.statusCode).toBe(500);
    expect(answer.body.error).toEqual({
      code: 'internal_error',
      message: 'the notification could not be recorded; please retry',
    });
    expect(logger.text()).toContain('prod-status-7f3a');
  });

  it('answers 400 (no retry would help) when the store refuses a value as invalid', async () => {
    // Prepare
    const { store, handle } = setup();
    store.failWith = new StatusInputError('at', 'must be an ISO-8601 time');
    const body = JSON.stringify(receiptBody('gm-11b', 'Delivered'));

    // Act
    const answer = await http(handle, apiGatewayV1Event(body, signed(body)));

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(answer.body.error?.issues).toEqual([{ path: 'at', message: 'at must be an ISO-8601 time' }]);
  });

  it('answers 500 when the signing secret cannot be read or the configuration is missing', async () => {
    // Prepare
    const failing = setup({ secrets: async () => Promise.reject(new Error('AccessDeniedException')) });
    const misconfigured = createWebhookHandler({
      logger: new RecordingLogger(),
      dependencies: () => {
        throw new Error('environment variable STATUS_TABLE_NAME is not set');
      },
    });
    const body = JSON.stringify(receiptBody('gm-12', 'Delivered'));

    // Act
    const noSecret = await http(failing.handle, apiGatewayV1Event(body, signed(body)));
    const noConfig = await http(misconfigured, apiGatewayV1Event(body, signed(body)));

    // Assess
    expect(noSecret.statusCode).toBe(500);
    expect(noConfig.statusCode).toBe(500);
    expect(JSON.stringify(noConfig.body)).not.toContain('STATUS_TABLE_NAME');
  });

  it('answers 405 for another method', async () => {
    // Prepare
    const { handle } = setup();

    // Act
    const answer = (await handle(apiGatewayV2Event(undefined, {}, { method: 'GET' }))) as HttpAnswer;

    // Assess
    expect(answer.statusCode).toBe(405);
    expect(answer.headers.allow).toBe('POST');
  });

  it('never logs the secret, the signature or the body text', async () => {
    // Prepare
    const { store, logger, handle } = setup();
    const marker = 'customer-private-text-4711';
    const good = JSON.stringify({ ...receiptBody('gm-13', 'Failed'), text: marker });
    const bad = JSON.stringify({ type: 'Receipt', status: 'Nope', id: 'gm-14', text: marker });
    const goodHeaders = signed(good);
    const wrongHeaders = signed(good, 'attacker');

    // Act
    await handle(apiGatewayV1Event(good, goodHeaders));
    await handle(apiGatewayV1Event(good, wrongHeaders));
    await handle(apiGatewayV1Event(bad, signed(bad)));
    await handle(apiGatewayV1Event(`not json ${marker}`, signed(`not json ${marker}`)));
    store.failWith = new Error('store down');
    await handle(apiGatewayV1Event(good, goodHeaders));

    // Assess
    const logged = logger.text();
    expect(logger.lines.length).toBeGreaterThan(0);
    for (const forbidden of [
      SECRET,
      goodHeaders['X-Hub-Signature-256'],
      wrongHeaders['X-Hub-Signature-256'],
      marker,
    ]) {
      expect(logged).not.toContain(forbidden);
    }
  });
});

describe('webhook handler: EventBridge', () => {
  it('applies one receipt per message status', async () => {
    // Prepare
    const { store, handle } = setup();
    const event = conversationMessageEvent([
      {
        messages: [
          { messageId: 'gm-20', messageStatus: 'delivery-success' },
          { messageId: 'gm-21', messageStatus: 'delivery-failed', errorInfo: { code: 'RecipientOptedOut' } },
          { messageId: 'gm-22', messageStatus: 'queued' },
        ],
      },
    ]);

    // Act
    const result = (await handle(event)) as WebhookEventResult;

    // Assess
    expect(result).toEqual({ received: 2, applied: 2 });
    expect(store.statuses.get('gm-20')).toBe('delivered');
    expect(store.statuses.get('gm-21')).toBe('failed');
    expect(store.calls.every((call) => call.source === 'eventbridge')).toBe(true);
  });

  it('logs and drops an event it cannot parse (a retry would fail the same way)', async () => {
    // Prepare
    const { store, logger, handle } = setup();
    const event = conversationMessageEvent([{ messages: [{ messageStatus: 'read' }] }]);

    // Act
    const result = (await handle(event)) as WebhookEventResult;

    // Assess
    expect(result).toEqual({ received: 0, applied: 0, dropped: 'unparseable' });
    expect(store.calls).toEqual([]);
    expect(logger.lines.some((line) => line.level === 'error' && line.message.includes('dropped'))).toBe(
      true,
    );
  });

  it('records the known statuses of an event and warns about one it does not know', async () => {
    // Prepare
    const { store, logger, handle } = setup();
    const event = conversationMessageEvent([
      {
        messages: [
          { messageId: 'gm-23', messageStatus: 'bounced' },
          { messageId: 'gm-23b', messageStatus: 'read' },
        ],
      },
    ]);

    // Act
    const result = (await handle(event)) as WebhookEventResult;

    // Assess
    expect(result).toEqual({ received: 1, applied: 1 });
    expect(store.statuses.get('gm-23b')).toBe('read');
    expect(store.statuses.has('gm-23')).toBe(false);
    const warning = logger.lines.find((line) => line.level === 'warn');
    expect(warning?.message).toBe('unknown message status skipped');
    expect(warning?.attributes[0]).toMatchObject({ genesysMessageId: 'gm-23', status: 'bounced' });
  });

  it('throws when the store fails, so the asynchronous invoke is retried', async () => {
    // Prepare
    const { store, handle } = setup();
    store.failWith = new Error('store down');
    const event = conversationMessageEvent([{ messages: [{ messageId: 'gm-24', messageStatus: 'read' }] }]);

    // Act / Assess
    await expect(handle(event)).rejects.toThrow('store down');
  });

  it('drops (does not throw) an event whose values the store refuses', async () => {
    // Prepare
    const { store, handle } = setup();
    store.failWith = new StatusInputError('at', 'must be an ISO-8601 time');
    const event = conversationMessageEvent([{ messages: [{ messageId: 'gm-24b', messageStatus: 'read' }] }]);

    // Act
    const result = await handle(event);

    // Assess
    expect(result).toEqual({ received: 1, applied: 0, dropped: 'refused' });
  });

  it('needs no signature and no secret', async () => {
    // Prepare
    const { store, handle } = setup({ secrets: async () => Promise.reject(new Error('must not be read')) });
    const event = conversationMessageEvent([{ messages: [{ messageId: 'gm-25', messageStatus: 'read' }] }]);

    // Act
    const result = await handle(event);

    // Assess
    expect(result).toEqual({ received: 1, applied: 1 });
    expect(store.statuses.get('gm-25')).toBe('read');
  });

  it.each([
    ...FOREIGN_EVENTS,
    [
      'an EventBridge event from another source',
      SCHEDULED_EVENT,
      /got an EventBridge event \("Scheduled Event" from aws\.events\)/,
    ],
  ] as Array<[string, unknown, RegExp]>)(
    'answers %s with unsupported_event naming its kind, writing nothing',
    async (_name, event, words) => {
      // Prepare
      const { store, logger, handle } = setup();

      // Act
      const result = (await handle(event)) as WebhookEventResult;

      // Assess
      expect(result).toMatchObject({ received: 0, applied: 0, dropped: 'unsupported' });
      expect(result.error?.code).toBe('unsupported_event');
      expect(result.error?.message).toMatch(/takes API Gateway requests \(POST \/webhooks\/genesys\)/);
      expect(result.error?.message).toMatch(words);
      expect(store.calls).toEqual([]);
      expect(logger.lines.some((line) => line.level === 'error')).toBe(true);
    },
  );
});
