/**
 * End to end, on one machine: the local stack (real handlers, sandbox, dynalite, fauxqs, SQS event source,
 * scheduler stand-in) runs the demo in this test process, and the outcomes are checked through the public
 * HTTP API, the sandbox and the queues. Its own file: the handlers keep module-level clients and
 * configuration, and vitest's forks pool gives each file its own process.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBotStory } from '../../local/bot-story';
import { runSendCommand } from '../../local/cli/send-command';
import { type DemoOutcome, type DemoReport, runDemo } from '../../local/demo';
import { closeServer, listenOnLoopback, readBody } from '../../local/http-server';
import { type LocalStack, type LocalStackEvent, startLocalStack } from '../../local/local-stack';
import { MessagesApi } from '../../local/messages-api';
import { receiptsOf, throttledEntries } from '../../local/status-view';
import type { MergedStatus } from '../../shared/status/types';

let stack: LocalStack;
let report: DemoReport;
let api: MessagesApi;
let demoOutput = '';
const stackErrors: LocalStackEvent[] = [];

function finalOf(outcome: DemoOutcome): MergedStatus {
  if (outcome.final === undefined) throw new Error(`${outcome.message.id} has no status`);
  return outcome.final;
}

function outcome(id: string): DemoOutcome {
  const found = report.outcomes.find((o) => o.message.id === id);
  if (found === undefined) throw new Error(`no demo message ${id}`);
  return found;
}

async function queueDepth(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await stack.queues.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

beforeAll(async () => {
  stack = await startLocalStack({
    logLevel: 'ERROR',
    onEvent: (event) => {
      if (event.type === 'error') stackErrors.push(event);
    },
  });
  api = new MessagesApi(stack.urls.api);
  report = await runDemo({
    apiUrl: stack.urls.api,
    write: (text) => {
      demoOutput += text;
    },
    timeoutMs: 25_000,
    ...(stack.sandbox !== undefined && { sandbox: stack.sandbox }),
  });
}, 45_000);

afterAll(async () => {
  await stack?.stop();
});

describe('local stack: the demo', () => {
  it('ends every message read, with its Genesys id and the sent, delivered and read receipts', () => {
    // Assess
    expect(report.complete).toBe(true);
    expect(report.outcomes.map((o) => o.message.id)).toEqual([
      'order-12345-confirm',
      'order-12345-feedback',
      'autumn-collection',
      'order-12345-sms',
      'order-12345-shipped',
      'order-12345-reminder',
    ]);
    for (const o of report.outcomes) {
      const status = finalOf(o);
      expect(status.status, o.message.id).toBe('read');
      expect(status.genesysMessageId, o.message.id).toMatch(/^[0-9a-f]{32}$/);
      expect(receiptsOf(status.history), o.message.id).toEqual(['sent', 'delivered', 'read']);
    }
    expect(stackErrors).toEqual([]);
  });

  it('sends each message to Genesys exactly once, in the form its target needs', () => {
    // Prepare
    const sandbox = stack.sandbox!;
    const byId = new Map(sandbox.messages().map((m) => [m.id, m]));
    const sent = (id: string) => byId.get(finalOf(outcome(id)).genesysMessageId!);
    // Assess
    expect(sandbox.messages()).toHaveLength(report.outcomes.length);
    expect(sandbox.duplicates()).toEqual([]);
    expect(sent('order-12345-confirm')?.route).toBe('botConnector');
    expect(JSON.stringify(sent('order-12345-confirm')?.body)).toContain('"contentType":"Card"');
    expect(JSON.stringify(sent('order-12345-feedback')?.body)).toContain('"contentType":"QuickReply"');
    expect(JSON.stringify(sent('autumn-collection')?.body)).toContain('"contentType":"Carousel"');
    expect(sent('order-12345-sms')?.route).toBe('agentless');
    expect(sent('order-12345-sms')?.body).toMatchObject({
      toAddressMessengerType: 'sms',
      textBody: 'Order Confirmation\nWould you like to confirm your order #12345?\n1. Yes\n2. No',
    });
    expect(sent('order-12345-shipped')?.route).toBe('conversationMessage');
  });

  it('retries a message the sandbox throttled through the SQS retry queue until it is delivered', () => {
    // Prepare
    const throttled = report.outcomes.filter((o) => throttledEntries(finalOf(o).history).length > 0);
    // Assess
    expect(stack.sandbox!.stats().throttled).toBeGreaterThanOrEqual(1);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    for (const o of throttled) {
      const status = finalOf(o);
      const [first] = throttledEntries(status.history);
      expect(first?.reason).toMatch(/^throttled: HTTP 429/);
      expect(status.attempts).toBeGreaterThanOrEqual(2);
      const sent = status.history.find((entry) => entry.status === 'sent' && entry.source !== 'webhook');
      expect(sent?.source).toBe('retry');
      expect(Date.parse(sent!.at)).toBeGreaterThan(Date.parse(first!.at));
      expect(status.status).toBe('read');
      expect(receiptsOf(status.history)).toEqual(['sent', 'delivered', 'read']);
    }
  });

  it('sends the scheduled message when the schedule fires, not before, and the schedule deletes itself', () => {
    // Prepare
    const status = finalOf(outcome('order-12345-reminder'));
    const sent = status.history.find((entry) => entry.status === 'sent' && entry.source !== 'webhook');
    // Assess
    expect(outcome('order-12345-reminder').answer).toMatchObject({
      status: 202,
      body: { status: 'scheduled' },
    });
    expect(status.history[0]).toMatchObject({ status: 'scheduled', source: 'send' });
    expect(sent?.source).toBe('scheduler');
    expect(Date.parse(sent!.at)).toBeGreaterThanOrEqual(Date.parse(status.sendAt!));
    expect(stack.scheduler.schedules()).toEqual([]);
  });

  it('leaves the retry queue and the dead-letter queue empty', async () => {
    // Act
    const depths = [await queueDepth(stack.retryQueueUrl), await queueDepth(stack.deadLetterQueueUrl)];
    // Assess
    expect(depths).toEqual([0, 0]);
    expect(stack.retryEventSource.batches).toBeGreaterThanOrEqual(1);
  });

  it('accepts every signed receipt the sandbox posted to the webhook', () => {
    // Assess
    const { webhookPosts } = stack.sandbox!.stats();
    expect(webhookPosts.failed).toBe(0);
    expect(webhookPosts.gaveUp).toBe(0);
    // Per message: the outbound message, then the Delivered and Read receipts.
    expect(webhookPosts.ok).toBe(3 * report.outcomes.length);
  });

  it('prints a progress line per status change and a table of final statuses and Genesys calls', () => {
    // Assess
    // Which of the burst the sandbox throttles depends on arrival order: look for one that was.
    const throttled = report.outcomes.find((o) => throttledEntries(finalOf(o).history).length > 0);
    expect(demoOutput).toMatch(
      new RegExp(`${throttled?.message.id}\\s+retrying\\s+by send\\s+attempt 1 · throttled: HTTP 429`),
    );
    expect(report.table.split('\n')[0]).toMatch(/^Message\s+What\s+Final\s+Calls\s+Receipts\s+How it went$/);
    for (const o of report.outcomes) {
      const row = report.table.split('\n').find((line) => line.startsWith(`${o.message.id} `));
      expect(row, o.message.id).toMatch(
        new RegExp(`\\sread\\s+${finalOf(o).attempts}\\s+sent, delivered, read\\s`),
      );
    }
    expect(demoOutput).toContain(`All ${report.outcomes.length} messages final in`);
  });
});

describe('local stack: the HTTP API answers as API Gateway and the handlers do', () => {
  it('replays a repeated send, refuses the same key with another body, and names invalid fields', async () => {
    // Prepare
    const reference = outcome('order-12345-confirm').message.request;
    // Act
    const replay = await api.send(reference);
    const conflict = await api.send({ ...reference, metadata: { orderId: '99999' } });
    const invalid = await api.send({ target: { kind: 'conversation' }, message: { text: 'hi' } });
    // Assess
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('location')).toBe('/messages/order-12345-confirm');
    // The message's current status, as GET shows it (the demo followed it to its read receipt).
    expect(replay.body).toMatchObject({ messageId: 'order-12345-confirm', status: 'read', attempts: 1 });
    expect((await api.status('order-12345-confirm')).body?.status).toBe('read');
    expect(conflict.status).toBe(409);
    expect(conflict.body?.error?.code).toBe('idempotency_conflict');
    expect(invalid.status).toBe(400);
    expect(invalid.body?.error?.issues).toEqual(
      expect.arrayContaining([{ path: 'target.conversationId', message: 'is required' }]),
    );
    expect(stack.sandbox!.duplicates()).toEqual([]);
  });

  it('answers 404 for an unknown message and 401 for an unsigned webhook post', async () => {
    // Act
    const unknown = await api.status('no-such-message');
    const unsigned = await fetch(`${stack.urls.webhook}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    // Assess
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    expect(unknown.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(unsigned.status).toBe(401);
  });
});

describe('npm run send', () => {
  it('posts a request file to the local stack and follows the message until it is read', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'send-cli-'));
    const file = join(dir, 'request.json');
    await writeFile(
      file,
      JSON.stringify({
        idempotencyKey: 'cli-follow-1',
        target: {
          kind: 'agentless',
          messengerType: 'sms',
          fromAddress: '+13175550100',
          toAddress: '+13175550142',
        },
        message: { text: 'Your code is 4711.' },
      }),
    );
    const out: string[] = [];
    const err: string[] = [];
    // Act
    const code = await runSendCommand([file, '--url', stack.urls.api, '--until', 'read', '--timeout', '20'], {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env: {},
    });
    await rm(dir, { recursive: true });
    // Assess
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out[0]).toBe(`POST ${stack.urls.api}/messages → 202 sent (message id cli-follow-1)`);
    expect(out.at(-1)).toMatch(
      /^cli-follow-1: read · 1 Genesys call\(s\) · Genesys id [0-9a-f]{32} · receipts: sent, delivered, read$/,
    );
  });

  it('signs requests to a deployed API with SigV4 for execute-api in its region', async () => {
    // Prepare: a stand-in for API Gateway that records the request
    let seen: { method: string; path: string; headers: IncomingHttpHeaders; body: string } | undefined;
    const server = createServer(async (request, response) => {
      const body = (await readBody(request, 1024 * 1024)).toString('utf8');
      seen = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body };
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ messageId: 'signed-1', status: 'sent', attempts: 1 }));
    });
    const port = await listenOnLoopback(server, 0);
    const out: string[] = [];
    // The SDK's default credential chain finds the local stack's dummy keys in the environment.
    const secret = process.env.AWS_SECRET_ACCESS_KEY ?? '';
    // Act
    const code = await runSendCommand(
      ['-', '--url', `http://127.0.0.1:${port}/v1`, '--sign', '--region', 'eu-west-1', '--no-follow'],
      {
        out: (line) => out.push(line),
        err: (line) => out.push(line),
        env: {},
        readStdin: async () => '{"target":{"kind":"conversation"},"message":{"text":"hi"}}',
      },
    );
    await closeServer(server);
    // Assess
    expect(code).toBe(0);
    expect(secret).toBe('local');
    expect(seen?.path).toBe('/v1/messages');
    expect(seen?.body).toBe('{"target":{"kind":"conversation"},"message":{"text":"hi"}}');
    const authorization = String(seen?.headers.authorization);
    const match =
      /^AWS4-HMAC-SHA256 Credential=local\/(\d{8})\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        authorization,
      );
    expect(match).not.toBeNull();
    const [, day, signedHeaders, signature] = match as unknown as [string, string, string, string];
    expect(signedHeaders.split(';')).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'content-type']));
    expect(signature).toBe(
      sigV4Signature({
        method: 'POST',
        path: '/v1/messages',
        headers: seen!.headers,
        signedHeaders: signedHeaders.split(';'),
        body: seen!.body,
        day,
        region: 'eu-west-1',
        secret,
      }),
    );
  });
});

/** SigV4 by the book (AWS "Create a signed AWS API request"), to check the CLI's signature independently. */
function sigV4Signature(input: {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  signedHeaders: string[];
  body: string;
  day: string;
  region: string;
  secret: string;
}): string {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  const canonicalHeaders = input.signedHeaders
    .map((name) => `${name}:${String(input.headers[name]).trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    input.method,
    input.path,
    '',
    canonicalHeaders,
    input.signedHeaders.join(';'),
    sha256(input.body),
  ].join('\n');
  const scope = `${input.day}/${input.region}/execute-api/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    String(input.headers['x-amz-date']),
    scope,
    sha256(canonicalRequest),
  ].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${input.secret}`, input.day), input.region), 'execute-api'),
    'aws4_request',
  );
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('local stack: the bot connector story', () => {
  it('tells the order confirmation story end to end through the real handlers and the EventBridge stand-in', async () => {
    // Act
    let output = '';
    const story = await runBotStory({
      apiUrl: stack.urls.api,
      sandbox: stack.sandbox!,
      eventBridge: stack.eventBridge,
      write: (text) => {
        output += text;
      },
    });
    // Assess
    expect(story.problem).toBeUndefined();
    expect(story.ok).toBe(true);
    expect(story.buttonEvent).toMatchObject({
      'detail-type': 'Genesys Button Response',
      eventBusName: stack.botConnector.busName,
      detail: {
        buttonResponse: { payload: 'confirmed_yes' },
        inReplyTo: { metadata: { orderId: '12345' } },
      },
    });
    expect(output).toMatch(/409 no_open_bot_session/);
    expect(output).not.toContain(stack.botConnector.secret);
  });

  it('refuses the bot routes without the connection secret', async () => {
    const answer = await fetch(`${stack.urls.botConnector}/bots`);
    expect(answer.status).toBe(403);
    const listed = await fetch(`${stack.urls.botConnector}/bots`, {
      headers: { [stack.botConnector.secretHeader]: stack.botConnector.secret },
    });
    expect(((await listed.json()) as { entities: Array<{ id: string }> }).entities[0]?.id).toBe(
      'order-confirmation-bot',
    );
  });
});
