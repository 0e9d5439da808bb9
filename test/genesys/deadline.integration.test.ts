import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../local/sandbox';
import { StaticCredentialsProvider } from '../../shared/genesys/credentials';
import { DEADLINE_CODE, GenesysClient } from '../../shared/genesys/genesys-client';
import { secretAwareGenesysHttpClient } from '../support/genesys-http';

const CLIENT = { clientId: 'deadline-client', clientSecret: 'deadline-secret-value' };
const PATH = '/api/v2/conversations/messages/c1/communications/m1/messages';

let sandbox: Sandbox;
let drip: Server;
let dripUrl: string;
const sockets = new Set<Socket>();

function client(apiBaseUrl: string, timeoutMs = 2_000): GenesysClient {
  return new GenesysClient({
    credentials: new StaticCredentialsProvider({ ...CLIENT, region: 'us-east-1' }),
    baseUrls: { apiBaseUrl, loginBaseUrl: sandbox.url },
    http: secretAwareGenesysHttpClient(timeoutMs),
  });
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clients: [CLIENT], receipts: false, rateLimit: false });
  // Answers at once, then drips its body one byte every 100 ms forever: never idle, never done.
  drip = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":"');
      const timer = setInterval(() => res.write('a'), 100);
      res.on('close', () => clearInterval(timer));
    });
  });
  drip.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => drip.listen(0, '127.0.0.1', resolve));
  dripUrl = `http://127.0.0.1:${(drip.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => drip.close(() => resolve()));
  await sandbox.close();
});

describe('the hard deadline of a Genesys call', () => {
  it('ends a slowly dripping answer at the deadline (the per-call timeout alone never fires) and calls it ambiguous', async () => {
    // Act
    const outcome = await client(dripUrl, 60_000).request(
      'POST',
      PATH,
      { textBody: 'hi' },
      {
        deadlineAt: Date.now() + 1_000,
        sendOnce: true,
      },
    );
    // Assess
    expect(outcome.kind).toBe('ambiguous');
    expect(outcome.kind !== 'sent' && outcome.error.message).toMatch(/hard deadline/);
  });

  it('does not start a send whose deadline is too close (the lease re-check before the POST)', async () => {
    // Prepare
    sandbox.resetStats();
    // Act
    const outcome = await client(sandbox.url).request(
      'POST',
      PATH,
      { textBody: 'late' },
      {
        deadlineAt: Date.now() + 100,
        sendOnce: true,
      },
    );
    // Assess
    expect(outcome).toMatchObject({ kind: 'transient', error: { code: DEADLINE_CODE } });
    expect(sandbox.stats().requests.conversationMessage).toBe(0);
  });

  it('calls a refused connection transient (nothing was written), and a 502 after the request ambiguous only for a send', async () => {
    // Prepare: a port nobody listens on
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    sandbox.injectFaults([
      { type: 'status', status: 502 },
      { type: 'status', status: 502 },
    ]);
    // Act
    const refused = await client(closedUrl).request('POST', PATH, { textBody: 'x' }, { sendOnce: true });
    const gatewaySend = await client(sandbox.url).request(
      'POST',
      PATH,
      { textBody: 'x' },
      { sendOnce: true },
    );
    const gatewayRead = await client(sandbox.url).request('POST', PATH, { textBody: 'x' });
    // Assess
    expect(refused.kind).toBe('transient');
    expect(gatewaySend.kind).toBe('ambiguous');
    expect(gatewayRead.kind).toBe('transient');
  });
});
