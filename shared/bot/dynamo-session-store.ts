import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConfigurationError, ENV, numberEnv, requireEnv } from '../config/environment';
import { isConditionFailure, sharedDocumentClient } from '../status/dynamo-table';
import { DEFAULT_STATUS_TTL_DAYS, expiresAtSeconds, sendItemKey } from '../status/table-keys';
import {
  conversationItemKey,
  DynamoSessionDeliveryStore,
  type SessionStoreOptions,
  sessionFromItem,
  sessionItemKey,
} from './session-delivery-store';
import type {
  BotAnswer,
  BotSession,
  BotSessionStore,
  IncomingClaim,
  IncomingSessionFields,
} from './session-types';

export const incomingItemKey = (genesysMessageId: string) => ({ pk: `botin#${genesysMessageId}` });

/** The bot function's session store: the send path's half plus what incoming messages write. */
export class DynamoBotSessionStore extends DynamoSessionDeliveryStore implements BotSessionStore {
  private readonly ttlDays: number;

  constructor(options: SessionStoreOptions) {
    super(options);
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
}

/** The session store on the status table named by STATUS_TABLE_NAME (as the status store reads it). */
export function botSessionStoreFromEnvironment(): DynamoBotSessionStore {
  const tableName = requireEnv('statusTableName');
  const ttlDays = numberEnv('statusTtlDays', DEFAULT_STATUS_TTL_DAYS);
  if (ttlDays <= 0) throw new ConfigurationError(`${ENV.statusTtlDays} must be greater than 0`);
  return new DynamoBotSessionStore({ tableName, client: sharedDocumentClient(), ttlDays });
}
