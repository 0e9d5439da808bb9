import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../local/sandbox';
import { additionalText, conversationPath } from './fixtures';
import { api, fakeClock, token } from './helpers';

describe('sandbox per-token rate limit', () => {
  const clock = fakeClock();
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      rateLimit: { limit: 3, windowMs: 10_000 },
      receipts: false,
      now: clock.now,
    });
  });
  afterAll(() => sandbox.close());

  const send = (accessToken: string, text: string) =>
    api(sandbox, accessToken, 'POST', conversationPath, additionalText(text));

  it('answers 429 with Retry-After and too.many.requests.retry.after once a token spends its window', async () => {
    // Prepare
    const accessToken = await token(sandbox);
    for (let i = 0; i < 3; i++) {
      clock.advance(1_000);
      expect((await send(accessToken, `rl-a-${i}`)).status).toBe(200);
    }
    // Act
    const throttled = await send(accessToken, 'rl-a-3');
    // Assess: the oldest of the three (at +1 s) leaves the window at +11 s, 8 s from now (+3 s).
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('8');
    expect(throttled.body).toMatchObject({
      code: 'too.many.requests.retry.after',
      status: 429,
      messageParams: { limit: '3', duration: '10' },
    });
    expect(sandbox.stats().throttled).toBe(1);
  });

  it('limits each token on its own', async () => {
    // Prepare
    const other = await token(sandbox);
    // Act
    const answer = await send(other, 'rl-b-0');
    // Assess
    expect(answer.status).toBe(200);
  });

  it('admits again once the window has moved past the oldest request, Retry-After never below 1', async () => {
    // Prepare
    const accessToken = await token(sandbox);
    for (let i = 0; i < 3; i++) expect((await send(accessToken, `rl-c-${i}`)).status).toBe(200);
    // Act
    clock.advance(9_999);
    const almost = await send(accessToken, 'rl-c-3');
    clock.advance(1);
    const freed = await send(accessToken, 'rl-c-4');
    // Assess
    expect(almost.status).toBe(429);
    expect(almost.headers.get('retry-after')).toBe('1');
    expect(freed.status).toBe(200);
  });

  it('can be changed or switched off at run time', async () => {
    // Prepare
    const accessToken = await token(sandbox);
    sandbox.setRateLimit({ limit: 1, windowMs: 60_000 });
    // Act
    const first = await send(accessToken, 'rl-d-0');
    const second = await send(accessToken, 'rl-d-1');
    sandbox.setRateLimit(false);
    const unlimited = await Promise.all([0, 1, 2, 3].map((i) => send(accessToken, `rl-d-off-${i}`)));
    // Assess
    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('60');
    expect(unlimited.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
  });
});
