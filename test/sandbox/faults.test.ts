import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../local/sandbox';
import { additionalText, conversationPath } from './fixtures';
import { api, eventually, requestToken, token } from './helpers';

describe('sandbox injected faults', () => {
  let sandbox: Sandbox;
  let accessToken: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ receipts: false, rateLimit: false });
    accessToken = await token(sandbox);
  });
  afterAll(() => sandbox.close());
  // A fault left queued would hit the next test's request: fail the test that left it, not the next one.
  afterEach(() => expect(sandbox.pendingFaults(), 'faults still queued after the test').toBe(0));

  const send = (text: string, signal?: AbortSignal) =>
    api(sandbox, accessToken, 'POST', conversationPath, additionalText(text), signal ? { signal } : {});

  it('applies queued status faults in order to the next sends, then answers normally', async () => {
    // Prepare
    sandbox.injectFaults([
      { type: 'status', status: 503 },
      { type: 'status', status: 429, retryAfterSeconds: 2 },
      { type: 'status', status: 400, code: 'messaging.invalid', message: 'custom refusal' },
    ]);
    // Act
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await send(`fault-order-${i}`));
    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([503, 429, 400, 200]);
    expect(answers[0]?.body).toMatchObject({ code: 'service.unavailable', status: 503 });
    expect(answers[1]?.headers.get('retry-after')).toBe('2');
    expect(answers[1]?.body.code).toBe('too.many.requests.retry.after');
    expect(answers[2]?.body).toMatchObject({ code: 'messaging.invalid', message: 'custom refusal' });
    expect(sandbox.messages().map((message) => message.body)).toEqual([{ textBody: 'fault-order-3' }]);
    expect(sandbox.pendingFaults()).toBe(0);
  });

  it('delays an answer with a latency fault, then accepts the message', async () => {
    // Prepare
    const before = sandbox.stats().faultsInjected;
    sandbox.injectFaults([{ type: 'latency', ms: 30 }]);
    // Act
    const answer = await send('fault-latency');
    // Assess
    expect(answer.status).toBe(200);
    expect(sandbox.stats().faultsInjected).toBe(before + 1);
  });

  it('drops the connection on a reset fault', async () => {
    // Prepare
    sandbox.injectFaults([{ type: 'reset' }]);
    // Act
    const outcome = await send('fault-reset').then(
      () => 'answered',
      (error: Error) => error,
    );
    // Assess
    expect(outcome).toBeInstanceOf(TypeError);
    expect(String((outcome as TypeError).cause)).toMatch(/ECONNRESET|socket|closed/i);
  });

  it('never answers on a hang fault, so the client gives up', async () => {
    // Prepare
    sandbox.injectFaults([{ type: 'hang' }]);
    const abort = new AbortController();
    let settled = false;
    // Act: give up only once the sandbox has taken the fault. Giving up after a fixed time could come
    // before the request reached the sandbox on a busy machine, leaving the hang queued for the next send.
    const outcome = send('fault-hang', abort.signal).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    void outcome.finally(() => (settled = true));
    await eventually(() => (sandbox.pendingFaults() === 0 ? true : undefined), 'the hang fault to be taken');
    const answeredBeforeGivingUp = settled;
    abort.abort();
    // Assess
    expect(answeredBeforeGivingUp).toBe(false);
    expect(await outcome).toBe('AbortError');
    expect(sandbox.messages().some((message) => JSON.stringify(message.body).includes('fault-hang'))).toBe(
      false,
    );
  });

  it('aims faults at the token route or status reads with `on`, leaving sends alone', async () => {
    // Prepare
    sandbox.injectFaults([{ type: 'status', status: 500 }], { on: 'token' });
    sandbox.injectFaults([{ type: 'status', status: 502 }], { on: 'status' });
    // Act
    const send1 = await send('fault-aimed');
    const tokenAnswer = await requestToken(sandbox);
    const statusRead = await api(
      sandbox,
      accessToken,
      'GET',
      `/api/v2/conversations/messages/${send1.body.id}/details`,
    );
    const statusAgain = await api(
      sandbox,
      accessToken,
      'GET',
      `/api/v2/conversations/messages/${send1.body.id}/details`,
    );
    // Assess
    expect(send1.status).toBe(200);
    expect(tokenAnswer.status).toBe(500);
    expect(statusRead.status).toBe(502);
    expect(statusAgain.status).toBe(200);
  });

  it('refuses a fault that is not an HTTP error status', () => {
    // Act / Assess
    expect(() => sandbox.injectFaults([{ type: 'status', status: 200 }])).toThrow(/400\.\.599/);
  });
});

describe('sandbox random faults', () => {
  async function statusSequence(seed: number): Promise<number[]> {
    const sandbox = await startSandbox({
      seed,
      receipts: false,
      rateLimit: false,
      randomFaults: { throttle: 0.2, error500: 0.1, error503: 0.1 },
    });
    try {
      const accessToken = await token(sandbox);
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        statuses.push(
          (await api(sandbox, accessToken, 'POST', conversationPath, additionalText(`r-${i}`))).status,
        );
      }
      return statuses;
    } finally {
      await sandbox.close();
    }
  }

  it('draws the same faults for the same seed and only the configured statuses', async () => {
    // Act
    const first = await statusSequence(7);
    const second = await statusSequence(7);
    // Assess
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 500, 503]));
  });

  it('stops when setRandomFaults(undefined) is called', async () => {
    // Prepare
    const sandbox = await startSandbox({ receipts: false, rateLimit: false, randomFaults: { error500: 1 } });
    try {
      const accessToken = await token(sandbox);
      const faulted = await api(sandbox, accessToken, 'POST', conversationPath, additionalText('rf-1'));
      // Act
      sandbox.setRandomFaults(undefined);
      const clean = await api(sandbox, accessToken, 'POST', conversationPath, additionalText('rf-2'));
      // Assess
      expect(faulted.status).toBe(500);
      expect(clean.status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });
});
