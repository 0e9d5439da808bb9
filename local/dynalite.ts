import { spawn } from 'node:child_process';
import { once } from 'node:events';
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

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as Dynalite;
const DYNALITE_OPTIONS = { createTableMs: 0, updateTableMs: 0, deleteTableMs: 0 };

export interface DynaliteServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

/**
 * An in-memory DynamoDB (dynalite) on loopback; port 0 picks a free one. `ownProcess` runs it in a child
 * process, as DynamoDB is a service of its own: at load (the soak), one event loop running dynalite beside the
 * functions saturates, and their calls time out on the database's queue rather than on anything of theirs.
 */
export async function startDynaliteServer(
  port = 0,
  options: { ownProcess?: boolean } = {},
): Promise<DynaliteServer> {
  if (options.ownProcess === true) return startDynaliteProcess(port);
  const server = dynalite(DYNALITE_OPTIONS);
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

async function startDynaliteProcess(port: number): Promise<DynaliteServer> {
  const script = `const server = require(${JSON.stringify(require.resolve('dynalite'))})(${JSON.stringify(DYNALITE_OPTIONS)});
server.listen(${port}, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.on('disconnect', () => process.exit(0));`;
  // An IPC channel: the child exits when this process does, even if it dies without closing it.
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  exited.catch(() => undefined); // a spawn error: reported by the race below
  const stdout = child.stdout;
  if (stdout === null) throw new Error("dynalite's process has no stdout");
  const [first] = (await Promise.race([
    once(stdout, 'data'),
    exited.then(([code]) => {
      throw new Error(`dynalite's process exited with ${code} before listening`);
    }),
  ])) as [Buffer];
  const bound = Number(first.toString().trim());
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    port: bound,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill();
        await exited;
      }
    },
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
