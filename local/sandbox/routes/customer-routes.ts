/**
 * The sandbox's own customer routes (not Genesys' API, hence the `/sandbox/` prefix): a developer plays the
 * customer of the bot connector integration over HTTP — writes or taps — and lists its sessions.
 */
import * as z from 'zod';
import type { BotConnectorSide, CustomerInput, GenesysBotSession } from '../bot-connector-side';
import { type RequestContext, replyError, replyJson } from './context';
import { validBody } from './send-routes';

export const CUSTOMER_MESSAGES_PATH = '/sandbox/customer/messages';
export const BOT_SESSIONS_PATH = '/sandbox/bot-sessions';

const conversationId = z.guid({ error: 'must be a uuid' });

/** Text, or a tap on a button / quick reply of the conversation (a tap needs its conversation). */
export const customerMessageSchema = z
  .strictObject({
    conversationId: conversationId.optional(),
    text: z.string().trim().min(1).max(4000).optional(),
    buttonResponse: z
      .strictObject({
        type: z.enum(['Button', 'QuickReply']),
        text: z.string().min(1),
        payload: z.string().min(1),
      })
      .optional(),
  })
  .superRefine((body, ctx) => {
    if (body.text === undefined && body.buttonResponse === undefined)
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required (or buttonResponse for a tap)' });
    if (body.text !== undefined && body.buttonResponse !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['buttonResponse'],
        message: 'excludes text: send one or the other',
      });
    if (body.buttonResponse !== undefined && body.conversationId === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['conversationId'],
        message: 'is required with buttonResponse: a tap answers a message of that conversation',
      });
  });

function noIntegration(ctx: RequestContext): void {
  replyError(ctx, {
    status: 409,
    code: 'bot.integration.not.configured',
    message:
      'This sandbox has no bot connector integration (start it with botConnector options, or npm start).',
  });
}

export async function handleCustomerMessage(ctx: RequestContext, bot: BotConnectorSide): Promise<void> {
  const body = validBody(ctx, customerMessageSchema, 'CustomerMessage');
  if (!body) return;
  if (!bot.configured) {
    noIntegration(ctx);
    return;
  }
  const input: CustomerInput =
    body.buttonResponse !== undefined
      ? { conversationId: body.conversationId as string, buttonResponse: body.buttonResponse }
      : {
          ...(body.conversationId !== undefined && { conversationId: body.conversationId }),
          text: body.text ?? '',
        };
  try {
    const result = await bot.customer(input);
    replyJson(ctx, 200, {
      conversationId: result.conversationId,
      botSessionId: result.botSessionId,
      messageId: result.messageId,
      bot: { status: result.status, attempts: result.attempts, answer: result.body },
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    replyError(ctx, {
      status: 502,
      message: `The bot did not answer (${cause ?? (error instanceof Error ? error.message : String(error))}).`,
    });
  }
}

export function handleBotSessions(ctx: RequestContext, bot: BotConnectorSide): void {
  if (!bot.configured) {
    noIntegration(ctx);
    return;
  }
  replyJson(ctx, 200, { entities: bot.list().map(readable) });
}

function readable(session: GenesysBotSession) {
  return {
    ...session,
    openedAt: new Date(session.openedAt).toISOString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
    ...(session.closed !== undefined && {
      closed: { ...session.closed, at: new Date(session.closed.at).toISOString() },
    }),
  };
}
