import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../local/sandbox';
import { BOT_CONNECTOR_MESSAGES_PATH } from '../../shared/genesys/endpoints';
import { MAX_RENEWAL_MARGIN_MS, renewalMarginMs, resetTokenCache } from '../../shared/genesys/token-provider';
import { botConnectorCardBody } from './support/sample-bodies';
import { sandboxClient } from './support/sandbox-client';

describe('renewalMarginMs', () => {
  it.each([
    [5 * 60_000, 30_000],
    [10 * 60_000, 60_000],
    [50 * 60_000, 5 * 60_000],
    [24 * 3_600_000, 5 * 60_000],
  ])('a %i ms token is renewed %i ms before it expires', (lifetime, margin) => {
    // Act / Assess
    expect(renewalMarginMs(lifetime)).toBe(margin);
    expect(MAX_RENEWAL_MARGIN_MS).toBe(300_000);
  });
});

/** One clock for the sandbox (token expiry) and the client (renewal): time moves without waiting. */
const clock = { now: Date.parse('2026-03-01T00:00:00Z') };
let shortSandbox: Sandbox;
let dailySandbox: Sandbox;
let sequence = 0;

async function sendAt(sandbox: Sandbox, offsetMs: number, start: number) {
  clock.now = start + offsetMs;
  sequence += 1;
  return sandboxClient(sandbox, { now: () => clock.now }).request(
    'POST',
    BOT_CONNECTOR_MESSAGES_PATH,
    botConnectorCardBody(`renewal ${sequence}`),
  );
}

beforeAll(async () => {
  shortSandbox = await startSandbox({
    tokenExpiresInSeconds: 600,
    rateLimit: false,
    receipts: false,
    now: () => clock.now,
  });
  dailySandbox = await startSandbox({ rateLimit: false, receipts: false, now: () => clock.now });
});

afterAll(async () => {
  await Promise.all([shortSandbox.close(), dailySandbox.close()]);
});

beforeEach(() => {
  resetTokenCache();
  shortSandbox.resetStats();
  dailySandbox.resetStats();
});

describe('token renewal before expiry', () => {
  it('a 10-minute token is used for 9 minutes, then renewed (10 % of its lifetime left)', async () => {
    // Prepare
    const start = clock.now;
    await sendAt(shortSandbox, 0, start);

    // Act
    const atNineMinutes = await sendAt(shortSandbox, 540_000 - 1, start);
    const tokensBefore = shortSandbox.stats().requests.token;
    const afterNineMinutes = await sendAt(shortSandbox, 540_000, start);

    // Assess
    expect([atNineMinutes.kind, afterNineMinutes.kind]).toEqual(['sent', 'sent']);
    expect(tokensBefore).toBe(1);
    expect(shortSandbox.stats().requests.token).toBe(2);
    expect(Object.keys(shortSandbox.stats().perToken)).toHaveLength(2);
  });

  it('a 24-hour token is renewed 5 minutes before it expires (the margin is capped)', async () => {
    // Prepare
    const start = clock.now;
    const day = 86_400_000;
    await sendAt(dailySandbox, 0, start);

    // Act
    await sendAt(dailySandbox, day - 300_000 - 1, start);
    const tokensBefore = dailySandbox.stats().requests.token;
    await sendAt(dailySandbox, day - 300_000, start);

    // Assess
    expect(tokensBefore).toBe(1);
    expect(dailySandbox.stats().requests.token).toBe(2);
  });

  it('keeps using a still-valid token when its renewal fails', async () => {
    // Prepare
    const start = clock.now;
    await sendAt(shortSandbox, 0, start);
    shortSandbox.injectFaults([{ type: 'status', status: 503 }], { on: 'token' });

    // Act
    const outcome = await sendAt(shortSandbox, 560_000, start);

    // Assess
    expect(outcome.kind).toBe('sent');
    expect(shortSandbox.stats().requests.token).toBe(2);
    expect(Object.keys(shortSandbox.stats().perToken)).toHaveLength(1);
  });

  it('an expired token the client still trusted (clock skew) is renewed through the API 401', async () => {
    // Prepare
    const start = clock.now;
    const skewed = { now: start };
    const client = sandboxClient(shortSandbox, { now: () => skewed.now });
    await client.request('POST', BOT_CONNECTOR_MESSAGES_PATH, botConnectorCardBody(`skew ${++sequence}`));
    clock.now = start + 601_000; // the sandbox sees it expired; the client's clock has not moved

    // Act
    const outcome = await client.request(
      'POST',
      BOT_CONNECTOR_MESSAGES_PATH,
      botConnectorCardBody(`skew ${++sequence}`),
    );

    // Assess
    expect(outcome.kind).toBe('sent');
    expect(shortSandbox.stats().requests.token).toBe(2);
  });
});
