import type { GenesysReplyMessage } from '../messages/genesys-bodies';
import type { BotSession } from './session-types';

/** Text + payload identify a button across a card and a carousel (Genesys' rule). */
export function buttonKey(text: string, payload: string): string {
  return JSON.stringify([text, payload]);
}

/** The buttons a reply offers: quick replies and postback actions (card buttons and default actions). */
export function offeredButtons(reply: GenesysReplyMessage): string[] {
  if (reply.type !== 'Structured') return [];
  const keys: string[] = [];
  for (const item of reply.content) {
    if (item.contentType === 'QuickReply')
      keys.push(buttonKey(item.quickReply.text, item.quickReply.payload));
    const cards =
      item.contentType === 'Card' ? [item.card] : item.contentType === 'Carousel' ? item.carousel.cards : [];
    for (const card of cards) {
      for (const action of [...card.actions, ...(card.defaultAction ? [card.defaultAction] : [])]) {
        if (action.type === 'Postback' && action.payload !== undefined)
          keys.push(buttonKey(action.text, action.payload));
      }
    }
  }
  return keys;
}

/** Our message id of the newest structured message in the session that offered this button. */
export function answeredMessageId(session: BotSession, text: string, payload: string): string | undefined {
  const key = buttonKey(text, payload);
  // Sends may finish out of order: newest by the time Genesys took them, the later append winning a tie.
  const newestFirst = session.offers.map((offer, index) => ({ offer, index }));
  newestFirst.sort((a, b) => b.offer.at.localeCompare(a.offer.at) || b.index - a.index);
  return newestFirst.find(({ offer }) => offer.buttons.includes(key))?.offer.messageId;
}
