import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HttpAnswer } from '../../shared/http/api-gateway';
import { createWebhookHandler } from '../../shared/webhook/create-webhook-handler';
import { signWebhookBody } from '../../shared/webhook/verify-signature';
import { staticWebhookSecrets } from '../../shared/webhook/webhook-secret';
import {
  apiGatewayV1Event,
  apiGatewayV2Event,
  conversationMessageEvent,
  FakeReceiptStore,
  RecordingLogger,
  receiptBody,
  SECRET,
} from './support';

const handle = createWebhookHandler({
  logger: new RecordingLogger(),
  dependencies: { store: new FakeReceiptStore(), secrets: staticWebhookSecrets(SECRET) },
});

const headerName = fc.constantFrom(
  'X-Hub-Signature-256',
  'x-hub-signature-256',
  'X-HUB-SIGNATURE-256',
  'x-other',
);

/** Bodies Genesys could never send, bodies close to real ones, and real ones. */
const bodyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.json(),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc
    .record({
      status: fc.constantFrom('Sent', 'Delivered', 'Read', 'Failed', 'Published', 'Removed', 'Odd', 42),
      extra: fc.dictionary(fc.string(), fc.jsonValue()),
      reasons: fc.option(fc.jsonValue()),
    })
    .map(({ status, extra, reasons }) =>
      JSON.stringify({ ...extra, ...receiptBody('gm-prop', String(status)), status, reasons }),
    ),
);

/** How the request is signed: correctly, not at all, with junk, or with another secret. */
const signing = fc.oneof(
  fc.constant<'valid'>('valid'),
  fc.constant<'none'>('none'),
  fc.string().map((junk) => ({ junk })),
  fc.string({ minLength: 1 }).map((secret) => ({ secret })),
);

describe('webhook handler: any request', () => {
  it('never throws and never answers 5xx for random bodies and headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodyText,
        signing,
        headerName,
        fc.boolean(),
        fc.boolean(),
        fc.dictionary(fc.string(), fc.string()),
        async (body, sign, name, v2, base64, otherHeaders) => {
          // Prepare
          const headers: Record<string, string> = { ...otherHeaders };
          if (sign === 'valid') headers[name] = signWebhookBody(body, SECRET);
          else if (typeof sign === 'object' && 'junk' in sign) headers[name] = sign.junk;
          else if (typeof sign === 'object') headers[name] = signWebhookBody(body, sign.secret);
          const sent = base64 ? Buffer.from(body, 'utf8').toString('base64') : body;
          const event = v2
            ? apiGatewayV2Event(sent, headers, { isBase64Encoded: base64 })
            : apiGatewayV1Event(sent, headers, { isBase64Encoded: base64 });

          // Act
          const answer = (await handle(event)) as HttpAnswer;

          // Assess
          expect(answer.statusCode).toBeGreaterThanOrEqual(200);
          expect(answer.statusCode).toBeLessThan(500);
          expect(() => JSON.parse(answer.body)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws for random EventBridge events (only a store failure may throw)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record(
            {
              messages: fc.array(
                fc.record(
                  {
                    messageId: fc.oneof(fc.string(), fc.jsonValue()),
                    messageStatus: fc.oneof(
                      fc.constantFrom('sent', 'read', 'delivery-failed', 'queued'),
                      fc.jsonValue(),
                    ),
                    errorInfo: fc.jsonValue(),
                  },
                  { requiredKeys: [] },
                ),
              ),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 4 },
        ),
        fc.jsonValue(),
        async (participants, detailNoise) => {
          // Prepare
          const event = conversationMessageEvent(participants as never);
          const noisy = { ...event, detail: { ...(event.detail as object), noise: detailNoise } };

          // Act
          const result = await handle(noisy);

          // Assess
          expect(result).toHaveProperty('received');
        },
      ),
      { numRuns: 200 },
    );
  });
});
