import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConfigurationError, ENV, numberEnv, requireEnv } from '../config/environment';
import { DEFAULT_STATUS_TTL_DAYS, expiresAtSeconds, sendItemKey } from '../status/table-keys';
import type {
  BotAnswer,
  BotOffer,
  BotSession,
  BotSessionStore,
  IncomingClaim,
  IncomingSessionFields,
  SessionLookup,
} from './session-types';

/**
 * Bot sessions in the status table, as their own item kinds (docs/bot-sessions.md):
 * - `botsession#<botSessionId>`: the session (fields, expiry, close, offers);
 * - `botconv#<conversationId>`: the conversation's newest session id (what a botSession target looks up);
 * - `botin#<genesysMessageId>`: an incoming message and whether its event was published.
 * Each change is one conditional write; the pointer is written after the session, so it never names a
 * session that is not there.
 */
export const sessionItemKey = (botSessionId: string) => ({ pk: `botsession#${botSessionId}` });
export const conversationItemKey = (conversationId: string) => ({ pk: `botconv#${conversationId}` });
export const incomingItemKey = (genesysMessageId: string) => ({ pk: `botin#${genesysMessageId}` });

/** A session's offers are bounded: an item stays far below DynamoDB's 400 KB. */
export const MAX_OFFERS_PER_SESSION = 200;

export interface DynamoBotSessionStoreOptions {
  tableName: string;
  client: DynamoDBDocumentClient;
  now?: () => number;
  /** Days the items stay after the session's expiry (audit); default the status TTL. */
  ttlDays?: number;
}

export class DynamoBotSessionStore implements BotSessionStore {
  private readonly now: () => number;
  private readonly ttlDays: number;

  constructor(private readonly options: DynamoBotSessionStoreOptions) {
    this.now = options.now ?? Date.now;
    this.ttlDays = options.ttlDays ?? DEFAULT_STATUS_TTL_DAYS;
  }

  async recordIncoming(input: IncomingSessionFields): Promise<{ session: BotSession; first: boolean }> {
    const nowMs = this.now();
    const at = new Date(nowMs).toISOString();
    const expiresMs = nowMs + input.timeoutMinutes * 60_000;
    const answer = await this.options.client.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: sessionItemKey(input.botSessionId),
        UpdateExpression:
          'SET #kind = :kind, botSessionId = :sid, botId = :botId, botVersion = :botVersion, ' +
          'languageCode = :lang, conversationId = :conv, timeoutMinutes = :timeout, lastSeenAt = :at, ' +
          'sessionExpiresAt = :sessionExpiresAt, expiresAt = :ttl, openedAt = if_not_exists(openedAt, :at), ' +
          'firstMessageId = if_not_exists(firstMessageId, :mid), offers = if_not_exists(offers, :none)' +
          (input.parameters !== undefined ? ', parameters = :parameters' : ''),
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':kind': 'botSession',
          ':sid': input.botSessionId,
          ':botId': input.botId,
          ':botVersion': input.botVersion,
          ':lang': input.languageCode,
          ':conv': input.conversationId,
          ':timeout': input.timeoutMinutes,
          ':at': at,
          ':sessionExpiresAt': new Date(expiresMs).toISOString(),
          ':ttl': expiresAtSeconds(expiresMs, this.ttlDays),
          ':mid': input.messageId,
          ':none': [],
          ...(input.parameters !== undefined && { ':parameters': input.parameters }),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const session = sessionFromItem(answer.Attributes ?? {});
    if (session.closedAt === undefined) {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...conversationItemKey(input.conversationId),
            kind: 'botConversation',
            botSessionId: input.botSessionId,
            updatedAt: at,
            expiresAt: expiresAtSeconds(expiresMs, this.ttlDays),
          },
        }),
      );
    }
    return { session, first: session.firstMessageId === input.messageId };
  }

  async claimIncoming(genesysMessageId: string, botSessionId: string): Promise<IncomingClaim> {
    const nowMs = this.now();
    const receivedAt = new Date(nowMs).toISOString();
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...incomingItemKey(genesysMessageId),
            kind: 'botIncoming',
            botSessionId,
            receivedAt,
            expiresAt: expiresAtSeconds(nowMs, this.ttlDays),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { state: 'new', receivedAt };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const existing = await this.getItem(incomingItemKey(genesysMessageId));
    return {
      state: existing?.publishedAt !== undefined ? 'published' : 'pending',
      receivedAt: typeof existing?.receivedAt === 'string' ? existing.receivedAt : receivedAt,
    };
  }

  async markPublished(genesysMessageId: string): Promise<void> {
    await this.options.client.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: incomingItemKey(genesysMessageId),
        UpdateExpression: 'SET publishedAt = :at',
        ExpressionAttributeValues: { ':at': new Date(this.now()).toISOString() },
      }),
    );
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

  async recordAnswer(messageId: string, answer: BotAnswer): Promise<boolean> {
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: sendItemKey(messageId),
          UpdateExpression: 'SET answer = :answer',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':answer': answer },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async getItem(key: { pk: string }): Promise<Record<string, unknown> | undefined> {
    const answer = await this.options.client.send(
      new GetCommand({ TableName: this.options.tableName, Key: key, ConsistentRead: true }),
    );
    return answer.Item;
  }
}

function sessionFromItem(item: Record<string, unknown>): BotSession {
  const session: BotSession = {
    botSessionId: item.botSessionId as string,
    botId: item.botId as string,
    botVersion: item.botVersion as string,
    languageCode: item.languageCode as string,
    conversationId: item.conversationId as string,
    timeoutMinutes: item.timeoutMinutes as number,
    openedAt: item.openedAt as string,
    lastSeenAt: item.lastSeenAt as string,
    sessionExpiresAt: item.sessionExpiresAt as string,
    firstMessageId: item.firstMessageId as string,
    offers: Array.isArray(item.offers) ? (item.offers as BotOffer[]) : [],
  };
  if (item.parameters !== undefined) session.parameters = item.parameters as Record<string, string>;
  if (typeof item.closedAt === 'string') session.closedAt = item.closedAt;
  if (typeof item.closeReason === 'string') session.closeReason = item.closeReason;
  return session;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

let sharedClient: DynamoDBDocumentClient | undefined;

/** The session store on the status table named by STATUS_TABLE_NAME (as the status store reads it). */
export function botSessionStoreFromEnvironment(): DynamoBotSessionStore {
  const tableName = requireEnv('statusTableName');
  const ttlDays = numberEnv('statusTtlDays', DEFAULT_STATUS_TTL_DAYS);
  if (ttlDays <= 0) throw new ConfigurationError(`${ENV.statusTtlDays} must be greater than 0`);
  sharedClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return new DynamoBotSessionStore({ tableName, client: sharedClient, ttlDays });
}
