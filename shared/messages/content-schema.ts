import * as z from 'zod/mini';
import {
  BUTTON_TEXT_MAX,
  CARD_ACTIONS_MAX,
  CAROUSEL_CARDS_MAX,
  DESCRIPTION_MAX,
  MEDIA_ID_MAX,
  PAYLOAD_MAX,
  QUICK_REPLIES_MAX,
  TEMPLATE_ID_MAX,
  TEMPLATE_PARAMETER_VALUE_MAX,
  TEMPLATE_PARAMETERS_MAX,
  TEXT_MAX,
  TITLE_MAX,
  URL_MAX,
} from './constants';
import { hostileCharacterProblem } from './field-rules';

/**
 * A string with at least one non-space character (also rules out ''), at most `max` long, without
 * characters Genesys or a phone would mangle (controls, bidi overrides, lone surrogates: field-rules.ts).
 */
export function nonBlank(max: number) {
  return z.string().check(
    z.maxLength(max),
    z.regex(/\S/, { error: 'must not be blank' }),
    z.superRefine((text, ctx) => {
      const problem = hostileCharacterProblem(text);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }),
  );
}

/**
 * Genesys fetches images and opens links from the customer's device: https only, a host *name* (its last
 * label starts with a letter, which rules out IPv4 in dotted, decimal, octal and hex forms; no `[` so no
 * IPv6 literal; no `@` so no credentials), then no white space, control or bidi characters. A plain
 * pattern so API Gateway applies the same rule. A DNS name that resolves to a private address cannot be
 * seen here: Genesys, not this service, fetches the URL.
 */
export const HTTPS_URL_PATTERN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern refuses control characters.
  /^https:\/\/([A-Za-z0-9-]+\.)+[A-Za-z][A-Za-z0-9-]*(:[0-9]{1,5})?([/?#][^\u0000-\u0020\u007f-\u009f\u202a-\u202e\u2066-\u2069]*)?$/;
export const HttpsUrlSchema = z.string().check(
  z.maxLength(URL_MAX),
  z.regex(HTTPS_URL_PATTERN, {
    error:
      'must be an https URL with a host name (https://host/path): no IP address, user info, spaces or control characters',
  }),
);

const ButtonTextSchema = nonBlank(BUTTON_TEXT_MAX).check(z.describe('Label shown on the button.'));
const PayloadSchema = nonBlank(PAYLOAD_MAX).check(
  z.describe('What the customer click sends back to the bot.'),
);

export const PostbackActionSchema = z.strictObject({
  type: z.literal('postback'),
  text: ButtonTextSchema,
  payload: PayloadSchema,
});
export const LinkActionSchema = z.strictObject({
  type: z.literal('link'),
  text: ButtonTextSchema,
  url: HttpsUrlSchema,
});
export const CardActionSchema = z.discriminatedUnion('type', [PostbackActionSchema, LinkActionSchema]);

type CardActionShape = z.infer<typeof CardActionSchema>;

/**
 * Genesys: text + payload must be unique within a card and across a carousel, and it checks only the
 * actions that carry a payload (postbacks): links have none, so two links may share a text.
 */
function actionKey(action: CardActionShape): string | undefined {
  return action.type === 'postback' ? JSON.stringify([action.text, action.payload]) : undefined;
}

export const CardSchema = z
  .strictObject({
    title: nonBlank(TITLE_MAX),
    description: z.optional(nonBlank(DESCRIPTION_MAX)),
    image: z.optional(HttpsUrlSchema),
    defaultAction: z.optional(CardActionSchema).check(z.describe('What tapping the card itself does.')),
    actions: z.array(CardActionSchema).check(z.maxLength(CARD_ACTIONS_MAX)),
  })
  .check(
    z.superRefine((card, ctx) => {
      const seen = new Map<string, number>();
      card.actions.forEach((action, index) => {
        const key = actionKey(action);
        if (key === undefined) return;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, index);
        else
          ctx.addIssue({
            code: 'custom',
            path: ['actions', index],
            message: `repeats the text and payload of actions[${first}]: each postback must be unique within a card`,
          });
      });
    }),
  );

export const CarouselSchema = z
  .strictObject({ cards: z.array(CardSchema).check(z.minLength(1), z.maxLength(CAROUSEL_CARDS_MAX)) })
  .check(
    z.superRefine((carousel, ctx) => {
      // Duplicates inside one card are the card's own issue: here only repeats across cards.
      const seen = new Map<string, { card: number; action: number }>();
      carousel.cards.forEach((card, cardIndex) => {
        const inThisCard = new Set<string>();
        card.actions.forEach((action, actionIndex) => {
          const key = actionKey(action);
          if (key === undefined || inThisCard.has(key)) return;
          inThisCard.add(key);
          const first = seen.get(key);
          if (first === undefined) seen.set(key, { card: cardIndex, action: actionIndex });
          else
            ctx.addIssue({
              code: 'custom',
              path: ['cards', cardIndex, 'actions', actionIndex],
              message: `repeats the text and payload of cards[${first.card}].actions[${first.action}]: each postback must be unique across the carousel`,
            });
        });
      });
    }),
  );

export const QuickReplySchema = z.strictObject({
  text: ButtonTextSchema,
  payload: PayloadSchema,
  image: z.optional(HttpsUrlSchema),
});
export const QuickRepliesSchema = z.strictObject({
  title: z.optional(nonBlank(TITLE_MAX)).check(z.describe('The question the replies answer.')),
  replies: z.array(QuickReplySchema).check(z.minLength(1), z.maxLength(QUICK_REPLIES_MAX)),
});

export const TemplateParameterSchema = z.strictObject({
  id: nonBlank(TEMPLATE_ID_MAX),
  value: nonBlank(TEMPLATE_PARAMETER_VALUE_MAX),
});
const TemplateParametersSchema = z.array(TemplateParameterSchema).check(z.maxLength(TEMPLATE_PARAMETERS_MAX));
export const TemplateSchema = z.strictObject({
  responseId: nonBlank(TEMPLATE_ID_MAX).check(
    z.describe('Id of the approved template in the Genesys response library.'),
  ),
  headerParameters: z.optional(TemplateParametersSchema),
  bodyParameters: z.optional(TemplateParametersSchema),
  buttonUrlParameters: z.optional(TemplateParametersSchema),
});

export const TextSchema = nonBlank(TEXT_MAX);
export const MediaIdSchema = nonBlank(MEDIA_ID_MAX).check(
  z.describe('Id of media already uploaded to Genesys.'),
);

/** The keys that name a message kind; a message has exactly one (text may accompany quickReplies). */
export const MESSAGE_KINDS = ['text', 'quickReplies', 'card', 'carousel', 'template', 'mediaId'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * One strict object per kind, so each kind is exactly one set of keys (JSON Schema `anyOf` of closed
 * objects) and the inferred type is a union TypeScript can narrow with `'card' in message`.
 * The order matters to {@link messageOptionIndex}.
 */
export const MessageSchema = z.union([
  z.strictObject({ text: TextSchema }),
  z.strictObject({
    text: z.optional(TextSchema).check(z.describe('Text sent with the replies.')),
    quickReplies: QuickRepliesSchema,
  }),
  z.strictObject({ card: CardSchema }),
  z.strictObject({ carousel: CarouselSchema }),
  z.strictObject({ template: TemplateSchema }),
  z.strictObject({ mediaId: MediaIdSchema }),
]);

/** Which option of {@link MessageSchema} an input with these kind keys means, or undefined if none or ambiguous. */
export function messageOptionIndex(kinds: readonly MessageKind[]): number | undefined {
  const set = new Set(kinds);
  if (set.has('quickReplies')) return set.size === 1 || (set.size === 2 && set.has('text')) ? 1 : undefined;
  if (set.size !== 1) return undefined;
  const [kind] = [...set];
  return kind === undefined ? undefined : MESSAGE_KINDS.indexOf(kind);
}

export type Message = z.infer<typeof MessageSchema>;
export type Card = z.infer<typeof CardSchema>;
export type CardAction = z.infer<typeof CardActionSchema>;
export type Carousel = z.infer<typeof CarouselSchema>;
export type QuickReplies = z.infer<typeof QuickRepliesSchema>;
export type QuickReply = z.infer<typeof QuickReplySchema>;
export type Template = z.infer<typeof TemplateSchema>;
export type TemplateParameter = z.infer<typeof TemplateParameterSchema>;

/** The kind of a parsed message (text beside quick replies is part of the `quickReplies` kind). */
export function messageKindOf(message: Message): MessageKind {
  if ('quickReplies' in message) return 'quickReplies';
  if ('card' in message) return 'card';
  if ('carousel' in message) return 'carousel';
  if ('template' in message) return 'template';
  if ('mediaId' in message) return 'mediaId';
  return 'text';
}
