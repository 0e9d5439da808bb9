import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStatusTable, startDynaliteServer } from '../../local/dynalite';
import { STATUS_MARSHALL_OPTIONS } from '../../shared/status/document-client';

export const TEST_REGION = 'us-east-1';
/** dynalite checks no credentials; the SDK still wants some. */
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface DynaliteHandle {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  client: DynamoDBDocumentClient;
  /** Creates a status table with the production key schema and indexes; returns its name. */
  createStatusTable(name?: string): Promise<string>;
  close(): Promise<void>;
}

/** An in-memory DynamoDB on a random loopback port (in a child process with `ownProcess`). Close it in afterAll. */
export async function startDynalite(options: { ownProcess?: boolean } = {}): Promise<DynaliteHandle> {
  const server = await startDynaliteServer(0, options);
  const { endpoint } = server;
  const raw = new DynamoDBClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: STATUS_MARSHALL_OPTIONS });

  return {
    endpoint,
    client,
    createStatusTable: (name = `status-${randomUUID()}`) => createStatusTable(raw, name),
    close: async () => {
      raw.destroy();
      await server.close();
    },
  };
}
