/**
 * Faults after acceptance: the sandbox takes the message (stored, counted, receipts started), then the
 * answer is lost or spoilt, so the client cannot know Genesys has it. No fixed waits: each test waits for
 * the sandbox to have accepted the message before it gives up on the answer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Fault, type Sandbox, startSandbox } from '../../local/sandbox';
import { additionalText, conversationPath } from './fixtures';
import { api, eventually, token } from './helpers';

let sandbox: Sandbox;
let accessToken: string;

beforeAll(async () => {
  sandbox = await startSandbox({ receipts: false, rateLimit: false });
  accessToken = await token(sandbox);
});
afterAll(() => sandbox.close());
afterEach(() => expect(sandbox.pendingFaults(), 'faults still queued after the test').toBe(0));

const send = (text: string, signal?: AbortSignal) =>
  api(sandbox, accessToken, 'POST', conversationPath, additionalText(text), signal ? { signal } : {});

const accepted = (text: string) => sandbox.messages().filter((m) => JSON.stringify(m.body).includes(text));

/** Sends, waits until the sandbox has accepted the message, then gives up on the answer. */
async function sendAndGiveUp(text: string): Promise<{ answeredFirst: boolean; outcome: string }> {
  const abort = new AbortController();
  let answeredFirst = false;
  const outcome = send(text, abort.signal).then(
    (answer) => {
      answeredFirst = true;
      return `answered ${answer.status}`;
    },
    (error: Error) => error.name,
  );
  await eventually(() => (accepted(text).length === 1 ? true : undefined), `${text} to be accepted`);
  const before = answeredFirst;
  abort.abort();
  return { answeredFirst: before, outcome: await outcome };
}

describe('sandbox faults after acceptance', () => {
  it.each([502, 504])('accepts the message, then answers %i', async (status) => {
    // Prepare
    const text = `after-accept-${status}`;
    sandbox.injectFaults([{ type: 'status', status, phase: 'afterAccept' }]);
    // Act
    const answer = await send(text);
    // Assess
    expect(answer.status).toBe(status);
    expect(accepted(text)).toEqual([expect.objectContaining({ answerFault: `status ${status}` })]);
    expect(sandbox.stats().afterAccept[`status ${status}`]).toBeGreaterThanOrEqual(1);
  });

  it('accepts the message, then never answers (hang)', async () => {
    // Prepare
    sandbox.injectFaults([{ type: 'hang', phase: 'afterAccept' }]);
    // Act
    const { answeredFirst, outcome } = await sendAndGiveUp('after-accept-hang');
    // Assess
    expect(answeredFirst).toBe(false);
    expect(outcome).toBe('AbortError');
    expect(accepted('after-accept-hang')[0]?.answerFault).toBe('hang');
  });

  it('accepts the message, then answers late (latency after acceptance)', async () => {
    // Prepare: far later than any test waits
    sandbox.injectFaults([{ type: 'latency', ms: 600_000, phase: 'afterAccept' }]);
    // Act
    const { answeredFirst, outcome } = await sendAndGiveUp('after-accept-late');
    // Assess
    expect(answeredFirst).toBe(false);
    expect(outcome).toBe('AbortError');
    expect(accepted('after-accept-late')[0]?.answerFault).toBe('latency');
  });

  it('accepts the message, then resets the connection', async () => {
    // Prepare
    sandbox.injectFaults([{ type: 'reset', phase: 'afterAccept' }]);
    // Act
    const outcome = await send('after-accept-reset').then(
      () => 'answered',
      (error: Error) => error,
    );
    // Assess
    expect(outcome).toBeInstanceOf(TypeError);
    expect(String((outcome as TypeError).cause)).toMatch(/ECONNRESET|socket|closed/i);
    expect(accepted('after-accept-reset')[0]?.answerFault).toBe('reset');
  });

  it('drips the real answer: headers at once, the body a few bytes at a time', async () => {
    // Prepare: one chunk, then the next one only after ten minutes
    sandbox.injectFaults([{ type: 'drip', intervalMs: 600_000, chunkBytes: 8 }]);
    const abort = new AbortController();
    // Act
    const response = await fetch(`${sandbox.url}${conversationPath}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(additionalText('after-accept-drip')),
      signal: abort.signal,
    });
    const reader = response.body!.getReader();
    const first = await reader.read();
    abort.abort();
    // Assess
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(8);
    const id = accepted('after-accept-drip')[0]?.id ?? '';
    expect(Buffer.from(first.value ?? []).toString('utf8')).toBe(`{"id":"${id[0]}`);
    expect(accepted('after-accept-drip')[0]?.answerFault).toBe('drip');
  });

  it('drips an answer to its end when the intervals are short', async () => {
    // Prepare
    sandbox.injectFaults([{ type: 'drip', intervalMs: 1, chunkBytes: 64 }]);
    // Act
    const answer = await send('after-accept-drip-whole');
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(accepted('after-accept-drip-whole')[0]?.id);
  });

  it('keeps the faults before acceptance: a 503 accepts nothing', async () => {
    // Prepare
    sandbox.injectFaults([{ type: 'status', status: 503, phase: 'beforeAccept' }]);
    // Act
    const answer = await send('before-accept-503');
    // Assess
    expect(answer.status).toBe(503);
    expect(accepted('before-accept-503')).toEqual([]);
  });

  it('draws random faults after acceptance from the seed', async () => {
    // Prepare
    const random = await startSandbox({
      receipts: false,
      rateLimit: false,
      randomFaults: { afterAccept: { error504: 1 } },
    });
    try {
      const randomToken = await token(random);
      // Act
      const answer = await api(random, randomToken, 'POST', conversationPath, additionalText('random-504'));
      // Assess
      expect(answer.status).toBe(504);
      expect(random.messages()).toEqual([expect.objectContaining({ answerFault: 'status 504' })]);
      expect(random.deliveryCounts().size).toBe(1);
    } finally {
      await random.close();
    }
  });

  it.each([
    [{ type: 'drip', intervalMs: -1 }, /intervalMs must be >= 0/],
    [{ type: 'drip', intervalMs: 5, chunkBytes: 0 }, /chunkBytes must be a positive integer/],
    [{ type: 'hang', phase: 'later' }, /phase must be beforeAccept or afterAccept/],
  ] as Array<[Fault, RegExp]>)('refuses %j', (fault, words) => {
    // Act / Assess
    expect(() => sandbox.injectFaults([fault])).toThrow(words);
  });
});
