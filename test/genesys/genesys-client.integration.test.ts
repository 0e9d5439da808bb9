import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../local/sandbox';
import { StaticCredentialsProvider } from '../../shared/genesys/credentials';
import {
  BOT_CONNECTOR_MESSAGES_PATH,
  conversationMessagePath,
  genesysMessageIdOf,
} from '../../shared/genesys/endpoints';
import {
  CredentialsUnavailableError,
  GenesysConfigurationError,
  GenesysCredentialsError,
} from '../../shared/genesys/errors';
import { getGenesysClient, resetGenesysClient } from '../../shared/genesys/genesys-client';
import { createGenesysHttpClient } from '../../shared/genesys/http-client';
import { resetTokenCache, TokenProvider } from '../../shared/genesys/token-provider';
import type { GenesysOutcome } from '../../shared/genesys/types';
import { rejected } from './support/caught';
import { botConnectorCardBody } from './support/sample-bodies';
import { RotatingCredentials, SANDBOX_CREDENTIALS, sandboxClient } from './support/sandbox-client';

let sandbox: Sandbox;
let sequence = 0;

/** Unique text per send: the sandbox's duplicate detection then tells a retry from a second message. */
function body() {
  sequence += 1;
  return botConnectorCardBody(`client test ${sequence}`);
}

function send(client = sandboxClient(sandbox)): Promise<GenesysOutcome> {
  return client.request('POST', BOT_CONNECTOR_MESSAGES_PATH, body());
}

/** The token the cache holds for the sandbox client (shares the module-level cache with the client). */
function currentToken(): Promise<string> {
  const provider = new TokenProvider({
    credentials: new StaticCredentialsProvider(SANDBOX_CREDENTIALS),
    baseUrls: { apiBaseUrl: sandbox.url, loginBaseUrl: sandbox.url },
    http: createGenesysHttpClient({ timeoutMs: 5_000 }),
  });
  return provider.getToken().then((token) => token.accessToken);
}

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: false, receipts: false });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(() => {
  resetTokenCache();
  sandbox.setClients([
    { clientId: SANDBOX_CREDENTIALS.clientId, clientSecret: SANDBOX_CREDENTIALS.clientSecret },
  ]);
  sandbox.setRateLimit(false);
  sandbox.resetStats();
});

afterEach(() => {
  expect(sandbox.pendingFaults()).toBe(0);
  expect(sandbox.duplicates()).toEqual([]);
});

describe('GenesysClient: sending', () => {
  it('sends a structured message with a bearer token and returns Genesys’ answer', async () => {
    // Act
    const outcome = await send();

    // Assess
    expect(outcome).toMatchObject({ kind: 'sent', status: 200 });
    if (outcome.kind !== 'sent') return;
    const genesysMessageId = genesysMessageIdOf('botConnector', outcome.data);
    expect(genesysMessageId).toMatch(/^[0-9a-f]{32}$/);
    expect(outcome.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sandbox.messages().map((m) => m.id)).toContain(genesysMessageId);
    expect(sandbox.stats().tokensIssued).toBe(1);
  });

  it('reads a message back with GET', async () => {
    // Prepare
    const client = sandboxClient(sandbox);
    const sent = await client.request('POST', '/api/v2/conversations/messages/agentless', {
      fromAddress: '+13175550000',
      toAddress: '+13175550199',
      toAddressMessengerType: 'sms',
      textBody: `status read ${++sequence}`,
    });
    if (sent.kind !== 'sent') throw new Error(`send failed: ${JSON.stringify(sent)}`);
    const data = sent.data as { conversationId: string; message: { id: string } };

    // Act
    const read = await client.request<{ id: string; status: string }>(
      'GET',
      conversationMessagePath(data.conversationId, data.message.id),
    );

    // Assess
    expect(read).toMatchObject({ kind: 'sent', status: 200, data: { id: data.message.id, status: 'sent' } });
  });

  it('asks for exactly one token for 100 concurrent calls', async () => {
    // Prepare
    const client = sandboxClient(sandbox);

    // Act
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => send(client)));

    // Assess
    expect(outcomes.filter((o) => o.kind === 'sent')).toHaveLength(100);
    expect(sandbox.stats().requests.token).toBe(1);
    expect(sandbox.stats().requests.botConnector).toBe(100);
  });

  it('reuses the cached token across client instances (warm invocations)', async () => {
    // Act
    await send(sandboxClient(sandbox));
    await send(sandboxClient(sandbox));

    // Assess
    expect(sandbox.stats().requests.token).toBe(1);
  });

  it('keeps the connection alive between calls', async () => {
    // Prepare
    const http = createGenesysHttpClient({ timeoutMs: 5_000 });
    await http.get(`${sandbox.url}/api/v2/nothing-here`);

    // Act
    const second = await http.get(`${sandbox.url}/api/v2/nothing-here`);

    // Assess
    expect(second.status).toBe(404);
    expect((second.request as { reusedSocket?: boolean }).reusedSocket).toBe(true);
  });
});

describe('GenesysClient: 401 from the API', () => {
  it('renews a revoked token once and retries the call', async () => {
    // Prepare
    const client = sandboxClient(sandbox);
    await send(client);
    sandbox.revokeTokens();

    // Act
    const outcome = await send(client);

    // Assess
    expect(outcome.kind).toBe('sent');
    expect(sandbox.stats().requests.token).toBe(2);
    expect(sandbox.stats().requests.botConnector).toBe(3);
  });

  it('shares that one renewal between concurrent callers', async () => {
    // Prepare
    const client = sandboxClient(sandbox);
    await send(client);
    sandbox.revokeTokens();

    // Act
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => send(client)));

    // Assess
    expect(outcomes.every((o) => o.kind === 'sent')).toBe(true);
    expect(sandbox.stats().requests.token).toBe(2);
  });

  it('gives up after one renewal: a second 401 is permanent', async () => {
    // Prepare
    const client = sandboxClient(sandbox);
    sandbox.injectFaults(
      [
        { type: 'status', status: 401, code: 'bad.credentials', message: 'Invalid login credentials.' },
        { type: 'status', status: 401, code: 'bad.credentials', message: 'Invalid login credentials.' },
      ],
      { on: 'send' },
    );

    // Act
    const outcome = await send(client);

    // Assess
    expect(outcome).toMatchObject({ kind: 'permanent', error: { status: 401, code: 'bad.credentials' } });
    expect(sandbox.stats().requests.token).toBe(2);
    expect(sandbox.stats().requests.botConnector).toBe(2);
    expect(JSON.stringify(outcome)).not.toContain(await currentToken());
  });
});

describe('GenesysClient: failures become outcomes', () => {
  it('429 is throttled with the Retry-After seconds', async () => {
    // Prepare
    sandbox.injectFaults([{ type: 'status', status: 429, retryAfterSeconds: 7 }]);

    // Act
    const outcome = await send();

    // Assess
    expect(outcome).toMatchObject({
      kind: 'throttled',
      retryAfterSeconds: 7,
      error: { status: 429, code: 'too.many.requests.retry.after' },
    });
  });

  it('the per-token rate limit is throttled with a wait within the window', async () => {
    // Prepare
    sandbox.setRateLimit({ limit: 2, windowMs: 60_000 });
    const client = sandboxClient(sandbox);
    await send(client);
    await send(client);

    // Act
    const outcome = await send(client);

    // Assess
    expect(outcome.kind).toBe('throttled');
    const seconds = outcome.kind === 'throttled' ? outcome.retryAfterSeconds : undefined;
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
  });

  it.each([500, 502, 503, 504, 408])('%i is transient', async (status) => {
    // Prepare
    sandbox.injectFaults([{ type: 'status', status }]);

    // Act
    const outcome = await send();

    // Assess
    expect(outcome).toMatchObject({ kind: 'transient', error: { status } });
  });

  it('a request that hangs past the client timeout is transient', async () => {
    // Prepare
    sandbox.injectFaults([{ type: 'hang' }]);
    const client = sandboxClient(sandbox, { timeoutMs: 300 });

    // Act
    const outcome = await send(client);

    // Assess
    expect(outcome.kind).toBe('transient');
    expect(outcome.kind !== 'sent' && outcome.error.code).toMatch(/^(ECONNABORTED|ETIMEDOUT)$/);
    expect(outcome.kind !== 'sent' && outcome.error.message).toContain('timeout');
  });

  it('a connection reset is transient', async () => {
    // Prepare
    sandbox.injectFaults([{ type: 'reset' }]);

    // Act
    const outcome = await send();

    // Assess
    expect(outcome).toMatchObject({ kind: 'transient', error: { code: 'ECONNRESET' } });
  });

  it('a refused connection is transient', async () => {
    // Prepare
    const client = new (await import('../../shared/genesys/genesys-client')).GenesysClient({
      credentials: new StaticCredentialsProvider(SANDBOX_CREDENTIALS),
      baseUrls: { apiBaseUrl: 'http://127.0.0.1:9', loginBaseUrl: 'http://127.0.0.1:9' },
      http: createGenesysHttpClient({ timeoutMs: 2_000 }),
    });

    // Act
    const outcome = await send(client);

    // Assess
    expect(outcome).toMatchObject({ kind: 'transient', error: { code: 'ECONNREFUSED' } });
  });

  it('400 is permanent with Genesys’ code, message, contextId and correlation id', async () => {
    // Prepare
    const { botId: _dropped, ...withoutBotId } = body();

    // Act
    const outcome = await sandboxClient(sandbox).request('POST', BOT_CONNECTOR_MESSAGES_PATH, withoutBotId);

    // Assess
    expect(outcome.kind).toBe('permanent');
    if (outcome.kind !== 'permanent') return;
    expect(outcome.error.status).toBe(400);
    expect(outcome.error.code).toEqual(expect.any(String));
    expect(outcome.error.message).toContain('botId');
    expect(outcome.error.contextId).toMatch(/^[0-9a-f-]{36}$/);
    expect(outcome.error.correlationId).toBe(outcome.error.contextId);
  });

  it('an unknown path is permanent (404)', async () => {
    // Act
    const outcome = await sandboxClient(sandbox).request(
      'GET',
      '/api/v2/conversations/messages/nope/details',
    );

    // Assess
    expect(outcome).toMatchObject({ kind: 'permanent', error: { status: 404 } });
  });

  it('no failure carries the access token', async () => {
    // Prepare
    const token = await currentToken();
    sandbox.injectFaults([
      { type: 'status', status: 503 },
      { type: 'status', status: 429, retryAfterSeconds: 1 },
      { type: 'reset' },
      { type: 'status', status: 400 },
    ]);

    // Act
    const outcomes = [await send(), await send(), await send(), await send()];

    // Assess
    expect(outcomes.map((o) => o.kind)).toEqual(['transient', 'throttled', 'transient', 'permanent']);
    expect(JSON.stringify(outcomes)).not.toContain(token);
  });
});

describe('GenesysClient: the token endpoint', () => {
  it('a 503 from the token endpoint is transient, shared for a second, and the next call after it gets a token', async () => {
    // Prepare
    sandbox.injectFaults([{ type: 'status', status: 503 }], { on: 'token' });
    const clock = { now: Date.now() };
    const client = sandboxClient(sandbox, { now: () => clock.now });

    // Act
    const first = await send(client);
    const shared = await send(client);
    clock.now += 1_000;
    const second = await send(client);

    // Assess
    expect(first).toMatchObject({ kind: 'transient', error: { status: 503 } });
    expect(first.kind !== 'sent' && first.error.message).toContain('/oauth/token');
    expect(shared.kind !== 'sent' && shared.error.message).toContain('shared for 1 s more');
    expect(second.kind).toBe('sent');
  });

  it('a 429 from the token endpoint is throttled', async () => {
    // Prepare
    sandbox.injectFaults([{ type: 'status', status: 429, retryAfterSeconds: 3 }], { on: 'token' });

    // Act
    const outcome = await send();

    // Assess
    expect(outcome).toMatchObject({ kind: 'throttled', retryAfterSeconds: 3 });
  });

  it('a rotated secret: one reload, then it works', async () => {
    // Prepare
    const rotated = { ...SANDBOX_CREDENTIALS, clientSecret: 'rotated-secret-2' };
    sandbox.setClients([{ clientId: rotated.clientId, clientSecret: rotated.clientSecret }]);
    const credentials = new RotatingCredentials(SANDBOX_CREDENTIALS, rotated);

    // Act
    const outcome = await send(sandboxClient(sandbox, { credentials }));

    // Assess
    expect(outcome.kind).toBe('sent');
    expect(credentials.reloads).toBe(1);
    expect(sandbox.stats().requests.token).toBe(2);
  });

  it('a secret rotated while a token is cached: API 401, token 401, reload, then it works', async () => {
    // Prepare
    const rotated = { ...SANDBOX_CREDENTIALS, clientSecret: 'rotated-secret-3' };
    const credentials = new RotatingCredentials(SANDBOX_CREDENTIALS, rotated);
    const client = sandboxClient(sandbox, { credentials });
    await send(client);
    sandbox.setClients([{ clientId: rotated.clientId, clientSecret: rotated.clientSecret }]);
    sandbox.revokeTokens();

    // Act
    const outcome = await send(client);

    // Assess
    expect(outcome.kind).toBe('sent');
    expect(credentials.reloads).toBe(1);
  });

  it('a wrong secret after the reload is permanent, and no secret appears in the outcome', async () => {
    // Prepare
    sandbox.setClients([{ clientId: SANDBOX_CREDENTIALS.clientId, clientSecret: 'the-real-new-secret' }]);
    const wrong = { ...SANDBOX_CREDENTIALS, clientSecret: 'still-wrong-secret' };
    const credentials = new RotatingCredentials(SANDBOX_CREDENTIALS, wrong);

    // Act
    const outcome = await send(sandboxClient(sandbox, { credentials }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'permanent', error: { status: 401, code: 'invalid_client' } });
    expect(credentials.reloads).toBe(1);
    expect(sandbox.stats().requests.token).toBe(2);
    expect(sandbox.stats().requests.botConnector).toBe(0);
    const text = JSON.stringify(outcome);
    for (const secret of [SANDBOX_CREDENTIALS.clientSecret, wrong.clientSecret, 'the-real-new-secret']) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(`${SANDBOX_CREDENTIALS.clientId}:${secret}`).toString('base64'));
    }
  });

  it('does not ask again when the reloaded credentials are unchanged', async () => {
    // Prepare
    sandbox.setClients([{ clientId: SANDBOX_CREDENTIALS.clientId, clientSecret: 'not-what-we-have' }]);
    const credentials = new RotatingCredentials(SANDBOX_CREDENTIALS, SANDBOX_CREDENTIALS);

    // Act
    const outcome = await send(sandboxClient(sandbox, { credentials }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'permanent', error: { status: 401 } });
    expect(credentials.reloads).toBe(1);
    expect(sandbox.stats().requests.token).toBe(1);
  });

  it('a credentials error is thrown with kind "credentials" (ours to fix, permanent for us)', async () => {
    // Prepare
    const broken = new StaticCredentialsProvider(() => {
      throw new GenesysCredentialsError(
        'Genesys credentials secret "x" is invalid: field "clientId" is missing',
      );
    });

    // Act
    const error = await rejected(send(sandboxClient(sandbox, { credentials: broken })));

    // Assess
    expect(error).toBeInstanceOf(GenesysCredentialsError);
    expect(error).toMatchObject({ kind: 'credentials' });
  });

  it('Secrets Manager being unavailable is transient, not thrown', async () => {
    // Prepare
    const unavailable = new StaticCredentialsProvider(() => {
      throw new CredentialsUnavailableError(
        'secret "x" could not be read: ThrottlingException',
        'ThrottlingException',
      );
    });

    // Act
    const outcome = await send(sandboxClient(sandbox, { credentials: unavailable }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'transient', error: { code: 'ThrottlingException' } });
  });
});

describe('getGenesysClient', () => {
  const saved = { ...process.env };

  afterEach(() => {
    process.env = { ...saved };
    resetGenesysClient();
  });

  it('builds one client from the environment and talks to the override hosts', async () => {
    // Prepare
    delete process.env.GENESYS_SECRET_ID;
    process.env.GENESYS_CLIENT_ID = SANDBOX_CREDENTIALS.clientId;
    process.env.GENESYS_CLIENT_SECRET = SANDBOX_CREDENTIALS.clientSecret;
    process.env.GENESYS_REGION = 'eu-west-1';
    process.env.GENESYS_API_BASE_URL = sandbox.url;
    process.env.GENESYS_LOGIN_BASE_URL = `${sandbox.url}/`;

    // Act
    const client = getGenesysClient();
    const outcome = await send(client);

    // Assess
    expect(outcome.kind).toBe('sent');
    expect(getGenesysClient()).toBe(client);
    resetGenesysClient();
    expect(getGenesysClient()).not.toBe(client);
  });

  it('throws a configuration error when no credentials are configured', () => {
    // Prepare
    for (const name of [
      'GENESYS_SECRET_ID',
      'GENESYS_CLIENT_ID',
      'GENESYS_CLIENT_SECRET',
      'GENESYS_REGION',
    ]) {
      delete process.env[name];
    }

    // Act / Assess
    expect(() => getGenesysClient()).toThrow(GenesysConfigurationError);
  });
});
