/**
 * The token endpoint under failure: one failure shared by every caller for a while (backoff, Retry-After),
 * a login-host 429 holds the pacer, and an odd `expires_in` is clamped to Genesys' 5 min – 48 h.
 */
import type { AxiosInstance } from 'axios';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CredentialsProvider, StaticCredentialsProvider } from '../../shared/genesys/credentials';
import type { GenesysTokenError } from '../../shared/genesys/errors';
import { GenesysClient } from '../../shared/genesys/genesys-client';
import { RatePacer } from '../../shared/genesys/rate-pacer';
import { resetTokenCache, TokenProvider } from '../../shared/genesys/token-provider';
import { logger } from '../../shared/observability/telemetry';

const CREDENTIALS = { clientId: 'client-1', clientSecret: 'a-client-secret-1', region: 'us-east-1' };
const BASE_URLS = { loginBaseUrl: 'https://login.example.test', apiBaseUrl: 'https://api.example.test' };

type Answer = { status: number; headers?: Record<string, string>; data?: unknown };

/** A token endpoint that answers from `next` and counts the requests it got. */
function tokenEndpoint(next: () => Answer) {
  const state = { requests: 0 };
  const http = {
    post: async () => {
      state.requests++;
      return { headers: {}, ...next() };
    },
    request: async () => ({ status: 200, headers: {}, data: { id: 'm-1' } }),
  } as unknown as AxiosInstance;
  return { http, state };
}

function provider(http: AxiosInstance, clock: { now: number }, credentials?: CredentialsProvider) {
  return new TokenProvider({
    credentials: credentials ?? new StaticCredentialsProvider(CREDENTIALS),
    baseUrls: BASE_URLS,
    http,
    now: () => clock.now,
  });
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => (error as GenesysTokenError).failure,
  );

beforeEach(() => resetTokenCache());
afterEach(() => vi.restoreAllMocks());

describe('token endpoint failures', () => {
  it('shares one failure among 50 concurrent callers and later ones, then backs off 1 s, 2 s, 4 s…', async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    const { http, state } = tokenEndpoint(() => ({ status: 503, data: { message: 'down' } }));
    const tokens = provider(http, clock);

    // Act
    const first = await Promise.all(Array.from({ length: 50 }, () => failureOf(tokens.getToken())));
    const afterBurst = state.requests;
    clock.now += 999;
    await failureOf(tokens.getToken());
    const withinHold = state.requests;
    clock.now += 1;
    await failureOf(tokens.getToken()); // second failure in a row: held 2 s
    clock.now += 1_999;
    await failureOf(tokens.getToken());
    const withinSecondHold = state.requests;
    clock.now += 1;
    await failureOf(tokens.getToken());

    // Assess
    expect(first.every((failure) => failure?.kind === 'transient')).toBe(true);
    expect([afterBurst, withinHold, withinSecondHold, state.requests]).toEqual([1, 1, 2, 3]);
  });

  it("honours the login host's Retry-After and tells the caller how long is left", async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    const { http, state } = tokenEndpoint(() => ({ status: 429, headers: { 'Retry-After': '7' }, data: {} }));
    const held: number[] = [];
    const tokens = new TokenProvider({
      credentials: new StaticCredentialsProvider(CREDENTIALS),
      baseUrls: BASE_URLS,
      http,
      now: () => clock.now,
      onThrottled: (holdMs) => held.push(holdMs),
    });

    // Act
    const first = await failureOf(tokens.getToken());
    clock.now += 3_000;
    const later = await failureOf(tokens.getToken());

    // Assess
    expect(state.requests).toBe(1);
    expect(held).toEqual([7_000]);
    expect(first).toMatchObject({ kind: 'throttled', retryAfterSeconds: 7 });
    expect(later).toMatchObject({ kind: 'throttled', retryAfterSeconds: 4 });
  });

  it('reads the secret and asks the endpoint once for 30 sends with a revoked client, not 30 times', async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    const { http, state } = tokenEndpoint(() => ({ status: 401, data: { error: 'invalid_client' } }));
    let reads = 0;
    const credentials = new StaticCredentialsProvider(() => {
      reads++;
      return { ...CREDENTIALS, clientSecret: `a-client-secret-${reads}` };
    });
    const tokens = provider(http, clock, credentials);

    // Act
    const outcomes = [];
    for (let i = 0; i < 30; i++) outcomes.push(await failureOf(tokens.getToken()));

    // Assess
    expect(outcomes.every((failure) => failure?.kind === 'permanent')).toBe(true);
    expect(state.requests).toBe(2); // the first try and one after reloading the (rotated?) secret
    expect(reads).toBe(2); // the first read and the one reload
  });

  it('holds the client pacer after a login-host 429, as after an API-host 429', async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    const { http } = tokenEndpoint(() => ({ status: 429, headers: { 'Retry-After': '20' }, data: {} }));
    const pacer = new RatePacer(600, () => clock.now);
    const client = new GenesysClient({
      credentials: new StaticCredentialsProvider(CREDENTIALS),
      baseUrls: BASE_URLS,
      http,
      now: () => clock.now,
      pacer,
    });

    // Act
    const outcome = await client.request('GET', '/api/v2/x', undefined, { maxPacingWaitMs: 0 });

    // Assess
    expect(outcome.kind).toBe('throttled');
    expect(pacer.delayMs()).toBe(20_000);
  });
});

describe('token lifetime (expires_in)', () => {
  it.each([
    ['missing', undefined, 300, 'expires_in is missing'],
    ['zero', 0, 300, 'expires_in 0 is below 5 minutes'],
    ['a millisecond', 0.001, 300, 'expires_in 0.001 is below 5 minutes'],
    ['a word', 'soon', 300, 'expires_in is not a number ("soon")'],
    ['huge', 1e308, 172_800, 'expires_in 1e+308 is above 48 hours'],
    ['a numeric string', '86400', 86_400, undefined],
    ['the default', 86_400, 86_400, undefined],
  ])('%s: trusted for %s s, with a clear warning when odd', async (_name, expiresIn, seconds, odd) => {
    // Prepare
    const clock = { now: 1_000_000 };
    const { http } = tokenEndpoint(() => ({
      status: 200,
      data: { access_token: 'an-access-token', expires_in: expiresIn },
    }));
    const warn = vi.spyOn(logger, 'warn');

    // Act
    const token = await provider(http, clock).getToken();

    // Assess
    expect(token.expiresAt).toBe(1_000_000 + seconds * 1000);
    expect(token.renewAt).toBeLessThan(token.expiresAt);
    expect(token.renewAt).toBeGreaterThan(1_000_000);
    const lines = warn.mock.calls.map(([message]) => String(message));
    if (odd === undefined) expect(lines).toEqual([]);
    else expect(lines).toEqual([expect.stringContaining(odd)]);
  });
});
