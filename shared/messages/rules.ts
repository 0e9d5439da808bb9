import { type Channel, isTextOnly } from './channels';
import { WHATSAPP_CARD_BUTTONS_MAX } from './constants';
import type { RenderInput, RuleIssue } from './types';

/**
 * The customer's channel as far as we know it: an agentless message goes out on its messenger type;
 * other targets use the optional `channel` (unknown: no channel-specific rule, the general text limit).
 */
export function effectiveChannel(input: RenderInput): Channel | undefined {
  return input.target.kind === 'agentless' ? input.target.messengerType : input.channel;
}

/**
 * What the target endpoint and the customer's channel can carry (docs/genesys-api-facts.md, "Sending"):
 * - bot connector replies carry text and structured content, not templates nor media ids;
 * - agentless messages carry text or a template, and WhatsApp requires a template;
 * - SMS shows text only: structured content becomes the text fallback, templates and media are refused;
 * - WhatsApp: at most 3 buttons per card, text-back (postback) buttons only, no carousel, and no card
 *   default action (WhatsApp ignores it: refusing says so instead of dropping it unseen).
 * These rules apply on every target, so what a customer can receive depends on the channel only.
 */
export function capabilityIssues(input: RenderInput): RuleIssue[] {
  const { target, message } = input;
  const channel = effectiveChannel(input);
  const issues: RuleIssue[] = [];

  if (target.kind === 'agentless' && input.channel !== undefined && input.channel !== target.messengerType) {
    issues.push({
      path: ['channel'],
      message: `must match target.messengerType (${target.messengerType}) or be left out`,
    });
  }

  issues.push(...sessionEndIssues(input));

  if (target.kind === 'botConnector' || target.kind === 'botSession') {
    if ('template' in message)
      issues.push({
        path: ['message', 'template'],
        message:
          'a bot connector reply cannot carry a messaging template: send it to a conversation or agentless target',
      });
    if ('mediaId' in message)
      issues.push({
        path: ['message', 'mediaId'],
        message: 'a bot connector reply cannot carry a media id: send it to a conversation target',
      });
  }

  if (target.kind === 'agentless') {
    if ('mediaId' in message)
      issues.push({
        path: ['message', 'mediaId'],
        message: 'an agentless message carries text or a template only, not media',
      });
    if (target.messengerType === 'whatsapp' && !('template' in message))
      issues.push({
        path: ['message'],
        message:
          'an agentless WhatsApp message must be a template (Genesys requires messagingTemplate for whatsapp)',
      });
  }

  if (isTextOnly(channel)) {
    if ('template' in message)
      issues.push({ path: ['message', 'template'], message: 'SMS carries text only: no templates' });
    if ('mediaId' in message)
      issues.push({ path: ['message', 'mediaId'], message: 'SMS carries text only: no media' });
  }

  if (channel === 'whatsapp') {
    if ('carousel' in message)
      issues.push({
        path: ['message', 'carousel'],
        message: 'WhatsApp does not support carousels: send the cards one by one',
      });
    if ('card' in message) {
      const { card } = message;
      if (card.actions.length > WHATSAPP_CARD_BUTTONS_MAX)
        issues.push({
          path: ['message', 'card', 'actions'],
          message: `WhatsApp shows at most ${WHATSAPP_CARD_BUTTONS_MAX} buttons per card (this card has ${card.actions.length})`,
        });
      card.actions.forEach((action, index) => {
        if (action.type === 'link')
          issues.push({
            path: ['message', 'card', 'actions', index],
            message: 'WhatsApp supports postback (text-back) buttons only, not links',
          });
      });
      if (card.defaultAction !== undefined)
        issues.push({
          path: ['message', 'card', 'defaultAction'],
          message: 'WhatsApp ignores a card default action: make it a button or leave it out',
        });
    }
  }

  return issues;
}

/**
 * `complete` / `fail` end a bot session: one of them at most, on a bot target only, and not beside an
 * explicit `target.botState` (they set it).
 */
function sessionEndIssues(input: RenderInput): RuleIssue[] {
  const { target, complete, fail } = input;
  if (complete === undefined && fail === undefined) return [];
  const field = complete !== undefined ? 'complete' : 'fail';
  if (complete !== undefined && fail !== undefined) {
    return [{ path: ['fail'], message: 'complete and fail are mutually exclusive: send one of them' }];
  }
  if (target.kind !== 'botConnector' && target.kind !== 'botSession') {
    return [
      {
        path: [field],
        message: `ends a bot session: only with a botSession or botConnector target, not ${target.kind}`,
      },
    ];
  }
  if (target.kind === 'botConnector' && target.botState !== undefined) {
    return [
      {
        path: ['target', 'botState'],
        message: `leave it out with ${field}: ${field} sets botState ${complete !== undefined ? 'Complete' : 'Failed'}`,
      },
    ];
  }
  return [];
}
