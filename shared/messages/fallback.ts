import type { Card, Message } from './content-schema';

/** The messages that have a text form (templates and media ids have none). */
export type TextRenderableMessage = Exclude<Message, { template: unknown } | { mediaId: unknown }>;

const BLOCK_SEPARATOR = '\n\n';

/**
 * Structured content as plain text, for text-only targets (conversation, agentless) and channels (SMS).
 * Deterministic and language-neutral (no added words), so the same message always renders the same:
 * - text: as given;
 * - quick replies: the accompanying text, a blank line, then the title and numbered replies (`1. Yes`);
 * - card: title, description, numbered postback buttons, then `Label: URL` for each link button and for
 *   a link default action (unless the same URL is already listed);
 * - carousel: the cards one after another, separated by a blank line, numbered continuously so a
 *   customer's "3" names one option of the whole carousel.
 * Images and postback default actions have no text form and are left out; nothing is ever shortened
 * (the caller refuses a rendering over the channel's limit).
 */
export function renderTextFallback(message: TextRenderableMessage): string {
  if ('quickReplies' in message) {
    const { title, replies } = message.quickReplies;
    const choices = [
      ...(title === undefined ? [] : [title]),
      ...replies.map((reply, i) => `${i + 1}. ${reply.text}`),
    ];
    return [...(message.text === undefined ? [] : [message.text]), choices.join('\n')].join(BLOCK_SEPARATOR);
  }
  if ('card' in message) return cardText(message.card, 1).text;
  if ('carousel' in message) {
    let next = 1;
    const blocks = message.carousel.cards.map((card) => {
      const block = cardText(card, next);
      next = block.next;
      return block.text;
    });
    return blocks.join(BLOCK_SEPARATOR);
  }
  return message.text;
}

function cardText(card: Card, firstNumber: number): { text: string; next: number } {
  const lines = [card.title];
  if (card.description !== undefined) lines.push(card.description);
  let next = firstNumber;
  for (const action of card.actions) {
    if (action.type === 'postback') lines.push(`${next++}. ${action.text}`);
  }
  const listed = new Set<string>();
  for (const action of card.actions) {
    if (action.type === 'link') {
      lines.push(`${action.text}: ${action.url}`);
      listed.add(action.url);
    }
  }
  const defaultAction = card.defaultAction;
  if (defaultAction?.type === 'link' && !listed.has(defaultAction.url)) {
    lines.push(`${defaultAction.text}: ${defaultAction.url}`);
  }
  return { text: lines.join('\n'), next };
}
