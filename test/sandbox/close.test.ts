import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../local/sandbox';
import { additionalText, conversationPath } from './fixtures';
import { api, startReceiver, token } from './helpers';

/** close() must end hanging requests itself; the test fails (rather than hangs) after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('sandbox close()', () => {
  it('ends a hanging request, a pending latency and webhook retries, then resolves', async () => {
    // Prepare
    const receiver = await startReceiver(() => 503);
    const sandbox = await startSandbox({
      rateLimit: false,
      webhook: { url: receiver.url, secret: 's', retryDelayMs: 60_000 },
      receipts: { deliveredAfterMs: 60_000, readAfterMs: 120_000 },
    });
    const accessToken = await token(sandbox);
    await api(sandbox, accessToken, 'POST', conversationPath, additionalText('close-accepted'));
    sandbox.injectFaults([{ type: 'hang' }, { type: 'latency', ms: 60_000 }]);
    const hanging = api(sandbox, accessToken, 'POST', conversationPath, additionalText('close-hang'));
    const slow = api(sandbox, accessToken, 'POST', conversationPath, additionalText('close-slow'));
    const outcomes = Promise.allSettled([hanging, slow]);
    while (sandbox.pendingFaults() > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // Act
    await within(sandbox.close(), 5_000, 'close()');
    const settled = await within(outcomes, 5_000, 'the pending requests');
    await within(sandbox.webhookIdle(), 5_000, 'webhook retries');
    await receiver.close();
    // Assess
    expect(settled.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(sandbox.messages().map((message) => message.body)).toEqual([{ textBody: 'close-accepted' }]);
    await expect(fetch(`${sandbox.url}/oauth/token`, { method: 'POST' })).rejects.toThrow();
  });

  it('can be called twice', async () => {
    // Prepare
    const sandbox = await startSandbox();
    // Act
    await sandbox.close();
    // Assess
    await expect(sandbox.close()).resolves.toBeUndefined();
  });
});
