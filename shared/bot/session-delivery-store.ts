import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '../config/environment';
import { isConditionFailure, sharedDocumentClient } from '../status/dynamo-table';
import type { BotOffer, BotSession, SessionDeliveryStore, SessionLookup } from './session-types';

/**
 * Bot sessions in the status table, as their own item kinds (docs/bot-sessions.md):
 * - `botsession#<botSessionId>`: the session (fields, expiry, close, offers);
 * - `botconv#<conversationId>`: the conversation's newest session id (what a botSession target looks up);
 * - `botin#<genesysMessageId>`: an incoming message and whether its event was published.
 * Each change is one conditional write. This half is what the send path needs (find, close, record the
 * offered buttons); the bot function's writes are in dynamo-session-store.ts, out of the send bundle.
 */
export const sessionItemKey = (botSessionId: string) => ({ pk: `botsession#${botSessionId}` });
export const conversationItemKey = (conversationId: string) => ({ pk: `botconv#${conversationId}` });

/** A session's offers are bounded: an item stays far below DynamoDB's 400 KB. */
export const MAX_OFFERS_PER_SESSION = 200;

export interface SessionStoreOptions {
  tableName: string;
  client: DynamoDBDocumentClient;
  now?: () => number;
  /** Days the items stay after the session's expiry (audit); default the status TTL. */
  ttlDays?: number;
}

export class DynamoSessionDeliveryStore implements SessionDeliveryStore {
  protected readonly now: () => number;

  constructor(protected readonly options: SessionStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  async get(botSessionId: string): Promise<BotSession | undefined> {
    const item = await this.getItem(sessionItemKey(botSessionId));
    return item === undefined ? undefined : sessionFromItem(item);
  }

  async findByConversation(conversationId: string): Promise<SessionLookup> {
    const pointer = await this.getItem(conversationItemKey(conversationId));
    const session =
      typeof pointer?.botSessionId === 'string' ? await this.get(pointer.botSessionId) : undefined;
    if (session === undefined) return { open: false, reason: 'none' };
    if (session.closedAt !== undefined) return { open: false, reason: 'closed', session };
    if (Date.parse(session.sessionExpiresAt) <= this.now())
      return { open: false, reason: 'expired', session };
    return { open: true, session };
  }

  async close(botSessionId: string, reason: string): Promise<boolean> {
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: sessionItemKey(botSessionId),
          UpdateExpression: 'SET closedAt = :at, closeReason = :reason',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(closedAt)',
          ExpressionAttributeValues: { ':at': new Date(this.now()).toISOString(), ':reason': reason },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async recordOffer(botSessionId: string, offer: BotOffer): Promise<void> {
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: sessionItemKey(botSessionId),
          UpdateExpression: 'SET offers = list_append(offers, :offer)',
          // A session we never saw (an explicit botConnector target) has nothing to correlate clicks with.
          ConditionExpression: 'attribute_exists(offers) AND size(offers) < :max',
          ExpressionAttributeValues: { ':offer': [offer], ':max': MAX_OFFERS_PER_SESSION },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  protected async getItem(key: { pk: string }): Promise<Record<string, unknown> | undefined> {
    const answer = await this.options.client.send(
      new GetCommand({ TableName: this.options.tableName, Key: key, ConsistentRead: true }),
    );
    return answer.Item;
  }
}

/** Items are written by this store only: the session's fields as they are (table attributes ride along). */
export function sessionFromItem(item: Record<string, unknown>): BotSession {
  return {
    ...(item as unknown as BotSession),
    offers: Array.isArray(item.offers) ? (item.offers as BotOffer[]) : [],
  };
}

/** What the send path needs of sessions, on the status table named by STATUS_TABLE_NAME. */
export function sessionDeliveryStoreFromEnvironment(): DynamoSessionDeliveryStore {
  return new DynamoSessionDeliveryStore({
    tableName: requireEnv('statusTableName'),
    client: sharedDocumentClient(),
  });
}
