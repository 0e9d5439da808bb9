import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  effectiveChannel,
  parseSendRequest,
  type RenderedRequest,
  renderForTarget,
  renderTextFallback,
  type SendRequest,
  textLimitFor,
  tryRender,
  ValidationError,
} from '../../shared/messages';
import { SMS_TEXT_MAX } from '../../shared/messages/constants';
import { messageArbitrary, requestArbitrary } from './arbitraries';

const RUNS = { numRuns: 300 };

/** Every text body a rendered request carries (the reply text, or textBody). */
function textsOf(rendered: RenderedRequest): string[] {
  if (rendered.route === 'botConnector') {
    const [reply] = rendered.body.replyMessages;
    return reply.text === undefined ? [] : [reply.text];
  }
  return 'textBody' in rendered.body ? [rendered.body.textBody] : [];
}

/** Replaces the value at one of the request's paths (picked by `pick`) with `value`. */
function mutate(input: unknown, pick: number, value: unknown): unknown {
  const root = JSON.parse(JSON.stringify(input));
  const slots: [Record<string, unknown>, string][] = [];
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    for (const key of Object.keys(node)) {
      slots.push([node as Record<string, unknown>, key]);
      walk((node as Record<string, unknown>)[key]);
    }
  };
  walk(root);
  const slot = slots[pick % slots.length];
  if (slot !== undefined) slot[0][slot[1]] = value;
  return root;
}

describe('rendering properties', () => {
  it('renders within the channel limit or refuses with a ValidationError, nothing else', () => {
    fc.assert(
      fc.property(requestArbitrary, (input) => {
        // Act
        let rendered: RenderedRequest | undefined;
        try {
          rendered = renderForTarget(input);
        } catch (error) {
          // Assess (refused)
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).issues.length).toBeGreaterThan(0);
          return;
        }
        // Assess (rendered)
        const limit = textLimitFor(effectiveChannel(input));
        for (const body of textsOf(rendered)) expect(body.length).toBeLessThanOrEqual(limit);
      }),
      RUNS,
    );
  });

  it('renders whatever parseSendRequest accepts, the same way twice, and refuses only with ValidationError', () => {
    fc.assert(
      fc.property(requestArbitrary, (input) => {
        // Act
        let parsed: SendRequest;
        try {
          parsed = parseSendRequest(input);
        } catch (error) {
          // Assess (refused)
          expect(error).toBeInstanceOf(ValidationError);
          return;
        }
        // Assess (accepted)
        const rendered = renderForTarget(parsed);
        expect(renderForTarget(JSON.parse(JSON.stringify(parsed)))).toEqual(rendered);
        expect(parseSendRequest(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
      }),
      RUNS,
    );
  });

  it('sends the text form whole exactly when it fits the channel limit', () => {
    const channels = fc.constantFrom(undefined, 'sms' as const, 'webmessaging' as const, 'whatsapp' as const);
    fc.assert(
      fc.property(messageArbitrary, channels, (msg, channel) => {
        // Prepare
        if ('template' in msg || 'mediaId' in msg || 'carousel' in msg) return;
        if ('card' in msg && channel === 'whatsapp') return;
        const target = { kind: 'conversation', conversationId: 'c', communicationId: 'm' } as const;
        const expected = renderTextFallback(msg);

        // Act
        const outcome = tryRender({ target, channel, message: msg });

        // Assess
        // A conversation of unknown channel may be SMS: it gets SMS's limit.
        expect(outcome.ok).toBe(
          expected.length <= (channel === undefined ? SMS_TEXT_MAX : textLimitFor(channel)),
        );
        if (outcome.ok) expect(outcome.rendered.body).toEqual({ textBody: expected });
      }),
      RUNS,
    );
  });

  it('accepts a text of exactly the limit and refuses one character more, on every channel', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CHANNELS), fc.integer({ min: -3, max: 3 }), (channel, delta) => {
        // Prepare
        const limit = textLimitFor(channel);
        const input = {
          target: { kind: 'conversation', conversationId: 'c', communicationId: 'm' },
          channel,
          message: { text: 'x'.repeat(limit + delta) },
        };

        // Act
        const outcome = tryRender(input as SendRequest);

        // Assess
        expect(outcome.ok).toBe(delta <= 0);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps every title, description, option and link URL in the text form (nothing dropped silently)', () => {
    const textTarget = { kind: 'conversation', conversationId: 'c', communicationId: 'm' } as const;
    fc.assert(
      fc.property(messageArbitrary, (msg) => {
        // Prepare
        if ('template' in msg || 'mediaId' in msg) return;
        let rendered: RenderedRequest;
        try {
          rendered = renderForTarget({ target: textTarget, message: msg });
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          return;
        }

        // Act
        const [body = ''] = textsOf(rendered);

        // Assess
        const expected: string[] = [];
        if ('quickReplies' in msg) {
          if (msg.text !== undefined) expected.push(msg.text);
          if (msg.quickReplies.title !== undefined) expected.push(msg.quickReplies.title);
          expected.push(...msg.quickReplies.replies.map((r) => r.text));
        } else if ('card' in msg || 'carousel' in msg) {
          const cards = 'card' in msg ? [msg.card] : msg.carousel.cards;
          for (const c of cards) {
            expected.push(c.title, ...(c.description === undefined ? [] : [c.description]));
            for (const a of c.actions) expected.push(a.text, ...(a.type === 'link' ? [a.url] : []));
            if (c.defaultAction?.type === 'link') expected.push(c.defaultAction.url);
          }
        } else {
          expected.push(msg.text);
        }
        for (const part of expected) expect(body).toContain(part);
      }),
      RUNS,
    );
  });
});

describe('parsing properties', () => {
  it('answers any JSON value with a request or a ValidationError naming paths', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (input) => {
        // Act
        try {
          parseSendRequest(input);
        } catch (error) {
          // Assess
          expect(error).toBeInstanceOf(ValidationError);
          for (const issue of (error as ValidationError).issues) {
            expect(typeof issue.path).toBe('string');
            expect(issue.message.length).toBeGreaterThan(0);
          }
        }
      }),
      RUNS,
    );
  });

  it('answers a request with any one field replaced by any value with a request or a ValidationError', () => {
    fc.assert(
      fc.property(
        requestArbitrary,
        fc.nat(),
        fc.oneof(fc.jsonValue(), fc.constant(undefined)),
        (input, pick, value) => {
          // Prepare
          const broken = mutate(input, pick, value);

          // Act
          let parsed: SendRequest | undefined;
          try {
            parsed = parseSendRequest(broken);
          } catch (error) {
            // Assess (refused)
            expect(error).toBeInstanceOf(ValidationError);
            expect((error as ValidationError).issues.length).toBeGreaterThan(0);
            return;
          }
          // Assess (accepted): then it renders
          expect(() => renderForTarget(parsed)).not.toThrow();
        },
      ),
      RUNS,
    );
  });
});
