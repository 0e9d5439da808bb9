import type { AddressInfo, Socket } from 'node:net';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DynamoStatusStore } from '../../shared/status/dynamo-status-store';
import { StatusStoreError } from '../../shared/status/errors';

// A DynamoDB endpoint that accepts connections and never answers: without a request timeout the call
// (and the lease of the worker making it) would wait until Lambda kills the function.
let server: Server;
const sockets = new Set<Socket>();
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
});

afterAll(async () => {
  process.env = saved;
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('gives up on a DynamoDB call that never answers, with the store error, instead of hanging', async () => {
  // Prepare: the store's own client, built as in Lambda (shared/config/aws-clients.ts)
  const store = new DynamoStatusStore({ tableName: 'genesys-message-status' });
  // Act / Assess
  await expect(store.get('never-answered')).rejects.toBeInstanceOf(StatusStoreError);
}, 30_000);
