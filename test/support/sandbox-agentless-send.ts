import { expect } from 'vitest';

/** An agentless Open Messaging send straight to the sandbox (default client), as Genesys would take it: its id. */
export async function sendAgentlessThroughSandbox(sandboxUrl: string, text: string): Promise<string> {
  const login = await fetch(`${sandboxUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const { access_token: token } = (await login.json()) as { access_token: string };
  const sent = await fetch(`${sandboxUrl}/api/v2/conversations/messages/agentless`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      fromAddress: 'integration-1',
      toAddress: 'customer-1',
      toAddressMessengerType: 'open',
      textBody: text,
    }),
  });
  expect(sent.status).toBe(200);
  return ((await sent.json()) as { id: string }).id;
}
