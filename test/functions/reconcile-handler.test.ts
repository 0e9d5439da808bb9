import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../local/sandbox';
import { startSandbox } from '../../local/sandbox';
import { DynamoStatusStore } from '../../shared/status/dynamo-status-store';
import { type DynaliteHandle, startDynalite, TEST_CREDENTIALS, TEST_REGION } from '../support/dynalite';
import { API_GATEWAY_EVENT, FOREIGN_EVENTS, SCHEDULED_EVENT } from '../support/foreign-events';

/** The reconcile function as Lambda runs it: everything from the environment, nothing injected. */
let sandbox: Sandbox;
let dynamo: DynaliteHandle;
let store: DynamoStatusStore;
const client = { clientId: 'reconcile-client', clientSecret: 'reconcile-secret-value' };
const lambdaContext = {
  functionName: 'reconcile',
  awsRequestId: 'r-1',
  getRemainingTimeInMillis: () => 300_000,
} as Context;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clients: [client], receipts: false });
  dynamo = await startDynalite();
  const tableName = await dynamo.createStatusTable();
  store = new DynamoStatusStore({ tableName, client: dynamo.client });
  Object.assign(process.env, {
    STATUS_TABLE_NAME: tableName,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    GENESYS_CLIENT_ID: client.clientId,
    GENESYS_CLIENT_SECRET: client.clientSecret,
    GENESYS_REGION: 'eu-west-1',
    GENESYS_API_BASE_URL: sandbox.url,
    GENESYS_LOGIN_BASE_URL: sandbox.url,
    RECONCILE_MIN_AGE_SECONDS: '0',
  });
});

afterAll(async () => {
  await sandbox.close();
  await dynamo.close();
});

describe('reconcile λ', () => {
  it('reads its configuration from the environment and records what Genesys reports', async () => {
    // Prepare: a message Genesys took (through the sandbox) and delivered, whose receipt never arrived
    const { getGenesysClient } = await import('../../shared/genesys/genesys-client');
    const sent = await getGenesysClient().request<{ id: string }>(
      'POST',
      '/api/v2/conversations/messages/conv-r/communications/comm-r/messages',
      { textBody: 'reconcile me' },
    );
    const genesysMessageId = sent.kind === 'sent' ? sent.data.id : '';
    await store.create({
      messageId: 'lost-receipt',
      status: 'accepted',
      requestHash: 'h',
      request: { target: { kind: 'conversation', conversationId: 'conv-r', communicationId: 'comm-r' } },
      targetKind: 'conversation',
      conversationId: 'conv-r',
      source: 'send',
    });
    await store.acquireLease('lost-receipt', 'test', 10_000);
    await store.markSent('lost-receipt', 'test', {
      genesysMessageId,
      conversationId: 'conv-r',
      attempt: 1,
      source: 'send',
    });
    sandbox.setMessageStatus(genesysMessageId, 'delivery-success');
    await new Promise((r) => setTimeout(r, 5));
    const { handler } = await import('../../functions/reconcile/handler');
    // Act
    const report = await handler({}, lambdaContext);
    // Assess
    expect(report).toMatchObject({ checked: 1, updated: 1, errors: [] });
    expect((await store.getMerged('lost-receipt'))?.status).toBe('delivered');
  });
});

describe('reconcile λ given an event that is not its schedule', () => {
  it.each([
    ...FOREIGN_EVENTS,
    ['an API Gateway request', API_GATEWAY_EVENT, /got an API Gateway REST API event \(GET\)/],
    [
      'a Genesys EventBridge event',
      {
        id: 'e-1',
        'detail-type': 'v2.users.u.conversations.messages',
        source: 'aws.partner/genesys.com/x',
        detail: {},
      },
      /got an EventBridge event/,
    ],
  ] as Array<[string, unknown, RegExp]>)(
    '%s → unsupported_event, and no run',
    async (_name, event, words) => {
      // Prepare
      const before = sandbox.stats().requests;
      const { handler } = await import('../../functions/reconcile/handler');
      // Act
      const answer = await handler(event, lambdaContext);
      // Assess
      expect(answer).toMatchObject({ ok: false, statusCode: 400, error: { code: 'unsupported_event' } });
      const { message } = (answer as { error: { message: string } }).error;
      expect(message).toMatch(/runs on its schedule/);
      expect(message).toMatch(words);
      expect(sandbox.stats().requests).toEqual(before);
    },
  );

  it("runs on an EventBridge rule's Scheduled Event", async () => {
    // Prepare
    const { handler } = await import('../../functions/reconcile/handler');
    // Act
    const report = await handler(SCHEDULED_EVENT, lambdaContext);
    // Assess
    expect(report).toMatchObject({ errors: [], pending: { found: 0 } });
  });
});
