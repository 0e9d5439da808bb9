import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STATUS_TABLE } from '../shared/status/table-keys';

/** dynalite ships no typings; this is the part of its API the local stack and the tests use. */
type Dynalite = (options: {
  createTableMs?: number;
  updateTableMs?: number;
  deleteTableMs?: number;
}) => Server;

const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

export interface DynaliteServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

/** An in-memory DynamoDB (dynalite) on loopback; port 0 picks a free one. */
export async function startDynaliteServer(port = 0): Promise<DynaliteServer> {
  const server = dynalite({ createTableMs: 0, updateTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of SDK clients would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}

/** The status table as the CDK stack defines it (table-keys.ts): `pk` only, on-demand, two GSIs. */
export async function createStatusTable(client: DynamoDBClient, name: string): Promise<string> {
  const { partitionKey, indexes } = STATUS_TABLE;
  const indexList = Object.values(indexes);
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        ...new Set([
          partitionKey,
          ...indexList.flatMap((i) => ('sortKey' in i ? [i.partitionKey, i.sortKey] : [i.partitionKey])),
        ]),
      ].map((attribute) => ({ AttributeName: attribute, AttributeType: 'S' as const })),
      KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
      // Every index of the one layout definition (shared/status/table-keys.ts), as the CDK stack creates them.
      GlobalSecondaryIndexes: indexList.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
          ...('sortKey' in index ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
        ],
        Projection: { ProjectionType: index.projection },
      })),
    }),
  );
  await waitUntilActive(client, name);
  return name;
}

/**
 * dynalite answers CreateTable while the table is still CREATING and flips it to ACTIVE on a timer,
 * so a write right after the answer can meet ResourceNotFoundException: wait for ACTIVE first.
 */
async function waitUntilActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let round = 0; round < 500; round += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === 'ACTIVE',
    );
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`dynalite table ${name} did not become ACTIVE`);
}
