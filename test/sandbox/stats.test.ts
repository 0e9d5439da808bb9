import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox, tokenFingerprint } from '../../local/sandbox';
import { additionalText, agentlessPath, conversationPath } from './fixtures';
import { api, token } from './helpers';

describe('sandbox stats, delivery counts and duplicates', () => {
  let sandbox: Sandbox;
  let accessToken: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ receipts: false, rateLimit: false });
    accessToken = await token(sandbox);
  });
  afterAll(() => sandbox.close());

  it('counts a body sent twice as a duplicate, whatever its key order', async () => {
    // Prepare
    sandbox.resetStats();
    const sms = { fromAddress: '+1', toAddress: '+2', toAddressMessengerType: 'sms', textBody: 'dup-1' };
    const reordered = {
      textBody: 'dup-1',
      toAddressMessengerType: 'sms',
      toAddress: '+2',
      fromAddress: '+1',
    };
    // Act
    await api(sandbox, accessToken, 'POST', agentlessPath, sms);
    await api(sandbox, accessToken, 'POST', agentlessPath, reordered);
    await api(sandbox, accessToken, 'POST', conversationPath, additionalText('unique-1'));
    // Assess
    const key = `agentless ${agentlessPath} {"fromAddress":"+1","textBody":"dup-1","toAddress":"+2","toAddressMessengerType":"sms"}`;
    expect(sandbox.deliveryCounts().get(key)).toBe(2);
    expect(sandbox.deliveryCounts().size).toBe(2);
    expect(sandbox.duplicates()).toEqual([{ key, count: 2 }]);
  });

  it('does not count refused or faulted sends as deliveries', async () => {
    // Prepare
    sandbox.resetStats();
    sandbox.injectFaults([{ type: 'status', status: 503 }]);
    // Act
    await api(sandbox, accessToken, 'POST', conversationPath, additionalText('retried-1'));
    await api(sandbox, accessToken, 'POST', conversationPath, additionalText('retried-1'));
    await api(sandbox, accessToken, 'POST', conversationPath, { textBody: '' });
    // Assess
    expect(sandbox.duplicates()).toEqual([]);
    expect([...sandbox.deliveryCounts().values()]).toEqual([1]);
  });

  it('counts requests per route and per token fingerprint, and resets', async () => {
    // Prepare
    sandbox.resetStats();
    const second = await token(sandbox);
    // Act
    await api(sandbox, accessToken, 'POST', conversationPath, additionalText('count-1'));
    await api(sandbox, accessToken, 'GET', '/api/v2/conversations/messages/x/details');
    await api(sandbox, second, 'POST', '/api/v2/conversations/messages/conv-1/messages/bulk', []);
    await api(sandbox, 'not-a-token', 'GET', '/api/v2/conversations/messages/x/details');
    const stats = sandbox.stats();
    sandbox.resetStats();
    // Assess
    expect(stats.requests).toMatchObject({
      token: 1,
      conversationMessage: 1,
      getMessageDetails: 2,
      bulk: 1,
      agentless: 0,
    });
    expect(stats.tokensIssued).toBe(1);
    expect(stats.perToken).toEqual({ [tokenFingerprint(accessToken)]: 2, [tokenFingerprint(second)]: 1 });
    expect(sandbox.stats().requests.conversationMessage).toBe(0);
    expect(sandbox.deliveryCounts().size).toBe(0);
    expect(sandbox.messages().length).toBeGreaterThan(0);
  });
});
