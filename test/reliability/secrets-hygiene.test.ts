import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryService } from '../../shared/delivery/delivery-service';
import { DEFAULT_RETRY_POLICY } from '../../shared/delivery/retry-policy';
import { StaticCredentialsProvider } from '../../shared/genesys/credentials';
import { GenesysClient } from '../../shared/genesys/genesys-client';
import { parseSendRequest } from '../../shared/messages/send-request';
import { logger } from '../../shared/observability/telemetry';
import { type DeliveryHarness, SANDBOX_CLIENT, startDeliveryHarness } from '../support/delivery-harness';
import { secretAwareGenesysHttpClient } from '../support/genesys-http';
import {
  captureOutput,
  findLeaks,
  maskSecrets,
  registeredSecrets,
  registerSecret,
} from '../support/log-capture';
import { CountingRetryQueue } from './fuzz-support';

describe('secrets hygiene: the log check itself', () => {
  it('flags registered secrets and credential-shaped text, and masks them when showing the line', () => {
    // Prepare
    const secret = 'unit-secret-4f9a1c';
    registerSecret(secret);
    const lines = [
      `{"message":"loaded","value":"${secret}"}`,
      'GET /x authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def',
      '{"headers":{"Authorization":"Basic aGFybmVzcy1jbGllbnQ6aGFybmVzcy1zZWNyZXQtdmFsdWU="}}',
      '{"clientSecret":"s3cr3t-value"}',
      '{"access_token":"tok_0123456789abcdef","expires_in":86400}',
    ];
    // Act
    const leaks = findLeaks(lines.join('\n'));
    // Assess
    expect(leaks).toHaveLength(lines.length);
    const shown = leaks.map((leak) => leak.line).join('\n');
    for (const value of [
      secret,
      'eyJhbGciOiJIUzI1NiJ9',
      'aGFybmVzcy1jbGllbnQ6',
      's3cr3t-value',
      'tok_0123456789abcdef',
    ]) {
      expect(shown).not.toContain(value);
    }
    expect(maskSecrets(`x ${secret} y`)).toBe('x *** y');
  });

  it('lets ordinary lines about credentials pass: redacted values, messages naming a header, the word "basic"', () => {
    // Prepare
    const lines = [
      'No authentication bearer token specified in authorization header.',
      '{"error":"header Authorization is missing"}',
      '{"clientSecret":"[redacted]"}',
      'Authorization: Bearer [redacted]',
      'Basic validation rules apply to every request',
      'field "clientSecret" must not be empty',
    ];
    // Act + Assess
    expect(findLeaks(lines.join('\n'))).toEqual([]);
  });

  it('captures stdout, stderr, console and Powertools logs quietly, and gives the writers back on stop', () => {
    // Prepare
    const write = process.stdout.write;
    const capture = captureOutput();
    // Act
    process.stdout.write('to stdout\n');
    process.stderr.write(Buffer.from('to stderr\n'));
    console.log('to console %d', 42);
    logger.info('to powertools', { answer: 42 });
    capture.stop();
    // Assess
    const text = capture.text();
    expect(text).toContain('to stdout');
    expect(text).toContain('to stderr');
    expect(text).toContain('to console 42');
    expect(text).toContain('"message":"to powertools"');
    expect(process.stdout.write).toBe(write);
  });
});

describe('secrets hygiene: error paths with real tokens', () => {
  let harness: DeliveryHarness;

  beforeAll(async () => {
    harness = await startDeliveryHarness({ rateLimit: false }, { genesysTimeoutMs: 300 });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('logs no client secret, token or Authorization value when tokens are revoked, calls fail and credentials are rejected', async () => {
    // Prepare: a real token first (registered by the harness's HTTP client), then every kind of failure.
    const capture = captureOutput();
    const retryQueue = new CountingRetryQueue();
    const send = async (delivery: DeliveryService, id: string) =>
      delivery.accept(
        parseSendRequest({
          idempotencyKey: id,
          target: {
            kind: 'conversation',
            conversationId: 'c0ffee00-0000-4000-8000-000000005ec1',
            communicationId: 'c0ffee00-0000-4000-8000-000000005ec2',
          },
          message: { text: `hello ${id}` },
        }),
        { messageId: id, source: 'send' },
      );
    const delivery = harness.delivery({ retryQueue });
    try {
      // Act
      await send(delivery, 'hygiene-1');
      harness.sandbox.revokeTokens();
      harness.sandbox.injectFaults([
        { type: 'status', status: 500 },
        { type: 'status', status: 401, code: 'bad.credentials', message: 'Invalid login credentials.' },
        { type: 'hang' },
        { type: 'reset' },
      ]);
      for (const id of ['hygiene-2', 'hygiene-3', 'hygiene-4', 'hygiene-5']) await send(delivery, id);
      // Credentials the token endpoint refuses (another client id: tokens are cached per client and host).
      const wrongSecret = 'rotated-away-secret-77';
      registerSecret(wrongSecret);
      const rejected = new DeliveryService({
        store: harness.store,
        genesys: () =>
          new GenesysClient({
            credentials: new StaticCredentialsProvider({
              clientId: `${SANDBOX_CLIENT.clientId}-unknown`,
              clientSecret: wrongSecret,
              region: 'us-east-1',
            }),
            baseUrls: { apiBaseUrl: harness.sandbox.url, loginBaseUrl: harness.sandbox.url },
            http: secretAwareGenesysHttpClient(300),
          }),
        retryQueue: async () => retryQueue,
        scheduler: async () => {
          throw new Error('no scheduler');
        },
        policy: DEFAULT_RETRY_POLICY,
        leaseMs: 5_000,
      });
      const refused = await send(rejected, 'hygiene-6');
      expect(refused.status).toBe('failed');
    } finally {
      capture.stop();
    }

    // Assess: the tokens were real and known to the check, and no line shows them or the secrets.
    expect(harness.sandbox.stats().tokensIssued).toBeGreaterThanOrEqual(2);
    expect(registeredSecrets().length).toBeGreaterThanOrEqual(4);
    expect(capture.text()).toContain('"level"');
    expect(findLeaks(capture.text())).toEqual([]);
  });
});
