/** ConversationMessageContent (structured content of a bot reply), as in the SDK typings. */
import * as z from 'zod';
import { CAROUSEL_MAX_CARDS } from '../constants';

const httpUrl = z
  .string()
  .refine(
    (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
    'must be an absolute http(s) URL',
  );

export const conversationContentTextSchema = z.strictObject({
  type: z.string().optional(),
  body: z.string().min(1),
});

export const conversationContentQuickReplySchema = z.strictObject({
  text: z.string().min(1),
  payload: z.string().min(1),
  image: httpUrl.optional(),
  action: z.enum(['Message']).optional(),
  summaryText: z.string().optional(),
});

export const conversationContentQuickReplyV2Schema = z.strictObject({
  title: z.string().min(1),
  actions: z.array(conversationContentQuickReplySchema).min(1),
});

/** `Link` opens `url`; `Postback` sends `payload` back. */
function cardAction(textRequired: boolean) {
  return z
    .strictObject({
      type: z.enum(['Link', 'Postback']),
      text: textRequired ? z.string().min(1) : z.string().min(1).optional(),
      payload: z.string().min(1).optional(),
      url: httpUrl.optional(),
    })
    .superRefine((action, ctx) => {
      if (action.type === 'Link' && action.url === undefined) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'is required for a Link action' });
      }
      if (action.type === 'Postback' && action.payload === undefined) {
        ctx.addIssue({ code: 'custom', path: ['payload'], message: 'is required for a Postback action' });
      }
    });
}

export const conversationContentCardActionSchema = cardAction(true);

type CardActionLike = { text?: string; payload?: string };
const actionKey = (action: CardActionLike) => `${action.text ?? ''}\u0000${action.payload ?? ''}`;

/**
 * Genesys: text + payload must be unique across a card and across a carousel; it checks only actions that
 * carry a payload (a Link has none). Reports each repeat.
 */
function checkUniqueActions(
  actions: Array<{ path: PropertyKey[]; action: CardActionLike }>,
  ctx: z.RefinementCtx,
  scope: string,
) {
  const seen = new Set<string>();
  for (const { path, action } of actions) {
    if (action.payload === undefined) continue;
    const key = actionKey(action);
    if (seen.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `text and payload repeat another action in this ${scope}`,
      });
    }
    seen.add(key);
  }
}

export const conversationContentCardSchema = z
  .strictObject({
    title: z.string().min(1),
    description: z.string().optional(),
    image: httpUrl.optional(),
    video: httpUrl.optional(),
    defaultAction: cardAction(false).optional(),
    actions: z.array(conversationContentCardActionSchema),
  })
  .superRefine((card, ctx) => {
    checkUniqueActions(
      card.actions.map((action, index) => ({ path: ['actions', index], action })),
      ctx,
      'card',
    );
  });

export const conversationContentCarouselSchema = z
  .strictObject({ cards: z.array(conversationContentCardSchema).min(1).max(CAROUSEL_MAX_CARDS) })
  .superRefine((carousel, ctx) => {
    checkUniqueActions(
      carousel.cards.flatMap((card, cardIndex) =>
        card.actions.map((action, index) => ({ path: ['cards', cardIndex, 'actions', index], action })),
      ),
      ctx,
      'carousel',
    );
  });

export const conversationContentAttachmentSchema = z.strictObject({
  id: z.string().optional(),
  mediaType: z.enum(['Image', 'Video', 'Audio', 'File', 'Link']),
  url: httpUrl.optional(),
  mime: z.string().optional(),
  text: z.string().optional(),
  sha256: z.string().optional(),
  filename: z.string().optional(),
  contentSizeBytes: z.number().int().min(0).optional(),
});

export const conversationContentButtonResponseSchema = z.strictObject({
  originatingMessageId: z.string().optional(),
  type: z.string().optional(),
  text: z.string().min(1),
  payload: z.string().min(1),
});

/** Payloads the sandbox does not inspect further: any JSON object. */
const opaque = z.record(z.string(), z.unknown());

/** contentType → the payload key that must carry it (every other payload key must be absent). */
export const PAYLOAD_KEY_BY_CONTENT_TYPE = {
  Text: 'text',
  QuickReply: 'quickReply',
  QuickReplyV2: 'quickReplyV2',
  Card: 'card',
  Carousel: 'carousel',
  Attachment: 'attachment',
  ButtonResponse: 'buttonResponse',
  Location: 'location',
  Notification: 'template',
  Story: 'story',
  Reactions: 'reactions',
  DatePicker: 'datePicker',
  InteractiveApplication: 'interactiveApplication',
  ListPicker: 'listPicker',
  PaymentRequest: 'paymentRequest',
  PaymentResponse: 'paymentResponse',
  Push: 'push',
  Form: 'form',
  NotificationResponse: 'notificationResponse',
} as const;

type ContentType = keyof typeof PAYLOAD_KEY_BY_CONTENT_TYPE;
const CONTENT_TYPES = Object.keys(PAYLOAD_KEY_BY_CONTENT_TYPE) as [ContentType, ...ContentType[]];
const PAYLOAD_KEYS = Object.values(PAYLOAD_KEY_BY_CONTENT_TYPE);

export const conversationMessageContentSchema = z
  .strictObject({
    contentType: z.enum(CONTENT_TYPES),
    location: opaque.optional(),
    attachment: conversationContentAttachmentSchema.optional(),
    quickReply: conversationContentQuickReplySchema.optional(),
    buttonResponse: conversationContentButtonResponseSchema.optional(),
    template: opaque.optional(),
    story: opaque.optional(),
    card: conversationContentCardSchema.optional(),
    carousel: conversationContentCarouselSchema.optional(),
    text: conversationContentTextSchema.optional(),
    quickReplyV2: conversationContentQuickReplyV2Schema.optional(),
    reactions: z.array(opaque).optional(),
    datePicker: opaque.optional(),
    interactiveApplication: opaque.optional(),
    listPicker: opaque.optional(),
    paymentRequest: opaque.optional(),
    paymentResponse: opaque.optional(),
    push: opaque.optional(),
    form: opaque.optional(),
    notificationResponse: opaque.optional(),
  })
  .superRefine((content, ctx) => {
    const expected = PAYLOAD_KEY_BY_CONTENT_TYPE[content.contentType];
    if (content[expected] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [expected],
        message: `is required for contentType ${content.contentType}`,
      });
    }
    for (const key of PAYLOAD_KEYS) {
      if (key !== expected && content[key] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `does not belong to contentType ${content.contentType}`,
        });
      }
    }
  });

export type ConversationMessageContentBody = z.infer<typeof conversationMessageContentSchema>;
