import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AWS_CLIENT_CONFIG } from '../config/aws-clients';
import { STATUS_MARSHALL_OPTIONS } from './document-client';
import { StatusStoreError } from './errors';
import { trimHistory } from './history';
import { checkPositiveInteger, checkPositiveNumber, checkText } from './input-checks';
import { DEFAULT_HISTORY_LIMIT, DEFAULT_STATUS_TTL_DAYS, sendItemKey } from './table-keys';
import type { HistoryEntry } from './types';
import { UpdateExpression } from './update-expression';

export interface DynamoStatusStoreOptions {
  tableName: string;
  /** Defaults to a client built from the standard AWS environment (region, AWS_ENDPOINT_URL_DYNAMODB). */
  client?: DynamoDBDocumentClient;
  /** Epoch ms; tests move time with it. */
  now?: () => number;
  /** Days after the last write until DynamoDB's TTL deletes an item. Default 90. */
  ttlDays?: number;
  /** Entries kept in a send record's history (newest). Default 50. */
  historyLimit?: number;
}

/**
 * The status table's low-level access shared by the send-record part (dynamo-send-records.ts) and the
 * receipt part (dynamo-status-store.ts): one client, the clock, TTL and history rules, and the error context.
 */
export abstract class DynamoTable {
  protected readonly tableName: string;
  protected readonly client: DynamoDBDocumentClient;
  protected readonly now: () => number;
  protected readonly ttlDays: number;
  protected readonly historyLimit: number;

  constructor(options: DynamoStatusStoreOptions) {
    this.tableName = checkText('tableName', options.tableName);
    this.client = options.client ?? createDocumentClient();
    this.now = options.now ?? Date.now;
    this.ttlDays = checkPositiveNumber('ttlDays', options.ttlDays ?? DEFAULT_STATUS_TTL_DAYS);
    this.historyLimit = checkPositiveInteger('historyLimit', options.historyLimit ?? DEFAULT_HISTORY_LIMIT);
  }

  /** One page of a sparse index: the items under `key` whose sort key is before `before`, oldest first. */
  protected queryBefore(
    index: { name: string; partitionKey: string; sortKey: string },
    key: string,
    before: string,
    limit: number,
    startKey: Record<string, unknown> | undefined,
  ) {
    return this.send('Query', `index ${index.name}`, () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.name,
          KeyConditionExpression: '#key = :key AND #sort < :before',
          ExpressionAttributeNames: { '#key': index.partitionKey, '#sort': index.sortKey },
          ExpressionAttributeValues: { ':key': key, ':before': before },
          Limit: limit,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      ),
    );
  }

  protected appendHistory(update: UpdateExpression, entry: HistoryEntry): void {
    const history = update.name('history');
    const version = update.name('historyVersion');
    update.setExpression(
      'history',
      `list_append(if_not_exists(${history}, ${update.value([])}), ${update.value([entry])})`,
    );
    update.setExpression(
      'historyVersion',
      `if_not_exists(${version}, ${update.value(0)}) + ${update.value(1)}`,
    );
  }

  /**
   * Keeps a send item's history at `historyLimit` (see history.ts): only when this write's answer shows
   * the list too long, and only if nobody wrote the history since (`historyVersion` unchanged).
   */
  protected async trimIfLong(
    messageId: string,
    attributes: Record<string, unknown> | undefined,
  ): Promise<void> {
    const history = attributes?.history;
    const version = attributes?.historyVersion;
    if (!Array.isArray(history) || history.length <= this.historyLimit || typeof version !== 'number') return;
    const update = new UpdateExpression().set(
      'history',
      trimHistory(history as HistoryEntry[], this.historyLimit),
    );
    const condition = `${update.name('historyVersion')} = ${update.value(version)}`;
    try {
      await this.update(messageId, update.build(condition), 'NONE');
    } catch {
      // Ignored on purpose: a later writer (higher version) trims, or the next write on this record does.
    }
  }

  protected async update(
    messageId: string,
    expression: ReturnType<UpdateExpression['build']>,
    returnValues: 'ALL_NEW' | 'ALL_OLD' | 'UPDATED_NEW' | 'NONE',
  ): Promise<Record<string, unknown> | undefined> {
    const answer = await this.send('UpdateItem', `message "${messageId}"`, () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sendItemKey(messageId),
          ...expression,
          ReturnValues: returnValues,
        }),
      ),
    );
    return answer.Attributes;
  }

  protected async getItem(
    key: { pk: string },
    subject: string,
  ): Promise<Record<string, unknown> | undefined> {
    const answer = await this.send('GetItem', subject, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return answer.Item;
  }

  /** Runs one DynamoDB call; a failed condition passes through untouched, anything else gets context. */
  protected async send<T>(operation: string, subject: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isConditionFailure(error)) throw error;
      throw new StatusStoreError(operation, subject, error);
    }
  }
}

export function createDocumentClient(): DynamoDBDocumentClient {
  // Region, credentials and AWS_ENDPOINT_URL_DYNAMODB come from the SDK's own environment handling.
  return DynamoDBDocumentClient.from(new DynamoDBClient(AWS_CLIENT_CONFIG), {
    marshallOptions: STATUS_MARSHALL_OPTIONS,
  });
}

let sharedClient: DynamoDBDocumentClient | undefined;

/** The instance's one document client for the status table (send records, receipts, bot sessions), built on first use. */
export function sharedDocumentClient(): DynamoDBDocumentClient {
  sharedClient ??= createDocumentClient();
  return sharedClient;
}

export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
