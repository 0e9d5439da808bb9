import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApiEvent as httpApiEventOf, restApiEvent } from '../../local/api-gateway-events';
import { ENV } from '../../shared/config/environment';
import { UNAUTHENTICATED_CALLER } from '../../shared/http/caller';
import { DynamoStatusStore } from '../../shared/status/dynamo-status-store';
import type { MergedStatus } from '../../shared/status/types';
import { type DynaliteHandle, startDynalite, TEST_CREDENTIALS, TEST_REGION } from '../support/dynalite';
import { FOREIGN_EVENTS, SCHEDULED_EVENT } from '../support/foreign-events';
import { createInput } from './fixtures';

let dynamo: DynaliteHandle;
let tableName: string;
let handler: typeof import('../../functions/status/handler').handler;
const savedEnv = { ...process.env };

const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'status',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:status',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/status',
  logStreamName: '2026/03/01/[$LATEST]abc',
  getRemainingTimeInMillis: () => 3000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

/** A REST API (v1) proxy event as API Gateway sends it for GET /messages/{id}. */
/** A REST API (v1) event: path parameters arrive percent-encoded, so `rawId` is used as given. */
function restEvent(rawId: string | undefined, method = 'GET'): APIGatewayProxyEvent {
  const event = restApiEvent({ method, path: `/messages/${rawId ?? ''}`, resource: '/messages/{id}' });
  return { ...event, pathParameters: rawId === undefined ? null : { id: rawId } };
}

/** An HTTP API (v2) event: path parameters arrive decoded. */
function httpApiEvent(id: string | undefined, method = 'GET'): APIGatewayProxyEventV2 {
  return httpApiEventOf({
    method,
    path: `/messages/${id ?? ''}`,
    resource: '/messages/{id}',
    ...(id !== undefined && { pathParameters: { id } }),
  });
}

beforeAll(async () => {
  dynamo = await startDynalite();
  tableName = await dynamo.createStatusTable();
  // The handler builds its store from the environment, as in Lambda; the SDK reads the endpoint override.
  process.env[ENV.statusTableName] = tableName;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env.AWS_REGION = TEST_REGION;
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  ({ handler } = await import('../../functions/status/handler'));
});

afterAll(async () => {
  process.env = savedEnv;
  await dynamo.close();
});

async function sentMessage(
  messageId: string,
  genesysMessageId: string,
  createdBy: string | undefined = UNAUTHENTICATED_CALLER,
): Promise<void> {
  const store = new DynamoStatusStore({ tableName, client: dynamo.client });
  await store.create({ ...createInput(messageId), ...(createdBy !== undefined && { createdBy }) });
  await store.acquireLease(messageId, 'worker', 30_000);
  await store.markSent(messageId, 'worker', { genesysMessageId, attempt: 1, source: 'send' });
  await store.applyReceipt({
    genesysMessageId,
    status: 'delivered',
    source: 'webhook',
    at: new Date().toISOString(),
  });
}

describe('GET /messages/{id}', () => {
  it('answers 200 with the merged status to a REST API (v1) event', async () => {
    // Prepare
    await sentMessage('order-12345-confirm', 'g-rest-1');
    // Act
    const response = await handler(restEvent('order-12345-confirm'), context);
    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    const body = JSON.parse(response.body) as MergedStatus;
    expect(body).toMatchObject({
      messageId: 'order-12345-confirm',
      status: 'delivered',
      genesysMessageId: 'g-rest-1',
      targetKind: 'agentless',
      target: { kind: 'agentless', toAddress: '+15550100' },
      attempts: 1,
    });
    expect(body.history.map((entry) => entry.status)).toEqual(['accepted', 'sent', 'delivered']);
  });

  it('answers 200 to an HTTP API (v2) event', async () => {
    // Prepare
    await sentMessage('order-777', 'g-http-1');
    // Act
    const response = await handler(httpApiEvent('order-777'), context);
    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ messageId: 'order-777', status: 'delivered' });
  });

  it('decodes a percent-encoded id from a REST API event and takes an HTTP API id as given', async () => {
    // Prepare
    await sentMessage('order/9 ü', 'g-enc-1');
    // Act
    const rest = await handler(restEvent(encodeURIComponent('order/9 ü')), context);
    const http = await handler(httpApiEvent('order/9 ü'), context);
    // Assess
    expect(JSON.parse(rest.body)).toMatchObject({ messageId: 'order/9 ü' });
    expect(JSON.parse(http.body)).toMatchObject({ messageId: 'order/9 ü' });
  });

  describe('caller scope', () => {
    const ALICE = 'arn:aws:sts::123456789012:assumed-role/order-service/session-1';
    const BOB = 'arn:aws:iam::123456789012:user/bob';
    const OPERATOR = 'arn:aws:iam::123456789012:role/support';
    /** A REST event signed by `principal` (API Gateway's IAM authorization fills identity.userArn). */
    const signedBy = (principal: string, id: string): APIGatewayProxyEvent => {
      const event = restEvent(id);
      return {
        ...event,
        requestContext: {
          ...event.requestContext,
          identity: { ...event.requestContext.identity, userArn: principal },
        },
      };
    };

    it("answers 404 to another caller's message, 200 to its creator in any session, and 200 to an operator", async () => {
      // Prepare
      await sentMessage('scope-alice-1', 'g-scope-1', 'arn:aws:iam::123456789012:role/order-service');
      process.env[ENV.operatorPrincipals] = `arn:aws:iam::123456789012:user/nobody, ${OPERATOR}`;

      // Act
      const bob = await handler(signedBy(BOB, 'scope-alice-1'), context);
      const aliceLater = await handler(
        signedBy(ALICE.replace('session-1', 'session-2'), 'scope-alice-1'),
        context,
      );
      const operator = await handler(
        signedBy(
          `${OPERATOR.replace(':iam:', ':sts:').replace('role/', 'assumed-role/')}/ops`,
          'scope-alice-1',
        ),
        context,
      );
      delete process.env[ENV.operatorPrincipals];

      // Assess
      expect([bob.statusCode, JSON.parse(bob.body).error.message]).toEqual([
        404,
        'no message with id "scope-alice-1"',
      ]);
      expect(aliceLater.statusCode).toBe(200);
      expect(JSON.parse(aliceLater.body).createdBy).toBe('arn:aws:iam::123456789012:role/order-service');
      expect(operator.statusCode).toBe(200);
    });

    it('shows a message recorded before callers were kept to operators only', async () => {
      // Prepare
      await sentMessage('scope-legacy-1', 'g-scope-2', undefined);

      // Act
      const anyone = await handler(signedBy(BOB, 'scope-legacy-1'), context);
      process.env[ENV.operatorPrincipals] = BOB;
      const operator = await handler(signedBy(BOB, 'scope-legacy-1'), context);
      delete process.env[ENV.operatorPrincipals];

      // Assess
      expect([anyone.statusCode, operator.statusCode]).toEqual([404, 200]);
    });
  });

  it('answers 404 with a clear message for an unknown id (v1 and v2)', async () => {
    // Act
    const responses = [
      await handler(restEvent('no-such-message'), context),
      await handler(httpApiEvent('no-such-message')),
    ];
    // Assess
    for (const response of responses) {
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toBe('application/json');
      expect(JSON.parse(response.body)).toEqual({
        error: { code: 'not_found', message: 'no message with id "no-such-message"' },
      });
    }
  });

  it('answers 400 for a missing id', async () => {
    // Act
    const responses = [
      await handler(restEvent(undefined), context),
      await handler(httpApiEvent(undefined), context),
    ];
    // Assess
    for (const response of responses) {
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body)).toEqual({
        error: { code: 'invalid_request', message: 'path parameter "id" is missing: use GET /messages/{id}' },
      });
    }
  });

  it('answers 400 for an id with control characters or one too long', async () => {
    // Act
    const control = await handler(httpApiEvent('bad\u0007id'), context);
    const long = await handler(restEvent('x'.repeat(1025)), context);
    // Assess
    expect(control.statusCode).toBe(400);
    expect(JSON.parse(control.body).error.message).toBe(
      'path parameter "id" must not contain control characters',
    );
    expect(long.statusCode).toBe(400);
    expect(JSON.parse(long.body).error.message).toBe('path parameter "id" must be at most 1024 bytes long');
  });

  it('answers 405 to another method', async () => {
    // Act
    const response = await handler(restEvent('order-777', 'DELETE'), context);
    // Assess
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET');
    expect(JSON.parse(response.body).error.code).toBe('method_not_allowed');
  });

  it('answers 500 without internals when the table cannot be read', async () => {
    // Prepare
    process.env[ENV.statusTableName] = 'table-that-does-not-exist';
    // Act
    const response = await handler(httpApiEvent('order-777'), context);
    // Assess
    process.env[ENV.statusTableName] = tableName;
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'internal_error', message: 'the message status could not be read; try again later' },
    });
  });

  it('answers 500 when the function is not configured', async () => {
    // Prepare
    delete process.env[ENV.statusTableName];
    // Act
    const response = await handler(httpApiEvent('order-777'), context);
    // Assess
    process.env[ENV.statusTableName] = tableName;
    expect(response.statusCode).toBe(500);
  });
});

describe('the status function given an event that is not an API Gateway request', () => {
  it.each([
    ...FOREIGN_EVENTS,
    ['an EventBridge schedule event', SCHEDULED_EVENT, /got an EventBridge event \("Scheduled Event"/],
  ] as Array<[string, unknown, RegExp]>)(
    '%s → 400 unsupported_event naming the kind',
    async (_name, event, words) => {
      // Act
      const response = await handler(event, context);
      // Assess
      expect(response.statusCode).toBe(400);
      const { error } = JSON.parse(response.body) as { error: { code: string; message: string } };
      expect(error.code).toBe('unsupported_event');
      expect(error.message).toMatch(/answers API Gateway requests \(GET \/messages\/\{id\}\)/);
      expect(error.message).toMatch(words);
    },
  );
});
