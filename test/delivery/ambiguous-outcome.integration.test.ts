import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import type { RetryMessage } from '../../shared/delivery/retry-message';
import type { RetryQueue } from '../../shared/delivery/retry-queue';
import { StaticCredentialsProvider } from '../../shared/genesys/credentials';
import { GenesysClient } from '../../shared/genesys/genesys-client';
import { parseSendRequest } from '../../shared/messages/send-request';
import { type DeliveryHarness, SANDBOX_CLIENT, startDeliveryHarness } from '../support/delivery-harness';
import { secretAwareGenesysHttpClient } from '../support/genesys-http';
import { waitFor } from '../support/wait-for';

/**
 * Genesys takes the message, then its answer never comes (hang) or the connection breaks (reset). The
 * sandbox applies its own faults before it accepts; this proxy in front of it passes a send through and
 * then fails the answer, which is what a strict Genesys answering late looks like to the client.
 */
/** `drop`: the connection breaks after the request was written, and Genesys never got it. */
type AfterAccept = 'hang' | 'reset' | 'drop';

interface Proxy {
  url: string;
  failNextSend(mode: AfterAccept): void;
  close(): Promise<void>;
}

async function startProxy(upstream: string): Promise<Proxy> {
  const pending: AfterAccept[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const isSend = req.method === 'POST' && /\/communications\/|\/agentless$/.test(req.url ?? '');
      const fault = isSend ? pending.shift() : undefined;
      if (fault === 'drop') {
        req.socket.destroy();
        return;
      }
      const forward = httpRequest(
        `${upstream}${req.url}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            if (fault === 'hang') return; // accepted upstream; the client never hears of it
            if (fault === 'reset') {
              req.socket.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      forward.end(Buffer.concat(chunks));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    failNextSend: (mode) => pending.push(mode),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

class RecordingQueue implements RetryQueue {
  readonly messages: RetryMessage[] = [];
  async enqueue(message: RetryMessage): Promise<void> {
    this.messages.push(message);
  }
  async deadLetter(): Promise<void> {}
}

const LEASE_MS = 1_500;
const CONVERSATION = {
  kind: 'conversation',
  conversationId: 'c0ffee00-0000-4000-8000-0000000a0001',
  communicationId: 'c0ffee00-0000-4000-8000-0000000a0002',
} as const;
const SMS = {
  kind: 'agentless',
  messengerType: 'sms',
  fromAddress: '+13175550100',
  toAddress: '+13175550177',
};

let harness: DeliveryHarness;
let proxy: Proxy;
let queue: RecordingQueue;
let delivery: DeliveryService;

function copiesOf(text: string): number {
  return harness.sandbox.messages().filter((m) => JSON.stringify(m.body).includes(text)).length;
}

async function afterLease(messageId: string): Promise<void> {
  const record = await harness.store.get(messageId);
  await waitFor(
    async () => Date.now(),
    (now) => now > (record?.leaseUntil ?? 0),
  );
}

beforeAll(async () => {
  harness = await startDeliveryHarness({ rateLimit: false });
  proxy = await startProxy(harness.sandbox.url);
});

afterAll(async () => {
  await proxy.close();
  await harness.close();
});

beforeEach(async () => {
  await harness.freshTable();
  queue = new RecordingQueue();
  const genesys = new GenesysClient({
    credentials: new StaticCredentialsProvider({ ...SANDBOX_CLIENT, region: 'us-east-1' }),
    baseUrls: { apiBaseUrl: proxy.url, loginBaseUrl: proxy.url },
    http: secretAwareGenesysHttpClient(300),
  });
  delivery = harness.delivery({ retryQueue: queue, leaseMs: LEASE_MS, genesys, random: () => 0 });
});

describe('an ambiguous send (Genesys took it, the answer was lost)', () => {
  it('into a conversation: recorded ambiguous, not retried inside the lease, then found there and recorded sent without a second copy', async () => {
    // Prepare
    const text = 'ambiguous conversation hello';
    proxy.failNextSend('hang');
    const request = parseSendRequest({ idempotencyKey: 'amb-conv', target: CONVERSATION, message: { text } });

    // Act: the first call times out after Genesys took the message
    const first = await delivery.accept(request, { messageId: 'amb-conv', source: 'send' });
    const ambiguous = await harness.store.get('amb-conv');
    const early = await delivery.attempt('amb-conv', { source: 'retry', expectedAttempt: 2 });
    await afterLease('amb-conv');
    const settled = await delivery.attempt('amb-conv', { source: 'retry', expectedAttempt: 2 });
    const record = await harness.store.get('amb-conv');

    // Assess
    expect(first.status).toBe('retrying');
    expect(ambiguous?.ambiguousSince).toBeDefined();
    expect(ambiguous?.leaseOwner).toBeDefined(); // kept: nobody may try before the lease ends
    expect(ambiguous?.history.at(-1)?.reason).toMatch(/^ambiguous: /);
    expect(Date.parse(queue.messages[0]!.notBefore)).toBeGreaterThan(ambiguous!.leaseUntil!);
    expect(early.skipped).toBe('leased');
    const copy = harness.sandbox.messages().find((m) => JSON.stringify(m.body).includes(text));
    expect(settled).toMatchObject({ status: 'sent', genesysMessageId: copy?.id });
    expect(record?.history.at(-1)?.reason).toMatch(/found in the conversation/);
    expect(record?.ambiguousSince).toBeUndefined();
    expect(copiesOf(text)).toBe(1);
  });

  it('into a conversation after a reset: the look finds the copy Genesys kept, and nothing is sent again', async () => {
    // Prepare
    const text = 'ambiguous reset hello';
    proxy.failNextSend('reset');
    const request = parseSendRequest({
      idempotencyKey: 'amb-reset',
      target: CONVERSATION,
      message: { text },
    });
    await delivery.accept(request, { messageId: 'amb-reset', source: 'send' });

    // Act
    await afterLease('amb-reset');
    harness.sandbox.resetStats();
    const settled = await delivery.attempt('amb-reset', { source: 'retry', expectedAttempt: 2 });

    // Assess
    expect(settled.status).toBe('sent');
    expect(harness.sandbox.stats().requests.conversationMessage).toBe(0);
    expect(harness.sandbox.stats().requests.getConversation).toBe(1);
    expect(copiesOf(text)).toBe(1);
  });

  it('into a conversation, when Genesys never got it: the look finds nothing and it is sent once', async () => {
    // Prepare
    const text = 'ambiguous dropped hello';
    proxy.failNextSend('drop');
    const request = parseSendRequest({ idempotencyKey: 'amb-drop', target: CONVERSATION, message: { text } });

    // Act
    const first = await delivery.accept(request, { messageId: 'amb-drop', source: 'send' });
    await afterLease('amb-drop');
    const settled = await delivery.attempt('amb-drop', { source: 'retry', expectedAttempt: 2 });
    const record = await harness.store.get('amb-drop');

    // Assess
    expect(first.status).toBe('retrying');
    expect(settled.status).toBe('sent');
    expect(record?.history.at(-1)?.reason).toMatch(
      /not found in the conversation after an ambiguous attempt: sent again/,
    );
    expect(copiesOf(text)).toBe(1);
  });

  it('to an agentless target: nowhere to look, so it is sent again after the lease (the documented window)', async () => {
    // Prepare
    const text = 'ambiguous sms hello';
    proxy.failNextSend('hang');
    const request = parseSendRequest({ idempotencyKey: 'amb-sms', target: SMS, message: { text } });

    // Act
    await delivery.accept(request, { messageId: 'amb-sms', source: 'send' });
    await afterLease('amb-sms');
    const settled = await delivery.attempt('amb-sms', { source: 'retry', expectedAttempt: 2 });
    const record = await harness.store.get('amb-sms');

    // Assess
    expect(settled.status).toBe('sent');
    expect(record?.history.at(-1)?.reason).toMatch(/no listing to look in: sent again/);
    expect(copiesOf(text)).toBe(2);
  });
});
