import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../local/sandbox';
import { api, fakeClock, requestToken, token } from './helpers';

const DETAILS = '/api/v2/conversations/messages/0123456789abcdef0123456789abcdef/details';

describe('sandbox token route', () => {
  const clock = fakeClock();
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ tokenExpiresInSeconds: 1, now: clock.now });
  });
  afterAll(() => sandbox.close());

  it('issues a bearer token to a known client', async () => {
    // Act
    const response = await requestToken(sandbox);
    // Assess
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 1 });
    expect(response.headers.get('inin-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(sandbox.stats().tokensIssued).toBeGreaterThan(0);
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    // Act
    const response = await requestToken(sandbox, { clientSecret: 'wrong' });
    // Assess
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses another grant type with 400 unsupported_grant_type', async () => {
    // Act
    const response = await requestToken(sandbox, { body: 'grant_type=password&username=a&password=b' });
    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('refuses a JSON body or a missing grant type with 400 invalid_request', async () => {
    // Act
    const json = await requestToken(sandbox, {
      body: '{"grant_type":"client_credentials"}',
      contentType: 'application/json',
    });
    const missing = await requestToken(sandbox, { body: 'scope=x' });
    // Assess
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('answers 401 bad.credentials once the token has expired', async () => {
    // Prepare
    const accessToken = await token(sandbox);
    const before = await api(sandbox, accessToken, 'GET', DETAILS);
    // Act
    clock.advance(1_000);
    const after = await api(sandbox, accessToken, 'GET', DETAILS);
    // Assess
    expect(before.status).toBe(404);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'bad.credentials', status: 401 });
    expect(after.headers.get('inin-correlation-id')).toBe(after.body.contextId);
  });

  it('answers 401 authentication.required without a bearer token', async () => {
    // Act
    const answer = await api(sandbox, undefined, 'GET', DETAILS);
    // Assess
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: 'authentication.required', status: 401 });
  });

  it('answers 401 for every token issued before revokeTokens', async () => {
    // Prepare
    const accessToken = await token(sandbox);
    // Act
    sandbox.revokeTokens();
    const answer = await api(sandbox, accessToken, 'GET', DETAILS);
    const fresh = await api(sandbox, await token(sandbox), 'GET', DETAILS);
    // Assess
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('bad.credentials');
    expect(fresh.status).toBe(404);
  });

  it('stops accepting the old secret at once after setClients (rotation)', async () => {
    // Act
    sandbox.setClients([{ clientId: 'sandbox-client', clientSecret: 'rotated' }]);
    const old = await requestToken(sandbox);
    const rotated = await requestToken(sandbox, { clientSecret: 'rotated' });
    sandbox.setClients([{ clientId: 'sandbox-client', clientSecret: 'sandbox-secret' }]);
    // Assess
    expect(old.status).toBe(401);
    expect(rotated.status).toBe(200);
  });
});

describe('sandbox token expiry on the real clock', () => {
  it('answers 401 after tokenExpiresInSeconds: 1 has passed', async () => {
    // Prepare
    const sandbox = await startSandbox({ tokenExpiresInSeconds: 1 });
    try {
      const accessToken = await token(sandbox);
      // Act
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const answer = await api(sandbox, accessToken, 'GET', DETAILS);
      // Assess
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('bad.credentials');
    } finally {
      await sandbox.close();
    }
  });
});
