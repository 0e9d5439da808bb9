import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { headerValue } from '../../shared/http/api-gateway';
import { WebhookSignatureError } from '../../shared/webhook/errors';
import { signWebhookBody, verifySignature } from '../../shared/webhook/verify-signature';
import { PREVIOUS_SECRET, SECRET } from './support';

const body = Buffer.from(JSON.stringify({ id: 'abc', type: 'Receipt', status: 'Delivered' }), 'utf8');

function refusal(action: () => void): WebhookSignatureError {
  try {
    action();
  } catch (error) {
    if (error instanceof WebhookSignatureError) return error;
    throw error;
  }
  throw new Error('expected the signature to be refused');
}

describe('verifySignature', () => {
  it('accepts the signature Genesys computes: base64 HMAC-SHA256 of the raw body', () => {
    // Prepare
    const expected = `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}`;

    // Act
    const header = signWebhookBody(body, SECRET);

    // Assess
    expect(header).toBe(expected);
    expect(() => verifySignature(body, { 'X-Hub-Signature-256': header }, [SECRET])).not.toThrow();
  });

  it('finds the header whatever its case', () => {
    // Prepare
    const header = signWebhookBody(body, SECRET);

    // Act / Assess
    for (const name of ['x-hub-signature-256', 'X-HUB-SIGNATURE-256', 'X-Hub-Signature-256']) {
      expect(() => verifySignature(body, { [name]: header }, [SECRET])).not.toThrow();
      expect(headerValue({ [name]: header }, 'x-hub-signature-256')).toBe(header);
    }
  });

  it('refuses a request without the header', () => {
    // Act
    const error = refusal(() => verifySignature(body, { 'content-type': 'application/json' }, [SECRET]));

    // Assess
    expect(error.reason).toBe('missing-header');
    expect(error.message).toBe('header X-Hub-Signature-256 is missing');
  });

  it('refuses an empty header and a header map that is absent', () => {
    // Act / Assess
    expect(refusal(() => verifySignature(body, { 'x-hub-signature-256': '  ' }, [SECRET])).reason).toBe(
      'missing-header',
    );
    expect(refusal(() => verifySignature(body, null, [SECRET])).reason).toBe('missing-header');
  });

  it.each([
    ['no scheme', () => signWebhookBody(body, SECRET).slice('sha256='.length)],
    ['another scheme', () => signWebhookBody(body, SECRET).replace('sha256=', 'sha1=')],
    ['hex instead of base64', () => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`],
    ['base64 of the wrong length', () => `sha256=${Buffer.alloc(20).toString('base64')}`],
    ['characters outside base64', () => `sha256=${'!'.repeat(43)}=`],
    ['two signatures', () => `${signWebhookBody(body, SECRET)},${signWebhookBody(body, SECRET)}`],
  ])('refuses a malformed header: %s', (_case, header) => {
    // Act
    const error = refusal(() => verifySignature(body, { 'x-hub-signature-256': header() }, [SECRET]));

    // Assess
    expect(error.reason).toBe('malformed-header');
    expect(error.message).toContain('X-Hub-Signature-256');
  });

  it('refuses a body signed with another secret, without naming any secret', () => {
    // Prepare
    const header = signWebhookBody(body, 'someone-else');

    // Act
    const error = refusal(() => verifySignature(body, { 'x-hub-signature-256': header }, [SECRET]));

    // Assess
    expect(error.reason).toBe('mismatch');
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(header);
  });

  it('refuses a tampered body', () => {
    // Prepare
    const header = signWebhookBody(body, SECRET);
    const tampered = Buffer.from(body.toString('utf8').replace('Delivered', 'Read'), 'utf8');

    // Act
    const error = refusal(() => verifySignature(tampered, { 'x-hub-signature-256': header }, [SECRET]));

    // Assess
    expect(error.reason).toBe('mismatch');
  });

  it('verifies the bytes as sent: a re-serialised body no longer matches', () => {
    // Prepare
    const sent = Buffer.from('{ "id": "abc",  "type": "Receipt" }', 'utf8');
    const header = signWebhookBody(sent, SECRET);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(sent.toString('utf8'))), 'utf8');

    // Act / Assess
    expect(() => verifySignature(sent, { 'x-hub-signature-256': header }, [SECRET])).not.toThrow();
    expect(
      refusal(() => verifySignature(reserialised, { 'x-hub-signature-256': header }, [SECRET])).reason,
    ).toBe('mismatch');
  });

  it('verifies a body API Gateway handed over base64-encoded, once decoded', () => {
    // Prepare
    const binary = Buffer.from([0x7b, 0xe2, 0x82, 0xac, 0x7d, 0x00, 0xff]);
    const header = signWebhookBody(binary, SECRET);
    const fromApiGateway = binary.toString('base64');

    // Act / Assess
    expect(() =>
      verifySignature(Buffer.from(fromApiGateway, 'base64'), { 'x-hub-signature-256': header }, [SECRET]),
    ).not.toThrow();
    expect(
      refusal(() =>
        verifySignature(Buffer.from(fromApiGateway, 'utf8'), { 'x-hub-signature-256': header }, [SECRET]),
      ).reason,
    ).toBe('mismatch');
  });

  it('accepts the previous secret during a rotation, and the current one', () => {
    // Prepare
    const secrets = [SECRET, PREVIOUS_SECRET];

    // Act / Assess
    expect(() =>
      verifySignature(body, { 'x-hub-signature-256': signWebhookBody(body, PREVIOUS_SECRET) }, secrets),
    ).not.toThrow();
    expect(() =>
      verifySignature(body, { 'x-hub-signature-256': signWebhookBody(body, SECRET) }, secrets),
    ).not.toThrow();
    expect(
      refusal(() =>
        verifySignature(body, { 'x-hub-signature-256': signWebhookBody(body, PREVIOUS_SECRET) }, [SECRET]),
      ).reason,
    ).toBe('mismatch');
  });

  it('verifies an empty body like any other', () => {
    // Prepare
    const empty = Buffer.alloc(0);

    // Act / Assess
    expect(() =>
      verifySignature(empty, { 'x-hub-signature-256': signWebhookBody(empty, SECRET) }, [SECRET]),
    ).not.toThrow();
    expect(refusal(() => verifySignature(empty, {}, [SECRET])).reason).toBe('missing-header');
    expect(
      refusal(() =>
        verifySignature(empty, { 'x-hub-signature-256': signWebhookBody(body, SECRET) }, [SECRET]),
      ).reason,
    ).toBe('mismatch');
  });

  it('refuses everything when no secret is configured (an empty key would be forgeable)', () => {
    // Prepare
    const header = signWebhookBody(body, '');

    // Act
    const error = refusal(() => verifySignature(body, { 'x-hub-signature-256': header }, ['']));

    // Assess
    expect(error.reason).toBe('no-secret');
  });
});
