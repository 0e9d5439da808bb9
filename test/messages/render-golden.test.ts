import { describe, expect, it } from 'vitest';
import {
  parseSendRequest,
  type RenderedRequest,
  renderForTarget,
  renderTextFallback,
  type SendRequest,
  type TextRenderableMessage,
  ValidationError,
  type ValidationIssue,
} from '../../shared/messages';
import { MESSAGES, type MessageName, request, TARGETS, type TargetName } from './fixtures';

type Outcome = RenderedRequest | { refused: readonly ValidationIssue[] };

/** Parse then render, as the send Lambda does; a refusal is part of the expected output. */
function outcomeOf(input: unknown): Outcome {
  try {
    return renderForTarget(parseSendRequest(input));
  } catch (error) {
    if (error instanceof ValidationError) return { refused: error.issues };
    throw error;
  }
}

/** What each message kind becomes on each target: the route, or refused (details in the golden files). */
const EXPECTED: Record<TargetName, Record<MessageName, RenderedRequest['route'] | 'refused'>> = {
  'bot-connector': {
    text: 'botConnector',
    'quick-replies': 'botConnector',
    'order-confirmation-card': 'botConnector',
    'card-with-links': 'botConnector',
    carousel: 'botConnector',
    template: 'refused',
    media: 'refused',
  },
  'bot-connector-sms': {
    text: 'botConnector',
    'quick-replies': 'botConnector',
    'order-confirmation-card': 'botConnector',
    'card-with-links': 'botConnector',
    carousel: 'botConnector',
    template: 'refused',
    media: 'refused',
  },
  'bot-connector-whatsapp': {
    text: 'botConnector',
    'quick-replies': 'botConnector',
    'order-confirmation-card': 'botConnector',
    'card-with-links': 'refused',
    carousel: 'refused',
    template: 'refused',
    media: 'refused',
  },
  conversation: {
    text: 'conversation',
    'quick-replies': 'conversation',
    'order-confirmation-card': 'conversation',
    'card-with-links': 'conversation',
    carousel: 'conversation',
    template: 'conversation',
    media: 'conversation',
  },
  'conversation-sms': {
    text: 'conversation',
    'quick-replies': 'conversation',
    'order-confirmation-card': 'conversation',
    'card-with-links': 'conversation',
    carousel: 'conversation',
    template: 'refused',
    media: 'refused',
  },
  'agentless-sms': {
    text: 'agentless',
    'quick-replies': 'agentless',
    'order-confirmation-card': 'agentless',
    'card-with-links': 'agentless',
    carousel: 'agentless',
    template: 'refused',
    media: 'refused',
  },
  'agentless-whatsapp': {
    text: 'refused',
    'quick-replies': 'refused',
    'order-confirmation-card': 'refused',
    'card-with-links': 'refused',
    carousel: 'refused',
    template: 'agentless',
    media: 'refused',
  },
  'agentless-open': {
    text: 'agentless',
    'quick-replies': 'agentless',
    'order-confirmation-card': 'agentless',
    'card-with-links': 'agentless',
    carousel: 'agentless',
    template: 'agentless',
    media: 'refused',
  },
};

const TARGET_NAMES = Object.keys(TARGETS) as TargetName[];
const MESSAGE_NAMES = Object.keys(MESSAGES) as MessageName[];

describe('rendering: every message kind on every target (golden files)', () => {
  describe.each(TARGET_NAMES)('%s', (targetName) => {
    it.each(MESSAGE_NAMES)('%s', async (messageName) => {
      // Prepare
      const input = request(targetName, messageName);

      // Act
      const outcome = outcomeOf(input);

      // Assess
      expect('refused' in outcome ? 'refused' : outcome.route).toBe(EXPECTED[targetName][messageName]);
      await expect(`${JSON.stringify(outcome, null, 2)}\n`).toMatchFileSnapshot(
        `./golden/${targetName}/${messageName}.json`,
      );
    });
  });

  it('refuses in renderForTarget what parseSendRequest refuses, with the same issues', () => {
    for (const targetName of TARGET_NAMES) {
      for (const messageName of MESSAGE_NAMES) {
        // Prepare: skip the parser, as a caller holding an unchecked SendRequest would
        const input = request(targetName, messageName) as SendRequest;

        // Act
        const parsed = outcomeOf(input);
        let direct: Outcome;
        try {
          direct = renderForTarget(input);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          direct = { refused: error.issues };
        }

        // Assess
        expect(direct, `${targetName} × ${messageName}`).toEqual(parsed);
      }
    }
  });
});

describe('text fallback (golden files)', () => {
  const renderable = MESSAGE_NAMES.filter((name) => !(name === 'template' || name === 'media'));

  it.each(renderable)('%s', async (messageName) => {
    // Prepare
    const message = MESSAGES[messageName] as TextRenderableMessage;

    // Act
    const text = renderTextFallback(message);

    // Assess
    await expect(text).toMatchFileSnapshot(`./golden/fallback/${messageName}.txt`);
  });
});
