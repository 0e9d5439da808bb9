import type { GenesysErrorInfo } from '../genesys/types';
import type { RenderedRequest } from '../messages/render';
import type { SendRequest } from '../messages/send-request';
import type { SendRecord, StatusStore } from '../status/types';
import { NoOpenBotSessionError } from './errors';
import { offeredButtons } from './offers';
import type { SessionDeliveryStore } from './session-types';

/**
 * What the delivery path asks of bot sessions, at three points: accept (resolve a botSession target),
 * sent (remember the offered buttons, close on Complete/Failed) and refused (a 409 session code).
 */
export interface BotSessionHooks {
  /** The request to store: a botSession target resolved to its open session's bot connector fields. */
  resolve(request: SendRequest, messageId: string): Promise<SendRequest>;
  onSent(record: SendRecord, rendered: RenderedRequest): Promise<void>;
  /** For a Genesys session code: closes the session and returns what happened, in words; else undefined. */
  onRefused(
    record: SendRecord,
    rendered: RenderedRequest,
    error: GenesysErrorInfo,
  ): Promise<string | undefined>;
}

/** Genesys' 409 codes on the outgoing endpoint (contract sheet): permanent for that message. */
export const SESSION_ERROR_CODES: Record<string, string> = {
  'session.not.found':
    'Genesys has no such bot session: it expired or never existed; the customer must write again to open one',
  'session.already.closed':
    'the bot session is already closed (Complete or Failed was sent, or the flow ended it)',
  'session.bot.id.mismatch': 'the bot session belongs to another bot id',
  'session.bot.version.mismatch': 'the bot session belongs to another bot version',
  'integration.not.active': 'the Digital Bot Connector integration is not active in Genesys: activate it',
};

export function botSessionHooks(
  sessions: SessionDeliveryStore,
  store: Pick<StatusStore, 'get'>,
): BotSessionHooks {
  return {
    async resolve(request, messageId) {
      if (request.target.kind !== 'botSession') return request;
      const { conversationId } = request.target;
      const found = await sessions.findByConversation(conversationId);
      if (!found.open) {
        // A caller retrying an accepted send (same key) after its own Complete closed the session: a replay.
        const earlier = await store.get(messageId);
        if (earlier !== undefined) return earlier.request as SendRequest;
        throw new NoOpenBotSessionError(conversationId, found.reason);
      }
      const { session } = found;
      const endsSession = request.complete !== undefined || request.fail !== undefined;
      return {
        ...request,
        target: {
          kind: 'botConnector',
          botId: session.botId,
          botVersion: session.botVersion,
          botSessionId: session.botSessionId,
          languageCode: session.languageCode,
          conversationId,
          // The session stays open for the business to talk into until the caller ends it.
          ...(!endsSession && { botState: 'MoreData' as const }),
        },
      };
    },

    async onSent(record, rendered) {
      if (rendered.route !== 'botConnector') return;
      const { body } = rendered;
      const buttons = offeredButtons(body.replyMessages[0]);
      if (buttons.length > 0) {
        await sessions.recordOffer(body.botSessionId, {
          messageId: record.messageId,
          at: new Date().toISOString(),
          buttons,
        });
      }
      if (body.botState !== 'MoreData') {
        await sessions.close(body.botSessionId, `${body.botState} sent by message ${record.messageId}`);
      }
    },

    async onRefused(_record, rendered, error) {
      if (rendered.route !== 'botConnector' || error.status !== 409 || error.code === undefined)
        return undefined;
      const meaning = SESSION_ERROR_CODES[error.code];
      if (meaning === undefined) return undefined;
      await sessions.close(rendered.body.botSessionId, `Genesys answered 409 ${error.code}`);
      return `Genesys refused the message (409 ${error.code}): ${meaning}`;
    },
  };
}
