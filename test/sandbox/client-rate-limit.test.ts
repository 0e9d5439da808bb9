import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../local/sandbox';
import { additionalText, conversationPath } from './fixtures';
import { api, CLIENT, fakeClock, requestToken, token } from './helpers';

const OTHER = { clientId: 'other-client', clientSecret: 'other-secret' };

async function tokenOf(sandbox: Sandbox, client: typeof OTHER): Promise<string> {
  const response = await requestToken(sandbox, client);
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('sandbox per-OAuth-client rate limit (all tokens of one client together)', () => {
  const clock = fakeClock();
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      clients: [CLIENT, OTHER],
      rateLimit: { limit: 3, windowMs: 10_000 },
      clientRateLimit: { limit: 4, windowMs: 20_000 },
      receipts: false,
      now: clock.now,
    });
  });
  afterAll(() => sandbox.close());

  const send = (accessToken: string, text: string) =>
    api(sandbox, accessToken, 'POST', conversationPath, additionalText(text));

  it('answers 429 with Retry-After and the client limit in the body once its tokens together spend it', async () => {
    // Prepare: two tokens of one client, each under its own limit of 3
    const [first, second] = [await token(sandbox), await token(sandbox)];
    const admitted = [];
    for (const [i, accessToken] of [first, first, second, second].entries()) {
      clock.advance(1_000);
      admitted.push((await send(accessToken, `crl-a-${i}`)).status);
    }
    // Act: a third token of the same client, never used before
    const third = await token(sandbox);
    const throttled = await send(third, 'crl-a-4');
    // Assess: the oldest (at +1 s) leaves the 20 s window at +21 s, 17 s from now (+4 s)
    expect(admitted).toEqual([200, 200, 200, 200]);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('17');
    expect(throttled.body).toMatchObject({
      code: 'too.many.requests.retry.after',
      status: 429,
      messageParams: { limit: '4', duration: '20' },
    });
    expect(sandbox.stats()).toMatchObject({ throttled: 1, clientThrottled: 1 });
  });

  it('limits each OAuth client on its own', async () => {
    // Act
    const answer = await send(await tokenOf(sandbox, OTHER), 'crl-b-0');
    // Assess
    expect(answer.status).toBe(200);
  });

  it('does not count a request the per-token limit refused, and frees up as the window moves', async () => {
    // Prepare: a new window for the client
    clock.advance(30_000);
    const accessToken = await token(sandbox);
    for (let i = 0; i < 3; i++) expect((await send(accessToken, `crl-c-${i}`)).status).toBe(200);
    // Act: the token's fourth is refused by the token's limit; another token still has the client's fourth
    const byToken = await send(accessToken, 'crl-c-3');
    const fourth = await send(await token(sandbox), 'crl-c-4');
    clock.advance(20_000);
    const freed = await send(await token(sandbox), 'crl-c-5');
    // Assess
    expect(byToken.status).toBe(429);
    expect(byToken.body.messageParams).toEqual({ limit: '3', duration: '10' });
    expect(fourth.status).toBe(200);
    expect(freed.status).toBe(200);
    expect(sandbox.stats()).toMatchObject({ throttled: 2, clientThrottled: 1 });
  });

  it('is off by default and can be changed at run time', async () => {
    // Prepare
    const open = await startSandbox({ receipts: false, rateLimit: false });
    try {
      const tokens = await Promise.all([0, 1, 2].map(() => token(open)));
      const before = await Promise.all(
        tokens.map((t, i) => api(open, t, 'POST', conversationPath, additionalText(`crl-d-${i}`))),
      );
      // Act
      open.setClientRateLimit({ limit: 1, windowMs: 60_000 });
      const after = await Promise.all(
        tokens.map((t, i) => api(open, t, 'POST', conversationPath, additionalText(`crl-e-${i}`))),
      );
      // Assess
      expect(before.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(after.map((a) => a.status).sort()).toEqual([200, 429, 429]);
    } finally {
      await open.close();
    }
  });
});
