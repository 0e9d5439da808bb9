import {
  AGENTLESS_MESSAGES_PATH,
  BOT_CONNECTOR_MESSAGES_PATH,
  conversationMessagesPath,
  type SendRoute,
  UnsafePathSegmentError,
} from '../genesys/endpoints';
import type { BotComplete } from './bot-outcome-schema';
import { type Channel, isTextOnly, textLimitFor } from './channels';
import { SMS_TEXT_MAX } from './constants';
import { type Card, type CardAction, type Message, messageKindOf, type Template } from './content-schema';
import { formatPath, ValidationError } from './errors';
import { renderTextFallback, type TextRenderableMessage } from './fallback';
import type {
  AgentlessBody,
  BotConnectorBody,
  ConversationBody,
  GenesysCard,
  GenesysCardAction,
  GenesysMessagingTemplate,
  GenesysReplyMessage,
} from './genesys-bodies';
import { capabilityIssues, effectiveChannel } from './rules';
import type { AgentlessTarget, BotConnectorTarget, BotState, ConversationTarget } from './target-schema';
import type { RenderInput, RuleIssue } from './types';

/** A Genesys request ready to send: which endpoint (route), its path, and the JSON body. */
export type RenderedRequest =
  | { route: Extract<SendRoute, 'botConnector'>; path: string; body: BotConnectorBody }
  | { route: Extract<SendRoute, 'conversation'>; path: string; body: ConversationBody }
  | { route: Extract<SendRoute, 'agentless'>; path: string; body: AgentlessBody };

export type RenderOutcome = { ok: true; rendered: RenderedRequest } | { ok: false; issues: RuleIssue[] };

type Rendered<T> = { ok: true; value: T } | { ok: false; issues: RuleIssue[] };

/**
 * Renders a send request for its target, or throws a {@link ValidationError} (and nothing else) when
 * the target or the customer's channel cannot carry the message, or its text form is over the limit.
 * Pure and deterministic: the same request always gives the same body.
 */
export function renderForTarget(request: RenderInput): RenderedRequest {
  const outcome = tryRender(request);
  if (!outcome.ok) {
    throw new ValidationError(
      outcome.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
  }
  return outcome.rendered;
}

/** {@link renderForTarget} without the throw: every reason it cannot render, as issues. */
export function tryRender(input: RenderInput): RenderOutcome {
  const refused = capabilityIssues(input);
  if (refused.length > 0) return { ok: false, issues: refused };
  const channel = effectiveChannel(input);
  const { target, message } = input;
  switch (target.kind) {
    case 'botSession':
      // The delivery service resolves it to the open session's botConnector target before rendering.
      return refusal(['target'], 'a botSession target must be resolved to its open bot session first');
    case 'botConnector': {
      const body = botConnectorBody(target, message, channel, input);
      return body.ok
        ? {
            ok: true,
            rendered: { route: 'botConnector', path: BOT_CONNECTOR_MESSAGES_PATH, body: body.value },
          }
        : body;
    }
    case 'conversation': {
      const body = conversationBody(message, channel);
      if (!body.ok) return body;
      const path = conversationPath(target);
      return path.ok
        ? { ok: true, rendered: { route: 'conversation', path: path.value, body: body.value } }
        : path;
    }
    case 'agentless': {
      const body = agentlessBody(target, message);
      return body.ok
        ? { ok: true, rendered: { route: 'agentless', path: AGENTLESS_MESSAGES_PATH, body: body.value } }
        : body;
    }
  }
}

/**
 * A bot developer expects the session to wait for the customer after offering choices: MoreData for quick
 * replies and for cards or carousels with a postback (button or default action); Complete otherwise
 * (statements, link-only cards). `target.botState` overrides it.
 */
export function defaultBotState(message: Message): BotState {
  if ('quickReplies' in message) return 'MoreData';
  if ('card' in message) return offersPostback(message.card) ? 'MoreData' : 'Complete';
  if ('carousel' in message) return message.carousel.cards.some(offersPostback) ? 'MoreData' : 'Complete';
  return 'Complete';
}

function offersPostback(card: Card): boolean {
  return card.actions.some((action) => action.type === 'postback') || card.defaultAction?.type === 'postback';
}

function botConnectorBody(
  target: BotConnectorTarget,
  message: Message,
  channel: Channel | undefined,
  { complete, fail }: Pick<RenderInput, 'complete' | 'fail'>,
): Rendered<BotConnectorBody> {
  const reply = botReply(message, channel);
  if (!reply.ok) return reply;
  const botState: BotState = complete
    ? 'Complete'
    : fail
      ? 'Failed'
      : (target.botState ?? defaultBotState(message));
  return {
    ok: true,
    value: {
      botId: target.botId,
      botVersion: target.botVersion,
      botSessionId: target.botSessionId,
      botState,
      languageCode: target.languageCode,
      replyMessages: [reply.value],
      ...(complete !== undefined && sessionCompletion(complete)),
      ...(fail !== undefined && { errorInfo: { code: fail.errorCode, message: fail.errorMessage } }),
    },
  };
}

/** The intent, confidence, entities and output parameters that go with botState Complete. */
export function sessionCompletion(
  complete: BotComplete,
): Pick<BotConnectorBody, 'intent' | 'confidence' | 'entities' | 'parameters'> {
  // Parsed by BotCompleteSchema (strict objects): exactly the fields Genesys takes.
  return { ...complete };
}

/**
 * Quick replies: one `QuickReply` content item per reply, with the title (and any accompanying text) as
 * the Structured reply's own `text`, the Genesys way of putting words above the buttons (ReplyMessage is
 * `{ type, text, content }`). `QuickReplyV2 { title, actions }` would need a title every time and is not
 * among the content types Genesys documents for bot replies, so it is not used.
 */
function botReply(message: Message, channel: Channel | undefined): Rendered<GenesysReplyMessage> {
  if ('template' in message || 'mediaId' in message) {
    return refusal(['message'], 'a bot connector reply carries text or structured content only');
  }
  if ('text' in message && !('quickReplies' in message)) {
    const text = fitText(message, channel);
    return text.ok ? { ok: true, value: { type: 'Text', text: text.value } } : text;
  }
  if (isTextOnly(channel)) {
    const text = fitText(message, channel);
    return text.ok ? { ok: true, value: { type: 'Text', text: text.value } } : text;
  }
  if ('quickReplies' in message) {
    const { title, replies } = message.quickReplies;
    const parts = [message.text, title].filter((part): part is string => part !== undefined);
    const content = replies.map((reply) => ({
      contentType: 'QuickReply' as const,
      quickReply: {
        text: reply.text,
        payload: reply.payload,
        ...(reply.image === undefined ? {} : { image: reply.image }),
        action: 'Message' as const,
      },
    }));
    if (parts.length === 0) return { ok: true, value: { type: 'Structured', content } };
    const text = parts.join('\n\n');
    const limit = textLimitFor(channel);
    if (text.length > limit) {
      return refusal(
        ['message'],
        `text and title together are ${text.length} characters, over the ${limit}-character limit`,
      );
    }
    return { ok: true, value: { type: 'Structured', text, content } };
  }
  if ('card' in message) {
    return {
      ok: true,
      value: { type: 'Structured', content: [{ contentType: 'Card', card: genesysCard(message.card) }] },
    };
  }
  return {
    ok: true,
    value: {
      type: 'Structured',
      content: [{ contentType: 'Carousel', carousel: { cards: message.carousel.cards.map(genesysCard) } }],
    },
  };
}

function genesysCard(card: Card): GenesysCard {
  return {
    title: card.title,
    ...(card.description === undefined ? {} : { description: card.description }),
    ...(card.image === undefined ? {} : { image: card.image }),
    ...(card.defaultAction === undefined ? {} : { defaultAction: genesysAction(card.defaultAction) }),
    actions: card.actions.map(genesysAction),
  };
}

/** Our action types are lower-case (`postback`, `link`); Genesys content uses `Postback`, `Link`. */
function genesysAction(action: CardAction): GenesysCardAction {
  return action.type === 'postback'
    ? { type: 'Postback', text: action.text, payload: action.payload }
    : { type: 'Link', text: action.text, url: action.url };
}

function genesysTemplate(template: Template): GenesysMessagingTemplate {
  const copy = (parameters: Template['bodyParameters']) =>
    parameters?.map((parameter) => ({ id: parameter.id, value: parameter.value }));
  const header = copy(template.headerParameters);
  const body = copy(template.bodyParameters);
  const buttonUrl = copy(template.buttonUrlParameters);
  return {
    responseId: template.responseId,
    ...(header === undefined ? {} : { headerParameters: header }),
    ...(body === undefined ? {} : { bodyParameters: body }),
    ...(buttonUrl === undefined ? {} : { buttonUrlParameters: buttonUrl }),
  };
}

/** The path builder refuses ids no path can hold (dot segments): a field issue, like every other refusal. */
function conversationPath(target: ConversationTarget): Rendered<string> {
  try {
    return { ok: true, value: conversationMessagesPath(target.conversationId, target.communicationId) };
  } catch (error) {
    if (!(error instanceof UnsafePathSegmentError)) throw error;
    const field = error.segment === target.conversationId ? 'conversationId' : 'communicationId';
    return { ok: false, issues: [{ path: ['target', field], message: error.message }] };
  }
}

function conversationBody(message: Message, channel: Channel | undefined): Rendered<ConversationBody> {
  if ('mediaId' in message) return { ok: true, value: { mediaIds: [message.mediaId] } };
  if ('template' in message)
    return { ok: true, value: { messagingTemplate: genesysTemplate(message.template) } };
  // A conversation of unknown channel may be SMS: Genesys would refuse over 765 only after we sent it.
  const text = fitText(message, channel ?? 'unknown conversation');
  return text.ok ? { ok: true, value: { textBody: text.value } } : text;
}

function agentlessBody(target: AgentlessTarget, message: Message): Rendered<AgentlessBody> {
  const addressing = {
    fromAddress: target.fromAddress,
    toAddress: target.toAddress,
    toAddressMessengerType: target.messengerType,
  };
  if ('template' in message) {
    return { ok: true, value: { ...addressing, messagingTemplate: genesysTemplate(message.template) } };
  }
  if ('mediaId' in message)
    return refusal(['message', 'mediaId'], 'an agentless message carries text or a template only');
  const text = fitText(message, target.messengerType);
  return text.ok ? { ok: true, value: { ...addressing, textBody: text.value } } : text;
}

/**
 * The text form of a message, refused (never cut) when over the channel's limit. A conversation whose
 * channel the request does not name gets the SMS limit (docs/data-flow.md, "Text limits"): the service does
 * not ask Genesys for the conversation's messenger type, so naming `channel` is how to send up to 2000.
 */
function fitText(
  message: TextRenderableMessage,
  channel: Channel | 'unknown conversation' | undefined,
): Rendered<string> {
  const text = renderTextFallback(message);
  const unknownConversation = channel === 'unknown conversation';
  const limit = unknownConversation ? SMS_TEXT_MAX : textLimitFor(channel);
  if (text.length <= limit) return { ok: true, value: text };
  const where = unknownConversation
    ? 'a conversation whose channel is not given (it may be SMS): set "channel" to allow up to 2000 on other channels'
    : channel === undefined
      ? 'a text body'
      : channel;
  const kind = messageKindOf(message);
  if (kind === 'text') {
    return refusal(
      ['message', 'text'],
      `is ${text.length} characters, over the ${limit}-character limit for ${where}`,
    );
  }
  return refusal(
    kind === 'quickReplies' ? ['message'] : ['message', kind],
    `renders as ${text.length} characters of text, over the ${limit}-character limit for ${where}: shorten it (text is never cut)`,
  );
}

function refusal(path: RuleIssue['path'], message: string): { ok: false; issues: RuleIssue[] } {
  return { ok: false, issues: [{ path, message }] };
}
